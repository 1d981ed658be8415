package transformer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/mapping"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/proto"
)

// Deps are what a Transformer needs from its process.
type Deps struct {
	JS        jetstream.JetStream
	Publisher *bus.Publisher
	Bus       *bus.Metrics
	Topology  bus.Config
	Log       *slog.Logger
	Registry  prometheus.Registerer
}

// Transformer maps raw documents to canonical ones.
type Transformer struct {
	cfg   Config
	d     Deps
	m     *metrics
	rules atomic.Pointer[mapping.File]

	reloadMu sync.Mutex
	rl       reloader
}

// New returns a Transformer applying the rules of f, which come from
// cfg.MappingFile when it is set (see Config.LoadMapping). It returns an
// error when f or the dependencies are missing.
func New(cfg Config, f *mapping.File, d Deps) (*Transformer, error) {
	if f == nil || f.Mapper == nil {
		return nil, errors.New("transformer: no mapping rules")
	}
	if d.JS == nil || d.Publisher == nil || d.Bus == nil {
		return nil, errors.New("transformer: JS, Publisher and Bus are required")
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	t := &Transformer{cfg: cfg, d: d, m: newMetrics(d.Registry)}
	t.rules.Store(f)
	t.m.inForce(f.Rules.Version)
	t.rl.seen = f.Hash
	return t, nil
}

// File returns the mapping file in force: its rules, settings and Mapper.
func (t *Transformer) File() *mapping.File { return t.rules.Load() }

// Run consumes JST_RAW until ctx is cancelled, checking the mapping file
// for changes every ReloadInterval meanwhile.
func (t *Transformer) Run(ctx context.Context) error {
	f := t.File()
	t.d.Log.Info("transforming", "rules_version", f.Rules.Version,
		"mapping_file", t.cfg.MappingFile)

	var wg sync.WaitGroup
	wctx, stop := context.WithCancel(ctx)
	defer func() {
		stop()
		wg.Wait()
	}()
	if t.cfg.MappingFile != "" && t.cfg.ReloadInterval > 0 {
		wg.Go(func() { t.watch(wctx, t.cfg.ReloadInterval) })
	}

	return bus.Consume(ctx, t.d.JS, bus.ConsumeOptions{
		Stream:      bus.StreamRaw,
		Consumer:    bus.ConsumerTransformer,
		Stage:       "transformer",
		Batch:       t.cfg.Batch,
		Concurrency: t.cfg.Concurrency,
		MaxDeliver:  t.d.Topology.MaxDeliver,
		AckWait:     t.d.Topology.AckWait,
		Publisher:   t.d.Publisher,
		Metrics:     t.d.Bus,
		Logger:      t.d.Log,
	}, t.handle)
}

// handle maps one raw document with the rules in force and publishes the
// result.
func (t *Transformer) handle(ctx context.Context, msg jetstream.Msg) error {
	meta, err := msg.Metadata()
	if err != nil {
		return err
	}
	kind := jst.Kind(bus.KindOf(msg.Subject()))
	ctx, span := startTransform(ctx, kind, msg.Headers().Get(bus.HeaderDocKey))
	defer span.End()
	res, err := t.File().Mapper.Map(kind, msg.Data(), mapping.Source{
		Gateway:     msg.Headers().Get(bus.HeaderGateway),
		RawSequence: meta.Sequence.Stream,
	})
	var merr *mapping.Error
	if errors.As(err, &merr) {
		t.m.documents.WithLabelValues(string(kind), "dead_letter", merr.Reason).Inc()
		return bus.Permanent(merr.Reason, err)
	}
	if err != nil {
		return err
	}

	if res.Decision != mapping.Sync {
		t.m.documents.WithLabelValues(string(kind), "filtered", res.Rule).Inc()
		return nil
	}
	return t.publish(ctx, kind, res)
}

// publish puts the canonical document of res on CANON.
func (t *Transformer) publish(ctx context.Context, kind jst.Kind, res *mapping.Result) error {
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(res.Doc)
	if err != nil {
		return bus.Permanent("marshal", fmt.Errorf("transformer: marshal %s: %w", res.Key, err))
	}
	src := source(res)
	version := strconv.FormatInt(src.GetVersion(), 10)

	hdr := nats.Header{}
	hdr.Set(bus.HeaderDocKey, res.Key)
	hdr.Set(bus.HeaderVersion, version)
	hdr.Set(bus.HeaderRulesVersion, src.GetRulesVersion())
	subject := "canon." + string(kind) + "." + subjectToken(src.GetShopId())
	msgID := res.Key + ":" + version + ":" + res.Doc.GetContentHash()

	if _, err := t.d.Publisher.Publish(ctx, subject, data, msgID, hdr); err != nil {
		return err
	}
	t.m.documents.WithLabelValues(string(kind), "published", "").Inc()
	return nil
}
