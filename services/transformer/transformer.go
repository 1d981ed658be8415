package transformer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/mapping"
	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/proto"
)

// Config is the transformer's configuration.
type Config struct {
	// MappingFile is MAPPING_FILE; empty uses the built-in rules.
	MappingFile string
	// Concurrency is TRANSFORMER_CONCURRENCY (default 4).
	Concurrency int
	// Batch is TRANSFORMER_BATCH, the pull size (default 128).
	Batch int
}

// LoadConfig reads the transformer's variables.
func LoadConfig(e *service.Env) (Config, error) {
	c := Config{
		MappingFile: e.String("MAPPING_FILE", ""),
		Concurrency: e.Int("TRANSFORMER_CONCURRENCY", 4),
		Batch:       e.Int("TRANSFORMER_BATCH", 128),
	}
	return c, e.Err()
}

// Rules loads the mapping rules of c: the file's, or the built-in ones.
func (c Config) Rules() (mapping.Rules, error) {
	if c.MappingFile == "" {
		return mapping.DefaultRules(), nil
	}
	return mapping.LoadRules(c.MappingFile)
}

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
	cfg    Config
	d      Deps
	mapper *mapping.Mapper
	m      *metrics
}

// New returns a Transformer applying rules.
func New(cfg Config, rules mapping.Rules, d Deps) (*Transformer, error) {
	mp, err := mapping.New(rules)
	if err != nil {
		return nil, fmt.Errorf("transformer: %w", err)
	}
	return &Transformer{cfg: cfg, d: d, mapper: mp, m: newMetrics(d.Registry)}, nil
}

// Run consumes JST_RAW until ctx is cancelled.
func (t *Transformer) Run(ctx context.Context) error {
	t.d.Log.Info("transforming", "rules_version", t.mapper.Version())
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

// handle maps one raw document and publishes the result.
func (t *Transformer) handle(ctx context.Context, msg jetstream.Msg) error {
	meta, err := msg.Metadata()
	if err != nil {
		return err
	}
	kind := jst.Kind(tokenBeforeLast(msg.Subject()))
	res, err := t.mapper.Map(kind, msg.Data(), mapping.Source{
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
