package standalone

import (
	"strconv"

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

// ExpectedBills states the default rules of the design over the JST
// simulator's current documents, independently of the mapping package: an
// order is synced when Sent; a 普通退货 or 拒收退货 after-sale when Confirmed
// and SELLER_RECEIVED; a 仅退款 when Confirmed; nothing else.
func ExpectedBills(sim *jstsim.Sim) map[string]Expected {
	out := map[string]Expected{}
	for _, o := range sim.Orders() {
		if o.Status == "Sent" {
			no := "JST-" + strconv.FormatInt(o.ID, 10)
			out[no] = Expected{Form: "SAL_SaleOrder", BillNo: no, Order: &o}
		}
	}
	for _, a := range sim.AfterSales() {
		no := "JST-AS-" + strconv.FormatInt(a.ID, 10)
		switch {
		case (a.Type == "普通退货" || a.Type == "拒收退货") &&
			a.Status == "Confirmed" && a.GoodStatus == "SELLER_RECEIVED":
			out[no] = Expected{Form: "SAL_RETURNSTOCK", BillNo: no, AfterSale: &a}
		case a.Type == "仅退款" && a.Status == "Confirmed":
			out[no] = Expected{Form: "AR_REFUNDBILL", BillNo: no, AfterSale: &a}
		}
	}
	return out
}
