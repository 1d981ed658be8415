package mapping

import (
	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// mapAfterSale decides on a JST after-sale and, when it is synced, builds
// the canonical after-sale: a sales return (SAL_RETURNSTOCK) with the
// received quantities, or a refund bill (AR_REFUNDBILL).
func (m *Mapper) mapAfterSale(a *jst.AfterSale, src Source) (*Result, error) {
	meta, err := a.Meta()
	if err != nil {
		return nil, fromJST(jst.KindAfterSale, err)
	}
	key := meta.Key()

	decision, rule, form := decideAfterSale(a)
	if decision == Filtered {
		return filtered(key, rule), nil
	}

	parties, err := m.parties(key, meta.ShopID)
	if err != nil {
		return nil, err
	}
	returns := form == FormReturnStock
	stock := ""
	if returns {
		stock = m.stock(string(a.WmsCoID), string(a.WhID))
	}
	lines, err := m.afterSaleLines(key, a, returns, stock)
	if err != nil {
		return nil, err
	}

	as := &obv1.AfterSale{
		Source:      m.source(meta, src),
		FormId:      form,
		BillNo:      m.asBill.render(afterSaleField(meta, a)),
		OId:         string(a.OID),
		SoId:        string(a.SoID),
		OuterAsId:   string(a.OuterASID),
		Type:        string(a.Type),
		Status:      string(a.Status),
		GoodStatus:  string(a.GoodStatus),
		AsDate:      timestamp(a.ASDate.Time),
		ConfirmDate: timestamp(a.ConfirmDate.Time),
		Parties:     parties,
		Lines:       lines,
		Refund:      dec(a.Refund),
		Freight:     dec(a.Freight),
		StockNumber: stock,
		Note:        string(a.SoID),
	}
	doc := &obv1.Document{Body: &obv1.Document_AfterSale{AfterSale: as}}
	return synced(key, rule, doc)
}

// afterSaleLines builds the lines of an after-sale. A return takes its
// quantities from r_qty and leaves out lines that received nothing; a
// return with no received line is an error. A refund takes the quantities
// from qty and may have no lines.
func (m *Mapper) afterSaleLines(
	key string,
	a *jst.AfterSale,
	returns bool,
	stock string,
) ([]*obv1.Line, error) {
	lines := make([]*obv1.Line, 0, len(a.Items))
	for i := range a.Items {
		it := &a.Items[i]
		in := lineIn{
			field:   itemField(i),
			id:      string(it.ASIID),
			sku:     string(it.SkuID),
			name:    string(it.Name),
			qtyName: "qty",
			qty:     it.Qty,
			price:   it.Price,
			amount:  it.Amount,
			defect:  it.DefectiveQty,
		}
		if returns {
			in.qtyName, in.qty, in.baseQty = "r_qty", it.RQty, it.Qty
			if in.qty.Valid && in.qty.Value.IsZero() {
				continue
			}
		}
		l, err := m.line(key, in, stock)
		if err != nil {
			return nil, err
		}
		lines = append(lines, l)
	}
	if returns && len(lines) == 0 {
		return nil, &Error{Key: key, Field: "items.r_qty", Reason: ReasonNoLines}
	}
	return lines, nil
}

// afterSaleField returns the lookup of the after-sale bill number template.
func afterSaleField(meta jst.Meta, a *jst.AfterSale) func(string) string {
	return func(field string) string {
		switch field {
		case "as_id":
			return meta.ID
		case "o_id":
			return string(a.OID)
		case "so_id":
			return string(a.SoID)
		case "outer_as_id":
			return string(a.OuterASID)
		}
		return meta.ShopID
	}
}
