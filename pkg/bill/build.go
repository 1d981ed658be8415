package bill

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
	orderbridgev1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// Bill is a Kingdee bill ready to save.
type Bill struct {
	FormID string
	// BillNo is the document's bill number: in FBillNo, or in the
	// source-number field when the form's settings name one.
	BillNo string
	// Model is the Save model; it encodes to JSON as Kingdee expects.
	Model map[string]any
}

// Build makes the Kingdee bill of doc with the settings of its form. It
// returns a *FieldError naming the bill, the field and the value when the
// document cannot become a bill, and an error wrapping ErrNoSettings when s
// has no entry for the form.
func Build(doc *orderbridgev1.Document, s Settings) (*Bill, error) {
	switch body := doc.GetBody().(type) {
	case *orderbridgev1.Document_SalesOrder:
		return buildOrder(body.SalesOrder, s)
	case *orderbridgev1.Document_AfterSale:
		return buildAfterSale(body.AfterSale, s)
	default:
		return nil, fmt.Errorf("bill: document has no sales order or after-sale")
	}
}

// settingsFor returns the settings of form when it is one of allowed.
func settingsFor(s Settings, form string, allowed ...string) (FormSettings, error) {
	fs, ok := s[form]
	for _, a := range allowed {
		if ok && a == form {
			return fs, nil
		}
	}
	return FormSettings{}, fmt.Errorf("%w %q (want one of %s)",
		ErrNoSettings, form, strings.Join(allowed, ", "))
}

// builder collects the first error met while a model is built, so that the
// builders read as a list of fields.
type builder struct {
	billNo string
	err    error
}

func newBuilder(billNo, kind, id string) *builder {
	b := &builder{billNo: billNo}
	if billNo == "" {
		b.billNo = kind + "." + id
		b.fail("bill_no", "", "required")
	}
	return b
}

func (b *builder) fail(field, value, reason string) {
	if b.err == nil {
		b.err = &FieldError{BillNo: b.billNo, Field: field, Value: value, Reason: reason}
	}
}

// need returns v, failing when it is empty.
func (b *builder) need(field, v string) string {
	if v == "" {
		b.fail(field, v, "required")
	}
	return v
}

// dec parses an exact decimal; an absent value is zero.
func (b *builder) dec(field, s string) decimal.Decimal {
	if s == "" {
		return decimal.Zero
	}
	if strings.ContainsAny(s, "eE") {
		b.fail(field, s, "exponent not allowed")
		return decimal.Zero
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		b.fail(field, s, "not a decimal number")
		return decimal.Zero
	}
	return d
}

// nonNegative parses a decimal that must not be negative.
func (b *builder) nonNegative(field string, d *orderbridgev1.Decimal) decimal.Decimal {
	v := b.dec(field, d.GetValue())
	if v.IsNegative() {
		b.fail(field, d.GetValue(), "negative")
	}
	return v
}

// date formats the first set timestamp, failing when none is.
func (b *builder) date(field string, ts ...*timestamppb.Timestamp) string {
	for _, t := range ts {
		if t != nil && t.IsValid() && (t.GetSeconds() != 0 || t.GetNanos() != 0) {
			return kingdee.FormatTime(t.AsTime())
		}
	}
	b.fail(field, "", "required")
	return ""
}

// header starts a model with the bill type, number and date.
func (b *builder) header(fs FormSettings, billNo, date string) map[string]any {
	m := map[string]any{
		"FBillTypeID": map[string]any{"FNUMBER": b.need("settings.BillType", fs.BillType)},
		"FDate":       date,
	}
	if fs.SourceNoField != "" {
		m[fs.SourceNoField] = billNo
	} else {
		m["FBillNo"] = billNo
	}
	return m
}

// ref is a base-data reference by number.
func ref(number string) map[string]any {
	return map[string]any{"FNumber": number}
}

// num is the exact JSON number of d.
func num(d decimal.Decimal) json.Number {
	return json.Number(d.String())
}

// firstNonEmpty returns the first of vs that is not "".
func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
