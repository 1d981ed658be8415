package bill

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	orderbridgev1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func dec(s string) *orderbridgev1.Decimal { return &orderbridgev1.Decimal{Value: s} }

// at is a Beijing wall-clock time.
func at(s string) *timestamppb.Timestamp {
	t, err := time.Parse("2006-01-02 15:04:05 -0700", s+" +0800")
	if err != nil {
		panic(err)
	}
	return timestamppb.New(t)
}

func parties() *orderbridgev1.Parties {
	return &orderbridgev1.Parties{
		CustomerNumber: "CUST-TMALL", SaleOrgNumber: "100",
		DepartmentNumber: "BM0001", SalespersonNumber: "HR043_GW000052_1",
	}
}

func order(form string, lines ...*orderbridgev1.Line) *orderbridgev1.Document {
	return &orderbridgev1.Document{Body: &orderbridgev1.Document_SalesOrder{
		SalesOrder: &orderbridgev1.SalesOrder{
			Source:      &orderbridgev1.Source{Kind: "order", Id: "1001"},
			FormId:      form,
			BillNo:      "JST-1001",
			SoId:        "TB-778899",
			OrderDate:   at("2025-04-03 10:20:30"),
			SendDate:    at("2025-04-04 08:00:00"),
			Parties:     parties(),
			Lines:       lines,
			Freight:     dec("8.00"),
			StockNumber: "CK001",
		},
	}}
}

func afterSale(form string, lines ...*orderbridgev1.Line) *orderbridgev1.Document {
	return &orderbridgev1.Document{Body: &orderbridgev1.Document_AfterSale{
		AfterSale: &orderbridgev1.AfterSale{
			Source:      &orderbridgev1.Source{Kind: "aftersale", Id: "4404852"},
			FormId:      form,
			BillNo:      "JST-AS-4404852",
			Type:        "普通退货",
			AsDate:      at("2025-04-05 09:00:00"),
			ConfirmDate: at("2025-04-06 16:45:00"),
			Parties:     parties(),
			Lines:       lines,
			Refund:      dec("594.10"),
			StockNumber: "CK-RET",
		},
	}}
}

var (
	plainLine = &orderbridgev1.Line{
		MaterialNumber: "SKU-A", Name: "T 恤", Qty: dec("2"), TaxPrice: dec("99.90"),
	}
	discountLine = &orderbridgev1.Line{
		MaterialNumber: "SKU-B", Name: "帽子", Qty: dec("3"), TaxPrice: dec("0.10"),
		DiscountAmount: dec("0.05"), UnitNumber: "box",
	}
	giftLine = &orderbridgev1.Line{
		MaterialNumber: "SKU-GIFT", Name: "赠品", Qty: dec("1"), TaxPrice: dec("5"),
		DiscountAmount: dec("5"), IsGift: true,
	}
	zeroLine      = &orderbridgev1.Line{MaterialNumber: "SKU-Z", Qty: dec("0"), TaxPrice: dec("1")}
	defectiveLine = &orderbridgev1.Line{
		MaterialNumber: "SKU-A", Qty: dec("5"), TaxPrice: dec("99.90"),
		DefectiveQty: dec("2"), StockNumber: "CK-BAD",
	}
	allDefectiveLine = &orderbridgev1.Line{
		MaterialNumber: "SKU-C", Qty: dec("1"), TaxPrice: dec("10"), DefectiveQty: dec("1"),
	}
)

func TestBuild(t *testing.T) {
	withFreight := DefaultSettings()
	so := withFreight[FormSaleOrder]
	so.FreightMaterial = "FREIGHT"
	withFreight[FormSaleOrder] = so
	out := withFreight[FormOutStock]
	out.FreightMaterial = "FREIGHT"
	withFreight[FormOutStock] = out

	withSourceNo := DefaultSettings()
	rs := withSourceNo[FormReturnStock]
	rs.SourceNoField = "F_OB_SourceNo"
	withSourceNo[FormReturnStock] = rs
	rf := withSourceNo[FormRefund]
	rf.Account = "6222000011112222"
	withSourceNo[FormRefund] = rf

	tests := []struct {
		golden string
		doc    *orderbridgev1.Document
		s      Settings
	}{
		{"sale_order", order("SAL_SaleOrder", plainLine, discountLine, giftLine, zeroLine),
			DefaultSettings()},
		{"sale_order_freight", order("", plainLine), withFreight},
		{"out_stock_freight", order("SAL_OUTSTOCK", plainLine, giftLine), withFreight},
		{"return_stock", afterSale("SAL_RETURNSTOCK", plainLine, defectiveLine,
			allDefectiveLine), DefaultSettings()},
		{"return_stock_source_no", afterSale("SAL_RETURNSTOCK", plainLine), withSourceNo},
		{"refund", afterSale("AR_REFUNDBILL"), DefaultSettings()},
		{"refund_account", afterSale("AR_REFUNDBILL"), withSourceNo},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			b, err := Build(tt.doc, tt.s)
			if err != nil {
				t.Fatalf("Build() error %v", err)
			}
			got, err := json.MarshalIndent(b, "", "  ")
			if err != nil {
				t.Fatalf("encode bill: %v", err)
			}
			path := filepath.Join("testdata", tt.golden+".golden.json")
			if *update {
				os.WriteFile(path, append(got, '\n'), 0o644)
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden: %v", err)
			}
			if string(got)+"\n" != string(want) {
				t.Errorf("Build(%s) =\n%s\nwant\n%s", tt.golden, got, want)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	bad := func(mod func(*orderbridgev1.Line)) *orderbridgev1.Line {
		l := &orderbridgev1.Line{MaterialNumber: "SKU-A", Qty: dec("1"), TaxPrice: dec("1")}
		mod(l)
		return l
	}
	noCustomer := order("SAL_SaleOrder", plainLine)
	noCustomer.GetSalesOrder().Parties = &orderbridgev1.Parties{SaleOrgNumber: "100"}
	noBillNo := order("SAL_SaleOrder", plainLine)
	noBillNo.GetSalesOrder().BillNo = ""
	noDate := afterSale("AR_REFUNDBILL")
	noDate.GetAfterSale().ConfirmDate, noDate.GetAfterSale().AsDate = nil, nil
	zeroRefund := afterSale("AR_REFUNDBILL")
	zeroRefund.GetAfterSale().Refund = dec("0")
	noStock := afterSale("SAL_RETURNSTOCK", plainLine)
	noStock.GetAfterSale().StockNumber = ""

	tests := []struct {
		name         string
		doc          *orderbridgev1.Document
		billNo       string
		field, value string
	}{
		{"exponent", order("", bad(func(l *orderbridgev1.Line) { l.Qty = dec("1e3") })),
			"JST-1001", "lines[0].qty", "1e3"},
		{"not a number", order("", bad(func(l *orderbridgev1.Line) { l.TaxPrice = dec("abc") })),
			"JST-1001", "lines[0].tax_price", "abc"},
		{"negative", order("", bad(func(l *orderbridgev1.Line) { l.Qty = dec("-1") })),
			"JST-1001", "lines[0].qty", "-1"},
		{"no material", order("", bad(func(l *orderbridgev1.Line) { l.MaterialNumber = "" })),
			"JST-1001", "lines[0].material_number", ""},
		{"no lines", order("", zeroLine), "JST-1001", "lines", "1"},
		{"no customer", noCustomer, "JST-1001", "parties.customer_number", ""},
		{"no bill no", noBillNo, "order.1001", "bill_no", ""},
		{"no date", noDate, "JST-AS-4404852", "confirm_date", ""},
		{"zero refund", zeroRefund, "JST-AS-4404852", "refund", "0"},
		{"no stock", noStock, "JST-AS-4404852", "lines[0].stock_number", ""},
		{"defective above qty", afterSale("SAL_RETURNSTOCK",
			bad(func(l *orderbridgev1.Line) { l.DefectiveQty = dec("2") })),
			"JST-AS-4404852", "lines[0].defective_qty", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(tt.doc, DefaultSettings())
			var ferr *FieldError
			if !errors.As(err, &ferr) {
				t.Fatalf("Build() error %v, want *FieldError", err)
			}
			if ferr.BillNo != tt.billNo || ferr.Field != tt.field || ferr.Value != tt.value {
				t.Errorf("Build() error %+v, want bill %s field %s value %q",
					ferr, tt.billNo, tt.field, tt.value)
			}
		})
	}
}

func TestBuildUnknownForm(t *testing.T) {
	docs := []*orderbridgev1.Document{
		order("SAL_RETURNSTOCK", plainLine),
		afterSale("", plainLine),
		afterSale("AR_RECEIVEBILL", plainLine),
	}
	for _, d := range docs {
		if _, err := Build(d, DefaultSettings()); !errors.Is(err, ErrNoSettings) {
			t.Errorf("Build(%v) error %v, want ErrNoSettings", d, err)
		}
	}
	if _, err := Build(&orderbridgev1.Document{}, DefaultSettings()); err == nil {
		t.Errorf("Build(empty document) error nil, want an error")
	}
}
