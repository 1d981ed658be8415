package mapping

import (
	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// mapAfterSale routes a JST after-sale to its form by type, drafts the
// canonical after-sale, decides on it and, when it is synced, resolves its
// lookups and overrides: a sales return (SAL_RETURNSTOCK) with the
// received quantities, or a refund bill (AR_REFUNDBILL).
func (m *Mapper) mapAfterSale(a *jst.AfterSale, src Source) (*Result, error) {
	meta, err := a.Meta()
	if err != nil {
		return nil, fromJST(jst.KindAfterSale, err)
	}
	key := meta.Key()
	form := m.rules.AfterSaleForms[string(a.Type)]
	if form == "" {
		return filtered(key, RuleAfterSaleType), nil
	}
	as, ins := m.draftAfterSale(a, meta, src, form)

	decision, rule := Decision(0), ""
	if m.asFilters == nil {
		decision, rule = decideAfterSale(as)
	} else if decision, rule, err = m.asFilters.decide(key, as); err != nil {
		return nil, err
	}
	if decision == Filtered {
		return filtered(key, rule), nil
	}

	if as.Parties, err = m.parties(key, meta.ShopID); err != nil {
		return nil, err
	}
	returns := form == FormReturnStock
	if returns {
		if len(ins) == 0 {
			return nil, &Error{Key: key, Field: "items.r_qty", Reason: ReasonNoLines}
		}
		as.StockNumber = m.stock(string(a.WmsCoID), string(a.WhID))
	}
	if err := m.resolveLines(key, ins, as.Lines, as.StockNumber); err != nil {
		return nil, err
	}
	if m.asOverride != nil {
		if err := m.asOverride.apply(key, as); err != nil {
			return nil, err
		}
	}
	doc := &obv1.Document{Body: &obv1.Document_AfterSale{AfterSale: as}}
	return synced(key, rule, doc)
}

// draftAfterSale builds the canonical after-sale of a for form before any
// check or lookup, with the JST lines its lines were drafted from. A
// return takes its quantities from r_qty and leaves out lines that
// received nothing; a refund takes them from qty.
func (m *Mapper) draftAfterSale(
	a *jst.AfterSale,
	meta jst.Meta,
	src Source,
	form string,
) (*obv1.AfterSale, []lineIn) {
	returns := form == FormReturnStock
	places := m.placesOf(form)
	ins := make([]lineIn, 0, len(a.Items))
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
		ins = append(ins, in)
	}
	lines := make([]*obv1.Line, len(ins))
	for i := range ins {
		lines[i] = draftLine(&ins[i], places)
	}

	return &obv1.AfterSale{
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
		Lines:       lines,
		Refund:      dec(a.Refund),
		Freight:     dec(a.Freight),
		Note:        string(a.SoID),
	}, ins
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
