package writer_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/writer"
)

// TestUpdatesFollowTheBillsState walks one document through versions: a
// new version of a submitted bill is withdrawn, saved and submitted
// again; an older version changes nothing; a version after audit is
// dead-lettered.
func TestUpdatesFollowTheBillsState(t *testing.T) {
	t.Parallel()
	r := newRig(t, kingdeesim.Options{})
	r.start(r.config(func(c *writer.Config) { c.Submit = true }))
	check := func(step, status, qty string, saves int) {
		t.Helper()
		drained(t, r.env.JS, 30*time.Second)
		got := bills(r.sim, bill.FormSaleOrder)
		b := got["JST-1"]
		if len(got) != 1 || b.Status != status || qtyOf(t, b) != qty || b.Saves != saves {
			t.Fatalf("%s: JST-1 = %s qty %s saves %d (of %d bills), want %s qty %s saves %d",
				step, b.Status, qtyOf(t, b), b.Saves, len(got), status, qty, saves)
		}
	}

	r.publish(order("1", 1, "2"))
	check("first version", "B", "2", 1)

	r.publish(order("1", 2, "5"))
	check("newer version", "B", "5", 2)
	if n := r.script.count("CancelAssign"); n != 1 {
		t.Errorf("CancelAssign calls = %d, want 1", n)
	}

	r.publish(order("1", 1, "3"))
	check("older version", "B", "5", 2)

	if _, err := client(t, r).Audit(context.Background(), bill.FormSaleOrder,
		[]string{"JST-1"}); err != nil {
		t.Fatal(err)
	}
	r.publish(order("1", 3, "9"))
	check("version after audit", "C", "5", 2)
	h := deadLetters(t, r.env.JS)["order.1"]
	if h.Get(bus.HeaderReason) != "changed_after_audit" {
		t.Errorf("dead letter of order.1 = %v, want reason changed_after_audit", h)
	}
}

// TestVersionsInOneBatchCollapse posts only the newest of several
// versions in one batch. The batch is fetched by the test and handed to
// the writer whole: how a consume loop's pulls split messages is the
// server's affair, and a split batch is covered by the ledger instead.
func TestVersionsInOneBatchCollapse(t *testing.T) {
	t.Parallel()
	r := newRig(t, kingdeesim.Options{})
	r.publish(order("1", 1, "1"), order("1", 3, "3"), order("1", 2, "2"), order("2", 1, "4"))
	w, _ := r.writer(r.config(nil))

	ctx := context.Background()
	cons, err := r.env.JS.Consumer(ctx, bus.StreamCanon, bus.ConsumerWriter)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(4, jetstream.FetchMaxWait(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []jetstream.Msg
	for msg := range batch.Messages() {
		msgs = append(msgs, msg)
	}
	if len(msgs) != 4 {
		t.Fatalf("fetched %d messages, want 4 (%v)", len(msgs), batch.Error())
	}

	for i, err := range w.HandleBatch(ctx, msgs) {
		if err != nil {
			t.Errorf("message %d: %v", i, err)
		}
	}
	got := bills(r.sim, bill.FormSaleOrder)
	if _, ok := got["JST-2"]; len(got) != 2 || !ok {
		t.Fatalf("%d bills, want JST-1 and JST-2", len(got))
	}
	if q, n := qtyOf(t, got["JST-1"]), got["JST-1"].Saves; q != "3" || n != 1 {
		t.Errorf("JST-1 qty %s saved %d times, want qty 3 saved once", q, n)
	}
	if n := r.script.count("BatchSave"); n != 1 {
		t.Errorf("BatchSave calls = %d, want 1", n)
	}
}

// TestPausedFormWaits holds documents of a paused form until it resumes.
func TestPausedFormWaits(t *testing.T) {
	t.Parallel()
	r := newRig(t, kingdeesim.Options{})
	ctx := context.Background()
	kv, err := r.env.JS.KeyValue(ctx, bus.BucketState)
	if err != nil {
		t.Fatal(err)
	}
	if err := control.SetPause(ctx, kv, control.ScopeWriter, bill.FormSaleOrder, true,
		"month-end close"); err != nil {
		t.Fatal(err)
	}
	r.publish(order("1", 1, "2"))
	r.start(r.config(func(c *writer.Config) { c.PauseDelay = 300 * time.Millisecond }))

	time.Sleep(time.Second)
	if n := len(r.sim.Bills(bill.FormSaleOrder)); n != 0 {
		t.Fatalf("bills while paused = %d, want 0", n)
	}
	if err := control.SetPause(ctx, kv, control.ScopeWriter, bill.FormSaleOrder, false,
		""); err != nil {
		t.Fatal(err)
	}
	drained(t, r.env.JS, 30*time.Second)
	if n := len(r.sim.Bills(bill.FormSaleOrder)); n != 1 {
		t.Errorf("bills after resuming = %d, want 1", n)
	}
}
