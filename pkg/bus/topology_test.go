package bus_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
)

func TestEnsureTopologyCreatesThenReportsDrift(t *testing.T) {
	env := bustest.New(t, bus.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	for _, name := range []string{bus.StreamRaw, bus.StreamCanon, bus.StreamDLQ} {
		if _, err := env.JS.Stream(ctx, name); err != nil {
			t.Errorf("stream %s: %v", name, err)
		}
	}
	for _, b := range []string{bus.BucketState, bus.BucketLeases, bus.BucketLedger} {
		if _, err := env.JS.KeyValue(ctx, b); err != nil {
			t.Errorf("bucket %s: %v", b, err)
		}
	}

	drift, err := bus.EnsureTopology(ctx, env.JS, bus.Config{})
	if err != nil || len(drift) != 0 {
		t.Fatalf("EnsureTopology again = %v, %v; want no drift", drift, err)
	}

	changed := bus.Config{RawMaxAge: 48 * time.Hour, MaxDeliver: 4}
	drift, err = bus.EnsureTopology(ctx, env.JS, changed)
	if err != nil {
		t.Fatalf("EnsureTopology(changed): %v", err)
	}
	got := map[string]bool{}
	for _, d := range drift {
		got[d.Object+" "+d.Setting] = true
	}
	for _, want := range []string{
		"stream JST_RAW max_age",
		"consumer JST_RAW/transformer max_deliver",
		"consumer CANON/writer max_deliver",
	} {
		if !got[want] {
			t.Errorf("drift %v lacks %q", drift, want)
		}
	}

	s, _ := env.JS.Stream(ctx, bus.StreamRaw)
	if age := s.CachedInfo().Config.MaxAge; age != 30*24*time.Hour {
		t.Errorf("JST_RAW max age = %s after drift, want it left at 720h", age)
	}
}
