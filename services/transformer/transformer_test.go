package transformer

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// configMap lays out a mapping file as Kubernetes mounts a ConfigMap: the
// file is a symlink through ..data, and an update swaps ..data at once.
type configMap struct {
	dir string
	n   int
}

func newConfigMap(t *testing.T, content string) *configMap {
	c := &configMap{dir: t.TempDir()}
	c.update(t, content)
	link := filepath.Join(c.dir, "mapping.yaml")
	if err := os.Symlink(filepath.Join("..data", "mapping.yaml"), link); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *configMap) path() string { return filepath.Join(c.dir, "mapping.yaml") }

// update writes content into a new version directory and swaps ..data to
// it with a rename, as the kubelet does.
func (c *configMap) update(t *testing.T, content string) {
	t.Helper()
	c.n++
	version := fmt.Sprintf("..v%d", c.n)
	if err := os.Mkdir(filepath.Join(c.dir, version), 0o755); err != nil {
		t.Fatal(err)
	}
	err := os.WriteFile(filepath.Join(c.dir, version, "mapping.yaml"), []byte(content), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(c.dir, "..data_tmp")
	if err := os.Symlink(version, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(c.dir, "..data")); err != nil {
		t.Fatal(err)
	}
}

// rulesFile is a mapping file of version with the given shops.
func rulesFile(version string, shops ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "version: %q\nshops:\n", version)
	for _, s := range shops {
		fmt.Fprintf(&b, "  %q: {customer: CUST-%s-%s, sale_org: \"100\"}\n", s, s, version)
	}
	return b.String()
}

// harness is a running transformer on a real embedded JetStream.
type harness struct {
	env  *bustest.Env
	tr   *Transformer
	pub  *bus.Publisher
	stop func()
}

func startTransformer(t *testing.T, cfg Config) *harness {
	t.Helper()
	env := bustest.New(t, bus.Config{})
	f, err := cfg.LoadMapping()
	if err != nil {
		t.Fatalf("LoadMapping() error: %v", err)
	}
	reg := prometheus.NewRegistry()
	busMetrics := bus.NewMetrics(reg)
	pub := bus.NewPublisher(env.JS, busMetrics)
	tr, err := New(cfg, f, Deps{
		JS: env.JS, Publisher: pub, Bus: busMetrics, Topology: bus.Config{},
		Log: slog.New(slog.DiscardHandler), Registry: reg,
	})
	if err != nil {
		t.Fatalf("New() error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tr.Run(ctx) }()
	h := &harness{env: env, tr: tr, pub: pub}
	h.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run() error: %v", err)
		}
	}
	t.Cleanup(func() {
		if ctx.Err() == nil {
			h.stop()
		}
	})
	return h
}

// order is a raw order of shop, Sent.
func order(id int, shop string) []byte {
	return fmt.Appendf(nil, `{"o_id":%d,"so_id":"P%d","shop_id":%q,"status":"Sent","ts":%d,
		"items":[{"oi_id":1,"sku_id":"SKU-A","qty":1,"price":"10","amount":"10"}]}`,
		id, id, shop, id)
}

func (h *harness) publishRaw(t *testing.T, id int, shop string) {
	t.Helper()
	subject := "jst.raw.order." + shop
	msgID := fmt.Sprintf("order:%d:%d", id, id)
	_, err := h.pub.Publish(context.Background(), subject, order(id, shop), msgID, nil)
	if err != nil {
		t.Fatal(err)
	}
}

// waitMsg waits for message seq of stream and returns it.
func (h *harness) waitMsg(t *testing.T, stream string, seq uint64) *jetstream.RawStreamMsg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := h.env.JS.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	for {
		msg, err := s.GetMsg(ctx, seq)
		if err == nil {
			return msg
		}
		if ctx.Err() != nil {
			t.Fatalf("%s message %d: %v", stream, seq, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// canon waits for CANON message seq and decodes its sales order.
func (h *harness) canon(t *testing.T, seq uint64) *obv1.SalesOrder {
	t.Helper()
	var doc obv1.Document
	if err := proto.Unmarshal(h.waitMsg(t, bus.StreamCanon, seq).Data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.GetSalesOrder()
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func value(t *testing.T, m prometheus.Metric) float64 { return testValue(t, m) }

// testValue reads a counter's or a gauge's value.
func testValue(t testing.TB, m prometheus.Metric) float64 {
	t.Helper()
	var out dto.Metric
	if err := m.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.GetCounter().GetValue() + out.GetGauge().GetValue()
}

func checkOrder(t *testing.T, so *obv1.SalesOrder, id, customer, version string) {
	t.Helper()
	if so.GetSource().GetId() != id || so.GetParties().GetCustomerNumber() != customer ||
		so.GetSource().GetRulesVersion() != version {
		t.Errorf("CANON order %s = customer %q rules %q, want %q %q", so.GetSource().GetId(),
			so.GetParties().GetCustomerNumber(), so.GetSource().GetRulesVersion(),
			customer, version)
	}
}

// TestHotReload edits the mapping file under a running transformer: the
// next document is mapped by the new rules, a dead letter for a missing
// shop goes through once redriven after the table is fixed, and a broken
// edit is refused while the rules in force keep working.
func TestHotReload(t *testing.T) {
	cm := newConfigMap(t, rulesFile("v1", "13046812"))
	h := startTransformer(t, Config{
		MappingFile: cm.path(), ReloadInterval: 20 * time.Millisecond,
		Concurrency: 2, Batch: 16,
	})

	h.publishRaw(t, 1, "13046812")
	checkOrder(t, h.canon(t, 1), "1", "CUST-13046812-v1", "v1")

	// A shop missing from the table: a dead letter naming it.
	h.publishRaw(t, 2, "20000001")
	dl := h.waitMsg(t, bus.StreamDLQ, 1)
	if dl.Header.Get(bus.HeaderReason) != "unknown_shop" ||
		!strings.Contains(dl.Header.Get(bus.HeaderError), `"20000001"`) {
		t.Errorf("dead letter = %q %q, want unknown_shop naming 20000001",
			dl.Header.Get(bus.HeaderReason), dl.Header.Get(bus.HeaderError))
	}
	deadLetters := h.tr.m.documents.WithLabelValues("order", "dead_letter", "unknown_shop")
	waitFor(t, "the dead letter counted", func() bool { return value(t, deadLetters) == 1 })

	// The table is fixed: the next document is mapped by the new rules.
	cm.update(t, rulesFile("v2", "13046812", "20000001"))
	waitFor(t, "v2 in force", func() bool { return h.tr.File().Rules.Version == "v2" })
	h.publishRaw(t, 3, "13046812")
	checkOrder(t, h.canon(t, 2), "3", "CUST-13046812-v2", "v2")

	// The dead letter, redriven with a fresh message id, now maps.
	hdr := nats.Header{bus.HeaderReplay: []string{"redrive"}}
	_, err := h.pub.Publish(context.Background(), dl.Header.Get(bus.HeaderOriginSubject),
		dl.Data, "redrive:1", hdr)
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, h.canon(t, 3), "2", "CUST-20000001-v2", "v2")

	// A broken edit is refused; v2 stays in force and keeps mapping.
	cm.update(t, rulesFile("v3", "13046812")+
		"filters:\n  order:\n    - {name: typo, sync: 'doc.staus == \"Sent\"'}\n")
	refused := h.tr.m.reloads.WithLabelValues(reloadRefused)
	waitFor(t, "the broken file refused", func() bool { return value(t, refused) == 1 })
	h.publishRaw(t, 4, "13046812")
	checkOrder(t, h.canon(t, 4), "4", "CUST-13046812-v2", "v2")

	applied := h.tr.m.reloads.WithLabelValues(reloadApplied)
	info := h.tr.m.rulesInfo.WithLabelValues("v2")
	if value(t, applied) != 1 || value(t, refused) != 1 || value(t, info) != 1 {
		t.Errorf("reloads applied %v refused %v, rules_info{v2} %v, want 1 1 1",
			value(t, applied), value(t, refused), value(t, info))
	}

	// Checking again finds nothing new: the refusal is not repeated.
	if got, err := h.tr.Reload(); got != ReloadUnchanged || err != nil {
		t.Errorf("Reload() of the refused file again = %s, %v, want unchanged", got, err)
	}
	cm.update(t, rulesFile("v4", "13046812"))
	if got, err := h.tr.Reload(); got != ReloadApplied || err != nil {
		t.Errorf("Reload() of a fixed file = %s, %v, want applied", got, err)
	}
}

func TestReloadUnreadable(t *testing.T) {
	cm := newConfigMap(t, rulesFile("v1", "1"))
	h := startTransformer(t, Config{MappingFile: cm.path()})
	if err := os.Remove(filepath.Join(cm.dir, "..data")); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got, err := h.tr.Reload(); got != ReloadUnreadable || err == nil {
			t.Errorf("Reload() of a missing file = %s, %v, want unreadable", got, err)
		}
	}
	unreadable := h.tr.m.reloads.WithLabelValues(reloadUnreadable)
	if value(t, unreadable) != 1 || h.tr.File().Rules.Version != "v1" {
		t.Errorf("unreadable count %v, version %q, want 1 and v1 kept",
			value(t, unreadable), h.tr.File().Rules.Version)
	}
}

func TestLoadConfig(t *testing.T) {
	env := map[string]string{"MAPPING_FILE": "/etc/ob/mapping.yaml"}
	c, err := LoadConfig(serviceEnv(env))
	if err != nil || c.MappingFile != "/etc/ob/mapping.yaml" ||
		c.ReloadInterval != DefaultReloadInterval || c.Concurrency != 4 || c.Batch != 128 {
		t.Errorf("LoadConfig(%v) = %+v, %v, want the file and defaults", env, c, err)
	}
	env["MAPPING_RELOAD_INTERVAL"] = "soon"
	if _, err := LoadConfig(serviceEnv(env)); err == nil {
		t.Errorf("LoadConfig(MAPPING_RELOAD_INTERVAL=soon) error = nil, want one")
	}
}
