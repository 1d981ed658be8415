package poller

import (
	"context"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// startPage starts the span of one poll page: the JST request (its own
// span, "jst query page"), the publishing of every document of the page
// and, in ts mode, the checkpoint's move. Each document's message carries
// its own child span's context, so that its whole trip is one trace.
func (p *Poller) startPage(
	ctx context.Context,
	mode string,
	kind jst.Kind,
	shop string,
	page int,
) (context.Context, trace.Span) {
	return p.tracer.Start(ctx, "poll page", trace.WithAttributes(
		attribute.String("jst.kind", string(kind)),
		attribute.String("jst.shop_id", shop),
		attribute.String("orderbridge.poll_mode", mode),
		attribute.Int("jst.page_index", page),
	))
}

// startPublish starts the producer span of one document's message; its
// context travels in the message's traceparent header.
func (p *Poller) startPublish(ctx context.Context, subject, key string) (context.Context, trace.Span) {
	return p.tracer.Start(ctx, "publish "+subject,
		trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(
			attribute.String("messaging.system", "nats"),
			attribute.String("messaging.destination.name", subject),
			attribute.String("orderbridge.doc_key", key),
		))
}
