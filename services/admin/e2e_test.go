package admin_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/mapping"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/standalone"
)

// shopOf returns the JST shop of an expected bill's source document.
func shopOf(x standalone.Expected) string {
	if x.Order != nil {
		return x.Order.ShopID
	}
	return x.AfterSale.ShopID
}

// TestObctlDrivesThePipeline runs the pipeline on a broken shop table,
// then mends it with obctl: a redrive of the unknown_shop dead letters, a
// replay of one shop's raw documents after a customer fix, a replay of
// CANON that posts nothing twice, and the other commands on the way.
func TestObctlDrivesThePipeline(t *testing.T) {
	s := newStack(t, jstsim.Options{
		Seed: 11, Orders: 60, AfterSales: 24, Shops: 3,
		RatePerSecond: -1, RatePerMinute: -1,
	})
	shops := s.sims.JST.Shops()
	lost, wrong, right := shops[0].ID, shops[1].ID, shops[2].ID
	expected := standalone.ExpectedBills(s.sims.JST)

	// The first shop table lacks one shop and gives another the wrong
	// (but existing) customer.
	s.sims.Kingdee.AddCustomers("CUST-OLD")
	broken := s.sims.DemoRules()
	broken.Shops = maps.Clone(broken.Shops)
	delete(broken.Shops, lost)
	broken.Shops[wrong] = mapping.Shop{Customer: "CUST-OLD", SaleOrg: "100"}
	fixed := s.sims.DemoRules()
	forced := 0 // documents of the forced replay, left for the writer

	steps := []struct {
		name string
		fn   func(t *testing.T)
	}{
		{"first run dead-letters the unknown shop", func(t *testing.T) {
			s.runPipeline(broken)
			var res adminv1.ListDeadLettersResponse
			s.obctlJSON(&res, "dlq", "list", "--reason", "unknown_shop", "--limit", "1000")
			want := 0
			for _, x := range expected {
				if shopOf(x) == lost {
					want++
				}
			}
			if len(res.DeadLetters) != want || want == 0 {
				t.Fatalf("dlq list --reason unknown_shop = %d dead letters, want %d",
					len(res.DeadLetters), want)
			}
		}},
		{"status", func(t *testing.T) { checkStatus(t, s) }},
		{"dlq show masks buyer fields", func(t *testing.T) { checkShow(t, s) }},
		{"redrive after fixing the shop table", func(t *testing.T) {
			out := s.mustObctl("dlq", "redrive", "--reason", "unknown_shop")
			if !strings.Contains(out, " redriven, 0 skipped") {
				t.Errorf("dlq redrive said %q", out)
			}
			s.runPipeline(fixed)
			var res adminv1.ListDeadLettersResponse
			s.obctlJSON(&res, "dlq", "list", "--reason", "unknown_shop")
			if len(res.DeadLetters) != 0 {
				t.Errorf("after redrive, %d unknown_shop dead letters remain", len(res.DeadLetters))
			}
			bills := s.billsByNo()
			for no, x := range expected {
				if shopOf(x) == lost && len(bills[no]) != 1 {
					t.Errorf("bill %s of the mended shop held %d times, want 1", no, len(bills[no]))
				}
			}
		}},
		{"replay JST_RAW after a mapping fix", func(t *testing.T) {
			out := s.mustObctl("replay", "--stream", "JST_RAW", "--from-seq", "1",
				"--subject", "jst.raw.*."+wrong)
			if !strings.Contains(out, "published again") {
				t.Errorf("replay said %q", out)
			}
			s.runPipeline(fixed)
			checkCorrected(t, s, expected, wrong, right)
		}},
		{"replay CANON posts nothing twice", func(t *testing.T) {
			before := totalSaves(s)
			s.mustObctl("replay", "--stream", "CANON", "--from-seq", "1")
			s.runPipeline(fixed)
			if after := totalSaves(s); after != before {
				t.Errorf("Kingdee saves = %d after replaying CANON, want %d as before", after, before)
			}
			checkOncePerBill(t, s, expected)
		}},
		{"forced replay marks the messages", func(t *testing.T) {
			forced = 0
			for _, x := range expected {
				if shopOf(x) == right {
					forced++
				}
			}
			checkForce(t, s, right, forced)
		}},
		{"bus metrics", func(t *testing.T) { checkBusMetrics(t, s, forced) }},
		{"pause and resume", func(t *testing.T) { checkPause(t, s) }},
		{"topology diff and apply", func(t *testing.T) { checkTopology(t, s) }},
		{"preview", func(t *testing.T) { checkPreview(t, s, expected) }},
		{"redrive skips and purge confirms", func(t *testing.T) { checkPurge(t, s) }},
		{"backfill through a stand-in poller", func(t *testing.T) { checkBackfill(t, s, lost) }},
		{"backfill through the live poller", func(t *testing.T) {
			checkLiveBackfill(t, s, fixed, right)
		}},
		{"reconcile reports the planted differences", func(t *testing.T) {
			checkReconcile(t, s, expected)
		}},
		{"audit lists every action", func(t *testing.T) { checkAudit(t, s) }},
	}
	for _, st := range steps {
		if !t.Run(st.name, st.fn) {
			return
		}
	}
}

func checkStatus(t *testing.T, s *stack) {
	var st adminv1.GetStatusResponse
	s.obctlJSON(&st, "status")
	streams := map[string]*adminv1.StreamStatus{}
	for _, x := range st.Streams {
		streams[x.Name] = x
	}
	for _, name := range []string{bus.StreamRaw, bus.StreamCanon, bus.StreamDLQ, bus.StreamAudit} {
		if streams[name] == nil {
			t.Errorf("status lacks stream %s", name)
		}
	}
	if streams[bus.StreamRaw].GetMessages() == 0 {
		t.Errorf("status: JST_RAW holds no message")
	}
	for _, c := range st.Consumers {
		if c.Pending != 0 || c.AckPending != 0 || c.OldestUnackedAge != nil {
			t.Errorf("consumer %s/%s = pending %d, ack pending %d, oldest %v; want all acked",
				c.Stream, c.Name, c.Pending, c.AckPending, c.OldestUnackedAge)
		}
	}
	if len(st.Consumers) != 2 {
		t.Errorf("status lists %d consumers, want transformer and writer", len(st.Consumers))
	}
	if len(st.Cursors) == 0 || st.Cursors[0].Position == nil || st.Cursors[0].Lag == nil {
		t.Errorf("status cursors = %v, want positions with lag", st.Cursors)
	}
	counts := func(cs []*adminv1.Count) map[string]uint64 {
		m := map[string]uint64{}
		for _, c := range cs {
			m[c.Name] = c.Count
		}
		return m
	}
	ledger := counts(st.LedgerStates)
	if got, want := ledger["saved"], uint64(len(s.billsByNo())); got != want || got == 0 {
		t.Errorf("status ledger saved = %d, want %d bills in Kingdee", got, want)
	}
	if counts(st.DeadLetterReasons)["transformer/unknown_shop"] == 0 {
		t.Errorf("status dead letters = %v, want transformer/unknown_shop", st.DeadLetterReasons)
	}

	table := s.mustObctl("status")
	for _, want := range []string{"JST_RAW", "CANON/writer", "OLDEST UNACKED", "unknown_shop"} {
		if !strings.Contains(table, want) {
			t.Errorf("obctl status table lacks %q:\n%s", want, table)
		}
	}
}

func checkShow(t *testing.T, s *stack) {
	var res adminv1.ListDeadLettersResponse
	s.obctlJSON(&res, "dlq", "list", "--reason", "unknown_shop", "--kind", "order")
	if len(res.DeadLetters) == 0 {
		t.Fatal("no order among the unknown_shop dead letters")
	}
	d := res.DeadLetters[0]
	id, _ := strconv.ParseInt(strings.TrimPrefix(d.DocKey, "order."), 10, 64)
	var raw struct {
		ReceiverName string `json:"receiver_name"`
	}
	if err := json.Unmarshal(s.sims.JST.Raw("order", id), &raw); err != nil || raw.ReceiverName == "" {
		t.Fatalf("raw order %d: %v, receiver %q", id, err, raw.ReceiverName)
	}

	seq := strconv.FormatUint(d.Seq, 10)
	out := s.mustObctl("dlq", "show", seq)
	if strings.Contains(out, raw.ReceiverName) || !strings.Contains(out, `"receiver_name": "***"`) {
		t.Errorf("dlq show %s does not mask receiver_name:\n%s", seq, out)
	}
	for _, want := range []string{"unknown_shop", "shop_id", d.DocKey} {
		if !strings.Contains(out, want) {
			t.Errorf("dlq show %s lacks %q", seq, want)
		}
	}
	if out := s.mustObctl("dlq", "show", seq, "--reveal"); !strings.Contains(out, raw.ReceiverName) {
		t.Errorf("dlq show %s --reveal hides the receiver", seq)
	}
}

// checkCorrected checks that the replayed shop's bills carry the fixed
// customer and were saved once more, and that the other shop's bills were
// left alone.
func checkCorrected(t *testing.T, s *stack, expected map[string]standalone.Expected, wrong, right string) {
	bills := s.billsByNo()
	for no, x := range expected {
		held := bills[no]
		if len(held) != 1 {
			t.Errorf("bill %s held %d times, want 1", no, len(held))
			continue
		}
		b := held[0]
		switch shopOf(x) {
		case wrong:
			if b.Saves != 2 {
				t.Errorf("bill %s of the fixed shop saved %d times, want 2", no, b.Saves)
			}
			if b.FormID == "SAL_SaleOrder" && customerOf(t, b) != standalone.DemoCustomer(wrong) {
				t.Errorf("bill %s customer = %s, want %s", no, customerOf(t, b),
					standalone.DemoCustomer(wrong))
			}
		case right:
			if b.Saves != 1 {
				t.Errorf("bill %s of an untouched shop saved %d times, want 1", no, b.Saves)
			}
		}
	}
}

func checkOncePerBill(t *testing.T, s *stack, expected map[string]standalone.Expected) {
	bills := s.billsByNo()
	if len(bills) != len(expected) {
		t.Errorf("Kingdee holds %d bill numbers, want %d", len(bills), len(expected))
	}
	for no, x := range expected {
		if len(bills[no]) != 1 || bills[no][0].FormID != x.Form {
			t.Errorf("bill %s = %v, want once in %s", no, bills[no], x.Form)
		}
	}
}

func totalSaves(s *stack) int {
	n := 0
	for _, bs := range s.billsByNo() {
		for _, b := range bs {
			n += b.Saves
		}
	}
	return n
}

func checkForce(t *testing.T, s *stack, shop string, want int) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	str, err := s.js.Stream(ctx, bus.StreamCanon)
	if err != nil {
		t.Fatal(err)
	}
	last := str.CachedInfo().State.LastSeq

	// CANON holds each of the shop's documents twice by now (posted, then
	// replayed); only the latest of each is replayed.
	var res adminv1.ReplayResponse
	s.obctlJSON(&res, "replay", "--stream", "CANON", "--from-seq", "1",
		"--subject", "canon.*."+shop, "--force")
	if res.Published != uint64(want) || res.Superseded != uint64(want) || !res.Done {
		t.Fatalf("forced replay = %v, want %d published and %d superseded", &res, want, want)
	}
	for seq := last + 1; seq <= last+uint64(want); seq++ {
		m, err := str.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("CANON %d: %v", seq, err)
		}
		h := m.Header
		if h.Get(bus.HeaderForce) != "true" || h.Get(bus.HeaderReplay) != res.Id ||
			!strings.Contains(h.Get(bus.HeaderMsgID), ":replay:") || h.Get(bus.HeaderDocKey) == "" {
			t.Errorf("CANON %d headers = %v, want Ob-Force, Ob-Replay %s, a fresh id", seq, h, res.Id)
		}
	}

	_, errOut, code := s.obctl("replay", "--stream", "JST_RAW", "--from-seq", "1", "--force")
	if code != 1 || !strings.Contains(errOut, "--force applies to CANON only") {
		t.Errorf("replay JST_RAW --force = exit %d, %q; want a refusal", code, errOut)
	}
}

func checkPause(t *testing.T, s *stack) {
	var res adminv1.SetPauseResponse
	s.obctlJSON(&res, "pause", "writer", "SAL_SaleOrder", "--reason", "month end")
	if len(res.Pauses) != 1 || res.Pauses[0].Reason != "month end" {
		t.Errorf("pause = %v, want writer SAL_SaleOrder", res.Pauses)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	kv, _ := s.js.KeyValue(ctx, bus.BucketState)
	p, err := control.WatchPauses(ctx, kv)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Paused(control.ScopeWriter, "SAL_SaleOrder") {
		t.Error("the writer's pause flag is not set")
	}
	if out := s.mustObctl("status", "--skip-ledger"); !strings.Contains(out, "month end") {
		t.Errorf("status does not show the pause:\n%s", out)
	}
	s.mustObctl("resume", "writer", "SAL_SaleOrder")
	if _, err := kv.Get(ctx, control.PauseKey(control.ScopeWriter, "SAL_SaleOrder")); err == nil {
		t.Error("resume left the pause flag")
	}
	if _, errOut, code := s.obctl("pause", "shop", "1"); code != 1 || !strings.Contains(errOut, "poller") {
		t.Errorf("pause shop 1 = exit %d, %q; want a refusal naming the scopes", code, errOut)
	}
}

func checkTopology(t *testing.T, s *stack) {
	if out := s.mustObctl("topology", "diff"); !strings.Contains(out, "matches") {
		t.Fatalf("topology diff on a fresh server = %q", out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	str, _ := s.js.Stream(ctx, bus.StreamRaw)
	cfg := str.CachedInfo().Config
	cfg.MaxAge = time.Hour
	if _, err := s.js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if out := s.mustObctl("topology", "diff"); !strings.Contains(out, "max_age") {
		t.Errorf("topology diff after a change = %q, want max_age", out)
	}
	if _, _, code := s.obctlIn("no\n", "topology", "apply"); code != 1 {
		t.Errorf("topology apply answered no = exit %d, want 1", code)
	}
	out := s.mustObctl("topology", "apply", "--yes")
	if !strings.Contains(out, "max_age") || !strings.Contains(out, "applied 1 changes") {
		t.Errorf("topology apply = %q, want the diff then applied", out)
	}
	str, _ = s.js.Stream(ctx, bus.StreamRaw)
	if age := str.CachedInfo().Config.MaxAge; age != 30*24*time.Hour {
		t.Errorf("JST_RAW max age = %s after apply, want 720h", age)
	}
}

func checkPreview(t *testing.T, s *stack, expected map[string]standalone.Expected) {
	var x standalone.Expected
	for _, no := range slices.Sorted(maps.Keys(expected)) {
		if expected[no].Order != nil {
			x = expected[no]
			break
		}
	}
	raw := s.sims.JST.Raw("order", x.Order.ID)
	file := filepath.Join(t.TempDir(), "order.json")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	key := "order." + strconv.FormatInt(x.Order.ID, 10)
	for _, args := range [][]string{
		{"preview", "--file", file, "--kind", "order"},
		{"preview", "--key", key},
	} {
		var res adminv1.PreviewResponse
		s.obctlJSON(&res, args...)
		if res.Decision != "sync" || res.Form != x.Form || res.BillNo != x.BillNo ||
			res.DocKey != key || !strings.Contains(res.Bill, "FBillNo") {
			t.Errorf("obctl %v = %v, want %s %s", args, &res, x.Form, x.BillNo)
		}
	}
	if _, errOut, code := s.obctl("preview", "--seq", "99999999"); code != 1 ||
		!strings.Contains(errOut, "no message at sequence") {
		t.Errorf("preview --seq 99999999 = exit %d, %q; want not found", code, errOut)
	}
}

func checkPurge(t *testing.T, s *stack) {
	hdr := bus.DeadLetterHeaders(nil, bus.DeadLetterInfo{
		Stage: "poller", Class: bus.ClassPermanent, Reason: "malformed_document",
		Err: "jst: order: o_id missing", Attempts: 1,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.js.PublishMsg(ctx, natsMsg("dlq.poller.order", `{"so_id":"x"}`, hdr)); err != nil {
		t.Fatal(err)
	}
	out := s.mustObctl("dlq", "redrive", "--stage", "poller")
	if !strings.Contains(out, "0 redriven, 1 skipped") || !strings.Contains(out, "no origin subject") {
		t.Errorf("redrive of a poller dead letter = %q, want it skipped with the reason", out)
	}
	if _, _, code := s.obctlIn("no\n", "dlq", "purge", "--stage", "poller"); code != 1 {
		t.Errorf("purge answered no = exit %d, want 1", code)
	}
	if _, errOut, code := s.obctl("dlq", "purge"); code != 2 || !strings.Contains(errOut, "--all") {
		t.Errorf("purge without a filter = exit %d, %q; want usage naming --all", code, errOut)
	}
	if out, _, _ := s.obctlIn("yes\n", "dlq", "purge", "--stage", "poller"); !strings.Contains(out, "purged 1") {
		t.Errorf("purge = %q, want purged 1", out)
	}
	var res adminv1.ListDeadLettersResponse
	s.obctlJSON(&res, "dlq", "list", "--stage", "poller")
	if len(res.DeadLetters) != 0 {
		t.Errorf("after purge, %d poller dead letters remain", len(res.DeadLetters))
	}
}

func checkAudit(t *testing.T, s *stack) {
	var res adminv1.ListAuditResponse
	s.obctlJSON(&res, "audit", "--limit", "1000")
	seen := map[string]bool{}
	for _, r := range res.Records {
		seen[r.Action] = true
		if r.Actor != "tester" || r.Principal != "token" || r.Time == nil {
			t.Errorf("audit record %v: want actor tester by token", r)
		}
	}
	for _, a := range []string{"replay", "replay.force", "dlq.redrive", "dlq.reveal",
		"dlq.purge", "pause", "topology.apply", "backfill"} {
		if !seen[a] {
			t.Errorf("audit lacks %s; has %v", a, slices.Sorted(maps.Keys(seen)))
		}
	}
	var one adminv1.ListAuditResponse
	s.obctlJSON(&one, "audit", "--action", "replay.force")
	if len(one.Records) != 1 || !strings.Contains(one.Records[0].Details, `"force":true`) {
		t.Errorf("audit --action replay.force = %v", one.Records)
	}
}

func checkBusMetrics(t *testing.T, s *stack, forced int) {
	mfs, err := s.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			labels := []string{}
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			got[mf.GetName()+"{"+strings.Join(labels, ",")+"}"] = m.GetGauge().GetValue()
		}
	}
	for _, name := range []string{
		"orderbridge_admin_stream_messages{stream=JST_RAW}",
		"orderbridge_admin_stream_first_sequence{stream=CANON}",
		"orderbridge_admin_consumer_pending_messages{consumer=writer,stream=CANON}",
		"orderbridge_admin_consumer_ack_pending_messages{consumer=transformer,stream=JST_RAW}",
		"orderbridge_admin_consumer_redelivered_messages{consumer=writer,stream=CANON}",
		"orderbridge_admin_consumer_ack_floor_sequence{consumer=writer,stream=CANON}",
		"orderbridge_admin_bus_scrape_errors{}",
	} {
		if _, ok := got[name]; !ok {
			t.Errorf("metrics lack %s", name)
		}
	}
	if got["orderbridge_admin_stream_messages{stream=JST_RAW}"] == 0 {
		t.Error("orderbridge_admin_stream_messages{stream=JST_RAW} = 0")
	}
	if got["orderbridge_admin_bus_scrape_errors{}"] != 0 {
		t.Error("the bus scrape failed")
	}
	// The forced replay left its messages for the writer.
	if v := got["orderbridge_admin_consumer_pending_messages{consumer=writer,stream=CANON}"]; v != float64(forced) {
		t.Errorf("writer pending = %v, want the %d of the forced replay", v, forced)
	}
}
