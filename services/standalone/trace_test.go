package standalone_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/standalone"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// collector is an OTLP/HTTP trace receiver on loopback that keeps every
// span it is sent, with the instrumentation scope that made it.
type collector struct {
	mu    sync.Mutex
	spans []scopedSpan
}

type scopedSpan struct {
	scope string
	*tracepb.Span
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var req coltracepb.ExportTraceServiceRequest
	if err == nil {
		err = proto.Unmarshal(body, &req)
	}
	if err != nil || r.URL.Path != "/v1/traces" {
		http.Error(w, "bad export", http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				c.spans = append(c.spans, scopedSpan{ss.GetScope().GetName(), s})
			}
		}
	}
	c.mu.Unlock()
	out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

func attr(s *tracepb.Span, key string) string {
	for _, a := range s.GetAttributes() {
		if a.GetKey() == key {
			return a.GetValue().GetStringValue()
		}
	}
	return ""
}

// TestOneTraceFollowsADocumentThroughEveryService exports the pipeline's
// spans over OTLP/HTTP, as chosen by the standard OTEL_* variables, and
// checks that the trace of one posted document holds the poller's page and
// publish spans, the transformer's span and the writer's span, that the
// transformer's batch span links to it, and that the writer's batch span,
// under which the Kingdee calls are, links to it.
func TestOneTraceFollowsADocumentThroughEveryService(t *testing.T) {
	col := &collector{}
	srv := httptest.NewServer(col)
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "100")

	sims, err := standalone.StartSimulators(jstsim.Options{
		Seed: 11, Orders: 40, AfterSales: 10, Shops: 2,
	}, kingdeesim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sims.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := runPipeline(t, ctx, pipelineConfig(sims, t.TempDir()))
	if s.Posted == 0 {
		t.Fatalf("nothing posted: %v", s)
	}

	col.mu.Lock()
	spans := col.spans
	col.mu.Unlock()
	byTrace := map[string][]scopedSpan{}
	byID := map[string]scopedSpan{}
	for _, sp := range spans {
		byTrace[string(sp.GetTraceId())] = append(byTrace[string(sp.GetTraceId())], sp)
		byID[string(sp.GetSpanId())] = sp
	}

	// A posted document: its writer span ended without error.
	var doc scopedSpan
	for _, sp := range spans {
		if sp.GetName() == "write document" && sp.GetStatus().GetCode() != tracepb.Status_STATUS_CODE_ERROR &&
			strings.HasPrefix(attr(sp.Span, "orderbridge.doc_key"), "order.") {
			doc = sp
			break
		}
	}
	if doc.Span == nil {
		t.Fatalf("no writer span of a posted order among %d spans", len(spans))
	}
	key := attr(doc.Span, "orderbridge.doc_key")
	trace := byTrace[string(doc.GetTraceId())]
	t.Logf("document %s: trace %s with %d spans", key, hex.EncodeToString(doc.GetTraceId()), len(trace))

	want := map[string]bool{
		"orderbridge/poller poll page":              false,
		"orderbridge/poller jst query page":         false,
		"orderbridge/poller publish jst.raw.order.": false,
		"orderbridge/transformer transform order":   false,
		"orderbridge/writer write document":         false,
	}
	for _, sp := range trace {
		name := sp.scope + " " + sp.GetName()
		if strings.HasPrefix(name, "orderbridge/poller publish jst.raw.order.") {
			if attr(sp.Span, "orderbridge.doc_key") != key {
				continue // another document of the same page
			}
			name = "orderbridge/poller publish jst.raw.order."
		}
		if _, ok := want[name]; ok {
			want[name] = true
		}
	}
	for name, seen := range want {
		if !seen {
			t.Errorf("trace of %s has no span %q", key, name)
		}
	}

	// The transformer's batch span links to this document's trace.
	pulled := false
	for _, sp := range spans {
		if sp.scope+" "+sp.GetName() != "orderbridge/bus transformer process batch" {
			continue
		}
		for _, l := range sp.GetLinks() {
			pulled = pulled || bytes.Equal(l.GetTraceId(), doc.GetTraceId())
		}
	}
	if !pulled {
		t.Errorf("no transformer batch span links to the trace of %s", key)
	}

	// The writer span links to its batch span; the batch span links back
	// to this document's trace, and the Kingdee calls are its children.
	var batch scopedSpan
	for _, l := range doc.GetLinks() {
		if sp, ok := byID[string(l.GetSpanId())]; ok {
			batch = sp
		}
	}
	if batch.Span == nil || batch.GetName() != "writer process batch" {
		t.Fatalf("writer span of %s links to %v, want the writer's batch span", key, batch.Span)
	}
	linked := false
	for _, l := range batch.GetLinks() {
		linked = linked || bytes.Equal(l.GetTraceId(), doc.GetTraceId())
	}
	if !linked {
		t.Errorf("batch span does not link to the trace of %s", key)
	}
	calls := 0
	for _, sp := range byTrace[string(batch.GetTraceId())] {
		if bytes.Equal(sp.GetParentSpanId(), batch.GetSpanId()) &&
			strings.HasPrefix(sp.GetName(), "kingdee ") {
			calls++
		}
	}
	if calls == 0 {
		t.Errorf("no Kingdee call span under the batch span of %s", key)
	}
}
