package standalone_test

import (
	"bytes"
	"context"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/pkg/embeddednats"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/standalone"
)

// hostileCase is one document JST serves in a hostile form, and what must
// become of it: posted with the right content, or dead-lettered by stage
// with a reason and an error naming the field and the value.
type hostileCase struct {
	name string
	key  string // the document's key as jstsim knows it
	raw  []byte
	// mustDLQ is set when the document cannot be posted; then reason,
	// field and value must appear in its dead letter.
	mustDLQ bool
	stage   string
	reason  string
	field   string
	value   string
	// docKey is the key the dead letter names (empty: the document's id
	// itself is the hostile value, and the error names it).
	docKey string
}

// hostileDocs picks documents of sim that are synced by the default rules
// and turns each into a hostile variant. It returns the cases and the keys
// it used, so that clones avoid them.
func hostileDocs(t *testing.T, sim *jstsim.Sim) []hostileCase {
	t.Helper()
	var sent []jstsim.Order
	for _, o := range sim.Orders() {
		if o.Status == "Sent" {
			sent = append(sent, o)
		}
	}
	var returns []jstsim.AfterSale
	for _, a := range sim.AfterSales() {
		if a.Type == "普通退货" && a.Status == "Confirmed" && a.GoodStatus == "SELLER_RECEIVED" {
			returns = append(returns, a)
		}
	}
	// Older rows only: the newest are read again on every pass.
	slices.SortFunc(sent, func(a, b jstsim.Order) int { return int(a.TS - b.TS) })
	slices.SortFunc(returns, func(a, b jstsim.AfterSale) int { return int(a.TS - b.TS) })
	if len(sent) < 10 || len(returns) < 4 {
		t.Fatalf("too few synced documents: %d orders, %d returns", len(sent), len(returns))
	}

	order := func(i int) (string, []field) {
		id := sent[i+1].ID
		return "order." + strconv.FormatInt(id, 10), docFields(t, sim.Raw("order", id))
	}
	aftersale := func(i int) (string, []field) {
		id := returns[i+1].ID
		return "aftersale." + strconv.FormatInt(id, 10), docFields(t, sim.Raw("aftersale", id))
	}
	huge := `"` + strings.Repeat("备注", 2<<20/6) + `"` // 2 MiB of text
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	badUTF8 := []byte("\"\xff\xfe broken \xc3\x28 text\"")

	var cases []hostileCase
	add := func(c hostileCase, fields []field) {
		c.raw = joinFields(fields)
		cases = append(cases, c)
	}

	k, f := order(0)
	add(hostileCase{name: "o_id a word", key: k, mustDLQ: true, stage: "poller",
		reason: "malformed_document", field: "o_id", value: "eight hundred"},
		setField(f, "o_id", []byte(`"eight hundred"`)))
	k, f = order(1)
	add(hostileCase{name: "modified a number", key: k, stage: "poller",
		reason: "malformed_document", field: "modified", value: "1764547200", docKey: k},
		setField(f, "modified", []byte(`1764547200`)))
	k, f = order(2)
	add(hostileCase{name: "items a string", key: k, mustDLQ: true, stage: "transformer",
		field: "items", value: "none", docKey: k},
		setField(f, "items", []byte(`"none"`)))
	k, f = order(3)
	add(hostileCase{name: "qty an object", key: k, mustDLQ: true, stage: "transformer",
		field: "qty", value: "object", docKey: k},
		rewriteItem0(t, f, func(it []field) []field {
			return setField(it, "qty", []byte(`{"value":1}`))
		}))
	k, f = order(4)
	add(hostileCase{name: "2 MiB remark", key: k, mustDLQ: true, stage: "poller",
		reason: "document_too_large", field: "remark", value: "bytes", docKey: k},
		setField(f, "remark", []byte(huge)))
	k, f = order(5)
	add(hostileCase{name: "100,000 levels of [", key: k, mustDLQ: true, stage: "poller",
		reason: "malformed_document", field: "extra", value: "nested too deep", docKey: k},
		setField(f, "extra", []byte(deep)))
	k, f = order(6)
	f = setField(f, "so_id", badUTF8)
	f = setField(f, "shop_name", badUTF8)
	f = setField(f, "remark", badUTF8)
	add(hostileCase{name: "invalid UTF-8 in strings", key: k, docKey: k},
		rewriteItem0(t, f, func(it []field) []field {
			return setField(it, "name", badUTF8)
		}))
	k, f = aftersale(0)
	add(hostileCase{name: "r_qty a word", key: k, mustDLQ: true, stage: "transformer",
		field: "r_qty", value: "lots", docKey: k},
		rewriteItem0(t, f, func(it []field) []field {
			return setField(it, "r_qty", []byte(`"lots"`))
		}))
	k, f = aftersale(1)
	f = setField(f, "so_id", badUTF8)
	f = setField(f, "question_type", badUTF8)
	add(hostileCase{name: "invalid UTF-8 in an after-sale", key: k, docKey: k},
		rewriteItem0(t, f, func(it []field) []field {
			return setField(it, "name", badUTF8)
		}))
	return cases
}

// cloneBase is the first as_id of the clones of the big page.
const cloneBase = 90_000_000

// bigPageRows is the rows of the big page: 50,000, or 5,000 with -short.
func bigPageRows() int {
	if testing.Short() {
		return 5_000
	}
	return 50_000
}

// bigPage makes n clones of jstsim's after-sales (other than those in
// skip) with new ids, the page they go on (that of the oldest after-sale)
// and the bills the default rules make of them.
func bigPage(
	t *testing.T,
	sim *jstsim.Sim,
	n int,
	skip map[string]bool,
) (string, [][]byte, map[string]standalone.Expected) {
	t.Helper()
	all := sim.AfterSales()
	slices.SortFunc(all, func(a, b jstsim.AfterSale) int { return int(a.TS - b.TS) })
	at := "aftersale." + strconv.FormatInt(all[0].ID, 10)
	src := all[:0:0]
	for _, a := range all {
		if !skip["aftersale."+strconv.FormatInt(a.ID, 10)] {
			src = append(src, a)
		}
	}
	want := standalone.ExpectedBills(sim)
	clones := make([][]byte, n)
	exp := map[string]standalone.Expected{}
	for i := range n {
		a := src[i%len(src)]
		id := int64(cloneBase + i)
		fields := setField(docFields(t, sim.Raw("aftersale", a.ID)), "as_id",
			[]byte(strconv.FormatInt(id, 10)))
		clones[i] = joinFields(fields)
		if e, ok := want["JST-AS-"+strconv.FormatInt(a.ID, 10)]; ok {
			c := *e.AfterSale
			c.ID = id
			e.AfterSale, e.BillNo = &c, "JST-AS-"+strconv.FormatInt(id, 10)
			exp[e.BillNo] = e
		}
	}
	return at, clones, exp
}

// deadLetter is one message of the DLQ stream.
type deadLetter struct {
	subject string
	hdr     nats.Header
	size    int
}

// readDLQ starts the pipeline's JetStream server again on its store and
// reads every dead letter.
func readDLQ(t *testing.T, store string) []deadLetter {
	t.Helper()
	srv, err := embeddednats.Start(embeddednats.Options{StoreDir: store})
	if err != nil {
		t.Fatalf("restart JetStream: %v", err)
	}
	defer srv.Shutdown()
	_, js := bustest.Connect(t, srv.ClientURL())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream, err := js.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		t.Fatalf("DLQ stream: %v", err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []deadLetter
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := stream.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("DLQ message %d: %v", seq, err)
		}
		out = append(out, deadLetter{subject: m.Subject, hdr: m.Header, size: len(m.Data)})
	}
	return out
}

// TestHostileInputIsPostedOrDeadLetteredNeverLost runs the pipeline
// against both simulators behind proxies that make JST serve malformed
// and hostile documents, a page of thousands of cloned rows and bodies
// that are not JSON, and make Kingdee answer some writes with an HTML
// page, an empty body or 80 MiB, before or after committing them. Every
// document must end posted once with the right content, filtered, or
// dead-lettered with a reason naming it, its field and the value, and the
// pipeline must drain.
func TestHostileInputIsPostedOrDeadLetteredNeverLost(t *testing.T) {
	sims := startSims(t, kingdeesim.Options{})
	cases := hostileDocs(t, sims.JST)
	hostile := map[string]bool{}
	rewrite := map[string][]byte{}
	for _, c := range cases {
		hostile[c.key] = true
		rewrite[c.key] = c.raw
	}
	cloneAt, clones, cloneBills := bigPage(t, sims.JST, bigPageRows(), hostile)

	jp := &jstProxy{
		t: t, target: sims.JSTURL, rewrite: rewrite, cloneAt: cloneAt, clones: clones,
		badBody: map[int][]byte{
			2: []byte(badGatewayPage), // a gateway's error page with status 200
			4: nil,                    // an empty body
			5: []byte(`{"code":0,"msg":"执行成功","data":{"page_index":1,"orders":[{"o_id"`),
		},
		served: map[string]bool{},
	}
	kp := &kingdeeProxy{
		target: strings.TrimSuffix(sims.KingdeeURL, "/k3cloud/"),
		script: map[string]map[int]kingdeeAnswer{
			"BatchSave": {
				2: {forward: true, body: "html"},
				3: {forward: false, body: "empty"},
				4: {forward: true, body: "huge"},
				5: {forward: false, body: "html"},
				6: {forward: true, body: "empty"},
			},
			"Submit": {
				1: {forward: true, body: "empty"},
				2: {forward: false, body: "huge"},
				3: {forward: true, body: "html"},
			},
		},
		calls: map[string]int{},
	}

	store := t.TempDir()
	cfg := pipelineConfig(sims, store)
	cfg.Poller.BaseURL = newProxy(t, jp)
	cfg.Poller.RetryDelay, cfg.Poller.RetryMaxDelay = 100*time.Millisecond, time.Second
	cfg.Writer.Kingdee.BaseURL = newProxy(t, kp) + "/k3cloud/"
	cfg.Writer.Submit = true

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var peak uint64
	stopPeak := watchHeap(&peak)
	start := time.Now()
	s := runPipeline(t, ctx, cfg)
	stopPeak()
	if ctx.Err() != nil {
		t.Fatalf("pipeline did not drain (wedged?): %v", s)
	}
	t.Logf("run: %v in %s; big page of %d rows on %d pages; heap peak %d MiB",
		s, time.Since(start).Round(100*time.Millisecond), len(clones), jp.clonesIn, peak>>20)
	t.Logf("Kingdee answers spoiled: %s", strings.Join(kp.spoiled, ", "))
	if jp.clonesIn == 0 {
		t.Error("the big page was never served")
	}
	if jp.queries < len(jp.badBody)+1 {
		t.Errorf("only %d JST queries: the bodies that are not JSON were not all served",
			jp.queries)
	}

	dlq := readDLQ(t, store)
	byStage := map[string]int{}
	for _, d := range dlq {
		byStage[d.hdr.Get(bus.HeaderStage)]++
		if d.size > 1<<20 {
			t.Errorf("dead letter %s of %d bytes", d.subject, d.size)
		}
	}

	// Every hostile document: dead-lettered with a clear reason, or posted.
	want := standalone.ExpectedBills(sims.JST)
	for _, c := range cases {
		bill := billNo(c.key)
		exp := want[bill]
		delete(want, bill)
		d, found := findDeadLetter(dlq, c)
		switch {
		case found:
			checkReason(t, c, d)
		case c.mustDLQ:
			t.Errorf("%s (%s): no dead letter naming it", c.name, c.key)
		default:
			want[bill] = exp // must be posted, with the right content
			checkRepaired(t, sims, c, bill)
		}
	}
	for no, e := range cloneBills {
		want[no] = e
	}
	checkKingdee(t, sims, want)

	// Counts: every document served is stored or dead-lettered by the
	// poller; every stored one is published, filtered or dead-lettered by
	// the transformer; every published one posted or dead-lettered.
	served := len(jp.served) + len(clones)
	if got := s.Polled + byStage["poller"]; got != served {
		t.Errorf("poller stored %d + dead-lettered %d = %d, want %d served",
			s.Polled, byStage["poller"], got, served)
	}
	if got := s.Transformed + s.Filtered + byStage["transformer"]; got != s.Polled {
		t.Errorf("transformer published %d + filtered %d + dead-lettered %d = %d, want %d",
			s.Transformed, s.Filtered, byStage["transformer"], got, s.Polled)
	}
	if got := s.Posted + byStage["writer"]; got != s.Transformed {
		t.Errorf("writer posted %d + dead-lettered %d = %d, want %d transformed",
			s.Posted, byStage["writer"], got, s.Transformed)
	}
	if s.Posted != len(want) {
		t.Errorf("posted %d, want %d", s.Posted, len(want))
	}
}

// checkRepaired asserts that the bill of the order with invalid UTF-8
// holds valid text, the bad bytes replaced by U+FFFD (its so_id goes to
// FNote). The return bill carries none of the texts spoiled in the
// after-sale; it is checked for its content only.
func checkRepaired(t *testing.T, sims *standalone.Simulators, c hostileCase, bill string) {
	t.Helper()
	if !strings.Contains(c.name, "UTF-8") || !strings.HasPrefix(c.key, "order.") {
		return
	}
	for _, f := range forms {
		for _, b := range sims.Kingdee.Bills(f) {
			if b.BillNo != bill {
				continue
			}
			if !utf8.Valid(b.Model) || !bytes.ContainsRune(b.Model, utf8.RuneError) {
				t.Errorf("%s: bill %s does not carry the text repaired to U+FFFD: %.300s",
					c.name, bill, b.Model)
			}
			return
		}
	}
}

func billNo(key string) string {
	kind, id, _ := strings.Cut(key, ".")
	if kind == "aftersale" {
		return "JST-AS-" + id
	}
	return "JST-" + id
}

// findDeadLetter returns the dead letter of c: the one whose doc key is
// c's, or, for a document whose id is the hostile value, the one whose
// error names it.
func findDeadLetter(dlq []deadLetter, c hostileCase) (deadLetter, bool) {
	for _, d := range dlq {
		if c.docKey != "" && d.hdr.Get(bus.HeaderDocKey) == c.docKey {
			return d, true
		}
		if c.docKey == "" && strings.Contains(d.hdr.Get(bus.HeaderError), c.value) {
			return d, true
		}
	}
	return deadLetter{}, false
}

// checkReason asserts that a dead letter says which stage gave up, why,
// and names the document, the field and the value.
func checkReason(t *testing.T, c hostileCase, d deadLetter) {
	t.Helper()
	errText := d.hdr.Get(bus.HeaderError)
	t.Logf("%s: %s %s: %s", c.name, d.hdr.Get(bus.HeaderStage),
		d.hdr.Get(bus.HeaderReason), errText)
	if c.stage != "" && d.hdr.Get(bus.HeaderStage) != c.stage {
		t.Errorf("%s: dead-lettered by %q, want %q", c.name, d.hdr.Get(bus.HeaderStage), c.stage)
	}
	if c.reason != "" && d.hdr.Get(bus.HeaderReason) != c.reason {
		t.Errorf("%s: reason %q, want %q", c.name, d.hdr.Get(bus.HeaderReason), c.reason)
	}
	if d.hdr.Get(bus.HeaderReason) == "" || d.hdr.Get(bus.HeaderErrorClass) == "" {
		t.Errorf("%s: dead letter without reason or class: %v", c.name, d.hdr)
	}
	_, id, _ := strings.Cut(c.key, ".")
	for _, want := range []string{c.field, c.value} {
		if !strings.Contains(errText, want) {
			t.Errorf("%s: error %q does not name %q", c.name, errText, want)
		}
	}
	if c.docKey != "" && !strings.Contains(errText, id) {
		t.Errorf("%s: error %q does not name the document %s", c.name, errText, id)
	}
}

// watchHeap samples the heap in use until the returned function is
// called, keeping the peak in *peak.
func watchHeap(peak *uint64) func() {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-stopped }
}
