package bus_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// startBatchLoop runs ConsumeBatch on the transformer consumer of a fresh
// server; the messages are published before the loop starts.
func startBatchLoop(t *testing.T, o bus.ConsumeOptions, h bus.BatchHandler, ids ...string) *harness {
	t.Helper()
	env := bustest.New(t, bus.Config{MaxDeliver: 3})
	m := bus.NewMetrics(prometheus.NewRegistry())
	hs := &harness{env: env, pub: bus.NewPublisher(env.JS, m), metrics: m, done: make(chan error, 1)}
	for _, id := range ids {
		hs.publish(t, id)
	}
	o.Stream, o.Consumer, o.Stage = bus.StreamRaw, bus.ConsumerTransformer, "transformer"
	o.Publisher, o.Metrics = hs.pub, m
	o.MaxWait = 200 * time.Millisecond
	o.MaxDeliver = 3
	o.Backoff = bus.Backoff{Base: 10 * time.Millisecond, Max: 20 * time.Millisecond}

	ctx, cancel := context.WithCancel(context.Background())
	hs.cancel = cancel
	go func() { hs.done <- bus.ConsumeBatch(ctx, env.JS, o, h) }()
	t.Cleanup(hs.stop)
	return hs
}

func TestConsumeBatchSettlesEachMessage(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	largest := 0
	var ids []string
	for i := range 30 {
		ids = append(ids, fmt.Sprint(i))
	}
	ids = append(ids, "flaky", "bad")

	h := startBatchLoop(t, bus.ConsumeOptions{Batch: 10, Concurrency: 2},
		func(ctx context.Context, msgs []jetstream.Msg) []error {
			mu.Lock()
			defer mu.Unlock()
			largest = max(largest, len(msgs))
			errs := make([]error, len(msgs))
			for i, msg := range msgs {
				id := string(msg.Data())
				seen[id]++
				switch {
				case id == "bad":
					errs[i] = bus.Permanent("unknown_shop", errors.New("shop 77 unknown"))
				case id == "flaky" && seen[id] < 2:
					errs[i] = errors.New("timeout")
				}
			}
			return errs
		}, ids...)

	waitFor(t, "31 acks", func() bool { return testutil.ToFloat64(h.metricsHandled("ack")) == 31 })
	waitFor(t, "one dead letter", func() bool { return len(dlqMessages(t, h.env.JS)) == 1 })
	mu.Lock()
	defer mu.Unlock()
	if largest < 2 || largest > 10 {
		t.Errorf("largest batch = %d, want 2..10", largest)
	}
	if seen["flaky"] != 2 || seen["0"] != 1 {
		t.Errorf("deliveries flaky %d, 0 %d, want 2 and 1", seen["flaky"], seen["0"])
	}
	if r := dlqMessages(t, h.env.JS)[0].Header.Get(bus.HeaderReason); r != "unknown_shop" {
		t.Errorf("dead letter reason = %q, want unknown_shop", r)
	}
}

func TestConsumeBatchGateHoldsPulls(t *testing.T) {
	var open atomic.Bool
	var handled atomic.Int32
	gate := func(ctx context.Context) error {
		for !open.Load() {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
		return nil
	}
	startBatchLoop(t, bus.ConsumeOptions{Gate: gate},
		func(ctx context.Context, msgs []jetstream.Msg) []error {
			handled.Add(int32(len(msgs)))
			return nil
		}, "1", "2")

	time.Sleep(300 * time.Millisecond)
	if n := handled.Load(); n != 0 {
		t.Fatalf("handled %d messages with the gate shut, want 0", n)
	}
	open.Store(true)
	waitFor(t, "both handled", func() bool { return handled.Load() == 2 })
}

func TestConsumeBatchStopsOnCancel(t *testing.T) {
	h := startBatchLoop(t, bus.ConsumeOptions{},
		func(ctx context.Context, msgs []jetstream.Msg) []error { return nil })
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("ConsumeBatch returned %v after cancel, want nil", err)
		}
		h.done <- nil
	case <-time.After(10 * time.Second):
		t.Fatal("ConsumeBatch did not return after cancel")
	}
}
