package mapping

import (
	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// mapOrder decides on a JST order and, when it is synced, builds the
// canonical sales order.
func (m *Mapper) mapOrder(o *jst.Order, src Source) (*Result, error) {
	meta, err := o.Meta()
	if err != nil {
		return nil, fromJST(jst.KindOrder, err)
	}
	key := meta.Key()

	decision, rule := decideOrder(o)
	if decision == Filtered {
		return filtered(key, rule), nil
	}

	parties, err := m.parties(key, meta.ShopID)
	if err != nil {
		return nil, err
	}
	if len(o.Items) == 0 {
		return nil, &Error{Key: key, Field: "items", Reason: ReasonNoLines}
	}
	stock := m.stock(string(o.WmsCoID), "")
	lines := make([]*obv1.Line, 0, len(o.Items))
	for i := range o.Items {
		it := &o.Items[i]
		l, err := m.line(key, lineIn{
			field:   itemField(i),
			id:      string(it.OIID),
			sku:     string(it.SkuID),
			name:    string(it.Name),
			qtyName: "qty",
			qty:     it.Qty,
			price:   it.Price,
			amount:  it.Amount,
			gift:    bool(it.IsGift),
		}, stock)
		if err != nil {
			return nil, err
		}
		lines = append(lines, l)
	}

	so := &obv1.SalesOrder{
		Source: m.source(meta, src),
		FormId: m.rules.OrderForm,
		BillNo: m.orderBill.render(func(field string) string {
			switch field {
			case "o_id":
				return meta.ID
			case "so_id":
				return string(o.SoID)
			}
			return meta.ShopID
		}),
		SoId:        string(o.SoID),
		Status:      string(o.Status),
		OrderDate:   timestamp(o.OrderDate.Time),
		SendDate:    timestamp(o.SendDate.Time),
		Parties:     parties,
		Lines:       lines,
		PayAmount:   dec(o.PayAmount),
		Freight:     dec(o.Freight),
		Note:        string(o.SoID),
		StockNumber: stock,
	}
	doc := &obv1.Document{Body: &obv1.Document_SalesOrder{SalesOrder: so}}
	return synced(key, rule, doc)
}
