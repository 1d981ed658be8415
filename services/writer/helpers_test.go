package writer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/writer"
)

// testTopology is quick to redeliver and patient with retries.
var testTopology = bus.Config{AckWait: 5 * time.Second, MaxDeliver: 20}

// rig is a JetStream server, a kingdeesim behind an optional script, and
// the means to run writers against them.
type rig struct {
	t      testing.TB
	env    *bustest.Env
	sim    *kingdeesim.Sim
	script *script
	url    string
	pub    *bus.Publisher
	bus    *bus.Metrics
}

func newRig(t testing.TB, opts kingdeesim.Options) *rig {
	t.Helper()
	env := bustest.New(t, testTopology)
	sim := kingdeesim.New(opts)
	sc := newScript(sim)
	srv := httptest.NewServer(sc)
	t.Cleanup(srv.Close)
	m := bus.NewMetrics(nil)
	return &rig{
		t: t, env: env, sim: sim, script: sc, url: srv.URL,
		pub: bus.NewPublisher(env.JS, m), bus: m,
	}
}

func (r *rig) config(mod func(*writer.Config)) writer.Config {
	cfg := writer.Config{
		Kingdee: kingdee.Config{
			BaseURL:  r.url + "/k3cloud/",
			AcctID:   kingdeesim.DefaultAcctID,
			Username: kingdeesim.DefaultUsername,
			Auth:     kingdee.AuthPassword,
			Password: kingdeesim.DefaultPassword,
			// Generous: a timed-out save is retried, and a shared CI
			// machine must not turn a slow answer into a second save.
			Timeout: 5 * time.Second,
		},
		BatchSize:      20,
		Concurrency:    4,
		ClaimTTL:       15 * time.Second,
		VerifyBaseData: true,
		BreakerOpen:    100 * time.Millisecond,
		BreakerMax:     time.Second,
	}
	if mod != nil {
		mod(&cfg)
	}
	return cfg
}

// start runs a writer until the test ends and returns it with its
// registry.
func (r *rig) start(cfg writer.Config) (*writer.Writer, *prometheus.Registry) {
	r.t.Helper()
	w, reg := r.writer(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = w.Run(ctx)
	}()
	r.t.Cleanup(func() { cancel(); <-done })
	return w, reg
}

// writer makes a writer that does not run, with its registry.
func (r *rig) writer(cfg writer.Config) (*writer.Writer, *prometheus.Registry) {
	r.t.Helper()
	// Each writer has a connection of its own, as a process would.
	_, js := bustest.Connect(r.t, r.env.Server.ClientURL())
	reg := prometheus.NewRegistry()
	m := bus.NewMetrics(nil)
	w, err := writer.New(context.Background(), cfg, writer.Deps{
		JS: js, Publisher: bus.NewPublisher(js, m), Bus: m,
		Topology: testTopology.WithDefaults(),
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: reg,
	})
	if err != nil {
		r.t.Fatalf("writer.New() error %v", err)
	}
	return w, reg
}

// order is a canonical sales order of one line; qty makes versions differ.
func order(id string, version int64, qty string) *obv1.Document {
	when := timestamppb.New(time.Date(2025, 4, 3, 2, 20, 30, 0, time.UTC))
	doc := &obv1.Document{Body: &obv1.Document_SalesOrder{SalesOrder: &obv1.SalesOrder{
		Source: &obv1.Source{
			System: "jst", Kind: "order", Id: id, Version: version, ShopId: "100",
		},
		FormId: bill.FormSaleOrder, BillNo: "JST-" + id, SoId: "TB-" + id,
		OrderDate: when, SendDate: when,
		Parties: &obv1.Parties{CustomerNumber: "CUST0001", SaleOrgNumber: "100"},
		Lines: []*obv1.Line{{
			MaterialNumber: "MAT001", Qty: &obv1.Decimal{Value: qty},
			TaxPrice: &obv1.Decimal{Value: "9.90"},
		}},
	}}}
	doc.ContentHash = fmt.Sprintf("h-%s-%d-%s", id, version, qty)
	return doc
}

// publish puts docs on CANON as the transformer does.
func (r *rig) publish(docs ...*obv1.Document) {
	r.t.Helper()
	for _, doc := range docs {
		publishDoc(r.t, r.pub, doc)
	}
}

func publishDoc(t testing.TB, pub *bus.Publisher, doc *obv1.Document) {
	t.Helper()
	src := doc.GetSalesOrder().GetSource()
	version := strconv.FormatInt(src.GetVersion(), 10)
	publishAs(t, pub, doc, func(key string, hdr nats.Header) string {
		hdr.Set(bus.HeaderVersion, version)
		return key + ":" + version + ":" + doc.GetContentHash()
	})
}

// publishAs puts a sales order on CANON with its Ob-Doc-Key header; head
// adds the other headers and returns the message id, given the key.
func publishAs(t testing.TB, pub *bus.Publisher, doc *obv1.Document,
	head func(key string, hdr nats.Header) string) {
	t.Helper()
	src := doc.GetSalesOrder().GetSource()
	data, err := proto.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	key := src.GetKind() + "." + src.GetId()
	hdr := nats.Header{}
	hdr.Set(bus.HeaderDocKey, key)
	id := head(key, hdr)
	if _, err := pub.Publish(context.Background(), "canon.order."+src.GetShopId(),
		data, id, hdr); err != nil {
		t.Fatalf("publish %s: %v", id, err)
	}
}

// drained waits until the writer consumer has nothing pending or unacked.
func drained(t testing.TB, js jetstream.JetStream, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !bustest.Settled(context.Background(), js, bus.StreamCanon, bus.ConsumerWriter) {
		if time.Now().After(deadline) {
			t.Fatalf("writer consumer not drained within %s", within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// bills returns the stored bills of form by number.
func bills(sim *kingdeesim.Sim, form string) map[string]kingdeesim.StoredBill {
	out := map[string]kingdeesim.StoredBill{}
	for _, b := range sim.Bills(form) {
		out[b.BillNo] = b
	}
	return out
}

// qtyOf returns FQty of the first entry of a stored sales order.
func qtyOf(t testing.TB, b kingdeesim.StoredBill) string {
	t.Helper()
	var m struct {
		FSaleOrderEntry []struct{ FQty json.Number }
	}
	if err := json.Unmarshal(b.Model, &m); err != nil || len(m.FSaleOrderEntry) == 0 {
		t.Fatalf("bill %s model %s: %v", b.BillNo, b.Model, err)
	}
	return m.FSaleOrderEntry[0].FQty.String()
}

// deadLetters returns the dead letters by document key.
func deadLetters(t testing.TB, js jetstream.JetStream) map[string]nats.Header {
	t.Helper()
	ctx := context.Background()
	s, err := js.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]nats.Header{}
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err == nil {
			out[m.Header.Get(bus.HeaderDocKey)] = m.Header
		}
	}
	return out
}
