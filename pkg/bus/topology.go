package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Names of the streams, consumers and buckets of DESIGN's topology.
const (
	StreamRaw   = "JST_RAW"
	StreamCanon = "CANON"
	StreamDLQ   = "DLQ"

	ConsumerTransformer = "transformer"
	ConsumerWriter      = "writer"

	BucketState  = "ob-state"
	BucketLeases = "ob-leases"
	BucketLedger = "ob-ledger"
)

// deliverySlack is how far the server's MaxDeliver sits above the consume
// loop's own limit, so that a dead-letter publish that fails on the last
// attempt can still be retried instead of leaving the message stranded.
const deliverySlack = 3

// Config holds the settings of the topology. The zero value of a field means
// its default.
type Config struct {
	// Replicas is the replica count of every stream and bucket (default 1).
	Replicas int
	// RawMaxAge is how long JST_RAW keeps messages (default 30 days).
	RawMaxAge time.Duration
	// CanonMaxAge is how long CANON keeps messages (default 30 days).
	CanonMaxAge time.Duration
	// DuplicateWindow is JetStream's message-id window (default 10m).
	DuplicateWindow time.Duration
	// DLQMaxBytes bounds the dead-letter stream, which refuses new messages
	// when full rather than dropping old ones (default 1 GiB).
	DLQMaxBytes int64
	// LeaseTTL is the max age of entries in ob-leases (default 15s).
	LeaseTTL time.Duration
	// MaxDeliver is how many deliveries a message gets before the consume
	// loop dead-letters it (default 10).
	MaxDeliver int
	// AckWait is the consumers' ack wait (default 2m).
	AckWait time.Duration
	// MaxAckPending bounds unacknowledged messages per consumer, across
	// all its replicas (default 8192). A writer holds up to twice
	// WRITER_CONCURRENCY batches of WRITER_BATCH_SIZE (800 at the
	// defaults), so the default lets about ten busy writers share the
	// consumer; below what the replicas hold, replicas add nothing.
	MaxAckPending int
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.RawMaxAge == 0 {
		c.RawMaxAge = 30 * 24 * time.Hour
	}
	if c.CanonMaxAge == 0 {
		c.CanonMaxAge = 30 * 24 * time.Hour
	}
	if c.DuplicateWindow == 0 {
		c.DuplicateWindow = 10 * time.Minute
	}
	if c.DLQMaxBytes == 0 {
		c.DLQMaxBytes = 1 << 30
	}
	if c.LeaseTTL == 0 {
		c.LeaseTTL = 15 * time.Second
	}
	if c.MaxDeliver == 0 {
		c.MaxDeliver = 10
	}
	if c.AckWait == 0 {
		c.AckWait = 2 * time.Minute
	}
	if c.MaxAckPending == 0 {
		c.MaxAckPending = 8192
	}
	return c
}

// Streams returns the wanted configuration of every stream.
func (c Config) Streams() []jetstream.StreamConfig {
	c = c.WithDefaults()
	return []jetstream.StreamConfig{
		{
			Name:        StreamRaw,
			Description: "raw JST documents as received, one per message",
			Subjects:    []string{"jst.raw.>"},
			Retention:   jetstream.LimitsPolicy,
			Storage:     jetstream.FileStorage,
			MaxAge:      c.RawMaxAge,
			Duplicates:  c.DuplicateWindow,
			Replicas:    c.Replicas,
		},
		{
			Name:        StreamCanon,
			Description: "canonical documents ready for Kingdee",
			Subjects:    []string{"canon.>"},
			Retention:   jetstream.LimitsPolicy,
			Storage:     jetstream.FileStorage,
			MaxAge:      c.CanonMaxAge,
			Duplicates:  c.DuplicateWindow,
			Replicas:    c.Replicas,
		},
		{
			Name:        StreamDLQ,
			Description: "dead letters with the reason in headers",
			Subjects:    []string{"dlq.>"},
			Retention:   jetstream.LimitsPolicy,
			Storage:     jetstream.FileStorage,
			Discard:     jetstream.DiscardNew,
			MaxBytes:    c.DLQMaxBytes,
			Duplicates:  c.DuplicateWindow,
			Replicas:    c.Replicas,
		},
		c.auditStream(),
	}
}

// Consumer names a durable consumer and the stream it reads.
type Consumer struct {
	Stream string
	Config jetstream.ConsumerConfig
}

// Consumers returns the wanted configuration of every durable consumer.
func (c Config) Consumers() []Consumer {
	c = c.WithDefaults()
	mk := func(stream, name, desc string) Consumer {
		return Consumer{Stream: stream, Config: jetstream.ConsumerConfig{
			Durable:       name,
			Description:   desc,
			AckPolicy:     jetstream.AckExplicitPolicy,
			DeliverPolicy: jetstream.DeliverAllPolicy,
			AckWait:       c.AckWait,
			MaxDeliver:    c.MaxDeliver + deliverySlack,
			MaxAckPending: c.MaxAckPending,
			Replicas:      c.Replicas,
		}}
	}
	return []Consumer{
		mk(StreamRaw, ConsumerTransformer, "maps raw JST documents"),
		mk(StreamCanon, ConsumerWriter, "posts canonical documents to Kingdee"),
	}
}

// Buckets returns the wanted configuration of every key-value bucket.
func (c Config) Buckets() []jetstream.KeyValueConfig {
	c = c.WithDefaults()
	return []jetstream.KeyValueConfig{
		{
			Bucket:      BucketState,
			Description: "poller checkpoints, JST tokens, mapping rules",
			History:     5,
			Storage:     jetstream.FileStorage,
			Replicas:    c.Replicas,
		},
		{
			Bucket:      BucketLeases,
			Description: "the active poller's lease",
			History:     1,
			TTL:         c.LeaseTTL,
			Storage:     jetstream.FileStorage,
			Replicas:    c.Replicas,
		},
		{
			Bucket:      BucketLedger,
			Description: "the writer's record of what Kingdee holds",
			History:     5,
			Storage:     jetstream.FileStorage,
			Replicas:    c.Replicas,
		},
	}
}

// Drift describes one setting of an existing object that differs from the
// wanted configuration.
type Drift struct {
	Object  string // "stream JST_RAW", "consumer CANON/writer", "bucket ob-state"
	Setting string
	Have    string
	Want    string
}

func (d Drift) String() string {
	return fmt.Sprintf("%s: %s is %s, want %s", d.Object, d.Setting, d.Have, d.Want)
}

// EnsureTopology creates every stream, consumer and bucket that is missing and
// returns how the existing ones differ from cfg. It changes nothing that
// exists. An error means an object could not be read or created.
func EnsureTopology(
	ctx context.Context,
	js jetstream.JetStream,
	cfg Config,
) ([]Drift, error) {
	var drift []Drift

	for _, want := range cfg.Streams() {
		s, err := js.Stream(ctx, want.Name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			if _, err := js.CreateStream(ctx, want); err != nil {
				return drift, fmt.Errorf("bus: create stream %s: %w", want.Name, err)
			}
			continue
		}
		if err != nil {
			return drift, fmt.Errorf("bus: stream %s: %w", want.Name, err)
		}
		drift = append(drift, StreamDrift(s.CachedInfo().Config, want)...)
	}

	for _, want := range cfg.Consumers() {
		c, err := js.Consumer(ctx, want.Stream, want.Config.Durable)
		if errors.Is(err, jetstream.ErrConsumerNotFound) {
			_, err := js.CreateConsumer(ctx, want.Stream, want.Config)
			if err != nil {
				return drift, fmt.Errorf("bus: create consumer %s/%s: %w",
					want.Stream, want.Config.Durable, err)
			}
			continue
		}
		if err != nil {
			return drift, fmt.Errorf("bus: consumer %s/%s: %w",
				want.Stream, want.Config.Durable, err)
		}
		drift = append(drift, ConsumerDrift(want.Stream, c.CachedInfo().Config, want.Config)...)
	}

	for _, want := range cfg.Buckets() {
		_, err := js.KeyValue(ctx, want.Bucket)
		if errors.Is(err, jetstream.ErrBucketNotFound) {
			if _, err := js.CreateKeyValue(ctx, want); err != nil {
				return drift, fmt.Errorf("bus: create bucket %s: %w", want.Bucket, err)
			}
			continue
		}
		if err != nil {
			return drift, fmt.Errorf("bus: bucket %s: %w", want.Bucket, err)
		}
	}
	return drift, nil
}
