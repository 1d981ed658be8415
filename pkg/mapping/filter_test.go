package mapping

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// TestDefaultFiltersMatchBuiltIn checks that DefaultFilters, run as CEL,
// decide every document exactly as the built-in rules do: same decision,
// same rule, same canonical document.
func TestDefaultFiltersMatchBuiltIn(t *testing.T) {
	builtIn := newMapper(t, testRules())
	r := testRules()
	r.Filters = DefaultFilters()
	withCEL := newMapper(t, r)
	routed := testRules()
	routed.AfterSaleForms = map[string]string{
		"换货": FormReturnStock, "仅退款": FormRefundBill,
	}
	routedCEL := routed
	routedCEL.Filters = DefaultFilters()

	type input struct {
		kind jst.Kind
		raw  []byte
	}
	var inputs []input
	orderStatuses := []string{"Sent", "WaitPay", "Cancelled", "Question", "", "sent"}
	for _, st := range orderStatuses {
		inputs = append(inputs, input{jst.KindOrder, orderJSON(st)})
	}
	types := []string{"普通退货", "拒收退货", "仅退款", "换货", "补发", "其它", ""}
	statuses := []string{"Confirmed", "WaitConfirm", "Cancelled", ""}
	goods := []string{"SELLER_RECEIVED", "BUYER_RETURNED_GOODS", "BUYER_NOT_RECEIVED", ""}
	for _, typ := range types {
		for _, st := range statuses {
			for _, g := range goods {
				inputs = append(inputs, input{jst.KindAfterSale, afterSaleJSON(typ, st, g)})
			}
		}
	}
	inputs = append(inputs,
		input{jst.KindOrder, readFile(t, "order_sent.json")},
		input{jst.KindAfterSale, readFile(t, "aftersale_seed.json")},
	)

	pairs := []struct {
		name      string
		want, got *Mapper
	}{
		{"default routing", builtIn, withCEL},
		{"custom routing", newMapper(t, routed), newMapper(t, routedCEL)},
	}
	for _, pair := range pairs {
		t.Run(pair.name, func(t *testing.T) {
			for _, in := range inputs {
				want, werr := pair.want.Map(in.kind, in.raw, Source{})
				got, gerr := pair.got.Map(in.kind, in.raw, Source{})
				if werr != nil || gerr != nil {
					t.Fatalf("Map(%s) errors = %v, %v", in.raw, werr, gerr)
				}
				if got.Decision != want.Decision || got.Rule != want.Rule ||
					!proto.Equal(got.Doc, want.Doc) {
					t.Errorf("Map(%s) with CEL = %s %q, want built-in %s %q (docs equal %v)",
						in.raw, got.Decision, got.Rule, want.Decision, want.Rule,
						proto.Equal(got.Doc, want.Doc))
				}
			}
		})
	}
}

func TestCustomFilters(t *testing.T) {
	r := testRules()
	r.Filters = Filters{
		Order: []FilterRule{
			{Name: "order.gift_only", Skip: `doc.lines.all(l, l.is_gift)`},
			{Name: "order.has_b", Sync: `doc.lines.exists(l, l.sku_id == "SKU-B")`},
			{Name: "order.big", Sync: `double(doc.pay_amount.value) >= 100.0`},
		},
		AfterSale: []FilterRule{
			{Name: "aftersale.returns", Sync: `doc.type in ["普通退货", "拒收退货"]`},
			{Name: "aftersale.other_shop", Skip: `doc.source.shop_id != "13046812"`},
			{Name: "aftersale.refund", Sync: `doc.status == "Confirmed"`},
		},
	}
	m := newMapper(t, r)
	tests := []struct {
		name     string
		kind     jst.Kind
		raw      string
		decision Decision
		rule     string
	}{
		{"has sku", jst.KindOrder, `{"o_id":1,"shop_id":"13046812","status":"WaitPay","ts":1,
			"items":[{"sku_id":"SKU-B","qty":1,"price":5}]}`, Sync, "order.has_b"},
		{"gift only", jst.KindOrder, `{"o_id":1,"shop_id":"13046812","status":"Sent","ts":1,
			"items":[{"sku_id":"SKU-B","qty":1,"price":0}]}`, Filtered, "order.gift_only"},
		{"big", jst.KindOrder, `{"o_id":1,"shop_id":"13046812","ts":1,"pay_amount":"120.5",
			"items":[{"sku_id":"X","qty":1,"price":120.5}]}`, Sync, "order.big"},
		{"no match", jst.KindOrder, `{"o_id":1,"shop_id":"13046812","ts":1,"pay_amount":9,
			"items":[{"sku_id":"X","qty":1,"price":9}]}`, Filtered, "order." + RuleNoMatch},
		{"no match, unknown shop", jst.KindOrder, `{"o_id":1,"shop_id":"404","ts":1,
			"pay_amount":9,"items":[{"sku_id":"X","qty":1,"price":9}]}`,
			Filtered, "order." + RuleNoMatch},
		{"return in list", jst.KindAfterSale, `{"as_id":1,"shop_id":"13046812","ts":1,
			"type":"拒收退货","items":[{"sku_id":"X","qty":1,"r_qty":1,"price":9}]}`,
			Sync, "aftersale.returns"},
		{"other shop", jst.KindAfterSale, `{"as_id":1,"shop_id":"2","ts":1,
			"type":"仅退款","status":"Confirmed"}`, Filtered, "aftersale.other_shop"},
		{"refund", jst.KindAfterSale, `{"as_id":1,"shop_id":"13046812","ts":1,
			"type":"仅退款","status":"Confirmed"}`, Sync, "aftersale.refund"},
		{"not routed", jst.KindAfterSale, `{"as_id":1,"shop_id":"13046812","ts":1,
			"type":"换货","status":"Confirmed"}`, Filtered, RuleAfterSaleType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := m.Map(tt.kind, []byte(tt.raw), Source{})
			if err != nil {
				t.Fatalf("Map(%s) error: %v", tt.name, err)
			}
			if res.Decision != tt.decision || res.Rule != tt.rule {
				t.Errorf("Map(%s) = %s %q, want %s %q",
					tt.name, res.Decision, res.Rule, tt.decision, tt.rule)
			}
		})
	}
}

// TestRuleErrors checks that a rule failing on a document dead-letters
// it with the rule named, and that a hostile rule stops at the cost limit.
func TestRuleErrors(t *testing.T) {
	var items []string
	for i := range 300 {
		items = append(items, fmt.Sprintf(`{"sku_id":"S%d","qty":1,"price":1}`, i))
	}
	long := `{"o_id":1,"shop_id":"13046812","status":"Sent","ts":1,"so_id":"P1",
		"items":[` + strings.Join(items, ",") + `]}`
	tests := []struct {
		name  string
		rules func(r *Rules)
		field string
		msg   string
	}{
		{"bad conversion", func(r *Rules) {
			r.Filters.Order = []FilterRule{{Name: "numeric", Sync: `int(doc.so_id) > 0`}}
		}, "filters.order[0]", "type conversion error"},
		{"cost limit", func(r *Rules) {
			r.Filters.Order = []FilterRule{{Name: "cubic", Sync: `doc.lines.all(a,
				doc.lines.all(b, doc.lines.all(c, a.sku_id != "" || b.sku_id == c.sku_id)))`}}
		}, "filters.order[0]", "cost limit"},
		{"override", func(r *Rules) {
			r.Overrides.Order = map[string]string{
				"lines.material_number": `line.sku_id + string(int(line.name))`,
			}
		}, "overrides.order.lines.material_number[line 0]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRules()
			tt.rules(&r)
			_, err := newMapper(t, r).Map(jst.KindOrder, []byte(long), Source{})
			var e *Error
			if !errors.As(err, &e) || e.Reason != ReasonRuleError || e.Field != tt.field ||
				!strings.Contains(err.Error(), tt.msg) || e.Key != "order.1" {
				t.Errorf("Map(%s) error = %v, want rule_error on order.1 field %s naming %q",
					tt.name, err, tt.field, tt.msg)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	r := testRules()
	r.Overrides = Overrides{
		Order: map[string]string{
			"note":                      `doc.so_id + "/" + doc.source.shop_id`,
			"bill_no":                   `"DY-" + doc.source.id`,
			"parties.department_number": `doc.parties.department_number + "-X"`,
			"lines.material_number": `line.is_gift ? "M-GIFT" : ` +
				`line.material_number`,
			"lines.stock_number": `line.material_number == "M-GIFT" ? "CK-GIFT" : ` +
				`line.stock_number`,
		},
		AfterSale: map[string]string{"note": `doc.outer_as_id`},
	}
	m := newMapper(t, r)
	res, err := m.Map(jst.KindOrder, readFile(t, "order_sent.json"), Source{})
	if err != nil {
		t.Fatal(err)
	}
	so := res.Doc.GetSalesOrder()
	got := []string{so.GetNote(), so.GetBillNo(), so.GetParties().GetDepartmentNumber()}
	for _, l := range so.GetLines() {
		got = append(got, l.GetMaterialNumber(), l.GetStockNumber())
	}
	// Every expression sees the document before any override: the gift
	// line's stock is not CK-GIFT, since its material was GIFT-C then.
	want := []string{"3401234567890123456/13046812", "DY-12345678", "D1-X",
		"M-0001", "CK-MAIN", "SKU-B", "CK-MAIN", "M-GIFT", "CK-MAIN"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Map(order_sent) with overrides = %v, want %v", got, want)
	}
	if res.Doc.GetContentHash() != ContentHash(res.Doc) {
		t.Errorf("Map(order_sent) hash is not of the overridden document")
	}

	res, err = m.Map(jst.KindAfterSale, readFile(t, "aftersale_seed.json"), Source{})
	if err != nil || res.Doc.GetAfterSale().GetNote() != "7186064234271227704" {
		t.Errorf("Map(seed after-sale) note = %q, %v, want the outer_as_id",
			res.Doc.GetAfterSale().GetNote(), err)
	}
}

// TestRulesVersionInHash checks that the version of the rules is recorded
// on the document and changes its content hash.
func TestRulesVersionInHash(t *testing.T) {
	a, b := testRules(), testRules()
	b.Version = "test-2"
	raw := readFile(t, "order_sent.json")
	ra, err := newMapper(t, a).Map(jst.KindOrder, raw, Source{})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := newMapper(t, b).Map(jst.KindOrder, raw, Source{})
	if err != nil {
		t.Fatal(err)
	}
	if rb.Doc.GetSalesOrder().GetSource().GetRulesVersion() != "test-2" ||
		ra.Doc.GetContentHash() == rb.Doc.GetContentHash() {
		t.Errorf("Map under test-1 and test-2: versions %q, hashes %s %s, want test-2, differ",
			rb.Doc.GetSalesOrder().GetSource().GetRulesVersion(),
			ra.Doc.GetContentHash(), rb.Doc.GetContentHash())
	}
}
