package mapping

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/jst"
)

// TestGatewayShapes maps each document as the open API and as the Qimen
// gateway send it (numbers and strings swapped): the canonical documents
// must say the same.
func TestGatewayShapes(t *testing.T) {
	m := newMapper(t, testRules())
	tests := []struct {
		kind           jst.Kind
		openapi, qimen string
	}{
		{jst.KindOrder, "order_sent.json", "order_qimen.json"},
		{jst.KindAfterSale, "aftersale_seed.json", "aftersale_qimen.json"},
		{jst.KindAfterSale, "aftersale_seed.json", "aftersale_numbers.json"},
	}
	for _, tt := range tests {
		t.Run(tt.qimen, func(t *testing.T) {
			a, err := m.Map(tt.kind, readFile(t, tt.openapi), Source{Gateway: "openapi"})
			if err != nil {
				t.Fatalf("Map(%s) error: %v", tt.openapi, err)
			}
			b, err := m.Map(tt.kind, readFile(t, tt.qimen), Source{Gateway: "qimen"})
			if err != nil {
				t.Fatalf("Map(%s) error: %v", tt.qimen, err)
			}
			if a.Decision != Sync || b.Decision != Sync ||
				a.Doc.GetContentHash() != b.Doc.GetContentHash() {
				t.Errorf("Map(%s), Map(%s) = %s %s, %s %s, want sync with equal hashes",
					tt.openapi, tt.qimen, a.Decision, a.Doc.GetContentHash(),
					b.Decision, b.Doc.GetContentHash())
			}
		})
	}
}

func TestPreview(t *testing.T) {
	m := newMapper(t, testRules())
	s := bill.DefaultSettings()

	p, err := Preview(m, s, jst.KindOrder, readFile(t, "order_sent.json"))
	if err != nil {
		t.Fatalf("Preview(order_sent) error: %v", err)
	}
	var model struct {
		FBillNo string
		FNote   string
		Entry   []map[string]any `json:"FSaleOrderEntry"`
	}
	if err := json.Unmarshal(p.Model, &model); err != nil {
		t.Fatalf("Preview(order_sent) model %s: %v", p.Model, err)
	}
	if p.Decision != Sync || p.Rule != RuleOrderSent || p.FormID != FormSaleOrder ||
		p.BillNo != "JST-12345678" || model.FBillNo != "JST-12345678" ||
		len(model.Entry) != 3 || p.RulesVersion != "test-1" ||
		p.Doc.GetSalesOrder().GetLines()[0].GetMaterialNumber() != "M-0001" {
		t.Errorf("Preview(order_sent) = %+v, model %s, want sync %s JST-12345678 with 3 entries",
			p, p.Model, FormSaleOrder)
	}

	p, err = Preview(m, s, jst.KindOrder, orderJSON("WaitPay"))
	if err != nil || p.Decision != Filtered || p.Rule != RuleOrderNotSent ||
		p.Doc != nil || p.Model != nil {
		t.Errorf("Preview(WaitPay) = %+v, %v, want filtered by %q, no model",
			p, err, RuleOrderNotSent)
	}

	unknown := []byte(`{"o_id":1,"shop_id":"9","status":"Sent","ts":1}`)
	_, err = Preview(m, s, jst.KindOrder, unknown)
	var e *Error
	if !errors.As(err, &e) || e.Reason != ReasonUnknownShop {
		t.Errorf("Preview(unknown shop) error = %v, want unknown_shop", err)
	}

	_, err = Preview(m, bill.Settings{}, jst.KindOrder, readFile(t, "order_sent.json"))
	if !errors.Is(err, bill.ErrNoSettings) {
		t.Errorf("Preview(no settings) error = %v, want bill.ErrNoSettings", err)
	}
}
