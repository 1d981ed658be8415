package bus

import (
	"context"
	"fmt"
	"net/http"
	"strings"

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
	msg := &nats.Msg{Subject: subject, Data: data, Header: hdr}
	if msg.Header == nil {
		msg.Header = nats.Header{}
	}
	InjectTrace(ctx, msg.Header)

	var opts []jetstream.PublishOpt
	if msgID != "" {
		opts = append(opts, jetstream.WithMsgID(msgID))
	}
	ack, err := p.js.PublishMsg(ctx, msg, opts...)
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
