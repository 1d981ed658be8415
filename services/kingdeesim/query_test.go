package kingdeesim_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

func TestExecuteBillQuery(t *testing.T) {
	_, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)
	ctx := context.Background()
	for _, no := range []string{"JST-1", "JST-2", "JST-3", "OTHER-4"} {
		if _, err := save(t, c, orderBill(t, no, "SKU-A")); err != nil {
			t.Fatalf("Save(%s) error %v", no, err)
		}
	}
	if _, err := c.Submit(ctx, "SAL_SaleOrder", []string{"JST-2"}); err != nil {
		t.Fatalf("Submit() error %v", err)
	}

	tests := []struct {
		name string
		q    kingdee.BillQuery
		want string
	}{
		{"by number", kingdee.BillQuery{
			FieldKeys:    []string{"FBillNo", "FDocumentStatus", "FDate", "FCustId.FNumber"},
			FilterString: "FBillNo = 'JST-2'",
		}, `[["JST-2","B","2025-04-03T10:20:30","CUST-TMALL"]]`},
		{"in and like", kingdee.BillQuery{
			FieldKeys:    []string{"FBillNo"},
			FilterString: "FBillNo in ('JST-1','JST-3','OTHER-4') and FBillNo like 'jst-%'",
		}, `[["JST-1"],["JST-3"]]`},
		{"entries", kingdee.BillQuery{
			FieldKeys:    []string{"FBillNo", "FMaterialId.FNumber", "FQty", "FTaxPrice"},
			FilterString: "FBillNo = 'JST-1'",
		}, `[["JST-1","SKU-A",2,99.9]]`},
		{"dates and order", kingdee.BillQuery{
			FieldKeys: []string{"FID", "FBillNo"},
			FilterString: "FDate >= '2025-04-03' and FDate < '2025-04-04' and " +
				"FDocumentStatus = 'A'",
			OrderString: "FBillNo desc",
		}, `[[100004,"OTHER-4"],[100003,"JST-3"],[100001,"JST-1"]]`},
		{"paging", kingdee.BillQuery{
			FieldKeys: []string{"FBillNo"}, StartRow: 1, Limit: 2,
		}, `[["JST-2"],["JST-3"]]`},
		{"empty date range", kingdee.BillQuery{
			FieldKeys: []string{"FBillNo"}, FilterString: "FDate >= '2025-05-01'",
		}, `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.FormID = "SAL_SaleOrder"
			rows, err := c.ExecuteBillQuery(ctx, tt.q)
			if err != nil {
				t.Fatalf("ExecuteBillQuery() error %v", err)
			}
			got, _ := json.Marshal(rows)
			if string(got) != tt.want {
				t.Errorf("ExecuteBillQuery(%s) = %s, want %s", tt.q.FilterString, got, tt.want)
			}
		})
	}
}

func TestExecuteBillQueryErrors(t *testing.T) {
	_, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)

	tests := []struct {
		name string
		q    kingdee.BillQuery
		code int
		text string
	}{
		{"unknown field", kingdee.BillQuery{FormID: "SAL_SaleOrder",
			FieldKeys: []string{"FNoSuchField"}}, 9, "元数据中标识为FNoSuchField的字段不存在"},
		{"unknown form", kingdee.BillQuery{FormID: "NOPE", FieldKeys: []string{"FID"}},
			4, "NOPE"},
		{"no field keys", kingdee.BillQuery{FormID: "SAL_SaleOrder"}, 8, "FieldKeys"},
		{"bad filter", kingdee.BillQuery{FormID: "SAL_SaleOrder", FieldKeys: []string{"FID"},
			FilterString: "FBillNo = 'a' or FBillNo = 'b'"}, 4, "and"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ExecuteBillQuery(context.Background(), tt.q)
			kerr := kerrOf(t, err)
			if kerr.MsgCode != tt.code || !strings.Contains(kerr.Items[0].Message, tt.text) {
				t.Errorf("ExecuteBillQuery() error %v, want msgcode %d with %q",
					err, tt.code, tt.text)
			}
		})
	}
}

func TestViewByID(t *testing.T) {
	_, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)
	res, err := save(t, c, returnBill(t, "JST-AS-1", "CK-RET"))
	if err != nil {
		t.Fatalf("Save() error %v", err)
	}

	v, err := c.View(context.Background(), "SAL_RETURNSTOCK", "JST-AS-1")
	if err != nil || v.ID != res.ID || v.Status != "A" {
		t.Fatalf("View() = %+v, %v, want id %d status A", v, err, res.ID)
	}
	var raw map[string]any
	json.Unmarshal(v.Raw, &raw)
	entity, _ := raw["Entity"].([]any)
	if raw["BillNo"] != "JST-AS-1" || len(entity) != 2 {
		t.Errorf("View() raw = %s, want BillNo and two entries (good and defective)", v.Raw)
	}
}
