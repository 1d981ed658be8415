package writer

import (
	"context"
	"net/http"
	"path"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// startDocSpans starts one span per message in the trace its traceparent
// names (the one the poller started for the document), linked to the
// batch's span in ctx, under which the Kingdee calls of the batch are.
// The batch span links to every document's trace in turn (pkg/bus).
func startDocSpans(ctx context.Context, msgs []jetstream.Msg) []trace.Span {
	tracer := otel.Tracer("orderbridge/writer")
	batch := trace.LinkFromContext(ctx)
	spans := make([]trace.Span, len(msgs))
	for i, msg := range msgs {
		dctx := bus.ExtractTrace(ctx, msg.Headers())
		_, spans[i] = tracer.Start(dctx, "write document",
			trace.WithSpanKind(trace.SpanKindConsumer),
			trace.WithLinks(batch),
			trace.WithAttributes(
				attribute.String("orderbridge.doc_key", msg.Headers().Get(bus.HeaderDocKey)),
				attribute.Int("messaging.batch.message_count", len(msgs)),
			))
	}
	return spans
}

// endDocSpans ends each message's span with its result.
func endDocSpans(spans []trace.Span, errs []error) {
	for i, s := range spans {
		if i < len(errs) && errs[i] != nil {
			s.RecordError(errs[i])
			s.SetStatus(codes.Error, errs[i].Error())
		}
		s.End()
	}
}

// kingdeeOp names a Kingdee call's span after the WebAPI method of its
// URL, .../DynamicFormService.BatchSave.common.kdsvc: BatchSave.
func kingdeeOp(r *http.Request) string {
	name := strings.TrimSuffix(path.Base(r.URL.Path), ".common.kdsvc")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return name
}
