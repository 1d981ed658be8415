package mapping

import (
	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// mapOrder drafts the canonical sales order of a JST order, decides on it
// and, when it is synced, resolves its lookups and overrides.
func (m *Mapper) mapOrder(o *jst.Order, src Source) (*Result, error) {
	meta, err := o.Meta()
	if err != nil {
		return nil, fromJST(jst.KindOrder, err)
	}
	key := meta.Key()
	so, ins := m.draftOrder(o, meta, src)

	decision, rule := Decision(0), ""
	if m.orderFilters == nil {
		decision, rule = decideOrder(so)
	} else if decision, rule, err = m.orderFilters.decide(key, so); err != nil {
		return nil, err
	}
	if decision == Filtered {
		return filtered(key, rule), nil
	}

	if so.Parties, err = m.parties(key, meta.ShopID); err != nil {
		return nil, err
	}
	if len(ins) == 0 {
		return nil, &Error{Key: key, Field: "items", Reason: ReasonNoLines}
	}
	so.StockNumber = m.stock(string(o.WmsCoID), "")
	if err := m.resolveLines(key, ins, so.Lines, so.StockNumber); err != nil {
		return nil, err
	}
	if m.orderOverride != nil {
		if err := m.orderOverride.apply(key, so); err != nil {
			return nil, err
		}
	}
	doc := &obv1.Document{Body: &obv1.Document_SalesOrder{SalesOrder: so}}
	return synced(key, rule, doc)
}

// draftOrder builds the canonical sales order of o before any check or
// lookup, with the JST lines its lines were drafted from.
func (m *Mapper) draftOrder(
	o *jst.Order,
	meta jst.Meta,
	src Source,
) (*obv1.SalesOrder, []lineIn) {
	form := m.rules.OrderForm
	places := m.placesOf(form)
	ins := make([]lineIn, len(o.Items))
	lines := make([]*obv1.Line, len(o.Items))
	for i := range o.Items {
		it := &o.Items[i]
		ins[i] = lineIn{
			field:   itemField(i),
			id:      string(it.OIID),
			sku:     string(it.SkuID),
			name:    string(it.Name),
			qtyName: "qty",
			qty:     it.Qty,
			price:   it.Price,
			amount:  it.Amount,
			gift:    bool(it.IsGift),
		}
		lines[i] = draftLine(&ins[i], places)
	}

	return &obv1.SalesOrder{
		Source: m.source(meta, src),
		FormId: form,
		BillNo: m.orderBill.render(func(field string) string {
			switch field {
			case "o_id":
				return meta.ID
			case "so_id":
				return string(o.SoID)
			}
			return meta.ShopID
		}),
		SoId:      string(o.SoID),
		Status:    string(o.Status),
		OrderDate: timestamp(o.OrderDate.Time),
		SendDate:  timestamp(o.SendDate.Time),
		Lines:     lines,
		PayAmount: dec(o.PayAmount),
		Freight:   dec(o.Freight),
		Note:      string(o.SoID),
	}, ins
}
