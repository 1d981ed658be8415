package mapping

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

func testRules() Rules {
	r := DefaultRules()
	r.Version = "test-1"
	r.Shops = map[string]Shop{
		"13046812": {Customer: "CUST-DY", SaleOrg: "100", Department: "D1", Salesperson: "S1"},
	}
	r.SKUs = map[string]string{"SKU-A-RED-M": "M-0001"}
	r.Stocks = map[string]string{"11322398/2": "CK-RET", "11322398": "CK-MAIN"}
	r.DefaultStock = "CK-DEF"
	return r
}

func newMapper(tb testing.TB, r Rules) *Mapper {
	tb.Helper()
	m, err := New(r)
	if err != nil {
		tb.Fatalf("New() error: %v", err)
	}
	return m
}

func readFile(tb testing.TB, name string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func decString(d *obv1.Decimal) string {
	if d == nil {
		return "<nil>"
	}
	return d.GetValue()
}

// TestMapSeedAfterSale maps the real after-sale of the seed in its string
// shape and in its number shape.
func TestMapSeedAfterSale(t *testing.T) {
	m := newMapper(t, defaultRulesWithShop())
	var hashes []string
	for _, name := range []string{"aftersale_seed.json", "aftersale_numbers.json"} {
		t.Run(name, func(t *testing.T) {
			src := Source{Gateway: "qimen", RawSequence: 42}
			res, err := m.Map(jst.KindAfterSale, readFile(t, name), src)
			if err != nil {
				t.Fatalf("Map(%s) error: %v", name, err)
			}
			if res.Decision != Sync || res.Rule != RuleReturnReceived ||
				res.Key != "aftersale.4404852" {
				t.Fatalf("Map(%s) = %s %q %q, want sync %q aftersale.4404852",
					name, res.Decision, res.Rule, res.Key, RuleReturnReceived)
			}
			as := res.Doc.GetAfterSale()
			if as.GetFormId() != FormReturnStock || as.GetBillNo() != "JST-AS-4404852" {
				t.Errorf("Map(%s) form, bill = %q, %q, want %q, JST-AS-4404852",
					name, as.GetFormId(), as.GetBillNo(), FormReturnStock)
			}
			if len(as.GetLines()) != 1 {
				t.Fatalf("Map(%s) lines = %d, want 1", name, len(as.GetLines()))
			}
			l := as.GetLines()[0]
			checks := []struct{ field, got, want string }{
				{"material", l.GetMaterialNumber(), "X20142466F90195215"},
				{"qty", decString(l.GetQty()), "1"},
				{"tax_price", decString(l.GetTaxPrice()), "594"},
				{"amount", decString(l.GetAmount()), "594"},
				{"discount", decString(l.GetDiscountAmount()), "<nil>"},
				{"defective_qty", decString(l.GetDefectiveQty()), "1"},
				{"source_line_id", l.GetSourceLineId(), "30955105"},
				{"refund", decString(as.GetRefund()), "594"},
				{"freight", decString(as.GetFreight()), "0"},
				{"o_id", as.GetOId(), "8295815"},
				{"outer_as_id", as.GetOuterAsId(), "7186064234271227704"},
				{"customer", as.GetParties().GetCustomerNumber(), "CUST-DY"},
				{"stock_org", as.GetParties().GetStockOrgNumber(), "100"},
				{"rules_version", as.GetSource().GetRulesVersion(), "default"},
				{"gateway", as.GetSource().GetGateway(), "qimen"},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("Map(%s) %s = %q, want %q", name, c.field, c.got, c.want)
				}
			}
			if l.GetIsGift() {
				t.Errorf("Map(%s) is_gift = true, want false", name)
			}
			s := as.GetSource()
			if s.GetVersion() != 4933993380 || s.GetRawSequence() != 42 {
				t.Errorf("Map(%s) version, raw seq = %d, %d, want 4933993380, 42",
					name, s.GetVersion(), s.GetRawSequence())
			}
			confirm := time.Date(2023, 1, 9, 5, 16, 35, 0, time.UTC)
			if got := as.GetConfirmDate().AsTime(); !got.Equal(confirm) {
				t.Errorf("Map(%s) confirm_date = %v, want %v", name, got, confirm)
			}
			if res.Doc.GetContentHash() != ContentHash(res.Doc) {
				t.Errorf("Map(%s) content_hash = %q, want ContentHash() %q",
					name, res.Doc.GetContentHash(), ContentHash(res.Doc))
			}
			hashes = append(hashes, res.Doc.GetContentHash())
		})
	}
	if len(hashes) == 2 && hashes[0] != hashes[1] {
		t.Errorf("string and number shapes hash %s and %s, want equal", hashes[0], hashes[1])
	}
}

// defaultRulesWithShop is DefaultRules with the seed's shop.
func defaultRulesWithShop() Rules {
	r := DefaultRules()
	r.Shops = map[string]Shop{"13046812": {Customer: "CUST-DY", SaleOrg: "100"}}
	return r
}

func TestMapOrder(t *testing.T) {
	m := newMapper(t, testRules())
	res, err := m.Map(jst.KindOrder, readFile(t, "order_sent.json"), Source{Gateway: "openapi"})
	if err != nil {
		t.Fatalf("Map(order_sent) error: %v", err)
	}
	if res.Decision != Sync || res.Rule != RuleOrderSent || res.Key != "order.12345678" {
		t.Fatalf("Map(order_sent) = %s %q %q, want sync %q order.12345678",
			res.Decision, res.Rule, res.Key, RuleOrderSent)
	}
	so := res.Doc.GetSalesOrder()
	head := []struct{ field, got, want string }{
		{"form", so.GetFormId(), FormSaleOrder},
		{"bill_no", so.GetBillNo(), "JST-12345678"},
		{"note", so.GetNote(), "3401234567890123456"},
		{"so_id", so.GetSoId(), "3401234567890123456"},
		{"stock", so.GetStockNumber(), "CK-MAIN"},
		{"pay_amount", decString(so.GetPayAmount()), "371.5"},
		{"freight", decString(so.GetFreight()), "10"},
		{"salesperson", so.GetParties().GetSalespersonNumber(), "S1"},
		{"settle_org", so.GetParties().GetSettleOrgNumber(), "100"},
	}
	for _, c := range head {
		if c.got != c.want {
			t.Errorf("Map(order_sent) %s = %q, want %q", c.field, c.got, c.want)
		}
	}
	send := time.Date(2024, 5, 2, 0, 59, 59, 0, time.UTC)
	if got := so.GetSendDate().AsTime(); !got.Equal(send) {
		t.Errorf("Map(order_sent) send_date = %v, want %v", got, send)
	}

	want := []struct {
		id, material, qty, price, amount, discount string
		gift                                       bool
	}{
		{"90000001", "M-0001", "2", "150", "280", "20", false},
		{"90000002", "SKU-B", "1", "81.5", "81.5", "<nil>", false},
		{"90000003", "GIFT-C", "1", "0", "0", "<nil>", true},
	}
	if len(so.GetLines()) != len(want) {
		t.Fatalf("Map(order_sent) lines = %d, want %d", len(so.GetLines()), len(want))
	}
	for i, w := range want {
		l := so.GetLines()[i]
		got := []string{
			l.GetSourceLineId(), l.GetMaterialNumber(), decString(l.GetQty()),
			decString(l.GetTaxPrice()), decString(l.GetAmount()),
			decString(l.GetDiscountAmount()),
		}
		exp := []string{w.id, w.material, w.qty, w.price, w.amount, w.discount}
		if strings.Join(got, " ") != strings.Join(exp, " ") || l.GetIsGift() != w.gift {
			t.Errorf("Map(order_sent) line %d = %v gift %v, want %v gift %v",
				i, got, l.GetIsGift(), exp, w.gift)
		}
		if l.GetStockNumber() != "CK-MAIN" {
			t.Errorf("Map(order_sent) line %d stock = %q, want CK-MAIN", i, l.GetStockNumber())
		}
	}
}

func TestMapOrderForm(t *testing.T) {
	r := testRules()
	r.OrderForm = FormOutStock
	r.OrderBillNo = "DY-{shop_id}-{o_id}"
	m := newMapper(t, r)
	res, err := m.Map(jst.KindOrder, readFile(t, "order_sent.json"), Source{})
	if err != nil {
		t.Fatalf("Map(order_sent) error: %v", err)
	}
	so := res.Doc.GetSalesOrder()
	if so.GetFormId() != FormOutStock || so.GetBillNo() != "DY-13046812-12345678" {
		t.Errorf("Map(order_sent) form, bill = %q, %q, want %q, DY-13046812-12345678",
			so.GetFormId(), so.GetBillNo(), FormOutStock)
	}
}

// FuzzMap checks that Map never panics and that every failure is an *Error.
func FuzzMap(f *testing.F) {
	f.Add(true, readFile(f, "order_sent.json"))
	f.Add(false, readFile(f, "aftersale_seed.json"))
	f.Add(false, afterSaleJSON("仅退款", "Confirmed", ""))
	m := newMapper(f, testRules())
	f.Fuzz(func(t *testing.T, order bool, raw []byte) {
		kind := jst.KindAfterSale
		if order {
			kind = jst.KindOrder
		}
		res, err := m.Map(kind, raw, Source{})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Map(%q) error = %v, want *Error", raw, err)
			}
			return
		}
		if (res.Decision == Sync) != (res.Doc != nil) {
			t.Fatalf("Map(%q) = %s with doc %v", raw, res.Decision, res.Doc != nil)
		}
	})
}
