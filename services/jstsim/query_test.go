package jstsim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

func TestBizErrors(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 10, AfterSales: 3})
	tests := []struct {
		name string
		path string
		biz  string
	}{
		{"reversed window", jst.PathAfterSales,
			`{"modified_begin":"2024-04-30 00:00:00","modified_end":"2024-04-29 00:00:00"}`},
		{"over seven days", jst.PathOrders,
			`{"modified_begin":"2024-04-20 00:00:00","modified_end":"2024-04-27 00:00:01"}`},
		{"half window", jst.PathOrders, `{"modified_begin":"2024-04-30 00:00:00"}`},
		{"bad time", jst.PathOrders,
			`{"modified_begin":"2024/04/30","modified_end":"2024-04-30 01:00:00"}`},
		{"orders page size cap", jst.PathOrders, `{"start_ts":1,"page_size":101}`},
		{"after-sales page size cap", jst.PathAfterSales, `{"start_ts":1,"page_size":51}`},
		{"page index zero", jst.PathOrders, `{"start_ts":1,"page_index":0}`},
		{"nothing to select by", jst.PathOrders, `{"page_index":1,"page_size":10}`},
		{"seed request keys", jst.PathAfterSales,
			`{"end_time":"2023-01-09 00:00:00","start_time":"2023-01-10 00:00:00",` +
				`"page_index":1,"page_size":25}`},
		{"not json", jst.PathOrders, `page_index=1`},
		{"too many so_ids", jst.PathOrders, fmt.Sprintf(`{"so_ids":%s}`, manyIDs(21))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _ := e.postRaw(t, tt.path, tt.biz)
			if code != jstsim.CodeBadParam {
				t.Errorf("%s biz %s: code %d, want %d",
					tt.path, tt.biz, code, jstsim.CodeBadParam)
			}
		})
	}

	ok := []string{
		`{"modified_begin":"2024-04-24 12:00:00","modified_end":"2024-05-01 12:00:00"}`,
		`{"modified_begin":"2024-05-01 12:00:00","modified_end":"2024-05-01 12:00:00"}`,
		`{"start_ts":"1","page_index":"1","page_size":"100"}`,
	}
	for _, biz := range ok {
		if code, _ := e.postRaw(t, jst.PathOrders, biz); code != 0 {
			t.Errorf("orders biz %s: code %d, want 0", biz, code)
		}
	}
}

func manyIDs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprint(i + 1)
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

func TestFilters(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 11, Orders: 60, AfterSales: 20})
	orders := e.sim.Orders()
	shop := e.sim.Shops()[1].ID
	target := orders[5]

	countOrders := func(keep func(jstsim.Order) bool) int {
		n := 0
		for _, o := range orders {
			if keep(o) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name string
		biz  string
		want int
	}{
		{"shop as number", fmt.Sprintf(`{"start_ts":1,"page_size":100,"shop_id":%s}`, shop),
			countOrders(func(o jstsim.Order) bool { return o.ShopID == shop })},
		{"shop as string", fmt.Sprintf(`{"start_ts":1,"page_size":100,"shop_id":"%s"}`, shop),
			countOrders(func(o jstsim.Order) bool { return o.ShopID == shop })},
		{"status", `{"start_ts":1,"status":"Sent","page_size":100}`,
			countOrders(func(o jstsim.Order) bool { return o.Status == "Sent" })},
		{"start_ts", fmt.Sprintf(`{"start_ts":%d,"page_size":100}`, target.TS),
			countOrders(func(o jstsim.Order) bool { return o.TS >= target.TS })},
		{"o_ids array", fmt.Sprintf(`{"o_ids":[%d,%d]}`, orders[0].ID, orders[1].ID), 2},
		{"o_ids text", fmt.Sprintf(`{"o_ids":"%d,%d"}`, orders[0].ID, orders[1].ID), 2},
		{"so_ids", fmt.Sprintf(`{"so_ids":["%s"]}`, target.SOID), 1},
		{"window of one second", fmt.Sprintf(`{"modified_begin":"%s","modified_end":"%[1]s"}`,
			jst.FormatTime(target.Modified)),
			countOrders(func(o jstsim.Order) bool {
				return o.Modified.Equal(target.Modified)
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, data := e.postRaw(t, jst.PathOrders, tt.biz)
			var page struct {
				DataCount int               `json:"data_count"`
				Orders    []json.RawMessage `json:"orders"`
			}
			if err := json.Unmarshal(data, &page); err != nil || code != 0 {
				t.Fatalf("biz %s: code %d, %v", tt.biz, code, err)
			}
			if len(page.Orders) != tt.want || tt.want == 0 {
				t.Errorf("biz %s: %d orders, want %d (> 0)", tt.biz, len(page.Orders), tt.want)
			}
		})
	}
}

func TestTouch(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 5, Orders: 30, AfterSales: 10})
	ctx := context.Background()
	as := e.sim.AfterSales()[3]
	maxTS := int64(0)
	for _, o := range e.sim.Orders() {
		maxTS = max(maxTS, o.TS)
	}
	for _, a := range e.sim.AfterSales() {
		maxTS = max(maxTS, a.TS)
	}

	e.clock.Add(10 * 60e9)
	if !e.sim.Touch("aftersale", as.ID) {
		t.Fatalf("Touch(aftersale, %d) = false", as.ID)
	}
	if e.sim.Touch("aftersale", 1) || e.sim.Touch("invoice", as.ID) {
		t.Error("Touch of an unknown document = true, want false")
	}

	p, err := e.client.Query(ctx, jst.KindAfterSale, jst.Query{StartTS: maxTS + 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 1 || docID(t, jst.KindAfterSale, p.Docs[0]) != as.ID {
		t.Fatalf("after Touch, start_ts %d gave %d docs, want only %d",
			maxTS+1, len(p.Docs), as.ID)
	}
	var d struct {
		Modified string `json:"modified"`
		TS       string `json:"ts"`
	}
	if err := json.Unmarshal(p.Docs[0], &d); err != nil {
		t.Fatal(err)
	}
	if want := jst.FormatTime(e.clock.Now()); d.Modified != want {
		t.Errorf("touched modified = %s, want %s", d.Modified, want)
	}
	if d.TS != fmt.Sprint(maxTS+1) {
		t.Errorf("touched ts = %s, want %d", d.TS, maxTS+1)
	}
}
