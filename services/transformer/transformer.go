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
	"go.opentelemetry.io/otel/trace"
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

	return bus.ConsumeBatch(ctx, t.d.JS, bus.ConsumeOptions{
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
	}, t.handleBatch)
}

// handleBatch maps the raw documents of one pull with the rules in force
// and publishes the canonical ones together, waiting for every ack: a pull
// costs one round trip to the stream, not one a document. Each document's
// span continues the trace its raw message carries.
func (t *Transformer) handleBatch(ctx context.Context, msgs []jetstream.Msg) []error {
	f := t.File()
	errs := make([]error, len(msgs))
	outs := make([]bus.Outgoing, 0, len(msgs))
	sent := make([]int, 0, len(msgs))
	kinds := make([]jst.Kind, 0, len(msgs))
	spans := make([]trace.Span, 0, len(msgs))
	defer func() {
		for _, span := range spans {
			span.End()
		}
	}()
	for i, msg := range msgs {
		kind := jst.Kind(bus.KindOf(msg.Subject()))
		mctx, span := startTransform(bus.ExtractTrace(ctx, msg.Headers()), kind,
			msg.Headers().Get(bus.HeaderDocKey))
		spans = append(spans, span)
		out, err := t.transform(f, kind, msg)
		if err != nil {
			span.RecordError(err)
			errs[i] = err
			continue
		}
		if out == nil {
			continue
		}
		out.Ctx = mctx
		outs = append(outs, *out)
		sent = append(sent, i)
		kinds = append(kinds, kind)
	}
	if len(outs) == 0 {
		return errs
	}
	if _, err := t.d.Publisher.PublishAll(ctx, outs); err != nil {
		for _, i := range sent {
			errs[i] = err
		}
		return errs
	}
	for _, kind := range kinds {
		t.m.documents.WithLabelValues(string(kind), "published", "").Inc()
	}
	return errs
}

// transform maps one raw document with the rules of f. It returns the
// canonical message to publish, nil for a document the rules filter out
// (counted), or the error to settle the raw message with: a
// bus.PermanentError naming the document, field and value when it cannot
// be mapped.
func (t *Transformer) transform(f *mapping.File, kind jst.Kind, msg jetstream.Msg) (*bus.Outgoing, error) {
	meta, err := msg.Metadata()
	if err != nil {
		return nil, err
	}
	res, err := f.Mapper.Map(kind, msg.Data(), mapping.Source{
		Gateway:     msg.Headers().Get(bus.HeaderGateway),
		RawSequence: meta.Sequence.Stream,
	})
	var merr *mapping.Error
	if errors.As(err, &merr) {
		t.m.documents.WithLabelValues(string(kind), "dead_letter", merr.Reason).Inc()
		return nil, bus.Permanent(merr.Reason, err)
	}
	if err != nil {
		return nil, err
	}
	if res.Decision != mapping.Sync {
		t.m.documents.WithLabelValues(string(kind), "filtered", res.Rule).Inc()
		return nil, nil
	}

	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(res.Doc)
	if err != nil {
		return nil, bus.Permanent("marshal", fmt.Errorf("transformer: marshal %s: %w", res.Key, err))
	}
	src := source(res)
	version := strconv.FormatInt(src.GetVersion(), 10)
	hdr := nats.Header{}
	hdr.Set(bus.HeaderDocKey, res.Key)
	hdr.Set(bus.HeaderVersion, version)
	hdr.Set(bus.HeaderRulesVersion, src.GetRulesVersion())
	return &bus.Outgoing{
		Subject: "canon." + string(kind) + "." + subjectToken(src.GetShopId()),
		Data:    data,
		MsgID:   res.Key + ":" + version + ":" + res.Doc.GetContentHash(),
		Header:  hdr,
	}, nil
}
