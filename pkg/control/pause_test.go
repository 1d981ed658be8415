package control_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/pkg/control"
)

func TestPausesFollowTheBucket(t *testing.T) {
	env := bustest.New(t, bus.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kv, err := env.JS.KeyValue(ctx, bus.BucketState)
	if err != nil {
		t.Fatal(err)
	}
	// A flag set before the watch starts is seen at once.
	if err := control.SetPause(ctx, kv, control.ScopeWriter, "AR_REFUNDBILL", true, "month end"); err != nil {
		t.Fatal(err)
	}
	p, err := control.WatchPauses(ctx, kv)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Paused(control.ScopeWriter, "AR_REFUNDBILL") {
		t.Error("AR_REFUNDBILL not paused after SetPause")
	}
	if p.Paused(control.ScopeWriter, "SAL_SaleOrder") {
		t.Error("SAL_SaleOrder paused, want only AR_REFUNDBILL")
	}

	if err := control.SetPause(ctx, kv, control.ScopePoller, control.AllTargets, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := control.SetPause(ctx, kv, control.ScopeWriter, "AR_REFUNDBILL", false, ""); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.Paused(control.ScopeWriter, "AR_REFUNDBILL") || !p.Paused(control.ScopePoller, "13046812") {
		if time.Now().After(deadline) {
			t.Fatalf("pauses = %v; want poller.all only", p.List())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
