package jstsim

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// orderStatuses is the spread of generated order statuses: about 60% Sent.
var orderStatuses = []weighted{
	{"Sent", 60},
	{"WaitPay", 5},
	{"Delivering", 8},
	{"WaitConfirm", 6},
	{"Question", 5},
	{"Cancelled", 8},
	{"Merged", 4},
	{"Split", 4},
}

var orderTypes = []weighted{{"普通订单", 90}, {"补发订单", 5}, {"换货订单", 5}}

func (g *generator) makeOrders(n int) []*doc {
	out := make([]*doc, 0, max(n, 0))
	oid := int64(8200000)
	for range n {
		oid += 1 + g.rng.Int64N(40)
		out = append(out, g.order(oid))
	}
	return out
}

// order makes one order whose modified time falls in the window and whose
// dates run order_date <= pay_date <= send_date <= modified.
func (g *generator) order(oid int64) *doc {
	shop := pick(g.rng, g.shops)
	status := g.draw(orderStatuses)
	modified := g.between(g.window())
	orderDate := modified.Add(-g.dur(2*time.Hour, 96*time.Hour)).Truncate(time.Second)

	w := &orderWire{
		OID:          oid,
		SOID:         digits(g.rng, 18+g.rng.IntN(4)),
		ShopID:       mustInt(shop.ID),
		ShopName:     shop.Name,
		CoID:         g.coID,
		OrderDate:    jst.FormatTime(orderDate),
		Created:      jst.FormatTime(orderDate.Add(g.dur(5*time.Second, 3*time.Minute))),
		Status:       status,
		ShopStatus:   shopStatus(status),
		Type:         g.draw(orderTypes),
		WmsCoID:      pick(g.rng, g.warehouses).wmsCoID,
		Labels:       pick(g.rng, orderLabels),
		Remark:       pick(g.rng, orderRemarks),
		BuyerMessage: pick(g.rng, buyerMessages),
		ShopBuyerID:  g.buyerID(),
		IsMerge:      status == "Sent" && g.chance(0.05),
		IsSplit:      status == "Sent" && g.chance(0.05),
	}
	d := &doc{
		kind:     jst.KindOrder,
		id:       oid,
		oid:      oid,
		soID:     w.SOID,
		shopID:   shop.ID,
		status:   status,
		modified: modified,
		tsText:   g.chance(1.0 / 3),
		order:    w,
	}
	g.receiver(w)

	paid := status != "WaitPay" && (status != "Cancelled" || g.chance(0.5))
	if paid {
		payDate := orderDate.Add(g.dur(30*time.Second, 30*time.Minute)).Truncate(time.Second)
		w.PayDate = jst.FormatTime(payDate)
		if status == "Sent" {
			d.sent = g.between(payDate.Add(time.Minute), modified)
			w.SendDate = jst.FormatTime(d.sent)
		}
	}
	if status == "Sent" || status == "Delivering" {
		w.LID, w.LogisticsCompany = g.trackingNo()
	}

	g.orderLines(d, status)
	g.orderTotals(w, paid)
	return d
}

func (g *generator) receiver(w *orderWire) {
	r := pick(g.rng, regions)
	w.ReceiverName = pick(g.rng, surnames) + pick(g.rng, givenNames)
	w.ReceiverMobile = g.mobile()
	w.ReceiverState, w.ReceiverCity, w.ReceiverDistrict = r.state, r.city, r.district
	w.ReceiverAddress = r.state + r.city + r.district + pick(g.rng, streets) +
		itoa(1+g.rng.IntN(999)) + "号" + itoa(1+g.rng.IntN(20)) + "幢" +
		itoa(101+g.rng.IntN(1800)) + "室"
}

// orderLines adds one to three goods lines and sometimes a gift line. A line
// of one piece may carry a discount; a line of several does not, so the
// effective unit price (amount / qty) is always exact.
func (g *generator) orderLines(d *doc, status string) {
	lines := 1
	switch n := g.rng.IntN(10); {
	case n >= 9:
		lines = 3
	case n >= 6:
		lines = 2
	}

	used := map[string]bool{}
	for len(d.order.Items) < lines {
		sku := pick(g.rng, g.skus)
		if used[sku.ID] {
			continue
		}
		used[sku.ID] = true

		qty := int(g.draw([]weighted{{"1", 75}, {"2", 20}, {"3", 5}})[0] - '0')
		price := sku.price
		if g.chance(0.15) {
			price = price.Mul(decimal.RequireFromString("0.9")).Round(2)
		}
		amount := price.Mul(decimal.NewFromInt(int64(qty)))
		if qty == 1 && g.chance(0.15) {
			off := decimal.NewFromInt(int64(pick(g.rng, []int{5, 10, 20})))
			if off.Mul(decimal.NewFromInt(2)).LessThan(price) {
				amount = amount.Sub(off)
			}
		}
		unit := amount.Div(decimal.NewFromInt(int64(qty)))
		d.order.Items = append(d.order.Items, g.orderItem(sku, qty, price, amount, status))
		d.units = append(d.units, unit)
	}

	if g.chance(0.1) {
		zero := decimal.Zero
		it := g.orderItem(g.gift, 1, zero, zero, status)
		it.IsGift = true
		d.order.Items = append(d.order.Items, it)
		d.units = append(d.units, zero)
	}
}

func (g *generator) orderItem(
	sku catalogueSKU,
	qty int,
	price, amount decimal.Decimal,
	status string,
) orderItemWire {
	g.nextOI += 1 + g.rng.Int64N(5)
	return orderItemWire{
		OIID:            g.nextOI,
		OuterOIID:       digits(g.rng, 19+g.rng.IntN(3)),
		SKUID:           sku.ID,
		ShopSKUID:       sku.shopSKUID,
		IID:             sku.ItemID,
		Name:            sku.Name,
		PropertiesValue: sku.Properties,
		Qty:             qty,
		Price:           price.String(),
		BasePrice:       json.Number(sku.price.String()),
		Amount:          amount.String(),
		RefundStatus:    "none",
		ItemStatus:      status,
		SKUType:         "normal",
	}
}

// orderTotals sets freight, the order discount and the amounts so that
// pay_amount = sum of line amounts + freight - free_amount.
func (g *generator) orderTotals(w *orderWire, paid bool) {
	sum := decimal.Zero
	for _, it := range w.Items {
		sum = sum.Add(decimal.RequireFromString(it.Amount))
	}

	freight := decimal.Zero
	if g.chance(0.2) {
		freight = decimal.NewFromInt(int64(pick(g.rng, []int{8, 12})))
	}
	free := decimal.Zero
	if sum.GreaterThan(decimal.NewFromInt(200)) && g.chance(0.2) {
		free = decimal.NewFromInt(10)
	}

	pay := sum.Add(freight).Sub(free)
	w.Freight = freight.String()
	w.FreeAmount = free.String()
	w.PayAmount = json.Number(pay.String())
	w.PaidAmount = "0"
	if paid {
		w.PaidAmount = w.PayAmount
	}
}

func shopStatus(status string) string {
	switch status {
	case "Sent":
		return "WAIT_BUYER_CONFIRM_GOODS"
	case "WaitPay":
		return "WAIT_BUYER_PAY"
	case "Cancelled":
		return "TRADE_CLOSED"
	}
	return "WAIT_SELLER_SEND_GOODS"
}
