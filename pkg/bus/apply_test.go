package bus_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
)

func TestApplyTopologyCreatesAndUpdates(t *testing.T) {
	env := bustest.New(t, bus.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	if plan, err := bus.PlanTopology(ctx, env.JS, bus.Config{}); err != nil || len(plan) != 0 {
		t.Fatalf("PlanTopology on a fresh topology = %v, %v; want nothing", plan, err)
	}
	if err := env.JS.DeleteStream(ctx, bus.StreamAudit); err != nil {
		t.Fatal(err)
	}
	want := bus.Config{RawMaxAge: 48 * time.Hour, MaxDeliver: 4, LeaseTTL: time.Minute}
	plan, err := bus.PlanTopology(ctx, env.JS, want)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, d := range plan {
		got[d.Object+" "+d.Setting] = true
	}
	for _, w := range []string{
		"stream OB_AUDIT " + bus.Missing,
		"stream JST_RAW max_age",
		"consumer JST_RAW/transformer max_deliver",
		"consumer CANON/writer max_deliver",
		"bucket ob-leases ttl",
	} {
		if !got[w] {
			t.Errorf("PlanTopology = %v, lacks %q", plan, w)
		}
	}
	s, _ := env.JS.Stream(ctx, bus.StreamRaw)
	if age := s.CachedInfo().Config.MaxAge; age != 30*24*time.Hour {
		t.Errorf("PlanTopology changed JST_RAW max age to %s", age)
	}

	applied, err := bus.ApplyTopology(ctx, env.JS, want)
	if err != nil || len(applied) != len(plan) {
		t.Fatalf("ApplyTopology = %d changes, %v; want %d, nil", len(applied), err, len(plan))
	}
	if plan, err := bus.PlanTopology(ctx, env.JS, want); err != nil || len(plan) != 0 {
		t.Errorf("PlanTopology after ApplyTopology = %v, %v; want nothing", plan, err)
	}
	if _, err := env.JS.Stream(ctx, bus.StreamAudit); err != nil {
		t.Errorf("OB_AUDIT after ApplyTopology: %v", err)
	}
}

func TestReplayHeadersDropDeadLetterHeaders(t *testing.T) {
	orig := bus.DeadLetterHeaders(nats.Header{
		bus.HeaderMsgID:  {"order:1:5"},
		bus.HeaderDocKey: {"order.1"},
		"traceparent":    {"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
	}, bus.DeadLetterInfo{Stage: "writer", Class: bus.ClassPermanent, Reason: "x", Err: "e"})
	orig.Set(bus.HeaderMsgID, "dlq:CANON:9")

	tests := []struct {
		force bool
		want  string
	}{{false, ""}, {true, "true"}}
	for _, tt := range tests {
		h := bus.ReplayHeaders(orig, "replay-1", tt.force)
		if h.Get(bus.HeaderForce) != tt.want || h.Get(bus.HeaderReplay) != "replay-1" {
			t.Errorf("ReplayHeaders(force %v) = %v, want Ob-Force %q", tt.force, h, tt.want)
		}
		for _, k := range []string{bus.HeaderMsgID, bus.HeaderReason, bus.HeaderOriginSeq} {
			if h.Get(k) != "" {
				t.Errorf("ReplayHeaders kept %s", k)
			}
		}
		if h.Get(bus.HeaderDocKey) != "order.1" || h.Get("traceparent") == "" {
			t.Errorf("ReplayHeaders = %v, want the document key and trace kept", h)
		}
	}
	if got := bus.ReplayMsgID("", "CANON", 9, 42); got != "CANON:9:replay:42" {
		t.Errorf(`ReplayMsgID("", CANON, 9, 42) = %q, want CANON:9:replay:42`, got)
	}
}
