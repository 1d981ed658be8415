package mapping

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// defaultPlaces is the number of decimal places of a prorated discount
// when the form's settings give none.
const defaultPlaces = 2

// lineIn is one JST goods line, order or after-sale, in the shape the line
// builder needs.
type lineIn struct {
	field   string // "items[2]", for errors
	id      string // oi_id or asi_id
	sku     string
	name    string
	qtyName string      // the JST field the quantity came from
	qty     jst.Decimal // quantity on the Kingdee line
	baseQty jst.Decimal // quantity the JST amount is for
	price   jst.Decimal
	amount  jst.Decimal
	defect  jst.Decimal
	gift    bool
}

// draftLine builds the canonical line of in before any check or lookup:
// the material and stock are left empty and a value JST did not give is
// nil. Derived discounts are rounded to places.
func draftLine(in *lineIn, places int32) *obv1.Line {
	return &obv1.Line{
		SourceLineId:   in.id,
		SkuId:          in.sku,
		Name:           in.name,
		Qty:            dec(in.qty),
		TaxPrice:       dec(in.price),
		Amount:         dec(in.amount),
		DiscountAmount: discount(in, places),
		IsGift:         in.gift || in.price.Value.IsZero(),
		DefectiveQty:   dec(in.defect),
	}
}

// resolveLine checks the JST line in and fills the material and stock of
// its drafted line l. Errors are *Error values naming key and the line's
// field.
func (m *Mapper) resolveLine(key string, in *lineIn, l *obv1.Line, stock string) error {
	fail := func(name string, v jst.Decimal, reason string) error {
		return &Error{Key: key, Field: in.field + "." + name, Value: v.String(), Reason: reason}
	}

	if in.sku == "" {
		return &Error{Key: key, Field: in.field + ".sku_id", Reason: ReasonMissingField}
	}
	material, ok := m.rules.SKUs[in.sku]
	if !ok {
		if m.rules.StrictSKUs {
			return &Error{
				Key:    key,
				Field:  in.field + ".sku_id",
				Value:  quote(in.sku),
				Reason: ReasonUnknownSKU,
			}
		}
		material = in.sku
	}
	switch {
	case !in.qty.Valid:
		return fail(in.qtyName, in.qty, ReasonMissingField)
	case in.qty.Value.IsNegative():
		return fail(in.qtyName, in.qty, ReasonInvalidField)
	case !in.price.Valid:
		return fail("price", in.price, ReasonMissingField)
	case in.price.Value.IsNegative():
		return fail("price", in.price, ReasonInvalidField)
	case in.amount.Valid && in.amount.Value.IsNegative():
		return fail("amount", in.amount, ReasonInvalidField)
	case in.defect.Valid && in.defect.Value.IsNegative():
		return fail("defective_qty", in.defect, ReasonInvalidField)
	}

	l.MaterialNumber = material
	l.StockNumber = stock
	return nil
}

// resolveLines resolves every drafted line, ins[i] being the JST line of
// lines[i].
func (m *Mapper) resolveLines(
	key string,
	ins []lineIn,
	lines []*obv1.Line,
	stock string,
) error {
	for i := range ins {
		if err := m.resolveLine(key, &ins[i], lines[i], stock); err != nil {
			return err
		}
	}
	return nil
}

// discount returns price × baseQty − amount when it is positive, prorated
// to the line's quantity when that differs from the quantity the amount is
// for (a partial return), rounded to places. It returns nil when
// there is no discount.
func discount(in *lineIn, places int32) *obv1.Decimal {
	if !in.amount.Valid {
		return nil
	}
	base := in.qty.Value
	if in.baseQty.Valid && in.baseQty.Value.IsPositive() {
		base = in.baseQty.Value
	}
	d := in.price.Value.Mul(base).Sub(in.amount.Value)
	if !d.IsPositive() {
		return nil
	}
	if !base.Equal(in.qty.Value) {
		d = d.Mul(in.qty.Value).DivRound(base, places)
		if !d.IsPositive() {
			return nil
		}
	}
	return decv(d)
}

// itemField names the i-th item for errors.
func itemField(i int) string {
	return "items[" + strconv.Itoa(i) + "]"
}

// dec converts a JST decimal, nil when absent.
func dec(d jst.Decimal) *obv1.Decimal {
	if !d.Valid {
		return nil
	}
	return decv(d.Value)
}

// decv converts an exact decimal to its canonical plain form.
func decv(d decimal.Decimal) *obv1.Decimal {
	return &obv1.Decimal{Value: jst.FormatDecimal(d)}
}

// timestamp converts a time, nil when zero.
func timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}
