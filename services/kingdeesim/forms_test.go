package kingdeesim_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

func kerrOf(t *testing.T, err error) *kingdee.Error {
	t.Helper()
	var kerr *kingdee.Error
	if !errors.As(err, &kerr) {
		t.Fatalf("error %v, want *kingdee.Error", err)
	}
	return kerr
}

func TestStateMachine(t *testing.T) {
	sim, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)
	ctx := context.Background()
	const form = "SAL_SaleOrder"
	nums := []string{"JST-1"}
	b := orderBill(t, "JST-1", "SKU-A")

	res, err := save(t, c, b)
	if err != nil {
		t.Fatalf("Save() error %v", err)
	}
	status := func(want string) {
		t.Helper()
		v, err := c.View(ctx, form, "JST-1")
		if err != nil || v.Status != want || v.ID != res.ID {
			t.Fatalf("View() = %+v, %v, want status %s id %d", v, err, want, res.ID)
		}
	}
	status("A")

	if _, err := c.Audit(ctx, form, nums); kerrOf(t, err).AlreadyAudited() {
		t.Errorf("Audit() of a created bill error %v, want a refusal", err)
	}
	if _, err := c.Submit(ctx, form, nums); err != nil {
		t.Fatalf("Submit() error %v", err)
	}
	status("B")

	update := maps.Clone(b.Model)
	update["FID"] = res.ID
	_, err = c.Save(ctx, form, kingdee.SaveRequest{Model: update})
	if kerr := kerrOf(t, err); kerr.MsgCode != 12 || !kerr.Permanent() {
		t.Errorf("Save() over a submitted bill error %v, want msgcode 12", err)
	}

	op, err := c.Audit(ctx, form, nums)
	if err != nil || len(op.Entities) != 1 || op.Entities[0].Number != "JST-1" {
		t.Fatalf("Audit() = %+v, %v, want JST-1", op, err)
	}
	status("C")

	_, err = c.Audit(ctx, form, nums)
	want := "单据编号为“JST-1”的销售订单，单据已经审核！"
	if kerr := kerrOf(t, err); !kerr.AlreadyAudited() || kerr.Items[0].Message != want {
		t.Errorf("Audit() twice error %v, want %q", err, want)
	}
	if _, err := c.Delete(ctx, form, nums); err == nil {
		t.Errorf("Delete() of an audited bill error nil, want a refusal")
	}

	if _, err := c.UnAudit(ctx, form, nums); err != nil {
		t.Fatalf("UnAudit() error %v", err)
	}
	status("D")
	if _, err := c.Save(ctx, form, kingdee.SaveRequest{Model: update}); err != nil {
		t.Fatalf("Save() over a re-audit bill error %v", err)
	}
	if bills := sim.Bills(form); len(bills) != 1 || bills[0].Saves != 2 {
		t.Errorf("Bills() = %+v, want one bill saved twice", bills)
	}

	if _, err := c.Delete(ctx, form, nums); err != nil {
		t.Fatalf("Delete() error %v", err)
	}
	if _, err := c.View(ctx, form, "JST-1"); !errors.Is(err, kingdee.ErrNotFound) {
		t.Errorf("View() after Delete error %v, want ErrNotFound", err)
	}
}

func TestDuplicateBillNo(t *testing.T) {
	_, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)

	if _, err := save(t, c, orderBill(t, "JST-1", "SKU-A")); err != nil {
		t.Fatalf("Save() error %v", err)
	}
	_, err := save(t, c, orderBill(t, "JST-1", "SKU-B"))
	kerr := kerrOf(t, err)
	want := "违反字段唯一性要求：编码唯一。[JST-1]在当前系统中已经被使用。"
	if !kerr.AlreadyExists() || kerr.MsgCode != 11 || kerr.Items[0].Message != want {
		t.Errorf("Save() of a duplicate error %v, want %q", err, want)
	}
}

func TestValidation(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(m map[string]any)
		verify bool
		want   string
	}{
		{"customer missing", func(m map[string]any) { delete(m, "FCustId") }, false,
			"字段“客户”是必填项"},
		{"unknown material", func(m map[string]any) {
			m["FSaleOrderEntry"].([]map[string]any)[0]["FMaterialId"] =
				map[string]any{"FNumber": "NOPE"}
		}, false, "第1行字段“物料编码”的值“NOPE”在系统中不存在"},
		{"unknown org verified", func(m map[string]any) {
			m["FSaleOrgId"] = map[string]any{"FNumber": "999"}
		}, true, "字段“销售组织”的值“999”在系统中不存在"},
		{"no entries", func(m map[string]any) { delete(m, "FSaleOrderEntry") }, false,
			"单据体至少需要录入一行分录"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := startSim(t, kingdeesim.Options{})
			c := newClient(t, srv.URL, nil)
			b := orderBill(t, "JST-1", "SKU-A")
			tt.edit(b.Model)

			_, err := c.Save(context.Background(), b.FormID,
				kingdee.SaveRequest{Model: b.Model, IsVerifyBaseDataField: tt.verify})
			kerr := kerrOf(t, err)
			if !kerr.Permanent() || kerr.Items[0].Message != tt.want {
				t.Errorf("Save() error %v, want permanent %q", err, tt.want)
			}
		})
	}
}

func TestUnknownOrgNotVerified(t *testing.T) {
	_, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)
	b := returnBill(t, "JST-AS-1", "CK-UNKNOWN")

	if _, err := save(t, c, b); err != nil {
		t.Errorf("Save() with an unchecked stock error %v, want success", err)
	}
	b = returnBill(t, "JST-AS-2", "CK-UNKNOWN")
	_, err := c.Save(context.Background(), b.FormID,
		kingdee.SaveRequest{Model: b.Model, IsVerifyBaseDataField: true})
	if kerr := kerrOf(t, err); !strings.Contains(kerr.Error(), "CK-UNKNOWN") {
		t.Errorf("Save() with a verified unknown stock error %v, want it named", err)
	}
}

func TestBatchSave(t *testing.T) {
	sim, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)
	if _, err := save(t, c, orderBill(t, "JST-2", "SKU-A")); err != nil {
		t.Fatalf("Save() error %v", err)
	}

	models := []any{
		orderBill(t, "JST-1", "SKU-A").Model,
		orderBill(t, "JST-2", "SKU-A").Model,
		orderBill(t, "JST-3", "NOPE").Model,
		orderBill(t, "JST-4", "SKU-B").Model,
	}
	res, err := c.BatchSave(context.Background(), "SAL_SaleOrder",
		kingdee.BatchSaveRequest{Models: models})
	if err != nil {
		t.Fatalf("BatchSave() error %v", err)
	}
	wantOK := []bool{true, false, false, true}
	for i, it := range res.Items {
		if (it.Err == nil) != wantOK[i] || it.DIndex != i {
			t.Errorf("BatchSave() item %d = %+v, want saved %v", i, it, wantOK[i])
		}
	}
	if it := res.Items[1]; it.Err == nil || !it.Err.AlreadyExists() {
		t.Errorf("BatchSave() item 1 = %+v, want AlreadyExists", it)
	}
	if it := res.Items[3]; it.Number != "JST-4" || it.ID == 0 {
		t.Errorf("BatchSave() item 3 = %+v, want JST-4 with an id", it)
	}
	if n := len(sim.Bills("SAL_SaleOrder")); n != 3 {
		t.Errorf("bills = %d, want 3", n)
	}
}

func TestSourceNoField(t *testing.T) {
	sim, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)
	b := orderBill(t, "JST-9", "SKU-A")
	delete(b.Model, "FBillNo")
	b.Model["F_OB_SourceNo"] = "JST-9"

	res, err := save(t, c, b)
	if err != nil || !strings.HasPrefix(res.Number, "XSDD") {
		t.Fatalf("Save() = %+v, %v, want a number assigned by the form", res, err)
	}
	rows, err := c.ExecuteBillQuery(context.Background(), kingdee.BillQuery{
		FormID: "SAL_SaleOrder", FieldKeys: []string{"FID", "FBillNo"},
		FilterString: "F_OB_SourceNo = 'JST-9'",
	})
	if err != nil || len(rows) != 1 || string(rows[0][1]) != `"`+res.Number+`"` {
		t.Errorf("ExecuteBillQuery(source no) = %s, %v, want %s", rows, err, res.Number)
	}
	var model map[string]any
	json.Unmarshal(sim.Bills("SAL_SaleOrder")[0].Model, &model)
	if model["F_OB_SourceNo"] != "JST-9" {
		t.Errorf("stored model = %v, want F_OB_SourceNo JST-9", model)
	}
}
