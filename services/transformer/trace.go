package transformer

import (
	"context"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// startTransform starts the span of one document's transform, a child of
// the consume loop's span, itself in the trace the poller started for the
// document. The canonical message carries the context on to the writer.
func startTransform(ctx context.Context, kind jst.Kind, key string) (context.Context, trace.Span) {
	return otel.Tracer("orderbridge/transformer").Start(ctx, "transform "+string(kind),
		trace.WithAttributes(
			attribute.String("jst.kind", string(kind)),
			attribute.String("orderbridge.doc_key", key),
		))
}
