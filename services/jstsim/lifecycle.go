package jstsim

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// Content changes after the data set is generated, shared by churn and
// live mode. They change a document's wire form only; the caller bumps its
// modified time and row version.

// newOrder makes an unpaid order (WaitPay) placed shortly before now.
func (g *generator) newOrder(oid int64, now time.Time) *doc {
	shop := pick(g.rng, g.shops)
	orderDate := now.Add(-g.dur(0, 10*time.Minute)).Truncate(time.Second)
	w := &orderWire{
		OID:          oid,
		SOID:         digits(g.rng, 18+g.rng.IntN(4)),
		ShopID:       mustInt(shop.ID),
		ShopName:     shop.Name,
		CoID:         g.coID,
		OrderDate:    jst.FormatTime(orderDate),
		Created:      jst.FormatTime(orderDate),
		Type:         g.draw(orderTypes),
		WmsCoID:      pick(g.rng, g.warehouses).wmsCoID,
		Labels:       pick(g.rng, orderLabels),
		Remark:       pick(g.rng, orderRemarks),
		BuyerMessage: pick(g.rng, buyerMessages),
		ShopBuyerID:  g.buyerID(),
	}
	d := &doc{
		kind:   jst.KindOrder,
		id:     oid,
		oid:    oid,
		soID:   w.SOID,
		shopID: shop.ID,
		tsText: g.chance(1.0 / 3),
		order:  w,
	}
	g.receiver(w)
	g.orderLines(d, "WaitPay")
	g.orderTotals(w, false)
	setOrderStatus(d, "WaitPay")
	return d
}

// advanceOrder moves an order one step along its lifecycle: WaitPay is
// paid (WaitConfirm or Delivering) or cancelled, WaitConfirm goes to
// Delivering or is cancelled, Question to Delivering, Delivering is sent.
// It reports false for an order in a final status.
func (g *generator) advanceOrder(d *doc, now time.Time) bool {
	w := d.order
	switch d.status {
	case "WaitPay":
		if g.chance(0.15) {
			setOrderStatus(d, "Cancelled")
			return true
		}
		w.PayDate = jst.FormatTime(now)
		w.PaidAmount = w.PayAmount
		if g.chance(0.4) {
			g.deliver(d)
			return true
		}
		setOrderStatus(d, "WaitConfirm")
	case "WaitConfirm":
		if g.chance(0.1) {
			setOrderStatus(d, "Cancelled")
			return true
		}
		g.deliver(d)
	case "Question":
		g.deliver(d)
	case "Delivering":
		d.sent = now.In(jst.Beijing).Truncate(time.Second)
		w.SendDate = jst.FormatTime(d.sent)
		setOrderStatus(d, "Sent")
	default:
		return false
	}
	return true
}

// deliver hands an order to the warehouse (Delivering) with a tracking
// number.
func (g *generator) deliver(d *doc) {
	if d.order.LID == "" {
		d.order.LID, d.order.LogisticsCompany = g.trackingNo()
	}
	setOrderStatus(d, "Delivering")
}

func setOrderStatus(d *doc, status string) {
	d.status = status
	d.order.Status = status
	d.order.ShopStatus = shopStatus(status)
	for i := range d.order.Items {
		d.order.Items[i].ItemStatus = status
	}
}

// newAfterSale makes an after-sale of a sent order, waiting for
// confirmation (WaitConfirm), applied for shortly before now.
func (g *generator) newAfterSale(asid int64, o *doc, now time.Time) *doc {
	asDate := g.between(o.sent, now)
	created := asDate.Add(g.dur(0, 30*time.Second)).Truncate(time.Second)
	if created.After(now) {
		created = asDate
	}
	typ := g.draw(afterSaleTypes)
	wh := g.warehouseOf(o.order.WmsCoID)
	w := &afterSaleWire{
		ASID:         asid,
		OuterASID:    digits(g.rng, 19),
		OID:          o.id,
		SOID:         o.soID,
		ASDate:       jst.FormatTime(asDate),
		Created:      jst.FormatTime(created),
		Type:         typ,
		Status:       "WaitConfirm",
		ShopStatus:   refundShopStatus("WaitConfirm"),
		GoodStatus:   g.goodStatus(typ, "WaitConfirm"),
		OrderStatus:  o.status,
		OrderType:    o.order.Type,
		QuestionType: pick(g.rng, questionTypes),
		Payment:      "0",
		Freight:      "0",
		Warehouse:    wh.name,
		WmsCoID:      wh.wmsCoID,
		WhID:         2,
		ShopID:       o.shopID,
		ShopBuyerID:  o.order.ShopBuyerID,
	}
	if w.GoodStatus == "BUYER_RETURNED_GOODS" || w.GoodStatus == "SELLER_RECEIVED" {
		w.LID, w.LogisticsCompany = g.trackingNo()
	}
	g.afterSaleLines(w, o, created, now)
	return &doc{
		kind:   jst.KindAfterSale,
		id:     asid,
		oid:    o.id,
		soID:   o.soID,
		shopID: o.shopID,
		status: w.Status,
		tsText: true,
		as:     w,
	}
}

// advanceAfterSale settles an after-sale waiting for confirmation: mostly
// Confirmed, where returned goods arrive (good_status SELLER_RECEIVED,
// r_qty = qty), sometimes Cancelled. It reports false for an after-sale
// already settled.
func (g *generator) advanceAfterSale(d *doc, now time.Time) bool {
	if d.status != "WaitConfirm" {
		return false
	}
	w := d.as
	if g.chance(0.1) {
		setAfterSaleStatus(d, "Cancelled")
		return true
	}

	stamp := jst.FormatTime(now)
	setAfterSaleStatus(d, "Confirmed")
	w.ConfirmDate = stamp
	if w.Type != "普通退货" && w.Type != "拒收退货" && w.Type != "换货" {
		return true
	}
	w.GoodStatus = "SELLER_RECEIVED"
	if w.LID == "" {
		w.LID, w.LogisticsCompany = g.trackingNo()
	}
	for i := range w.Items {
		it := &w.Items[i]
		it.RQty = it.Qty
		if it.ReceiveDate == "" {
			it.ReceiveDate = stamp
		}
	}
	return true
}

func setAfterSaleStatus(d *doc, status string) {
	d.status = status
	d.as.Status = status
	d.as.ShopStatus = refundShopStatus(status)
}

// touchContent makes the small change of a churned document: often a
// status move where one is possible, otherwise a new remark.
func (g *generator) touchContent(d *doc, now time.Time) {
	if g.chance(0.4) {
		if d.order != nil && g.advanceOrder(d, now) {
			return
		}
		if d.as != nil && g.advanceAfterSale(d, now) {
			return
		}
	}
	if d.order != nil {
		d.order.Remark = g.newRemark(d.order.Remark, sellerRemarks)
	} else {
		d.as.Remark = g.newRemark(d.as.Remark, afterSaleRemarks)
	}
}

// newRemark returns a remark from list other than old.
func (g *generator) newRemark(old string, list []string) string {
	for {
		if r := pick(g.rng, list); r != old {
			return r
		}
	}
}

// orderPart makes a new order from some lines of src, as a split or a
// merge does: same shop, buyer and status, totals recomputed so that
// pay_amount = sum of amounts + freight - free_amount, paid in full.
func orderPart(
	src *doc,
	oid int64,
	items []orderItemWire,
	units []decimal.Decimal,
	freight, free decimal.Decimal,
) *doc {
	w := *src.order
	w.OID = oid
	w.Items = append([]orderItemWire(nil), items...)
	sum := decimal.Zero
	for _, it := range w.Items {
		sum = sum.Add(decimal.RequireFromString(it.Amount))
	}
	pay := sum.Add(freight).Sub(free)
	w.Freight, w.FreeAmount = freight.String(), free.String()
	w.PayAmount = jsonNumber(pay)
	w.PaidAmount = w.PayAmount

	d := *src
	d.id, d.oid = oid, oid
	d.order = &w
	d.units = append([]decimal.Decimal(nil), units...)
	d.raw = nil
	return &d
}

func jsonNumber(d decimal.Decimal) json.Number {
	return json.Number(d.String())
}
