package mapping

import obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"

// Names of the built-in rules, as Result.Rule reports them. A synced
// document names the rule that let it through; a filtered one names the
// condition that stopped it.
const (
	RuleOrderSent    = "order.status==Sent"
	RuleOrderNotSent = "order.status!=Sent"

	RuleReturnReceived = "aftersale.return.status==Confirmed" +
		"&&good_status==SELLER_RECEIVED"
	RuleReturnNotConfirmed = "aftersale.return.status!=Confirmed"
	RuleReturnNotReceived  = "aftersale.return.good_status!=SELLER_RECEIVED"

	RuleRefundConfirmed    = "aftersale.refund.status==Confirmed"
	RuleRefundNotConfirmed = "aftersale.refund.status!=Confirmed"

	// RuleAfterSaleType: the after-sale's type has no route to a form.
	// Such an after-sale is skipped before any filter runs.
	RuleAfterSaleType = "aftersale.type.not_synced"
)

// JST values the built-in rules test.
const (
	orderSent      = "Sent"
	asConfirmed    = "Confirmed"
	goodsReceived  = "SELLER_RECEIVED"
	typeReturn     = "普通退货"
	typeRejected   = "拒收退货"
	typeRefundOnly = "仅退款"
)

// decideOrder applies the built-in order rule to a drafted order.
func decideOrder(so *obv1.SalesOrder) (Decision, string) {
	if so.GetStatus() != orderSent {
		return Filtered, RuleOrderNotSent
	}
	return Sync, RuleOrderSent
}

// decideAfterSale applies the built-in after-sale rules to a drafted
// after-sale, by the form its type is routed to.
func decideAfterSale(as *obv1.AfterSale) (Decision, string) {
	switch as.GetFormId() {
	case FormReturnStock:
		switch {
		case as.GetStatus() != asConfirmed:
			return Filtered, RuleReturnNotConfirmed
		case as.GetGoodStatus() != goodsReceived:
			return Filtered, RuleReturnNotReceived
		}
		return Sync, RuleReturnReceived
	case FormRefundBill:
		if as.GetStatus() != asConfirmed {
			return Filtered, RuleRefundNotConfirmed
		}
		return Sync, RuleRefundConfirmed
	}
	return Filtered, RuleAfterSaleType
}
