package jstsim_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

func newSim(seed int64) *jstsim.Sim {
	return jstsim.New(jstsim.Options{Seed: seed, Now: func() time.Time { return t0 }})
}

func TestDeterministic(t *testing.T) {
	a, b, c := newSim(42), newSim(42), newSim(43)
	same, differ := 0, 0
	for _, o := range a.Orders() {
		if !bytes.Equal(a.Raw("order", o.ID), b.Raw("order", o.ID)) {
			t.Fatalf("seed 42 twice: order %d differs", o.ID)
		}
		if bytes.Equal(a.Raw("order", o.ID), c.Raw("order", o.ID)) {
			same++
		} else {
			differ++
		}
	}
	for _, as := range a.AfterSales() {
		if !bytes.Equal(a.Raw("aftersale", as.ID), b.Raw("aftersale", as.ID)) {
			t.Fatalf("seed 42 twice: after-sale %d differs", as.ID)
		}
	}
	if differ == 0 {
		t.Errorf("seeds 42 and 43 gave the same orders (%d same)", same)
	}
}

func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return d
}

func TestOrdersConsistent(t *testing.T) {
	sim := newSim(9)
	orders := sim.Orders()
	if len(orders) != jstsim.DefaultOrders || len(sim.Shops()) != jstsim.DefaultShops {
		t.Fatalf("%d orders, %d shops; want the defaults", len(orders), len(sim.Shops()))
	}

	statuses := map[string]int{}
	tsKinds := map[byte]int{}
	for _, o := range orders {
		statuses[o.Status]++
		sum := decimal.Zero
		for _, it := range o.Items {
			price, amount := dec(t, it.Price), dec(t, it.Amount)
			full := price.Mul(decimal.NewFromInt(int64(it.Qty)))
			if amount.GreaterThan(full) || amount.IsNegative() {
				t.Errorf("order %d %s: amount %s over price %s x %d",
					o.ID, it.SKU, it.Amount, it.Price, it.Qty)
			}
			if it.IsGift && !amount.IsZero() {
				t.Errorf("order %d: gift line amount %s, want 0", o.ID, it.Amount)
			}
			sum = sum.Add(amount)
		}
		want := sum.Add(dec(t, o.Freight)).Sub(dec(t, o.FreeAmount))
		if !dec(t, o.PayAmount).Equal(want) {
			t.Errorf("order %d: pay_amount %s, want items + freight - free = %s",
				o.ID, o.PayAmount, want)
		}
		lo, hi := t0.Add(-72*time.Hour), t0.Add(-time.Minute)
		if o.Modified.Before(lo) || o.Modified.After(hi) {
			t.Errorf("order %d: modified %s outside [%s, %s]", o.ID, o.Modified, lo, hi)
		}

		var raw struct {
			TS       json.RawMessage `json:"ts"`
			Modified string          `json:"modified"`
		}
		if err := json.Unmarshal(sim.Raw("order", o.ID), &raw); err != nil {
			t.Fatal(err)
		}
		tsKinds[raw.TS[0]]++
		if raw.Modified != jst.FormatTime(o.Modified) {
			t.Errorf("order %d: raw modified %s, snapshot %s", o.ID, raw.Modified, o.Modified)
		}
	}

	if n := statuses["Sent"]; n < 150 || n > 210 {
		t.Errorf("%d of 300 orders Sent, want about 60%%", n)
	}
	if len(statuses) < 8 {
		t.Errorf("statuses %v, want all eight", statuses)
	}
	if tsKinds['"'] == 0 || len(tsKinds) < 2 {
		t.Errorf("ts encodings %v, want both numbers and strings", tsKinds)
	}
}

func TestAfterSalesConsistent(t *testing.T) {
	sim := newSim(9)
	orders := map[int64]jstsim.Order{}
	for _, o := range sim.Orders() {
		orders[o.ID] = o
	}

	types := map[string]int{}
	for _, a := range sim.AfterSales() {
		types[a.Type]++
		o, ok := orders[a.OrderID]
		if !ok || o.Status != "Sent" || o.ShopID != a.ShopID || o.SOID != a.SOID {
			t.Errorf("after-sale %d: order %d missing, not Sent, or another shop",
				a.ID, a.OrderID)
			continue
		}
		skus := map[string]int{}
		for _, it := range o.Items {
			skus[it.SKU] = it.Qty
		}

		sum := decimal.Zero
		for _, it := range a.Items {
			if q, ok := skus[it.SKU]; !ok || it.Qty > q {
				t.Errorf("after-sale %d: item %s x%d not on order %d",
					a.ID, it.SKU, it.Qty, o.ID)
			}
			if it.RQty > it.Qty || it.DefectiveQty > it.RQty {
				t.Errorf("after-sale %d: qty %d r_qty %d defective %d",
					a.ID, it.Qty, it.RQty, it.DefectiveQty)
			}
			amount := dec(t, it.Price).Mul(decimal.NewFromInt(int64(it.Qty)))
			if !dec(t, it.Amount).Equal(amount) {
				t.Errorf("after-sale %d: amount %s, want price x qty %s",
					a.ID, it.Amount, amount)
			}
			if it.RQty > 0 && a.GoodStatus != "SELLER_RECEIVED" {
				t.Errorf("after-sale %d: r_qty %d with good_status %s",
					a.ID, it.RQty, a.GoodStatus)
			}
			sum = sum.Add(amount)
		}

		want := decimal.Zero
		if a.Type == "普通退货" || a.Type == "拒收退货" || a.Type == "仅退款" {
			want = sum
		}
		if !dec(t, a.Refund).Equal(want) {
			t.Errorf("after-sale %d (%s): refund %s, want %s", a.ID, a.Type, a.Refund, want)
		}
		if a.Modified.Before(t0.Add(-72*time.Hour)) || a.Modified.After(t0) {
			t.Errorf("after-sale %d: modified %s outside the span", a.ID, a.Modified)
		}
		var raw struct {
			TS     json.RawMessage `json:"ts"`
			ShopID json.RawMessage `json:"shop_id"`
		}
		if err := json.Unmarshal(sim.Raw("aftersale", a.ID), &raw); err != nil {
			t.Fatal(err)
		}
		if raw.TS[0] != '"' || raw.ShopID[0] != '"' {
			t.Errorf("after-sale %d: ts %s shop_id %s, want strings as in the sample",
				a.ID, raw.TS, raw.ShopID)
		}
	}
	if len(types) < 5 {
		t.Errorf("after-sale types %v, want all five", types)
	}
}

// TestServedDocsParse checks that every served document parses with the
// pipeline's own document parser.
func TestServedDocsParse(t *testing.T) {
	sim := newSim(4)
	for _, o := range sim.Orders() {
		if _, err := jst.ParseOrder(sim.Raw("order", o.ID)); err != nil {
			t.Errorf("ParseOrder(order %d) = %v", o.ID, err)
		}
	}
	for _, a := range sim.AfterSales() {
		if _, err := jst.ParseAfterSale(sim.Raw("aftersale", a.ID)); err != nil {
			t.Errorf("ParseAfterSale(after-sale %d) = %v", a.ID, err)
		}
	}
	if sim.Raw("order", -1) != nil || sim.Raw("nothing", 1) != nil {
		t.Error("Raw of an unknown document is not nil")
	}
}
