package jstsim_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

// orderMoves are the status changes Step may make to an existing order.
var orderMoves = map[string][]string{
	"WaitPay":     {"WaitConfirm", "Delivering", "Cancelled"},
	"WaitConfirm": {"Delivering", "Cancelled", "Split", "Merged"},
	"Question":    {"Delivering"},
	"Delivering":  {"Sent", "Split"},
}

func allowed(moves map[string][]string, from, to string) bool {
	for _, s := range moves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// TestStepLifecycles makes live changes one at a time and checks each
// against the lifecycles: the statuses moved, what new documents look
// like, and that every change has modified = now and a new highest ts.
func TestStepLifecycles(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 8, Orders: 120, AfterSales: 40})
	seen := map[string]int{}

	for step := range 400 {
		e.clock.Add(time.Second)
		now := e.clock.Now()
		orders, afterSales := byID(e.sim.Orders()), asByID(e.sim.AfterSales())
		maxTS := int64(0)
		for _, v := range e.sim.Versions() {
			maxTS = max(maxTS, v)
		}

		e.sim.Step(1)

		changes := 0
		for _, o := range e.sim.Orders() {
			old, existed := orders[o.ID]
			if existed && old.TS == o.TS {
				continue
			}
			changes++
			if !o.Modified.Equal(now) || o.TS <= maxTS {
				t.Errorf("step %d: order %d modified %s ts %d, want %s and ts > %d",
					step, o.ID, o.Modified, o.TS, now, maxTS)
			}
			switch {
			case !existed && (o.IsSplit || o.IsMerge):
				seen["split or merge child"]++
			case !existed:
				seen["new order"]++
				if o.Status != "WaitPay" {
					t.Errorf("step %d: new order %d is %s, want WaitPay", step, o.ID, o.Status)
				}
			case old.Status != o.Status:
				seen[o.Status]++
				if !allowed(orderMoves, old.Status, o.Status) {
					t.Errorf("step %d: order %d moved %s -> %s", step, o.ID, old.Status, o.Status)
				}
			}
		}
		for _, a := range e.sim.AfterSales() {
			old, existed := afterSales[a.ID]
			if existed && old.TS == a.TS {
				continue
			}
			changes++
			if !a.Modified.Equal(now) || a.TS <= maxTS {
				t.Errorf("step %d: after-sale %d modified %s ts %d, want %s and ts > %d",
					step, a.ID, a.Modified, a.TS, now, maxTS)
			}
			switch {
			case !existed:
				seen["new after-sale"]++
				if a.Status != "WaitConfirm" || orders[a.OrderID].Status != "Sent" {
					t.Errorf("step %d: new after-sale %d is %s of a %s order",
						step, a.ID, a.Status, orders[a.OrderID].Status)
				}
			case old.Status != "WaitConfirm" || (a.Status != "Confirmed" && a.Status != "Cancelled"):
				t.Errorf("step %d: after-sale %d moved %s -> %s", step, a.ID, old.Status, a.Status)
			case a.Status == "Confirmed":
				seen["after-sale confirmed"]++
				returned := a.Type == "普通退货" || a.Type == "拒收退货" || a.Type == "换货"
				if returned && a.GoodStatus != "SELLER_RECEIVED" {
					t.Errorf("step %d: confirmed return %d has good_status %s",
						step, a.ID, a.GoodStatus)
				}
			}
		}
		if changes == 0 {
			t.Errorf("step %d changed nothing", step)
		}
	}

	for _, what := range []string{
		"new order", "WaitConfirm", "Delivering", "Sent", "Cancelled", "Split",
		"Merged", "split or merge child", "new after-sale", "after-sale confirmed",
	} {
		if seen[what] == 0 {
			t.Errorf("400 steps made no %q (saw %v)", what, seen)
		}
	}
	t.Logf("400 steps: %v", seen)
	checkInvariants(t, e.sim)
}

// checkInvariants checks what must hold of every document at any time.
func checkInvariants(t *testing.T, sim *jstsim.Sim) {
	t.Helper()
	orders := byID(sim.Orders())
	var lastID int64
	for _, o := range sim.Orders() {
		if o.ID <= lastID {
			t.Errorf("order %d after %d: not by ascending id", o.ID, lastID)
		}
		lastID = o.ID
		sum := decimal.Zero
		for _, it := range o.Items {
			sum = sum.Add(dec(t, it.Amount))
		}
		want := sum.Add(dec(t, o.Freight)).Sub(dec(t, o.FreeAmount))
		if !dec(t, o.PayAmount).Equal(want) || want.IsNegative() {
			t.Errorf("order %d: pay_amount %s, want %s", o.ID, o.PayAmount, want)
		}
		if _, err := jst.ParseOrder(sim.Raw("order", o.ID)); err != nil {
			t.Errorf("ParseOrder(order %d) = %v", o.ID, err)
		}
	}
	for _, a := range sim.AfterSales() {
		if o := orders[a.OrderID]; o.Status != "Sent" || o.ShopID != a.ShopID {
			t.Errorf("after-sale %d: order %d is %q in shop %q", a.ID, a.OrderID,
				o.Status, o.ShopID)
		}
		for _, it := range a.Items {
			if it.RQty > it.Qty || it.DefectiveQty > it.RQty {
				t.Errorf("after-sale %d: qty %d r_qty %d defective %d",
					a.ID, it.Qty, it.RQty, it.DefectiveQty)
			}
		}
		if _, err := jst.ParseAfterSale(sim.Raw("aftersale", a.ID)); err != nil {
			t.Errorf("ParseAfterSale(after-sale %d) = %v", a.ID, err)
		}
	}
}

func byID(orders []jstsim.Order) map[int64]jstsim.Order {
	m := make(map[int64]jstsim.Order, len(orders))
	for _, o := range orders {
		m[o.ID] = o
	}
	return m
}

func asByID(list []jstsim.AfterSale) map[int64]jstsim.AfterSale {
	m := make(map[int64]jstsim.AfterSale, len(list))
	for _, a := range list {
		m[a.ID] = a
	}
	return m
}

func TestStepDeterministic(t *testing.T) {
	run := func() *env {
		e := newEnv(t, jstsim.Options{Seed: 4, Orders: 50, AfterSales: 10})
		for range 20 {
			e.clock.Add(3 * time.Second)
			e.sim.Step(10)
		}
		return e
	}
	a, b := run(), run()
	va, vb := a.sim.Versions(), b.sim.Versions()
	if len(va) != len(vb) || len(va) <= 60 {
		t.Fatalf("versions %d and %d, want equal and above 60", len(va), len(vb))
	}
	for key, v := range va {
		if vb[key] != v {
			t.Errorf("%s: ts %d and %d", key, v, vb[key])
		}
	}
	for _, o := range a.sim.Orders() {
		if !bytes.Equal(a.sim.Raw("order", o.ID), b.sim.Raw("order", o.ID)) {
			t.Fatalf("order %d differs between two runs of one seed", o.ID)
		}
	}
}

// TestVersionsMatchServed checks that Versions and the snapshots give the
// ts each document is served with.
func TestVersionsMatchServed(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 6, Orders: 40, AfterSales: 10})
	e.sim.Step(30)
	versions := e.sim.Versions()
	q := jst.Query{StartTS: 1, PageSize: 50}
	for _, kind := range []jst.Kind{jst.KindOrder, jst.KindAfterSale} {
		for _, d := range collect(t, e.client, kind, withPageSize(q, 50)) {
			meta, err := jst.ParseMeta(kind, d)
			if err != nil {
				t.Fatal(err)
			}
			if key := meta.Key(); versions[key] != meta.Version {
				t.Errorf("%s served with ts %d, Versions says %d",
					key, meta.Version, versions[key])
			}
		}
	}
	for _, o := range e.sim.Orders() {
		if key := "order." + strconv.FormatInt(o.ID, 10); versions[key] != o.TS {
			t.Errorf("Orders() ts %d, Versions %d for %s", o.TS, versions[key], key)
		}
	}
}

func TestRunLive(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 10, AfterSales: 2})
	before := e.sim.Versions()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.sim.RunLive(ctx, time.Millisecond, 3)
		close(done)
	}()
	deadline := time.After(10 * time.Second)
	for len(changed(before, e.sim.Versions())) < 3 {
		select {
		case <-deadline:
			t.Fatal("RunLive changed fewer than 3 documents in 10s")
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	<-done
}
