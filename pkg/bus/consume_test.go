package bus_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// harness runs a consume loop on the transformer consumer of a fresh server.
type harness struct {
	env     *bustest.Env
	pub     *bus.Publisher
	metrics *bus.Metrics
	cancel  context.CancelFunc
	done    chan error
}

func startLoop(t *testing.T, cfg bus.Config, o bus.ConsumeOptions, h bus.Handler) *harness {
	t.Helper()
	env := bustest.New(t, cfg)
	m := bus.NewMetrics(prometheus.NewRegistry())
	pub := bus.NewPublisher(env.JS, m)
	o.Stream, o.Consumer, o.Stage = bus.StreamRaw, bus.ConsumerTransformer, "transformer"
	o.Publisher, o.Metrics = pub, m
	o.MaxWait = 200 * time.Millisecond

	ctx, cancel := context.WithCancel(context.Background())
	hs := &harness{env: env, pub: pub, metrics: m, cancel: cancel, done: make(chan error, 1)}
	go func() { hs.done <- bus.Consume(ctx, env.JS, o, h) }()
	t.Cleanup(hs.stop)
	return hs
}

func (h *harness) stop() {
	h.cancel()
	<-h.done
	h.done <- nil
}

func (h *harness) publish(t *testing.T, id string) {
	t.Helper()
	hdr := nats.Header{}
	hdr.Set(bus.HeaderDocKey, "order."+id)
	_, err := h.pub.Publish(context.Background(), "jst.raw.order.100", []byte(id), "order:"+id+":1", hdr)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func dlqMessages(t *testing.T, js jetstream.JetStream) []jetstream.RawStreamMsg {
	t.Helper()
	ctx := context.Background()
	s, err := js.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := s.Info(ctx)
	var out []jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err == nil {
			out = append(out, *m)
		}
	}
	return out
}

func TestConsumeAcksAndRetries(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	h := startLoop(t, bus.Config{}, bus.ConsumeOptions{
		Concurrency: 4,
		Backoff:     bus.Backoff{Base: 10 * time.Millisecond, Max: 50 * time.Millisecond},
	}, func(ctx context.Context, msg jetstream.Msg) error {
		mu.Lock()
		defer mu.Unlock()
		id := string(msg.Data())
		seen[id]++
		if id == "flaky" && seen[id] < 3 {
			return errors.New("kingdee timed out")
		}
		return nil
	})

	for i := range 20 {
		h.publish(t, fmt.Sprint(i))
	}
	h.publish(t, "flaky")

	waitFor(t, "all handled", func() bool {
		return testutil.ToFloat64(h.metricsHandled("ack")) == 21
	})
	mu.Lock()
	defer mu.Unlock()
	if seen["flaky"] != 3 {
		t.Errorf("flaky delivered %d times, want 3", seen["flaky"])
	}
	if n := len(dlqMessages(t, h.env.JS)); n != 0 {
		t.Errorf("DLQ holds %d messages, want 0", n)
	}
}

func TestConsumeDeadLetters(t *testing.T) {
	h := startLoop(t, bus.Config{MaxDeliver: 3}, bus.ConsumeOptions{
		MaxDeliver: 3,
		Backoff:    bus.Backoff{Base: 10 * time.Millisecond, Max: 20 * time.Millisecond},
	}, func(ctx context.Context, msg jetstream.Msg) error {
		switch string(msg.Data()) {
		case "bad":
			return bus.Permanent("unknown_shop", errors.New("order 1: shop_id 77 is not in the shop table"))
		case "down":
			return errors.New("connection refused")
		}
		return nil
	})
	h.publish(t, "bad")
	h.publish(t, "down")
	h.publish(t, "fine")

	waitFor(t, "two dead letters", func() bool { return len(dlqMessages(t, h.env.JS)) == 2 })

	byData := map[string]jetstream.RawStreamMsg{}
	for _, m := range dlqMessages(t, h.env.JS) {
		byData[string(m.Data)] = m
	}
	tests := []struct {
		data, class, reason, attempts string
	}{
		{"bad", bus.ClassPermanent, "unknown_shop", "1"},
		{"down", bus.ClassExhausted, "retries_exhausted", "3"},
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			m, ok := byData[tt.data]
			if !ok {
				t.Fatalf("no dead letter for %q", tt.data)
			}
			if m.Subject != "dlq.transformer.order" {
				t.Errorf("subject = %q, want dlq.transformer.order", m.Subject)
			}
			checks := map[string]string{
				bus.HeaderErrorClass:   tt.class,
				bus.HeaderReason:       tt.reason,
				bus.HeaderAttempts:     tt.attempts,
				bus.HeaderOriginStream: bus.StreamRaw,
				bus.HeaderDocKey:       "order." + tt.data,
			}
			for k, want := range checks {
				if got := m.Header.Get(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if m.Header.Get(bus.HeaderError) == "" || m.Header.Get(bus.HeaderOriginSeq) == "" {
				t.Errorf("headers %v lack the error text or origin sequence", m.Header)
			}
		})
	}
}

func TestConsumeKeepsSlowMessageInProgress(t *testing.T) {
	var deliveries atomic.Int32
	h := startLoop(t, bus.Config{AckWait: 600 * time.Millisecond}, bus.ConsumeOptions{
		AckWait: 600 * time.Millisecond,
	}, func(ctx context.Context, msg jetstream.Msg) error {
		deliveries.Add(1)
		time.Sleep(2 * time.Second)
		return nil
	})
	h.publish(t, "slow")
	waitFor(t, "ack", func() bool { return testutil.ToFloat64(h.metricsHandled("ack")) == 1 })
	time.Sleep(700 * time.Millisecond)
	if n := deliveries.Load(); n != 1 {
		t.Errorf("slow message delivered %d times, want 1 (InProgress not sent?)", n)
	}
}

func TestConsumeStopsOnCancel(t *testing.T) {
	h := startLoop(t, bus.Config{}, bus.ConsumeOptions{},
		func(ctx context.Context, msg jetstream.Msg) error { return nil })
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Consume returned %v after cancel, want nil", err)
		}
		h.done <- nil
	case <-time.After(10 * time.Second):
		t.Fatal("Consume did not return after cancel")
	}
}

func (h *harness) metricsHandled(outcome string) prometheus.Counter {
	return h.metrics.HandledCounter(bus.ConsumerTransformer, outcome)
}
