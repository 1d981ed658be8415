package poller

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// TestKillAndRestartLosesNothing stops the poller at random points, half
// the time as a crash that leaves its lease to age out, with rows churning
// and changing in between, restarts it on the same store each time, and
// checks that every document's final version reached JST_RAW.
func TestKillAndRestartLosesNothing(t *testing.T) {
	for i, mode := range []string{CursorTS, CursorWindow, CursorTS, CursorWindow} {
		seed := int64(2000 + i)
		t.Run(mode+"/seed="+strconv.FormatInt(seed, 10), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 11))
			r := newRig(t, churnOptions(seed), time.Second)
			cfg := r.config()
			cfg.Cursor, cfg.PageSize = mode, 20

			for range 8 {
				r.sim.Step(rng.IntN(30))
				r.clock.Advance(time.Duration(1+rng.IntN(20)) * time.Second)
				p, _ := r.newPoller(cfg)
				p.keepLease = rng.IntN(2) == 0
				stop := run(p)
				time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
				stop()
			}

			if err := r.sim.SetChurn(0, 0); err != nil {
				t.Fatal(err)
			}
			p, _ := r.newPoller(cfg)
			stop := run(p)
			defer stop()
			r.settle(p, cfg)
			stop()
			r.checkComplete()
		})
	}
}
