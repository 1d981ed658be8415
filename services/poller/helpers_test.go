package poller

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/prometheus/client_golang/prometheus"
)

// clock is a fake clock shared by the simulator and the poller; tests
// move it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, jst.Beijing)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// rig is a simulator over HTTP and a JetStream server for one test.
type rig struct {
	t     testing.TB
	bus   *bustest.Env
	sim   *jstsim.Sim
	url   string
	clock *clock // nil: wall clock
	pub   *bus.Publisher
}

// newRig starts jstsim with opts (on the fake clock unless opts.Now is
// set) and a JetStream server with leases of leaseTTL.
func newRig(tb testing.TB, opts jstsim.Options, leaseTTL time.Duration) *rig {
	tb.Helper()
	r := &rig{t: tb}
	if opts.Now == nil {
		r.clock = newClock()
		opts.Now = r.clock.Now
	}
	r.sim = jstsim.New(opts)
	srv := httptest.NewServer(r.sim)
	tb.Cleanup(srv.Close)
	r.url = srv.URL
	r.bus = bustest.New(tb, bus.Config{LeaseTTL: leaseTTL})
	r.pub = bus.NewPublisher(r.bus.JS, bus.NewMetrics(prometheus.NewRegistry()))
	return r
}

func (r *rig) now() time.Time {
	if r.clock != nil {
		return r.clock.Now()
	}
	return time.Now()
}

// config is a fast poller configuration against the simulator.
func (r *rig) config() Config {
	o := r.sim.Options()
	return Config{
		API: jst.GatewayOpenAPI, BaseURL: r.url,
		AppKey: o.AppKey, AppSecret: o.AppSecret,
		AccessToken: o.AccessToken, RefreshToken: o.RefreshToken,
		StartTime: r.now().Add(-o.Span - time.Hour),
		Interval:  5 * time.Millisecond, Overlap: 5 * time.Second, Lag: 2 * time.Second,
		RetryDelay: 5 * time.Millisecond, RetryMaxDelay: 50 * time.Millisecond,
		PauseRetry: 300 * time.Millisecond,
	}
}

// newPoller builds a poller for cfg with its own metrics registry.
func (r *rig) newPoller(cfg Config) (*Poller, *prometheus.Registry) {
	r.t.Helper()
	return r.build(cfg, nil)
}

// newPollerHTTP builds a poller whose requests go through hc.
func (r *rig) newPollerHTTP(cfg Config, hc *http.Client) *Poller {
	r.t.Helper()
	p, _ := r.build(cfg, hc)
	return p
}

func (r *rig) build(cfg Config, hc *http.Client) (*Poller, *prometheus.Registry) {
	r.t.Helper()
	reg := prometheus.NewRegistry()
	d := Deps{
		JS: r.bus.JS, Publisher: r.pub, Log: testLog(), Registry: reg, HTTPClient: hc,
	}
	if r.clock != nil {
		d.Now = r.clock.Now
	}
	p, err := New(context.Background(), cfg, d)
	if err != nil {
		r.t.Fatalf("New: %v", err)
	}
	return p, reg
}

// run runs p until the returned stop is called; stop waits for Run.
func run(p *Poller) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = p.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// waitFor polls cond until it holds or d passes, and reports which.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
	return true
}

// settle advances the fake clock past POLL_LAG and waits until p covers
// the simulator's every change.
func (r *rig) settle(p *Poller, cfg Config) {
	r.t.Helper()
	r.clock.Advance(cfg.Lag + 2*time.Second)
	target := r.now().Add(-cfg.Lag).Truncate(time.Second)
	if !waitFor(30*time.Second, func() bool { return p.CaughtUp(target) }) {
		r.t.Fatalf("poller did not catch up with %s", jst.FormatTime(target))
	}
}

// rawIDs returns the message ids held in JST_RAW.
func (r *rig) rawIDs() map[string]bool {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := r.bus.JS.Stream(ctx, bus.StreamRaw)
	if err != nil {
		r.t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	ids := map[string]bool{}
	if info.State.Msgs == 0 {
		return ids
	}
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		r.t.Fatal(err)
	}
	for seen := uint64(0); seen < info.State.Msgs; {
		want := int(min(info.State.Msgs-seen, 500))
		batch, err := c.Fetch(want, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			r.t.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			ids[m.Headers().Get(bus.HeaderMsgID)] = true
			n++
		}
		if n == 0 {
			r.t.Fatalf("JST_RAW: read %d of %d messages", seen, info.State.Msgs)
		}
		seen += uint64(n)
	}
	return ids
}

// missing returns the documents whose current version is not in ids.
func missing(versions map[string]int64, ids map[string]bool) []string {
	var out []string
	for key, ts := range versions {
		kind, id, _ := strings.Cut(key, ".")
		msgID := jst.Meta{Kind: jst.Kind(kind), ID: id, Version: ts}.MsgID()
		if !ids[msgID] {
			out = append(out, msgID)
		}
	}
	return out
}

// checkComplete fails the test when a document's current version is not
// in JST_RAW.
func (r *rig) checkComplete() {
	r.t.Helper()
	versions := r.sim.Versions()
	if m := missing(versions, r.rawIDs()); len(m) > 0 {
		r.t.Fatalf("%d of %d documents missing from JST_RAW, e.g. %v",
			len(m), len(versions), m[:min(5, len(m))])
	}
}

func testLog() *slog.Logger {
	if os.Getenv("POLLER_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
