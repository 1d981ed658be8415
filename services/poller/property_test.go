package poller

import (
	"context"
	"flag"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

var propertySeeds = flag.Int("poller.seeds", 32,
	"seeds of TestPollerMissesNothing (and of the naive pager it is compared with)")

// round is one step of a property run: live changes, then time passing.
type round struct {
	changes int
	advance time.Duration
}

func plan(seed int64) []round {
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	rounds := make([]round, 5+rng.IntN(4))
	for i := range rounds {
		rounds[i] = round{
			changes: rng.IntN(40),
			advance: time.Duration(1+rng.IntN(30)) * time.Second,
		}
	}
	return rounds
}

// churnOptions is a small data set whose pages change while they are read.
func churnOptions(seed int64) jstsim.Options {
	return jstsim.Options{
		Seed: seed, Orders: 300, AfterSales: 120, Span: 2 * time.Hour,
		RatePerSecond: -1, RatePerMinute: -1,
		Churn: 0.3, ChurnDocs: 3,
	}
}

// TestPollerMissesNothing runs the poller against jstsim with churn (rows
// moving while pages are read) and live changes between passes, for many
// seeds, both cursor modes and both shop layouts, and checks that the
// final version of every document reached JST_RAW. A naive pager by page
// index over the same kind of data must miss some, or the test proves
// nothing.
func TestPollerMissesNothing(t *testing.T) {
	naiveMissed := 0
	for i := range *propertySeeds {
		seed := int64(1000 + i)
		mode := []string{CursorTS, CursorWindow}[i%2]
		perShop := i%4 >= 2
		t.Run(mode+"/seed="+strconv.FormatInt(seed, 10), func(t *testing.T) {
			r := newRig(t, churnOptions(seed), 0)
			cfg := r.config()
			cfg.Cursor, cfg.PageSize = mode, 20
			if perShop {
				for _, s := range r.sim.Shops() {
					cfg.ShopIDs = append(cfg.ShopIDs, s.ID)
				}
			}
			p, _ := r.newPoller(cfg)
			stop := run(p)
			defer stop()

			for _, rd := range plan(seed) {
				r.sim.Step(rd.changes)
				r.clock.Advance(rd.advance)
				target := r.now().Add(-cfg.Lag).Truncate(time.Second)
				if !waitFor(30*time.Second, func() bool { return p.CaughtUp(target) }) {
					t.Fatalf("poller did not catch up with %s", jst.FormatTime(target))
				}
			}
			if err := r.sim.SetChurn(0, 0); err != nil {
				t.Fatal(err)
			}
			r.settle(p, cfg)
			stop()
			r.checkComplete()
		})

		n := naiveMisses(t, seed)
		t.Logf("seed %d: the naive pager missed %d documents", seed, n)
		naiveMissed += n
	}
	if naiveMissed == 0 {
		t.Errorf("the naive pager missed nothing over %d seeds; "+
			"the churn does not exercise the hazard", *propertySeeds)
	}
}

// naiveMisses runs a pager that reads each window forward by page index
// and never reads it again, over the same data, changes and churn as
// TestPollerMissesNothing, and returns how many final versions it missed.
func naiveMisses(t *testing.T, seed int64) int {
	r := newRig(t, churnOptions(seed), 0)
	cfg := r.config()
	c, err := jst.NewClient(jst.Config{
		BaseURL: r.url, AppKey: cfg.AppKey, AppSecret: cfg.AppSecret,
		AccessToken: cfg.AccessToken, Now: r.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	seen := map[string]bool{}
	from := cfg.StartTime
	read := func() {
		end := r.now().Add(-cfg.Lag).Truncate(time.Second)
		for _, kind := range []jst.Kind{jst.KindOrder, jst.KindAfterSale} {
			for page := 1; ; page++ {
				pg, err := c.Query(ctx, kind, jst.Query{
					ModifiedBegin: from, ModifiedEnd: end, PageIndex: page, PageSize: 20,
				})
				if err != nil {
					t.Fatalf("naive pager: %v", err)
				}
				for _, raw := range pg.Docs {
					if m, err := jst.ParseMeta(kind, raw); err == nil {
						seen[m.MsgID()] = true
					}
				}
				if !pg.HasNext {
					break
				}
			}
		}
		from = end.Add(-cfg.Overlap)
	}

	read()
	for _, rd := range plan(seed) {
		r.sim.Step(rd.changes)
		r.clock.Advance(rd.advance)
		read()
	}
	if err := r.sim.SetChurn(0, 0); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(cfg.Lag + 2*time.Second)
	read()
	return len(missing(r.sim.Versions(), seen))
}

// TestLongRangeSplitsIntoWindows starts cursors 17 days back: the range is
// read in windows of at most JST's seven days, and nothing is missed.
func TestLongRangeSplitsIntoWindows(t *testing.T) {
	for _, mode := range []string{CursorTS, CursorWindow} {
		t.Run(mode, func(t *testing.T) {
			opts := smallOptions()
			opts.Span = 16 * 24 * time.Hour
			r := newRig(t, opts, 0)
			cfg := r.config()
			cfg.Cursor = mode
			p, _ := r.newPoller(cfg)
			stop := run(p)
			defer stop()
			r.settle(p, cfg)
			stop()
			r.checkComplete()
			pages := testutil.ToFloat64(p.m.pages.WithLabelValues("order", modeLive))
			if pages < 3 {
				t.Errorf("order pages = %v, want at least 3 windows' worth", pages)
			}
		})
	}
}
