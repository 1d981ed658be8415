package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Handler processes one message. It returns nil when the message had its
// effect or was filtered on purpose, a PermanentError (see Permanent) when
// retrying cannot help, a RetryError to choose the redelivery delay, or any
// other error for a transient failure. The consume loop acks, naks or
// dead-letters; a handler never does.
type Handler func(ctx context.Context, msg jetstream.Msg) error

// ConsumeOptions configures a consume loop.
type ConsumeOptions struct {
	// Stream and Consumer name the durable pull consumer to read.
	Stream   string
	Consumer string
	// Stage names the pipeline stage in dead-letter subjects,
	// dlq.<stage>.<kind>.
	Stage string
	// Batch is how many messages one pull asks for (default 64).
	Batch int
	// Concurrency is how many messages are handled at once (default 1).
	Concurrency int
	// MaxWait bounds how long one pull waits for messages (default 1s). It
	// also bounds how long a shutdown waits for the pull in progress.
	MaxWait time.Duration
	// MaxDeliver is the delivery on which a failing message is
	// dead-lettered (default 10; Config.MaxDeliver).
	MaxDeliver int
	// AckWait is the consumer's ack wait; InProgress is sent every third of
	// it while a handler runs (default 2m).
	AckWait time.Duration
	// Backoff sets redelivery delays (default 1s doubling to 5m).
	Backoff Backoff
	// Publisher publishes dead letters. Required.
	Publisher *Publisher
	// Metrics counts outcomes. Required.
	Metrics *Metrics
	// Logger logs failures; default slog.Default().
	Logger *slog.Logger
	// Gate, when set, is called before each pull and may block, as a
	// circuit breaker does while its circuit is open. An error (ctx ended)
	// stops the loop.
	Gate func(ctx context.Context) error
}

func (o *ConsumeOptions) setDefaults() {
	if o.Batch <= 0 {
		o.Batch = 64
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 1
	}
	if o.MaxWait <= 0 {
		o.MaxWait = time.Second
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 10
	}
	if o.AckWait <= 0 {
		o.AckWait = 2 * time.Minute
	}
	if o.Backoff.Base == 0 {
		o.Backoff = Backoff{Base: time.Second, Max: 5 * time.Minute}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Consume pulls messages from the durable consumer in batches and hands each
// to h, up to Concurrency at a time, until ctx is cancelled. It then stops
// pulling, finishes the messages of the pull in progress, waits for the
// handlers in flight, and returns nil. Handlers get a context that
// is not cancelled with ctx, so that a call to an ERP already made can be
// answered and recorded. Consume returns an error only when the consumer
// cannot be found at the start.
func Consume(ctx context.Context, js jetstream.JetStream, o ConsumeOptions, h Handler) error {
	l, cons, err := openLoop(ctx, js, o)
	if l == nil {
		return err
	}
	l.h = h
	l.run(ctx, cons)
	return nil
}

type loop struct {
	o      ConsumeOptions
	h      Handler
	tracer trace.Tracer
	wg     sync.WaitGroup

	// The metrics of this consumer, looked up once.
	inFlight   prometheus.Gauge
	handleTime prometheus.Observer
	acked      prometheus.Counter
	retried    prometheus.Counter
}

func (l *loop) run(ctx context.Context, cons jetstream.Consumer) {
	sem := make(chan struct{}, l.o.Concurrency)
	work := context.WithoutCancel(ctx)
	pause := time.Duration(0)

	for ctx.Err() == nil {
		if pause > 0 {
			sleep(ctx, pause)
		}
		if l.o.Gate != nil && l.o.Gate(ctx) != nil {
			break
		}
		batch, err := cons.Fetch(l.o.Batch, jetstream.FetchMaxWait(l.o.MaxWait))
		if err != nil {
			pause = nextPause(pause)
			l.o.Logger.Warn("pull failed", "consumer", l.o.Consumer, "err", err)
			continue
		}
		for msg := range batch.Messages() {
			// Messages already pulled are handled even when shutting
			// down: a nak would leave them pending until AckWait if
			// the server restarts too, since it keeps no redelivery
			// queue across restarts. A pull holds at most Batch.
			sem <- struct{}{}
			l.wg.Add(1)
			go func() {
				defer func() { <-sem; l.wg.Done() }()
				l.handle(work, msg)
			}()
		}
		pause = 0
		if err := batch.Error(); err != nil && !isPullTimeout(err) {
			pause = nextPause(pause)
			l.o.Logger.Warn("pull ended", "consumer", l.o.Consumer, "err", err)
		}
	}
	l.wg.Wait()
}

func (l *loop) handle(ctx context.Context, msg jetstream.Msg) {
	l.inFlight.Inc()
	defer l.inFlight.Dec()

	meta, err := msg.Metadata()
	if err != nil {
		// Not a JetStream message: nothing to ack; the server redelivers.
		l.o.Logger.Error("message without metadata", "consumer", l.o.Consumer, "err", err)
		return
	}

	ctx = ExtractTrace(ctx, msg.Headers())
	ctx, span := l.tracer.Start(ctx, l.o.Consumer+" process",
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("messaging.destination.name", msg.Subject()),
			attribute.Int64("messaging.message.stream_sequence", int64(meta.Sequence.Stream)),
			attribute.String("orderbridge.doc_key", msg.Headers().Get(HeaderDocKey)),
		))
	defer span.End()

	stop := l.keepAlive(msg)
	start := time.Now()
	herr := l.h(ctx, msg)
	l.handleTime.Observe(time.Since(start).Seconds())
	stop()

	if herr != nil {
		span.RecordError(herr)
		span.SetStatus(codes.Error, herr.Error())
	}
	l.settle(ctx, msg, meta, herr)
}

// settle turns a handler's result into the message's fate.
func (l *loop) settle(ctx context.Context, msg jetstream.Msg, meta *jetstream.MsgMetadata, herr error) {
	// The common case, an ack, builds no logger.
	if herr == nil {
		if err := msg.Ack(); err != nil {
			l.log(msg, meta).Warn("ack failed; the message will come again", "err", err)
		}
		l.acked.Inc()
		return
	}
	log := l.log(msg, meta)

	var perm *PermanentError
	var retry *RetryError
	switch {
	case errors.As(herr, &perm):
		l.deadLetter(ctx, msg, meta, ClassPermanent, perm.Reason, herr, log)

	case meta.NumDelivered >= uint64(l.o.MaxDeliver):
		l.deadLetter(ctx, msg, meta, ClassExhausted, "retries_exhausted", herr, log)

	default:
		delay := l.o.Backoff.Delay(meta.NumDelivered)
		if errors.As(herr, &retry) && retry.Delay > 0 {
			delay = retry.Delay
		}
		log.Debug("will retry", "attempt", meta.NumDelivered, "delay", delay, "err", herr)
		if err := msg.NakWithDelay(delay); err != nil {
			log.Warn("nak failed; the message will come again after ack wait", "err", err)
		}
		l.retried.Inc()
	}
}

// log returns the loop's logger with the message's identity.
func (l *loop) log(msg jetstream.Msg, meta *jetstream.MsgMetadata) *slog.Logger {
	return l.o.Logger.With(
		"consumer", l.o.Consumer,
		"stream", meta.Stream,
		"seq", meta.Sequence.Stream,
		"doc_key", msg.Headers().Get(HeaderDocKey),
	)
}

// keepAlive sends InProgress for every message of msgs every third of
// AckWait until the returned function is called. It uses one timer, not
// a goroutine, while nothing is due.
func (l *loop) keepAlive(msgs ...jetstream.Msg) (stop func()) {
	var mu sync.Mutex
	stopped := false
	var t *time.Timer
	mu.Lock()
	defer mu.Unlock()
	t = time.AfterFunc(l.o.AckWait/3, func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		for _, msg := range msgs {
			_ = msg.InProgress()
		}
		t.Reset(l.o.AckWait / 3)
	})
	return func() {
		mu.Lock()
		stopped = true
		mu.Unlock()
		t.Stop()
	}
}

// KindOf returns the document kind of a subject: the token before the shop
// id in jst.raw.<kind>.<shop> and canon.<kind>.<shop>.
func KindOf(subject string) string {
	toks := strings.Split(subject, ".")
	if len(toks) < 2 {
		return "unknown"
	}
	return toks[len(toks)-2]
}

func isPullTimeout(err error) bool {
	return errors.Is(err, jetstream.ErrNoMessages) || errors.Is(err, context.DeadlineExceeded)
}

func nextPause(p time.Duration) time.Duration {
	if p == 0 {
		return 100 * time.Millisecond
	}
	return min(2*p, 5*time.Second)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// openLoop checks o, fills its defaults and finds the durable consumer. A
// nil loop with a nil error means ctx ended first; an error means the
// options or the consumer are wrong.
func openLoop(ctx context.Context, js jetstream.JetStream, o ConsumeOptions) (*loop, jetstream.Consumer, error) {
	o.setDefaults()
	if o.Publisher == nil || o.Metrics == nil {
		return nil, nil, errors.New("bus: consume: Publisher and Metrics are required")
	}
	cons, err := js.Consumer(ctx, o.Stream, o.Consumer)
	if ctx.Err() != nil {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("bus: consume %s/%s: %w", o.Stream, o.Consumer, err)
	}
	m := o.Metrics
	return &loop{
		o:          o,
		tracer:     otel.Tracer("orderbridge/bus"),
		inFlight:   m.inFlight.WithLabelValues(o.Consumer),
		handleTime: m.handleTime.WithLabelValues(o.Consumer),
		acked:      m.handled.WithLabelValues(o.Consumer, "ack"),
		retried:    m.handled.WithLabelValues(o.Consumer, "retry"),
	}, cons, nil
}
