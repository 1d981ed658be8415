package bus

import (
	"context"
	"errors"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// BatchHandler processes the messages of one pull together, as a writer
// that sends them to an ERP in one call does. It returns one error per
// message, in the order of msgs, each meaning what a Handler's error
// means; a missing entry counts as nil. The consume loop acks, naks or
// dead-letters each message; a handler never does.
type BatchHandler func(ctx context.Context, msgs []jetstream.Msg) []error

// ConsumeBatch pulls up to Batch messages at a time from the durable
// consumer and hands each pull to h, with up to Concurrency pulls in the
// hands of h at once, until ctx is cancelled. A pull waits for the first
// message, then takes whatever else is available at once, so a batch is
// never held back to fill up. While h runs, every message of its batch is
// kept in progress. Each result is settled as Consume settles a Handler's.
// On cancellation ConsumeBatch stops pulling, waits for the batches in
// flight and returns nil; h gets a context that is not cancelled with ctx.
// It returns an error only when the consumer cannot be found at the start.
func ConsumeBatch(ctx context.Context, js jetstream.JetStream, o ConsumeOptions, h BatchHandler) error {
	l, cons, err := openLoop(ctx, js, o)
	if l == nil {
		return err
	}
	l.runBatches(ctx, cons, h)
	return nil
}

func (l *loop) runBatches(ctx context.Context, cons jetstream.Consumer, h BatchHandler) {
	slots := make(chan struct{}, l.o.Concurrency)
	work := context.WithoutCancel(ctx)
	pause := time.Duration(0)

	for ctx.Err() == nil {
		if pause > 0 {
			sleep(ctx, pause)
		}
		if l.o.Gate != nil && l.o.Gate(ctx) != nil {
			break
		}
		// Take a slot before pulling, so that no pulled message waits
		// for one while its ack wait runs.
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			continue
		}

		msgs, err := l.pull(ctx, cons)
		if err != nil {
			<-slots
			pause = nextPause(pause)
			l.o.Logger.Warn("pull failed", "consumer", l.o.Consumer, "err", err)
			continue
		}
		pause = 0
		if len(msgs) == 0 {
			<-slots
			continue
		}
		l.wg.Add(1)
		go func() {
			defer func() { <-slots; l.wg.Done() }()
			l.handleBatch(work, msgs, h)
		}()
	}
	l.wg.Wait()
}

// pull waits up to MaxWait for one message, then takes what else is
// available, up to Batch in all. Messages already received are returned
// even when the second request fails. The wait does not end with ctx: a
// pull cut short could drop a message the server sent in that instant,
// which would then wait a whole AckWait; shutting down waits at most
// MaxWait instead, and the caller handles what the pull brought.
func (l *loop) pull(ctx context.Context, cons jetstream.Consumer) ([]jetstream.Msg, error) {
	wait, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.o.MaxWait)
	defer cancel()
	first, err := cons.Fetch(1, jetstream.FetchContext(wait))
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil
		}
		return nil, err
	}
	msgs := make([]jetstream.Msg, 0, l.o.Batch)
	for msg := range first.Messages() {
		msgs = append(msgs, msg)
	}
	if err := first.Error(); err != nil && !isPullTimeout(err) &&
		!errors.Is(err, context.Canceled) && len(msgs) == 0 {
		return nil, err
	}
	if len(msgs) == 0 || l.o.Batch == 1 {
		return msgs, nil
	}

	rest, err := cons.FetchNoWait(l.o.Batch - len(msgs))
	if err != nil {
		return msgs, nil
	}
	for msg := range rest.Messages() {
		msgs = append(msgs, msg)
	}
	return msgs, nil
}

// handleBatch runs h on msgs and settles every message with its result.
func (l *loop) handleBatch(ctx context.Context, msgs []jetstream.Msg, h BatchHandler) {
	l.inFlight.Add(float64(len(msgs)))
	defer l.inFlight.Sub(float64(len(msgs)))

	kept := msgs[:0:0]
	metas := make([]*jetstream.MsgMetadata, 0, len(msgs))
	links := make([]trace.Link, 0, len(msgs))
	for _, msg := range msgs {
		meta, err := msg.Metadata()
		if err != nil {
			// Not a JetStream message: nothing to ack; the server
			// redelivers.
			l.o.Logger.Error("message without metadata", "consumer", l.o.Consumer, "err", err)
			continue
		}
		kept = append(kept, msg)
		metas = append(metas, meta)
		links = append(links, trace.LinkFromContext(ExtractTrace(ctx, msg.Headers())))
	}
	if len(kept) == 0 {
		return
	}

	ctx, span := l.tracer.Start(ctx, l.o.Consumer+" process batch",
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithLinks(links...),
		trace.WithAttributes(attribute.Int("messaging.batch.message_count", len(kept))))
	defer span.End()

	stop := l.keepAlive(kept...)
	start := time.Now()
	errs := h(ctx, kept)
	took := time.Since(start).Seconds()
	stop()

	for i, msg := range kept {
		l.handleTime.Observe(took)
		var herr error
		if i < len(errs) {
			herr = errs[i]
		}
		l.settle(ctx, msg, metas[i], herr)
	}
}
