package standalone_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/mapping"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/standalone"
	"github.com/shopspring/decimal"
)

// builtBills maps and builds, with the demo rules and the default form
// settings, the bill of every document the default rules sync, as the
// transformer and the writer would, and returns it as Kingdee would store
// it, with its expectation.
func builtBills(
	t *testing.T,
) (map[string]standalone.Expected, map[string]kingdeesim.StoredBill) {
	t.Helper()
	sim := jstsim.New(jstsim.Options{Seed: 42, Orders: 300, AfterSales: 120, Shops: 3})
	sims := &standalone.Simulators{JST: sim}
	m, err := mapping.New(sims.DemoRules())
	if err != nil {
		t.Fatalf("mapping.New: %v", err)
	}

	want := standalone.ExpectedBills(sim)
	stored := map[string]kingdeesim.StoredBill{}
	for no, exp := range want {
		kind, id := jst.KindOrder, int64(0)
		if exp.Order != nil {
			id = exp.Order.ID
		} else {
			kind, id = jst.KindAfterSale, exp.AfterSale.ID
		}
		res, err := m.Map(kind, sim.Raw(string(kind), id), mapping.Source{Gateway: "openapi"})
		if err != nil || res.Decision != mapping.Sync {
			t.Fatalf("Map(%s %d) = %v, %v, want a synced document", kind, id, res, err)
		}
		b, err := bill.Build(res.Doc, bill.DefaultSettings())
		if err != nil {
			t.Fatalf("bill.Build(%s): %v", no, err)
		}
		model, err := json.Marshal(b.Model)
		if err != nil {
			t.Fatalf("json.Marshal(%s): %v", no, err)
		}
		stored[no] = kingdeesim.StoredBill{FormID: b.FormID, BillNo: b.BillNo, Model: model}
	}
	return want, stored
}

func TestCheckBillAcceptsTheBillsThePipelineBuilds(t *testing.T) {
	want, stored := builtBills(t)
	forms := map[string]int{}
	for no, exp := range want {
		forms[exp.Form]++
		if err := standalone.CheckBill(exp, stored[no]); err != nil {
			t.Errorf("CheckBill(%s) = %v, want nil", no, err)
		}
	}
	for _, f := range []string{bill.FormSaleOrder, bill.FormReturnStock, bill.FormRefund} {
		if forms[f] == 0 {
			t.Errorf("no expected bill in %s: the seeded data exercises too little", f)
		}
	}
}

// firstOf returns the bill number of an expected bill of form whose first
// goods line passes ok.
func firstOf(
	t *testing.T,
	want map[string]standalone.Expected,
	form string,
	ok func(jstsim.Item) bool,
) string {
	t.Helper()
	for _, no := range slices.Sorted(maps.Keys(want)) {
		exp := want[no]
		if exp.Form != form {
			continue
		}
		if exp.AfterSale != nil && exp.Form == bill.FormRefund {
			return no
		}
		var items []jstsim.Item
		if exp.Order != nil {
			items = exp.Order.Items
		} else {
			items = exp.AfterSale.Items
		}
		if len(items) > 0 && ok(items[0]) {
			return no
		}
	}
	t.Fatalf("no expected %s bill fits the test", form)
	return ""
}

// edit changes the first entry of list in a stored bill's model.
func edit(
	t *testing.T,
	b kingdeesim.StoredBill,
	list string,
	change func(map[string]any),
) kingdeesim.StoredBill {
	t.Helper()
	return editEntries(t, b, list, func(es []any) { change(es[0].(map[string]any)) })
}

// editEntries changes the entries of list in a stored bill's model.
func editEntries(
	t *testing.T,
	b kingdeesim.StoredBill,
	list string,
	change func([]any),
) kingdeesim.StoredBill {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b.Model))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	change(m[list].([]any))
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	b.Model = raw
	return b
}

// add adds delta to the number e[key] (absent is zero).
func add(t *testing.T, e map[string]any, key, delta string) {
	t.Helper()
	v := decimal.Zero
	if n, ok := e[key].(json.Number); ok {
		v = decimal.RequireFromString(n.String())
	}
	e[key] = json.Number(v.Add(decimal.RequireFromString(delta)).String())
}

func TestCheckBillNamesWhatDiffers(t *testing.T) {
	want, stored := builtBills(t)
	paid := func(it jstsim.Item) bool { return !it.IsGift && it.Price != "0" && it.Qty > 0 }
	received := func(it jstsim.Item) bool { return it.RQty > 0 }
	order := firstOf(t, want, bill.FormSaleOrder, paid)
	ret := firstOf(t, want, bill.FormReturnStock, received)
	refund := firstOf(t, want, bill.FormRefund, nil)
	orderSKU := want[order].Order.Items[0].SKU
	retSKU := want[ret].AfterSale.Items[0].SKU
	bad := firstOf(t, want, bill.FormReturnStock, func(it jstsim.Item) bool {
		return it.DefectiveQty > 0
	})
	badSKU := want[bad].AfterSale.Items[0].SKU

	tests := []struct {
		name  string
		no    string
		bill  func(kingdeesim.StoredBill) kingdeesim.StoredBill
		field string // ContentError.Field of the first difference
		text  []string
	}{
		{
			name: "order quantity", no: order,
			bill: func(b kingdeesim.StoredBill) kingdeesim.StoredBill {
				return edit(t, b, "FSaleOrderEntry", func(e map[string]any) { e["FQty"] = 99 })
			},
			field: "quantity of " + orderSKU,
			text:  []string{"quantity of " + orderSKU + " 99"},
		},
		{
			name: "order amount", no: order,
			bill: func(b kingdeesim.StoredBill) kingdeesim.StoredBill {
				return edit(t, b, "FSaleOrderEntry", func(e map[string]any) {
					add(t, e, "FDiscount", "0.01")
				})
			},
			field: "amount of " + orderSKU,
		},
		{
			name: "order material", no: order,
			bill: func(b kingdeesim.StoredBill) kingdeesim.StoredBill {
				return edit(t, b, "FSaleOrderEntry", func(e map[string]any) {
					e["FMaterialId"] = map[string]any{"FNumber": "NOT-A-SKU"}
				})
			},
			field: "materials",
			text:  []string{"NOT-A-SKU", orderSKU},
		},
		{
			name: "return quantity", no: ret,
			bill: func(b kingdeesim.StoredBill) kingdeesim.StoredBill {
				return edit(t, b, "FEntity", func(e map[string]any) { e["FRealQty"] = 77 })
			},
			field: "quantity of " + retSKU,
			text:  []string{"77"},
		},
		{
			name: "return amount", no: ret,
			bill: func(b kingdeesim.StoredBill) kingdeesim.StoredBill {
				return edit(t, b, "FEntity", func(e map[string]any) {
					add(t, e, "FTaxPrice", "1")
				})
			},
			field: "amount of " + retSKU,
		},
		{
			name: "return material", no: ret,
			bill: func(b kingdeesim.StoredBill) kingdeesim.StoredBill {
				return edit(t, b, "FEntity", func(e map[string]any) {
					e["FMaterialId"] = map[string]any{"FNumber": "NOT-A-SKU"}
				})
			},
			field: "materials",
			text:  []string{"NOT-A-SKU"},
		},
		{
			name: "return defective part", no: bad,
			bill: func(b kingdeesim.StoredBill) kingdeesim.StoredBill {
				return editEntries(t, b, "FEntity", func(es []any) {
					for _, e := range es {
						good := map[string]any{"FNumber": "KCZT01_SYS"}
						e.(map[string]any)["FStockstatusId"] = good
					}
				})
			},
			field: "defective quantity of " + badSKU,
			text:  []string{"defective quantity of " + badSKU + " 0, want"},
		},
		{
			name: "refund amount", no: refund,
			bill: func(b kingdeesim.StoredBill) kingdeesim.StoredBill {
				return edit(t, b, "FREFUNDBILLENTRY", func(e map[string]any) {
					e["FREFUNDAMOUNTFOR_E"] = 0.01
				})
			},
			field: "refund amount",
			text:  []string{"0.01, want " + want[refund].AfterSale.Refund},
		},
		{
			name: "form", no: order,
			bill: func(b kingdeesim.StoredBill) kingdeesim.StoredBill {
				b.FormID = bill.FormOutStock
				return b
			},
			field: "form",
			text:  []string{"form SAL_OUTSTOCK, want SAL_SaleOrder"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := standalone.CheckBill(want[tt.no], tt.bill(stored[tt.no]))
			var ce *standalone.ContentError
			if !errors.As(err, &ce) {
				t.Fatalf("CheckBill(%s) = %v, want a *ContentError", tt.no, err)
			}
			if ce.Field != tt.field || ce.BillNo != tt.no {
				t.Errorf("CheckBill(%s) = %v, want bill %s field %q", tt.no, err, tt.no, tt.field)
			}
			msg := err.Error()
			for _, s := range append([]string{"bill " + tt.no + ": "}, tt.text...) {
				if !strings.Contains(msg, s) {
					t.Errorf("CheckBill(%s) = %q, want it to name %q", tt.no, msg, s)
				}
			}
			t.Logf("%v", err)
			if ce.Got == ce.Want {
				t.Errorf("CheckBill(%s) = %v: got and want are both %q", tt.no, err, ce.Got)
			}
		})
	}
}
