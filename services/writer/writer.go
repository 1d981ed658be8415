package writer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/ledger"
	"github.com/orderbridge/orderbridge/pkg/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// Deps are what a Writer needs from its process.
type Deps struct {
	JS        jetstream.JetStream
	Publisher *bus.Publisher
	Bus       *bus.Metrics
	Topology  bus.Config
	Log       *slog.Logger
	Registry  prometheus.Registerer
	// Settings are the per-form bill settings; nil means the defaults.
	Settings bill.Settings
	// Pauses are the pause flags; nil makes Run watch them in ob-state.
	Pauses *control.Pauses
	// Now is the clock of claims; default time.Now.
	Now func() time.Time
}

// Writer posts canonical documents to Kingdee.
type Writer struct {
	cfg      Config
	d        Deps
	id       string
	client   *kingdee.Client
	ledger   *ledger.Ledger
	settings bill.Settings
	pauses   *control.Pauses
	breaker  *breaker
	m        *metrics
}

// New returns a Writer. It returns an error when the Kingdee settings are
// invalid or the ledger bucket cannot be opened.
func New(ctx context.Context, cfg Config, d Deps) (*Writer, error) {
	cfg.setDefaults()
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Settings == nil {
		d.Settings = bill.DefaultSettings()
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	w := &Writer{
		cfg: cfg, d: d, id: writerID(), settings: d.Settings, pauses: d.Pauses,
		m: newMetrics(d.Registry),
	}
	w.breaker = newBreaker(cfg.BreakerFailures, cfg.BreakerOpen, cfg.BreakerMax, d.Now,
		func(s int) { w.m.circuit.Set(float64(s)) })

	kcfg := cfg.Kingdee
	kcfg.Observe = w.observe
	kcfg.HTTPClient = w.countingClient(kcfg.HTTPClient)
	kcfg.HTTPClient.Transport = telemetry.Transport(kcfg.HTTPClient.Transport,
		"kingdee", kingdeeOp)
	var err error
	if w.client, err = kingdee.New(kcfg); err != nil {
		return nil, fmt.Errorf("writer: %w", err)
	}
	if w.ledger, err = ledger.Open(ctx, d.JS, bus.BucketLedger); err != nil {
		return nil, fmt.Errorf("writer: %w", err)
	}
	return w, nil
}

// ID names this writer in the claims it makes.
func (w *Writer) ID() string { return w.id }

// Run consumes CANON in batches until ctx is cancelled, then finishes the
// batches in flight.
func (w *Writer) Run(ctx context.Context) error {
	if w.pauses == nil {
		w.pauses = w.watchPauses(ctx)
	}
	w.d.Log.Info("writing", "writer_id", w.id, "batch", w.cfg.BatchSize,
		"concurrency", w.cfg.Concurrency, "submit", w.cfg.Submit, "audit", w.cfg.Audit)
	return bus.ConsumeBatch(ctx, w.d.JS, bus.ConsumeOptions{
		Stream:      bus.StreamCanon,
		Consumer:    bus.ConsumerWriter,
		Stage:       "writer",
		Batch:       w.cfg.BatchSize,
		Concurrency: 2 * w.cfg.Concurrency,
		MaxDeliver:  w.d.Topology.MaxDeliver,
		AckWait:     w.d.Topology.AckWait,
		Backoff:     bus.Backoff{Base: time.Second, Max: w.cfg.RetryMax},
		Publisher:   w.d.Publisher,
		Metrics:     w.d.Bus,
		Logger:      w.d.Log,
		Gate:        w.gate,
	}, w.handleBatch)
}

// gate holds the next pull while the circuit is open or every form is
// paused.
func (w *Writer) gate(ctx context.Context) error {
	for w.pauses != nil && w.pauses.Paused(control.ScopeWriter, control.AllTargets) {
		t := time.NewTimer(time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return w.breaker.Wait(ctx)
}

// watchPauses follows the pause flags in ob-state; without the bucket the
// writer runs unpaused.
func (w *Writer) watchPauses(ctx context.Context) *control.Pauses {
	kv, err := w.d.JS.KeyValue(ctx, bus.BucketState)
	if err == nil {
		var p *control.Pauses
		if p, err = control.WatchPauses(ctx, kv); err == nil {
			return p
		}
	}
	if ctx.Err() == nil {
		w.d.Log.Warn("pause flags not watched; writing unpaused", "err", err)
	}
	return nil
}

// observe is the Kingdee client's hook: metrics and the circuit breaker.
func (w *Writer) observe(op string, msgCode int, d time.Duration, err error) {
	w.m.observe(op, msgCode, d, err)
	w.breaker.Record(callFailed(msgCode, err))
}

// countingClient returns a copy of hc (or a default client) whose
// transport bounds and counts the calls in flight.
func (w *Writer) countingClient(hc *http.Client) *http.Client {
	out := &http.Client{}
	if hc != nil {
		*out = *hc
	}
	base := out.Transport
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = max(64, 2*w.cfg.Concurrency)
		base = t
	}
	out.Transport = &callLimiter{
		base: base, g: w.m.inFlight, slots: make(chan struct{}, w.cfg.Concurrency),
	}
	return out
}

// callLimiter bounds the calls to Kingdee in flight to its slots and
// counts them. Twice as many batches as slots are handled at once, so
// that one batch's ledger work overlaps another's call.
type callLimiter struct {
	base  http.RoundTripper
	g     prometheus.Gauge
	slots chan struct{}
}

func (t *callLimiter) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case t.slots <- struct{}{}:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	defer func() { <-t.slots }()
	t.g.Inc()
	defer t.g.Dec()
	return t.base.RoundTrip(r)
}

// writerID is unique per process: host name, pid and a random suffix.
func writerID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}
