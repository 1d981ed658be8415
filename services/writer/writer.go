package writer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/ledger"
	"github.com/prometheus/client_golang/prometheus"
	"time"
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
	m        *metrics
}

// New returns a Writer. It returns an error when the Kingdee settings are
// invalid or the ledger bucket cannot be opened.
func New(ctx context.Context, cfg Config, d Deps) (*Writer, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Settings == nil {
		d.Settings = bill.DefaultSettings()
	}
	w := &Writer{cfg: cfg, d: d, id: writerID(), settings: d.Settings, m: newMetrics(d.Registry)}

	kcfg := cfg.Kingdee
	kcfg.Observe = w.m.observe
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

// Run consumes CANON until ctx is cancelled.
func (w *Writer) Run(ctx context.Context) error {
	w.d.Log.Info("writing", "writer_id", w.id, "submit", w.cfg.Submit, "audit", w.cfg.Audit)
	return bus.Consume(ctx, w.d.JS, bus.ConsumeOptions{
		Stream:      bus.StreamCanon,
		Consumer:    bus.ConsumerWriter,
		Stage:       "writer",
		Batch:       w.cfg.BatchSize,
		Concurrency: w.cfg.Concurrency,
		MaxDeliver:  w.d.Topology.MaxDeliver,
		AckWait:     w.d.Topology.AckWait,
		Publisher:   w.d.Publisher,
		Metrics:     w.d.Bus,
		Logger:      w.d.Log,
	}, w.handle)
}

// writerID is unique per process: host name, pid and a random suffix.
func writerID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}
