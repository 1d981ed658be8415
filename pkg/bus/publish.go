package bus

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
)

// Publisher publishes messages to JetStream and waits for the stream's ack.
type Publisher struct {
	js      jetstream.JetStream
	metrics *Metrics
}

// NewPublisher returns a publisher on js that counts into m.
func NewPublisher(js jetstream.JetStream, m *Metrics) *Publisher {
	return &Publisher{js: js, metrics: m}
}

// Publish publishes data on subject with msgID as Nats-Msg-Id, the trace
// context of ctx as traceparent, and hdr, and waits for the stream to store
// it. A message the stream already holds under msgID is acked as a duplicate,
// which is not an error: ack.Duplicate tells.
func (p *Publisher) Publish(
	ctx context.Context,
	subject string,
	data []byte,
	msgID string,
	hdr nats.Header,
) (*jetstream.PubAck, error) {
	out := Outgoing{Ctx: ctx, Subject: subject, Data: data, MsgID: msgID, Header: hdr}
	msg, opts := out.message()
	ack, err := p.js.PublishMsg(ctx, msg, opts...)
	return p.count(subject, ack, err)
}

// Outgoing is one message of PublishAll.
type Outgoing struct {
	// Ctx carries the message's trace context; nil for none.
	Ctx     context.Context
	Subject string
	Data    []byte
	MsgID   string
	Header  nats.Header
	// Opts are further publish options, such as an expected last
	// sequence for a compare-and-set.
	Opts []jetstream.PublishOpt
}

func (o Outgoing) message() (*nats.Msg, []jetstream.PublishOpt) {
	msg := &nats.Msg{Subject: o.Subject, Data: o.Data, Header: o.Header}
	if msg.Header == nil {
		msg.Header = nats.Header{}
	}
	if o.Ctx != nil {
		InjectTrace(o.Ctx, msg.Header)
	}
	var opts []jetstream.PublishOpt
	if o.MsgID != "" {
		opts = append(opts, jetstream.WithMsgID(o.MsgID))
	}
	return msg, append(opts, o.Opts...)
}

// PublishAll publishes msgs one after the other without waiting in
// between, at most publishWindow unacked at a time, and waits for every
// ack, so that a page of documents costs about one round trip instead of
// one each. It returns the acks in the order of msgs, or the first error;
// after an error some of msgs may be stored, and publishing them again
// under the same ids is safe. Waiting ends with ctx, or after AckTimeout
// without an ack.
func (p *Publisher) PublishAll(ctx context.Context, msgs []Outgoing) ([]*jetstream.PubAck, error) {
	acks, errs := PublishEach(ctx, p.js, msgs)
	var first error
	for i := range msgs {
		_, err := p.count(msgs[i].Subject, acks[i], errs[i])
		if err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	return acks, nil
}

// PublishEach publishes msgs on js as PublishAll does and returns each
// message's ack or error, in the order of msgs, so that a caller can tell
// which were refused (a compare-and-set that lost, for one). Messages not
// answered when ctx ends or AckTimeout passes get that error.
func PublishEach(ctx context.Context, js jetstream.JetStream, msgs []Outgoing) ([]*jetstream.PubAck, []error) {
	futures := make([]jetstream.PubAckFuture, len(msgs))
	acks := make([]*jetstream.PubAck, len(msgs))
	errs := make([]error, len(msgs))
	timeout := time.NewTimer(AckTimeout)
	defer timeout.Stop()
	var stop error // ends every wait once set
	waited := 0
	await := func() {
		i := waited
		waited++
		if futures[i] == nil {
			return
		}
		if stop != nil {
			errs[i] = stop
			return
		}
		select {
		case acks[i] = <-futures[i].Ok():
			timeout.Reset(AckTimeout)
		case errs[i] = <-futures[i].Err():
		case <-ctx.Done():
			stop = ctx.Err()
		case <-timeout.C:
			stop = fmt.Errorf("no ack within %s", AckTimeout)
		}
		if stop != nil {
			errs[i] = stop
		}
	}
	for i, o := range msgs {
		if i-waited >= publishWindow {
			await()
		}
		if stop != nil {
			errs[i] = stop
			continue
		}
		msg, opts := o.message()
		if futures[i], errs[i] = js.PublishMsgAsync(msg, opts...); errs[i] != nil {
			futures[i] = nil
		}
	}
	for waited < len(msgs) {
		await()
	}
	return acks, errs
}

// publishWindow is how many messages PublishAll has unacked at most, well
// under the client's own limit of pending asynchronous publishes.
const publishWindow = 1000

// AckTimeout bounds PublishAll's wait for the stream's acks.
const AckTimeout = 30 * time.Second

// count records the outcome of one publish and wraps its error.
func (p *Publisher) count(subject string, ack *jetstream.PubAck, err error) (*jetstream.PubAck, error) {
	if err != nil {
		p.metrics.published.WithLabelValues(streamOf(subject), "error").Inc()
		return nil, fmt.Errorf("bus: publish %s: %w", subject, err)
	}
	outcome := "stored"
	if ack.Duplicate {
		outcome = "duplicate"
	}
	p.metrics.published.WithLabelValues(ack.Stream, outcome).Inc()
	return ack, nil
}

// InjectTrace writes the trace context of ctx into hdr (traceparent,
// tracestate) with the global propagator.
func InjectTrace(ctx context.Context, hdr nats.Header) {
	otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(http.Header(hdr)))
}

// ExtractTrace returns ctx carrying the trace context found in hdr.
func ExtractTrace(ctx context.Context, hdr nats.Header) context.Context {
	return otel.GetTextMapPropagator().Extract(ctx, propagation.HeaderCarrier(http.Header(hdr)))
}

// streamOf guesses the stream of a subject for a metric label when the
// publish failed and no ack named it.
func streamOf(subject string) string {
	switch {
	case strings.HasPrefix(subject, "jst.raw."):
		return StreamRaw
	case strings.HasPrefix(subject, "canon."):
		return StreamCanon
	case strings.HasPrefix(subject, "dlq."):
		return StreamDLQ
	}
	return "unknown"
}
