package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// scanBatch is how many messages one pull of a scan asks for.
const scanBatch = 256

// scanSpec selects the messages a scan reads.
type scanSpec struct {
	Stream string
	// Subjects filter the messages; empty means all of the stream.
	Subjects []string
	// FromSeq, or else FromTime, is where the scan starts; both zero means
	// the first message.
	FromSeq  uint64
	FromTime time.Time
	// ToSeq is the last sequence read; 0 means the stream's last sequence
	// when the scan starts, so that messages published meanwhile (a
	// replay's own) are not read.
	ToSeq       uint64
	HeadersOnly bool
}

// scan calls fn with each message of spec in stream order until fn returns
// false or the range is read. It reads through an ephemeral consumer with
// no acks, deleted when it returns.
func scan(
	ctx context.Context,
	js jetstream.JetStream,
	spec scanSpec,
	fn func(jetstream.Msg, *jetstream.MsgMetadata) bool,
) error {
	_, err := scanPending(ctx, js, spec, func(int) {}, fn)
	return err
}

// scanPending is scan that first tells pending how many messages the
// consumer holds at the start (an upper bound of those read).
func scanPending(
	ctx context.Context,
	js jetstream.JetStream,
	spec scanSpec,
	pending func(int),
	fn func(jetstream.Msg, *jetstream.MsgMetadata) bool,
) (uint64, error) {
	str, err := js.Stream(ctx, spec.Stream)
	if err != nil {
		return 0, fmt.Errorf("scan %s: %w", spec.Stream, err)
	}
	last := str.CachedInfo().State.LastSeq
	to := spec.ToSeq
	if to == 0 || to > last {
		to = last
	}
	if to == 0 || spec.FromSeq > to {
		pending(0)
		return to, nil
	}

	cfg := jetstream.ConsumerConfig{
		AckPolicy:         jetstream.AckNonePolicy,
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		FilterSubjects:    spec.Subjects,
		HeadersOnly:       spec.HeadersOnly,
		InactiveThreshold: time.Minute,
		MemoryStorage:     true,
		Replicas:          1,
	}
	switch {
	case spec.FromSeq > 0:
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, spec.FromSeq
	case !spec.FromTime.IsZero():
		t := spec.FromTime
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &t
	}
	cons, err := str.CreateConsumer(ctx, cfg)
	if err != nil {
		return to, fmt.Errorf("scan %s: %w", spec.Stream, err)
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = str.DeleteConsumer(dctx, cons.CachedInfo().Name)
	}()

	n := cons.CachedInfo().NumPending
	pending(int(n))
	if n == 0 {
		return to, nil
	}
	return to, readUntil(ctx, cons, to, fn)
}

// readUntil pulls from cons until sequence to, the end of the consumer, or
// fn says stop.
func readUntil(
	ctx context.Context,
	cons jetstream.Consumer,
	to uint64,
	fn func(jetstream.Msg, *jetstream.MsgMetadata) bool,
) error {
	for ctx.Err() == nil {
		batch, err := cons.Fetch(scanBatch, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return fmt.Errorf("scan: %w", err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			meta, err := m.Metadata()
			if err != nil {
				return fmt.Errorf("scan: %w", err)
			}
			if meta.Sequence.Stream > to {
				return nil
			}
			if !fn(m, meta) || meta.Sequence.Stream == to || meta.NumPending == 0 {
				return nil
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) &&
			!errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("scan: %w", err)
		}
		if got == 0 {
			return nil
		}
	}
	return ctx.Err()
}
