package poller

import (
	"context"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestPausedShopIsSkipped pauses one shop in ob-state: its cursors are
// skipped and counted until it is resumed, the other shops are polled.
func TestPausedShopIsSkipped(t *testing.T) {
	r := newRig(t, smallOptions(), 0)
	cfg := r.config()
	for _, s := range r.sim.Shops() {
		cfg.ShopIDs = append(cfg.ShopIDs, s.ID)
	}
	paused := cfg.ShopIDs[0]
	ctx := context.Background()
	kv, err := r.bus.JS.KeyValue(ctx, bus.BucketState)
	if err != nil {
		t.Fatal(err)
	}
	err = control.SetPause(ctx, kv, control.ScopePoller, paused, true, "test")
	if err != nil {
		t.Fatal(err)
	}

	p, _ := r.newPoller(cfg)
	stop := run(p)
	defer stop()
	want := float64(len(cfg.Kinds))
	skipped := func() bool { return testutil.ToFloat64(p.m.cursorsPaused) == want }
	if !waitFor(5*time.Second, skipped) {
		t.Fatalf("cursors_paused = %v, want %v", testutil.ToFloat64(p.m.cursorsPaused), want)
	}
	other := cursor{kind: jst.KindOrder, shop: cfg.ShopIDs[1]}
	if !waitFor(5*time.Second, func() bool { return positionOf(p, other) }) {
		t.Fatal("an unpaused shop was not polled")
	}
	if positionOf(p, cursor{kind: jst.KindOrder, shop: paused}) {
		t.Error("the paused shop was polled")
	}

	if err := control.SetPause(ctx, kv, control.ScopePoller, paused, false, ""); err != nil {
		t.Fatal(err)
	}
	r.settle(p, cfg)
	stop()
	r.checkComplete()
}

func positionOf(p *Poller, c cursor) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.pos[c]
	return ok
}

// TestQimenGateway polls through the Qimen gateway, which reads time
// windows by default.
func TestQimenGateway(t *testing.T) {
	r := newRig(t, smallOptions(), 0)
	o := r.sim.Options()
	cfg := r.config()
	cfg.API, cfg.QimenURL = jst.GatewayQimen, r.url
	cfg.QimenAppKey, cfg.QimenAppSecret = o.QimenAppKey, o.QimenAppSecret
	cfg.QimenCustomerID = o.QimenCustomerID

	p, _ := r.newPoller(cfg)
	if p.cfg.Cursor != CursorWindow {
		t.Errorf("cursor on qimen = %q, want %q", p.cfg.Cursor, CursorWindow)
	}
	stop := run(p)
	defer stop()
	r.sim.Step(15)
	r.clock.Advance(5 * time.Second)
	r.settle(p, cfg)
	stop()
	r.checkComplete()
}
