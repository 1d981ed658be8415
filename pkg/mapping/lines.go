package mapping

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// discountPlaces is the number of decimal places of a prorated discount.
const discountPlaces = 2

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

// line checks one JST line and builds the canonical line. Errors are
// *Error values naming key and the line's field.
func (m *Mapper) line(key string, in lineIn, stock string) (*obv1.Line, error) {
	fail := func(name string, v jst.Decimal, reason string) error {
		return &Error{Key: key, Field: in.field + "." + name, Value: v.String(), Reason: reason}
	}

	if in.sku == "" {
		return nil, &Error{Key: key, Field: in.field + ".sku_id", Reason: ReasonMissingField}
	}
	material, ok := m.rules.SKUs[in.sku]
	if !ok {
		if m.rules.StrictSKUs {
			return nil, &Error{
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
		return nil, fail(in.qtyName, in.qty, ReasonMissingField)
	case in.qty.Value.IsNegative():
		return nil, fail(in.qtyName, in.qty, ReasonInvalidField)
	case !in.price.Valid:
		return nil, fail("price", in.price, ReasonMissingField)
	case in.price.Value.IsNegative():
		return nil, fail("price", in.price, ReasonInvalidField)
	case in.amount.Valid && in.amount.Value.IsNegative():
		return nil, fail("amount", in.amount, ReasonInvalidField)
	case in.defect.Valid && in.defect.Value.IsNegative():
		return nil, fail("defective_qty", in.defect, ReasonInvalidField)
	}

	return &obv1.Line{
		SourceLineId:   in.id,
		SkuId:          in.sku,
		MaterialNumber: material,
		Name:           in.name,
		Qty:            dec(in.qty),
		TaxPrice:       dec(in.price),
		Amount:         dec(in.amount),
		DiscountAmount: discount(in),
		IsGift:         in.gift || in.price.Value.IsZero(),
		StockNumber:    stock,
		DefectiveQty:   dec(in.defect),
	}, nil
}

// discount returns price × baseQty − amount when it is positive, prorated
// to the line's quantity when that differs from the quantity the amount is
// for (a partial return), rounded to discountPlaces. It returns nil when
// there is no discount.
func discount(in lineIn) *obv1.Decimal {
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
		d = d.Mul(in.qty.Value).DivRound(base, discountPlaces)
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
