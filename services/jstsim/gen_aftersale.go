package jstsim

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

var afterSaleTypes = []weighted{
	{"普通退货", 45},
	{"仅退款", 25},
	{"拒收退货", 10},
	{"换货", 12},
	{"补发", 8},
}

var afterSaleStatuses = []weighted{{"Confirmed", 60}, {"WaitConfirm", 25}, {"Cancelled", 15}}

// makeAfterSales makes n after-sales of sent orders, each dated after its
// order was sent. With no sent order old enough, it makes none.
func (g *generator) makeAfterSales(n int, orders []*doc) []*doc {
	_, hi := g.window()
	var sent []*doc
	for _, o := range orders {
		if !o.sent.IsZero() && !o.sent.Add(time.Hour).After(hi) {
			sent = append(sent, o)
		}
	}
	if len(sent) == 0 {
		return nil
	}

	out := make([]*doc, 0, max(n, 0))
	asid := int64(4400000)
	for range n {
		asid += 1 + g.rng.Int64N(30)
		out = append(out, g.afterSale(asid, pick(g.rng, sent)))
	}
	return out
}

func (g *generator) afterSale(asid int64, o *doc) *doc {
	lo, hi := g.window()
	if first := o.sent.Add(time.Hour); first.After(lo) {
		lo = first
	}
	modified := g.between(lo, hi)
	asDate := g.between(o.sent, modified.Add(-2*time.Minute))
	created := asDate.Add(g.dur(5*time.Second, time.Minute)).Truncate(time.Second)

	typ := g.draw(afterSaleTypes)
	status := g.draw(afterSaleStatuses)
	wh := g.warehouseOf(o.order.WmsCoID)
	w := &afterSaleWire{
		ASID:         asid,
		OuterASID:    digits(g.rng, 19),
		OID:          o.id,
		SOID:         o.soID,
		ASDate:       jst.FormatTime(asDate),
		Created:      jst.FormatTime(created),
		Type:         typ,
		Status:       status,
		ShopStatus:   refundShopStatus(status),
		GoodStatus:   g.goodStatus(typ, status),
		OrderStatus:  o.status,
		OrderType:    o.order.Type,
		QuestionType: pick(g.rng, questionTypes),
		Payment:      "0",
		Freight:      "0",
		Warehouse:    wh.name,
		WmsCoID:      wh.wmsCoID,
		WhID:         2,
		ShopID:       o.shopID,
		Labels:       pick(g.rng, []string{"", "", "", "ShopDown"}),
		ShopBuyerID:  o.order.ShopBuyerID,
	}
	if status == "Confirmed" {
		w.ConfirmDate = jst.FormatTime(g.between(created, modified))
	}
	if w.GoodStatus == "BUYER_RETURNED_GOODS" || w.GoodStatus == "SELLER_RECEIVED" {
		w.LID, w.LogisticsCompany = g.trackingNo()
	}

	g.afterSaleLines(w, o, created, modified)
	return &doc{
		kind:     jst.KindAfterSale,
		id:       asid,
		oid:      o.id,
		soID:     o.soID,
		shopID:   o.shopID,
		status:   status,
		modified: modified,
		tsText:   true,
		as:       w,
	}
}

// afterSaleLines takes some of the order's paid lines, at their effective
// unit price, and sets the refund to the sum of their amounts for the types
// that refund money.
func (g *generator) afterSaleLines(w *afterSaleWire, o *doc, created, modified time.Time) {
	var lines []int
	for i, it := range o.order.Items {
		if !it.IsGift {
			lines = append(lines, i)
		}
	}
	g.rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	lines = lines[:1+g.rng.IntN(len(lines))]

	returned := w.Type == "普通退货" || w.Type == "拒收退货" || w.Type == "换货"
	received := returned && w.GoodStatus == "SELLER_RECEIVED"
	total := decimal.Zero
	for _, i := range lines {
		oi := o.order.Items[i]
		qty := 1 + g.rng.IntN(oi.Qty)
		unit := o.units[i]
		amount := unit.Mul(decimal.NewFromInt(int64(qty)))
		total = total.Add(amount)

		g.nextASI += 1 + g.rng.Int64N(4)
		it := afterSaleItemWire{
			ASIID:           g.nextASI,
			OuterOIID:       oi.OuterOIID,
			SKUID:           oi.SKUID,
			ShopSKUID:       oi.ShopSKUID,
			IID:             oi.IID,
			Name:            oi.Name,
			PropertiesValue: oi.PropertiesValue,
			Qty:             qty,
			Price:           unit.String(),
			Amount:          amount.String(),
			Type:            itemType(w.Type),
			SKUType:         oi.SKUType,
		}
		if received {
			it.RQty = qty
			it.ReceiveDate = jst.FormatTime(g.between(created, modified))
			if g.chance(0.15) {
				it.DefectiveQty = 1
			}
		}
		w.Items = append(w.Items, it)
	}

	w.Refund = "0"
	if refunds(w.Type) {
		w.Refund = total.String()
	}
	w.BuyerApplyRefund = w.Refund
}

func (g *generator) goodStatus(typ, status string) string {
	switch {
	case typ == "补发":
		return "BUYER_RECEIVED"
	case typ == "仅退款":
		return g.draw([]weighted{{"BUYER_NOT_RECEIVED", 60}, {"BUYER_RECEIVED", 40}})
	case status == "Confirmed":
		return g.draw([]weighted{{"SELLER_RECEIVED", 80}, {"BUYER_RETURNED_GOODS", 20}})
	case status == "WaitConfirm":
		return g.draw([]weighted{
			{"BUYER_RETURNED_GOODS", 50},
			{"SELLER_RECEIVED", 30},
			{"BUYER_NOT_RECEIVED", 20},
		})
	}
	return g.draw([]weighted{{"BUYER_NOT_RECEIVED", 60}, {"BUYER_RECEIVED", 40}})
}

func (g *generator) warehouseOf(wmsCoID int64) warehouse {
	for _, w := range g.warehouses {
		if w.wmsCoID == wmsCoID {
			return w
		}
	}
	return g.warehouses[0]
}

func refunds(typ string) bool {
	return typ == "普通退货" || typ == "拒收退货" || typ == "仅退款"
}

func itemType(asType string) string {
	switch asType {
	case "换货":
		return "换货"
	case "补发":
		return "补发"
	case "仅退款":
		return "退款"
	}
	return "退货"
}

func refundShopStatus(status string) string {
	switch status {
	case "Confirmed":
		return "SUCCESS"
	case "Cancelled":
		return "CLOSED"
	}
	return "WAIT_SELLER_AGREE"
}

func mustInt(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic("jstsim: not an integer: " + s)
	}
	return n
}

func itoa(n int) string { return strconv.Itoa(n) }
