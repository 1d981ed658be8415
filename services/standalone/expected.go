package standalone

import (
	"strconv"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

// Expected is a bill the default rules should bring to Kingdee for a
// document of the JST simulator.
type Expected struct {
	Form   string
	BillNo string
	// Order or AfterSale is the source document.
	Order     *jstsim.Order
	AfterSale *jstsim.AfterSale
}

// ExpectedBills states the default rules over the JST simulator's current
// documents; see ExpectedOf.
func ExpectedBills(sim *jstsim.Sim) map[string]Expected {
	return ExpectedOf(sim.Orders(), sim.AfterSales())
}

// ExpectedOf states the default rules of the design over orders and
// after-sales of the JST simulator, independently of the mapping package,
// by bill number: an order is synced as a SAL_SaleOrder when Sent; a 普通退货
// or 拒收退货 after-sale as a SAL_RETURNSTOCK when Confirmed and
// SELLER_RECEIVED; a 仅退款 as an AR_REFUNDBILL when Confirmed; nothing
// else. The Expected values point into orders and afters.
func ExpectedOf(orders []jstsim.Order, afters []jstsim.AfterSale) map[string]Expected {
	out := map[string]Expected{}
	for i := range orders {
		o := &orders[i]
		if o.Status == "Sent" {
			no := "JST-" + strconv.FormatInt(o.ID, 10)
			out[no] = Expected{Form: bill.FormSaleOrder, BillNo: no, Order: o}
		}
	}
	for i := range afters {
		a := &afters[i]
		no := "JST-AS-" + strconv.FormatInt(a.ID, 10)
		switch {
		case (a.Type == "普通退货" || a.Type == "拒收退货") &&
			a.Status == "Confirmed" && a.GoodStatus == "SELLER_RECEIVED":
			out[no] = Expected{Form: bill.FormReturnStock, BillNo: no, AfterSale: a}
		case a.Type == "仅退款" && a.Status == "Confirmed":
			out[no] = Expected{Form: bill.FormRefund, BillNo: no, AfterSale: a}
		}
	}
	return out
}
