package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/mapping"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"github.com/orderbridge/orderbridge/services/standalone"
)

func natsMsg(subject, data string, hdr nats.Header) *nats.Msg {
	return &nats.Msg{Subject: subject, Data: []byte(data), Header: hdr}
}

// checkBackfill asks for a backfill with no poller listening, then with a
// stand-in for the active poller's control subjects.
func checkBackfill(t *testing.T, s *stack, shop string) {
	args := []string{"backfill", "--kind", "order", "--shop", shop,
		"--from", "3h", "--to", "1h", "--follow"}
	if _, errOut, code := s.obctl(args...); code != 1 ||
		!strings.Contains(errOut, "no active poller answered") {
		t.Errorf("backfill with no poller = exit %d, %q", code, errOut)
	}

	var mu sync.Mutex
	var got control.BackfillRequest
	asked := 0
	status := func() control.BackfillStatus {
		return control.BackfillStatus{
			ID: "bf-1", Kind: got.Kind, ShopID: got.ShopID, From: got.From, To: got.To,
			Position: got.From.Add(time.Duration(asked) * time.Hour),
			Pages:    asked, Documents: 10 * asked, Done: asked >= 2,
		}
	}
	reply := func(m *nats.Msg, v any) {
		b, _ := json.Marshal(v)
		_ = m.Respond(b)
	}
	sub1, err := s.nc.Subscribe(control.SubjectBackfill, func(m *nats.Msg) {
		mu.Lock()
		defer mu.Unlock()
		_ = json.Unmarshal(m.Data, &got)
		reply(m, status())
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub1.Unsubscribe()
	sub2, err := s.nc.Subscribe(control.SubjectBackfillStatus, func(m *nats.Msg) {
		mu.Lock()
		defer mu.Unlock()
		asked++
		reply(m, []control.BackfillStatus{status()})
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub2.Unsubscribe()

	out, errOut, code := s.obctl(args...)
	if code != 0 || !strings.Contains(out, "backfill bf-1: done, 2 pages, 20 documents") {
		t.Fatalf("backfill = exit %d, %q, %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "bf-1") {
		t.Errorf("backfill showed no progress: %q", errOut)
	}
	mu.Lock()
	defer mu.Unlock()
	if got.Kind != "order" || got.ShopID != shop || got.RequestedBy != "tester" ||
		got.To.Sub(got.From) != 2*time.Hour {
		t.Errorf("the poller got %+v", got)
	}
}

// checkLiveBackfill asks the pipeline's own poller, holding the lease, to
// read the simulator's span again for one shop's orders, and follows it.
func checkLiveBackfill(t *testing.T, s *stack, rules mapping.Rules, shop string) {
	stop := s.startPipeline(rules)
	defer stop()
	opts := s.sims.JST.Options()
	from := opts.Now().Add(-opts.Span - time.Hour).Format(time.RFC3339)
	args := []string{"backfill", "--kind", "order", "--shop", shop,
		"--from", from, "--to", "1m", "--follow"}

	var out, errOut string
	code := -1
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		out, errOut, code = s.obctl(args...)
		if code == 0 || !strings.Contains(errOut, "no active poller answered") {
			break
		}
		time.Sleep(200 * time.Millisecond) // the lease is not taken yet
	}
	want := 0
	for _, o := range s.sims.JST.Orders() {
		if o.ShopID == shop {
			want++
		}
	}
	if code != 0 || !strings.Contains(out, ": done,") ||
		!strings.Contains(out, fmt.Sprintf(" %d documents", want)) {
		t.Errorf("backfill = exit %d, %q, %q; want done with %d documents", code, out, errOut, want)
	}
}

// checkReconcile plants a missing bill, an extra bill, a number held in
// two forms and a bill re-created under a new FID in the Kingdee
// simulator, and expects reconcile to report exactly those.
func checkReconcile(t *testing.T, s *stack, expected map[string]standalone.Expected) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var orders []string
	for _, no := range slices.Sorted(maps.Keys(expected)) {
		if expected[no].Form == "SAL_SaleOrder" {
			orders = append(orders, no)
		}
	}
	if len(orders) < 4 {
		t.Fatalf("only %d sales orders to plant differences on", len(orders))
	}
	missing, duplicated, refid, model := orders[0], orders[1], orders[2], orders[3]
	const extra = "JST-999999999"

	stored := func(no string) map[string]any {
		for _, b := range s.sims.Kingdee.Bills("SAL_SaleOrder") {
			if b.BillNo == no {
				var m map[string]any
				_ = json.Unmarshal(b.Model, &m)
				delete(m, "FID")
				return m
			}
		}
		t.Fatalf("no bill %s", no)
		return nil
	}
	save := func(form string, m map[string]any) {
		t.Helper()
		if _, err := s.kingdee.Save(ctx, form, kingdee.SaveRequest{Model: m}); err != nil {
			t.Fatalf("plant %s %v: %v", form, m["FBillNo"], err)
		}
	}
	del := func(no string) {
		t.Helper()
		if _, err := s.kingdee.Delete(ctx, "SAL_SaleOrder", []string{no}); err != nil {
			t.Fatalf("delete %s: %v", no, err)
		}
	}

	del(missing)
	again := stored(refid)
	del(refid)
	save("SAL_SaleOrder", again)
	m := stored(model)
	m["FBillNo"] = extra
	save("SAL_SaleOrder", m)
	save("SAL_OUTSTOCK", outStockModel(t, s, expected[duplicated]))

	// Bills are dated by the order date, which may precede the modified
	// times of the simulator's span by days: cover both.
	now := time.Now()
	var rep adminv1.ReconcileResponse
	s.obctlJSON(&rep, "reconcile",
		"--from", now.Add(-30*24*time.Hour).Format(time.RFC3339),
		"--to", now.Add(time.Hour).Format(time.RFC3339))

	type diff struct{ kind, bill, key string }
	var got []diff
	for kind, ds := range map[string][]*adminv1.Difference{
		"missing": rep.Missing, "extra": rep.Extra,
		"duplicated": rep.Duplicated, "differing": rep.Differing,
	} {
		for _, d := range ds {
			got = append(got, diff{kind, d.BillNo, d.DocKey})
		}
	}
	keyOf := func(no string) string {
		return "order." + strings.TrimPrefix(no, "JST-")
	}
	want := []diff{
		{"differing", missing, keyOf(missing)},
		{"differing", refid, keyOf(refid)},
		{"duplicated", duplicated, keyOf(duplicated)},
		{"extra", extra, ""},
		{"missing", missing, keyOf(missing)},
	}
	cmp := func(a, b diff) int { return strings.Compare(a.kind+a.bill, b.kind+b.bill) }
	slices.SortFunc(got, cmp)
	if !slices.Equal(got, want) {
		t.Errorf("reconcile differences = %v\nwant %v\nreport: %v", got, want, &rep)
	}
	if rep.Expected != uint64(len(expected)) || rep.Found != uint64(len(expected)-1) {
		t.Errorf("reconcile expected %d, found %d; want %d, %d",
			rep.Expected, rep.Found, len(expected), len(expected)-1)
	}
	checkReconcileMetric(t, s, map[string]float64{
		"missing": 1, "extra": 1, "duplicated": 1, "differing": 2,
	})

	table := s.mustObctl("reconcile", "--from", "720h", "--to", "0s")
	if !strings.Contains(table, "missing 1, extra 1, duplicated 1, differing 2") {
		t.Errorf("reconcile table = %q", table)
	}
}

// outStockModel builds the SAL_OUTSTOCK bill of an expected order, as a
// deployment that switched its order form would have posted it.
func outStockModel(t *testing.T, s *stack, x standalone.Expected) map[string]any {
	t.Helper()
	rules := s.sims.DemoRules()
	rules.OrderForm = mapping.FormOutStock
	mp, err := mapping.New(rules)
	if err != nil {
		t.Fatal(err)
	}
	res, err := mapping.Preview(mp, bill.DefaultSettings(), "order", s.sims.JST.Raw("order", x.Order.ID))
	if err != nil || res.FormID != mapping.FormOutStock {
		t.Fatalf("preview as SAL_OUTSTOCK: %v, %v", res, err)
	}
	var m map[string]any
	if err := json.Unmarshal(res.Model, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func checkReconcileMetric(t *testing.T, s *stack, want map[string]float64) {
	t.Helper()
	mfs, err := s.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "orderbridge_admin_reconcile_differences" {
			continue
		}
		for _, m := range mf.GetMetric() {
			got[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("orderbridge_admin_reconcile_differences = %v, want %v", got, want)
	}
}
