package mapping

import (
	"fmt"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// orderJSON is a minimal order with one line.
func orderJSON(status string) []byte {
	return fmt.Appendf(nil, `{"o_id":101,"so_id":"P101","shop_id":"13046812",
		"status":%q,"modified":"2024-05-02 09:00:01","ts":7,
		"items":[{"oi_id":1,"sku_id":"SKU-B","qty":1,"price":"10","amount":"10"}]}`,
		status)
}

// afterSaleJSON is a minimal after-sale with one line.
func afterSaleJSON(typ, status, good string) []byte {
	return fmt.Appendf(nil, `{"as_id":"202","o_id":101,"shop_id":13046812,
		"type":%q,"status":%q,"good_status":%q,"refund":"10","ts":"8",
		"wms_co_id":11322398,"wh_id":"2",
		"items":[{"asi_id":5,"sku_id":"SKU-B","qty":"2","r_qty":1,"price":10,
		"amount":"20"}]}`, typ, status, good)
}

func TestDecisions(t *testing.T) {
	tests := []struct {
		name     string
		kind     jst.Kind
		raw      []byte
		decision Decision
		rule     string
		form     string
	}{
		{"order sent", jst.KindOrder, orderJSON("Sent"), Sync, RuleOrderSent, FormSaleOrder},
		{"order wait pay", jst.KindOrder, orderJSON("WaitPay"), Filtered, RuleOrderNotSent, ""},
		{"order cancelled", jst.KindOrder, orderJSON("Cancelled"), Filtered, RuleOrderNotSent, ""},
		{"order question", jst.KindOrder, orderJSON("Question"), Filtered, RuleOrderNotSent, ""},
		{
			"return received", jst.KindAfterSale,
			afterSaleJSON("普通退货", "Confirmed", "SELLER_RECEIVED"),
			Sync, RuleReturnReceived, FormReturnStock,
		},
		{
			"rejected return received", jst.KindAfterSale,
			afterSaleJSON("拒收退货", "Confirmed", "SELLER_RECEIVED"),
			Sync, RuleReturnReceived, FormReturnStock,
		},
		{
			"return waiting", jst.KindAfterSale,
			afterSaleJSON("普通退货", "WaitConfirm", "SELLER_RECEIVED"),
			Filtered, RuleReturnNotConfirmed, "",
		},
		{
			"return not received", jst.KindAfterSale,
			afterSaleJSON("普通退货", "Confirmed", "BUYER_RETURNED_GOODS"),
			Filtered, RuleReturnNotReceived, "",
		},
		{
			"rejected return cancelled", jst.KindAfterSale,
			afterSaleJSON("拒收退货", "Cancelled", ""),
			Filtered, RuleReturnNotConfirmed, "",
		},
		{
			"refund only confirmed", jst.KindAfterSale,
			afterSaleJSON("仅退款", "Confirmed", ""),
			Sync, RuleRefundConfirmed, FormRefundBill,
		},
		{
			"refund only waiting", jst.KindAfterSale,
			afterSaleJSON("仅退款", "WaitConfirm", ""),
			Filtered, RuleRefundNotConfirmed, "",
		},
		{
			"exchange", jst.KindAfterSale,
			afterSaleJSON("换货", "Confirmed", "SELLER_RECEIVED"),
			Filtered, RuleAfterSaleType, "",
		},
		{
			"resend", jst.KindAfterSale,
			afterSaleJSON("补发", "Confirmed", ""),
			Filtered, RuleAfterSaleType, "",
		},
		{
			"other", jst.KindAfterSale,
			afterSaleJSON("其它", "Confirmed", "SELLER_RECEIVED"),
			Filtered, RuleAfterSaleType, "",
		},
	}
	m := newMapper(t, testRules())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := m.Map(tt.kind, tt.raw, Source{})
			if err != nil {
				t.Fatalf("Map(%s) error: %v", tt.name, err)
			}
			form := res.Doc.GetSalesOrder().GetFormId() + res.Doc.GetAfterSale().GetFormId()
			if res.Decision != tt.decision || res.Rule != tt.rule || form != tt.form {
				t.Errorf("Map(%s) = %s %q form %q, want %s %q form %q",
					tt.name, res.Decision, res.Rule, form, tt.decision, tt.rule, tt.form)
			}
			if (res.Doc != nil) != (tt.decision == Sync) {
				t.Errorf("Map(%s) doc set = %v, want %v", tt.name, res.Doc != nil,
					tt.decision == Sync)
			}
		})
	}
}

// TestFilteredNeedsNoShop checks that a filtered document is not a dead
// letter for lack of a shop: the filter runs before the lookups.
func TestFilteredNeedsNoShop(t *testing.T) {
	m := newMapper(t, DefaultRules())
	res, err := m.Map(jst.KindOrder, orderJSON("WaitPay"), Source{})
	if err != nil || res.Decision != Filtered {
		t.Fatalf("Map(WaitPay order, no shops) = %+v, %v, want filtered", res, err)
	}
}

func TestAfterSaleLines(t *testing.T) {
	m := newMapper(t, testRules())

	res, err := m.Map(jst.KindAfterSale,
		afterSaleJSON("普通退货", "Confirmed", "SELLER_RECEIVED"), Source{})
	if err != nil {
		t.Fatal(err)
	}
	as := res.Doc.GetAfterSale()
	l := as.GetLines()[0]
	// r_qty 1 of qty 2 at 10, amount 20: no discount to prorate.
	if decString(l.GetQty()) != "1" || decString(l.GetDiscountAmount()) != "<nil>" ||
		as.GetStockNumber() != "CK-RET" || l.GetStockNumber() != "CK-RET" {
		t.Errorf("Map(return) qty %s discount %s stock %q/%q, want 1 <nil> CK-RET",
			decString(l.GetQty()), decString(l.GetDiscountAmount()),
			as.GetStockNumber(), l.GetStockNumber())
	}

	res, err = m.Map(jst.KindAfterSale, []byte(`{"as_id":3,"shop_id":"13046812",
		"type":"普通退货","status":"Confirmed","good_status":"SELLER_RECEIVED","ts":1,
		"wms_co_id":"999","items":[
		{"asi_id":1,"sku_id":"A","qty":3,"r_qty":2,"price":"10","amount":"25"},
		{"asi_id":2,"sku_id":"B","qty":1,"r_qty":0,"price":"5","amount":"5"}]}`),
		Source{})
	if err != nil {
		t.Fatal(err)
	}
	as = res.Doc.GetAfterSale()
	if len(as.GetLines()) != 1 {
		t.Fatalf("Map(partial return) lines = %d, want 1 (r_qty 0 left out)",
			len(as.GetLines()))
	}
	// 10 × 3 − 25 = 5 over 3 units; 2 returned: 3.33.
	l = as.GetLines()[0]
	if decString(l.GetDiscountAmount()) != "3.33" || as.GetStockNumber() != "CK-DEF" {
		t.Errorf("Map(partial return) discount %s stock %q, want 3.33 CK-DEF",
			decString(l.GetDiscountAmount()), as.GetStockNumber())
	}

	res, err = m.Map(jst.KindAfterSale, []byte(`{"as_id":4,"shop_id":"13046812",
		"type":"仅退款","status":"Confirmed","refund":"12.30","ts":1,"items":[]}`),
		Source{})
	if err != nil {
		t.Fatal(err)
	}
	as = res.Doc.GetAfterSale()
	if as.GetFormId() != FormRefundBill || len(as.GetLines()) != 0 ||
		decString(as.GetRefund()) != "12.3" || as.GetStockNumber() != "" {
		t.Errorf("Map(refund only) = form %q %d lines refund %s stock %q, "+
			"want %s 0 lines 12.3 no stock", as.GetFormId(), len(as.GetLines()),
			decString(as.GetRefund()), as.GetStockNumber(), FormRefundBill)
	}
}
