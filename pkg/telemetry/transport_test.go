package telemetry

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestTransport(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev) })

	var sawTraceparent bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawTraceparent = r.Header.Get("traceparent") != ""
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer srv.Close()

	hc := &http.Client{Transport: Transport(nil, "kingdee", func(r *http.Request) string {
		return r.URL.Path[1:]
	})}
	ctx, parent := tp.Tracer("test").Start(context.Background(), "batch")
	tests := []struct {
		path   string
		status codes.Code
	}{
		{"/save", codes.Unset},
		{"/fail", codes.Error},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost,
				srv.URL+tt.path+"?sign=secret", nil)
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			spans := rec.Ended()
			s := spans[len(spans)-1]
			if s.Name() != "kingdee "+tt.path[1:] {
				t.Errorf("span name = %q, want %q", s.Name(), "kingdee "+tt.path[1:])
			}
			if s.Parent().SpanID() != parent.SpanContext().SpanID() {
				t.Errorf("span parent = %v, want the caller's span", s.Parent().SpanID())
			}
			if s.Status().Code != tt.status {
				t.Errorf("span status = %v, want %v", s.Status().Code, tt.status)
			}
			for _, a := range s.Attributes() {
				if v := a.Value.Emit(); v != "" && strings.Contains(v, "secret") {
					t.Errorf("attribute %s = %q carries the query", a.Key, v)
				}
			}
		})
	}
	if sawTraceparent {
		t.Error("the server received a traceparent header; none should leave")
	}
}
