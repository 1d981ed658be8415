package poller

import (
	"math/rand/v2"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestTSCursorFullPageInOneSecond changes 35 orders in one second, in an
// order unlike their ids, so that the row-version cursor meets full pages
// (of 10) whose rows share one modified time and whose ts do not rise down
// the page. The cursor must read that second as a window and miss none.
func TestTSCursorFullPageInOneSecond(t *testing.T) {
	r := newRig(t, smallOptions(), 0)
	cfg := r.config()
	cfg.Cursor, cfg.PageSize = CursorTS, 10
	p, _ := r.newPoller(cfg)
	stop := run(p)
	defer stop()
	r.settle(p, cfg)

	orders := r.sim.Orders()
	rng := rand.New(rand.NewPCG(5, 5))
	for _, i := range rng.Perm(len(orders))[:35] {
		r.sim.Touch("order", orders[i].ID)
	}
	oneSecond := testutil.ToFloat64(p.m.pages.WithLabelValues("order", modeLive))
	r.settle(p, cfg)
	stop()
	r.checkComplete()
	if pages := testutil.ToFloat64(p.m.pages.WithLabelValues("order", modeLive)) -
		oneSecond; pages < 4 {
		t.Errorf("order pages after the changes = %v, want at least 4", pages)
	}
}
