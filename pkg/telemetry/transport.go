package telemetry

import (
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Transport returns a RoundTripper that wraps every request through base
// (http.DefaultTransport when nil) in a client span of the request's
// context, named "<system> <name(req)>" (name nil: the method). The span
// records the method, host, path (never the query, which may carry
// credentials) and status code; a transport error or a status of 500 and
// above marks it failed. No trace header is sent to the server.
func Transport(base http.RoundTripper, system string, name func(*http.Request) string) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{
		base: base, system: system, name: name,
		tracer: otel.Tracer("orderbridge/telemetry"),
	}
}

type transport struct {
	base   http.RoundTripper
	system string
	name   func(*http.Request) string
	tracer trace.Tracer
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	op := r.Method
	if t.name != nil {
		op = t.name(r)
	}
	ctx, span := t.tracer.Start(r.Context(), t.system+" "+op,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(
			attribute.String("rpc.system", t.system),
			attribute.String("rpc.method", op),
			attribute.String("http.request.method", r.Method),
			attribute.String("server.address", r.URL.Hostname()),
			attribute.String("url.path", r.URL.Path),
		))
	defer span.End()

	resp, err := t.base.RoundTrip(r.WithContext(ctx))
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		return nil, err
	}
	span.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
	if resp.StatusCode >= 500 {
		span.SetStatus(codes.Error, resp.Status)
	}
	return resp, nil
}
