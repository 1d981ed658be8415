package mapping

import "github.com/orderbridge/orderbridge/pkg/jst"

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

// decideOrder applies the built-in order rule.
func decideOrder(o *jst.Order) (Decision, string) {
	if o.Status != orderSent {
		return Filtered, RuleOrderNotSent
	}
	return Sync, RuleOrderSent
}

// decideAfterSale applies the built-in after-sale rules. It returns the
// Kingdee form of a synced after-sale, and "" for a filtered one.
func decideAfterSale(a *jst.AfterSale) (Decision, string, string) {
	switch a.Type {
	case typeReturn, typeRejected:
		switch {
		case a.Status != asConfirmed:
			return Filtered, RuleReturnNotConfirmed, ""
		case a.GoodStatus != goodsReceived:
			return Filtered, RuleReturnNotReceived, ""
		}
		return Sync, RuleReturnReceived, FormReturnStock
	case typeRefundOnly:
		if a.Status != asConfirmed {
			return Filtered, RuleRefundNotConfirmed, ""
		}
		return Sync, RuleRefundConfirmed, FormRefundBill
	}
	return Filtered, RuleAfterSaleType, ""
}
