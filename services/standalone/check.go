package standalone

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

// ContentError is one difference between a bill Kingdee holds and the bill
// its JST document asks for.
type ContentError struct {
	BillNo string
	// Field names what differs: "bill number", "form", "materials",
	// "quantity of <material>", "defective quantity of <material>",
	// "amount of <material>" or "refund amount".
	Field string
	// Got is the bill's value, Want the document's.
	Got, Want string
}

func (e *ContentError) Error() string {
	return fmt.Sprintf("bill %s: %s %s, want %s", e.BillNo, e.Field, e.Got, e.Want)
}

// CheckBill compares the bill b that Kingdee holds with exp, the bill its
// JST document asks for under the default rules and the default form
// settings: the bill number and form, then for orders (SAL_SaleOrder or
// SAL_OUTSTOCK) the quantity and amount (quantity × tax price − discount)
// of every material, for returns (SAL_RETURNSTOCK) the received quantity,
// its defective part and its amount at the after-sale's price, and for
// refunds (AR_REFUNDBILL) the refunded amount. Every difference comes back
// as a *ContentError, several joined with errors.Join; a model or a source
// document that cannot be read is an error of its own.
func CheckBill(exp Expected, b kingdeesim.StoredBill) error {
	if b.BillNo != exp.BillNo {
		return &ContentError{BillNo: exp.BillNo, Field: "bill number",
			Got: b.BillNo, Want: exp.BillNo}
	}
	if b.FormID != exp.Form {
		return &ContentError{BillNo: b.BillNo, Field: "form", Got: b.FormID, Want: exp.Form}
	}

	m, err := decodeModel(b.Model)
	if err != nil {
		return fmt.Errorf("bill %s: model: %w", b.BillNo, err)
	}

	switch exp.Form {
	case bill.FormSaleOrder, bill.FormOutStock:
		return checkOrder(exp, m)
	case bill.FormReturnStock:
		return checkReturn(exp, m)
	case bill.FormRefund:
		return checkRefund(exp, m)
	}
	return fmt.Errorf("bill %s: form %s: no content check", b.BillNo, exp.Form)
}

// layout names where a form keeps its goods lines.
type layout struct {
	entries, material, qty string
}

var layouts = map[string]layout{
	bill.FormSaleOrder:   {"FSaleOrderEntry", "FMaterialId", "FQty"},
	bill.FormOutStock:    {"FEntity", "FMaterialID", "FRealQty"},
	bill.FormReturnStock: {"FEntity", "FMaterialId", "FRealQty"},
}

// totals are the figures of one material on a bill or in a document.
type totals struct {
	qty, defective, amount decimal.Decimal
}

func checkOrder(exp Expected, m map[string]any) error {
	o := exp.Order
	if o == nil {
		return fmt.Errorf("bill %s: no source order", exp.BillNo)
	}

	want := map[string]*totals{}
	for i, it := range o.Items {
		if it.Qty == 0 {
			continue // the bill leaves lines with nothing sent out
		}
		amount, err := decimal.NewFromString(it.Amount)
		if err != nil {
			return fmt.Errorf("order %d items[%d].amount: %w", o.ID, i, err)
		}
		t := totalsOf(want, it.SKU)
		t.qty = t.qty.Add(decimal.NewFromInt(int64(it.Qty)))
		t.amount = t.amount.Add(amount)
	}

	got, err := billLines(m, layouts[exp.Form], true, "")
	if err != nil {
		return fmt.Errorf("bill %s: %w", exp.BillNo, err)
	}
	return compareLines(exp.BillNo, got, want, false)
}

func checkReturn(exp Expected, m map[string]any) error {
	a := exp.AfterSale
	if a == nil {
		return fmt.Errorf("bill %s: no source after-sale", exp.BillNo)
	}

	want := map[string]*totals{}
	for i, it := range a.Items {
		if it.RQty == 0 {
			continue // nothing received on this line
		}
		price, err := decimal.NewFromString(it.Price)
		if err != nil {
			return fmt.Errorf("after-sale %d items[%d].price: %w", a.ID, i, err)
		}
		qty := decimal.NewFromInt(int64(it.RQty))
		t := totalsOf(want, it.SKU)
		t.qty = t.qty.Add(qty)
		t.defective = t.defective.Add(decimal.NewFromInt(int64(it.DefectiveQty)))
		t.amount = t.amount.Add(price.Mul(qty))
	}

	defective := bill.DefaultSettings()[bill.FormReturnStock].DefectiveStockStatus
	got, err := billLines(m, layouts[bill.FormReturnStock], false, defective)
	if err != nil {
		return fmt.Errorf("bill %s: %w", exp.BillNo, err)
	}
	return compareLines(exp.BillNo, got, want, true)
}

func checkRefund(exp Expected, m map[string]any) error {
	a := exp.AfterSale
	if a == nil {
		return fmt.Errorf("bill %s: no source after-sale", exp.BillNo)
	}
	want, err := decimal.NewFromString(a.Refund)
	if err != nil {
		return fmt.Errorf("after-sale %d refund: %w", a.ID, err)
	}

	got := decimal.Zero
	for i, e := range entries(m, "FREFUNDBILLENTRY") {
		v, err := number(e, "FREFUNDAMOUNTFOR_E")
		if err != nil {
			return fmt.Errorf("bill %s: FREFUNDBILLENTRY[%d]: %w", exp.BillNo, i, err)
		}
		got = got.Add(v)
	}
	if !got.Equal(want) {
		return &ContentError{BillNo: exp.BillNo, Field: "refund amount",
			Got: got.String(), Want: want.String()}
	}
	return nil
}

// billLines sums a bill's goods lines by material: quantity, the part in
// the defective stock status (when defective is not ""), and quantity ×
// tax price, less the line's discount when discounts is set.
func billLines(
	m map[string]any,
	l layout,
	discounts bool,
	defective string,
) (map[string]*totals, error) {
	out := map[string]*totals{}
	for i, e := range entries(m, l.entries) {
		field := fmt.Sprintf("%s[%d]", l.entries, i)
		qty, err := number(e, l.qty)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		price, err := number(e, "FTaxPrice")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		amount := qty.Mul(price)
		if discounts {
			d, err := number(e, "FDiscount")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", field, err)
			}
			amount = amount.Sub(d)
		}

		t := totalsOf(out, refNumber(e[l.material]))
		t.qty = t.qty.Add(qty)
		t.amount = t.amount.Add(amount)
		if defective != "" && refNumber(e["FStockstatusId"]) == defective {
			t.defective = t.defective.Add(qty)
		}
	}
	return out, nil
}

// compareLines reports the differences between a bill's totals by
// material and a document's: first the set of materials, then the
// figures of the materials both hold.
func compareLines(billNo string, got, want map[string]*totals, defective bool) error {
	var errs []error
	diff := func(field string, g, w decimal.Decimal) {
		if !g.Equal(w) {
			errs = append(errs, &ContentError{BillNo: billNo, Field: field,
				Got: g.String(), Want: w.String()})
		}
	}

	gotKeys, wantKeys := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))
	if !slices.Equal(gotKeys, wantKeys) {
		errs = append(errs, &ContentError{BillNo: billNo, Field: "materials",
			Got: listOf(gotKeys), Want: listOf(wantKeys)})
	}
	for _, k := range wantKeys {
		g, ok := got[k]
		if !ok {
			continue
		}
		w := want[k]
		diff("quantity of "+k, g.qty, w.qty)
		if defective {
			diff("defective quantity of "+k, g.defective, w.defective)
		}
		diff("amount of "+k, g.amount, w.amount)
	}
	return errors.Join(errs...)
}

func totalsOf(m map[string]*totals, key string) *totals {
	t := m[key]
	if t == nil {
		t = &totals{}
		m[key] = t
	}
	return t
}

func listOf(keys []string) string {
	if len(keys) == 0 {
		return "none"
	}
	return "[" + strings.Join(keys, " ") + "]"
}

// decodeModel reads a saved model keeping numbers exact.
func decodeModel(raw json.RawMessage) (map[string]any, error) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("empty")
	}
	return m, nil
}

// entries returns the entry objects of m[key].
func entries(m map[string]any, key string) []map[string]any {
	list, _ := m[key].([]any)
	var out []map[string]any
	for _, e := range list {
		if em, ok := e.(map[string]any); ok {
			out = append(out, em)
		}
	}
	return out
}

// refNumber returns the FNumber of a base-data reference, "" when v is
// not one.
func refNumber(v any) string {
	ref, _ := v.(map[string]any)
	s, _ := ref["FNumber"].(string)
	return s
}

// number reads e[key] as an exact decimal; absent is zero.
func number(e map[string]any, key string) (decimal.Decimal, error) {
	var s string
	switch v := e[key].(type) {
	case nil:
		return decimal.Zero, nil
	case json.Number:
		s = v.String()
	case string:
		s = v
	default:
		return decimal.Zero, fmt.Errorf("%s: not a number: %v", key, v)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, fmt.Errorf("%s: %w", key, err)
	}
	return d, nil
}
