package kingdeesim_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	orderbridgev1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

// clock is a settable clock for session expiry.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func startSim(t *testing.T, opts kingdeesim.Options) (*kingdeesim.Sim, *httptest.Server) {
	t.Helper()
	sim := kingdeesim.New(opts)
	sim.AddMaterials("SKU-A", "SKU-B")
	sim.AddCustomers("CUST-TMALL")
	sim.AddStocks("CK-RET")
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv
}

func newClient(t *testing.T, url string, mod func(*kingdee.Config)) *kingdee.Client {
	t.Helper()
	cfg := kingdee.Config{
		BaseURL:   url + "/k3cloud/",
		AcctID:    kingdeesim.DefaultAcctID,
		Username:  kingdeesim.DefaultUsername,
		Auth:      kingdee.AuthPassword,
		Password:  kingdeesim.DefaultPassword,
		AppID:     kingdeesim.DefaultAppID,
		AppSecret: kingdeesim.DefaultAppSecret,
		OrgNumber: "100",
		Timeout:   2 * time.Second,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := kingdee.New(cfg)
	if err != nil {
		t.Fatalf("kingdee.New() error %v", err)
	}
	return c
}

func dec(s string) *orderbridgev1.Decimal { return &orderbridgev1.Decimal{Value: s} }

var when = timestamppb.New(time.Date(2025, 4, 3, 2, 20, 30, 0, time.UTC))

// orderBill builds the SAL_SaleOrder bill of a one-line order.
func orderBill(t *testing.T, billNo, material string) *bill.Bill {
	t.Helper()
	doc := &orderbridgev1.Document{Body: &orderbridgev1.Document_SalesOrder{
		SalesOrder: &orderbridgev1.SalesOrder{
			FormId: "SAL_SaleOrder", BillNo: billNo, SoId: "TB-1",
			OrderDate: when, SendDate: when,
			Parties: &orderbridgev1.Parties{CustomerNumber: "CUST-TMALL", SaleOrgNumber: "100"},
			Lines: []*orderbridgev1.Line{{
				MaterialNumber: material, Qty: dec("2"), TaxPrice: dec("99.90"),
			}},
		},
	}}
	b, err := bill.Build(doc, bill.DefaultSettings())
	if err != nil {
		t.Fatalf("bill.Build() error %v", err)
	}
	return b
}

// returnBill builds the SAL_RETURNSTOCK bill of a one-line return into
// stock.
func returnBill(t *testing.T, billNo, stock string) *bill.Bill {
	t.Helper()
	doc := &orderbridgev1.Document{Body: &orderbridgev1.Document_AfterSale{
		AfterSale: &orderbridgev1.AfterSale{
			FormId: "SAL_RETURNSTOCK", BillNo: billNo, ConfirmDate: when,
			Parties:     &orderbridgev1.Parties{CustomerNumber: "CUST-TMALL", SaleOrgNumber: "100"},
			StockNumber: stock,
			Lines: []*orderbridgev1.Line{{
				MaterialNumber: "SKU-A", Qty: dec("3"), TaxPrice: dec("10"), DefectiveQty: dec("1"),
			}},
		},
	}}
	b, err := bill.Build(doc, bill.DefaultSettings())
	if err != nil {
		t.Fatalf("bill.Build() error %v", err)
	}
	return b
}

func save(t *testing.T, c *kingdee.Client, b *bill.Bill) (*kingdee.SaveResult, error) {
	t.Helper()
	return c.Save(context.Background(), b.FormID, kingdee.SaveRequest{Model: b.Model})
}
