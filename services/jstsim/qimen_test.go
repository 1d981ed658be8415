package jstsim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

func TestQimenPagesEveryDoc(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 5})
	qc := e.newQimen(t, nil)
	window := jst.Query{ModifiedBegin: t0.Add(-72 * time.Hour), ModifiedEnd: t0}

	tests := []struct {
		kind jst.Kind
		q    jst.Query
		want int
	}{
		{jst.KindOrder, withPageSize(window, 40), len(e.sim.Orders())},
		{jst.KindAfterSale, withPageSize(window, 30), len(e.sim.AfterSales())},
		{jst.KindOrder, jst.Query{StartTS: 1, PageSize: 100}, len(e.sim.Orders())},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			seen := map[int64]bool{}
			for _, d := range collectGateway(t, qc, tt.kind, tt.q) {
				id := docID(t, tt.kind, d)
				if seen[id] {
					t.Errorf("%s %d served twice", tt.kind, id)
				}
				seen[id] = true
				if !bytes.Equal(e.sim.Raw(string(tt.kind), id), d) {
					t.Errorf("%s %d over Qimen differs from Raw", tt.kind, id)
				}
			}
			if len(seen) != tt.want {
				t.Errorf("paged %d %s docs over Qimen, want %d", len(seen), tt.kind, tt.want)
			}
		})
	}
}

func TestQimenShopFilterAndCounts(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 2, Orders: 60})
	shop := e.sim.Shops()[0].ID
	want := 0
	for _, o := range e.sim.Orders() {
		if o.ShopID == shop {
			want++
		}
	}
	q := jst.Query{ShopID: shop, ModifiedBegin: t0.Add(-72 * time.Hour), ModifiedEnd: t0,
		PageSize: 5}
	p, err := e.newQimen(t, nil).Query(context.Background(), jst.KindOrder, q)
	if err != nil {
		t.Fatal(err)
	}
	if p.DataCount != want || p.PageCount != (want+4)/5 || p.PageIndex != 1 {
		t.Errorf("Query(shop %s) = count %d pages %d index %d, want %d %d 1",
			shop, p.DataCount, p.PageCount, p.PageIndex, want, (want+4)/5)
	}
}

func TestQimenRefusals(t *testing.T) {
	tests := []struct {
		name     string
		mod      func(*jst.QimenConfig)
		q        jst.Query
		wantCode int // as the pkg/jst client reports it
	}{
		{"bad secret", func(c *jst.QimenConfig) { c.AppSecret = "wrong" }, jst.Query{StartTS: 1},
			jst.CodeBadSign},
		{"unknown app key", func(c *jst.QimenConfig) { c.AppKey = "other" },
			jst.Query{StartTS: 1}, jst.CodeBadSign},
		{"clock off", func(c *jst.QimenConfig) {
			c.Now = func() time.Time { return t0.Add(20 * time.Minute) }
		}, jst.Query{StartTS: 1}, jst.CodeClockSkew},
		{"wrong target app", func(c *jst.QimenConfig) { c.TargetAppKey = "1" },
			jst.Query{StartTS: 1}, jstsim.QimenCodeBadArguments},
		{"wrong customer", func(c *jst.QimenConfig) { c.CustomerID = "someone" },
			jst.Query{StartTS: 1}, jst.CodeNoPermission},
		{"nothing to select by", nil, jst.Query{}, jstsim.CodeBadParam},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, AfterSales: 1})
			_, err := e.newQimen(t, tt.mod).Query(context.Background(), jst.KindOrder, tt.q)
			if got := apiCode(err); got != tt.wantCode {
				t.Errorf("Query = %v, want code %d", err, tt.wantCode)
			}
		})
	}
}

// qimenPost sends a Qimen request signed with secret and returns the
// decoded "response" object.
func qimenPost(t *testing.T, e *env, secret string, params map[string]string) map[string]any {
	t.Helper()
	form := url.Values{}
	for k, v := range params {
		form.Set(k, v)
	}
	form.Set("sign", jst.SignQimen(secret, params))
	resp, err := http.PostForm(e.srv.URL+jst.QimenPath, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Response map[string]any }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decode Qimen answer: %v", err)
	}
	return body.Response
}

func TestQimenAnswerShapes(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, AfterSales: 2})
	o := e.sim.Options()
	params := map[string]string{
		"app_key":        o.QimenAppKey,
		"method":         jst.QimenMethodAfterSales,
		"timestamp":      jst.FormatTime(t0),
		"format":         "json",
		"v":              "2.0",
		"sign_method":    "md5",
		"target_app_key": jst.DefaultQimenTargetAppKey,
		"customer_id":    o.QimenCustomerID,
		"page_index":     "1",
		"page_size":      "50",
		"start_ts":       "1",
	}

	ok := qimenPost(t, e, o.QimenAppSecret, params)
	if ok["flag"] != "success" || ok["datas"] == nil || ok["has_next"] != false ||
		ok["page_index"] != 1.0 {
		t.Errorf("success answer = %v, want flag success with datas and page fields", ok)
	}

	bad := qimenPost(t, e, "wrong", params)
	id, _ := bad["request_id"].(string)
	if bad["flag"] != "failure" || bad["code"] != 25.0 ||
		bad["message"] != "Invalid signature" || len(id) != 13 ||
		strings.Trim(id, "0123456789abcdefghijklmnopqrstuvwxyz") != "" {
		t.Errorf("bad sign answer = %v, want the reference's failure", bad)
	}

	long := map[string]string{
		"modified_begin": "2024-04-20 00:00:00",
		"modified_end":   "2024-04-27 00:00:01",
		"start_ts":       "",
	}
	for k, v := range long {
		params[k] = v
	}
	if got := qimenPost(t, e, o.QimenAppSecret, params); got["code"] != 130.0 {
		t.Errorf("window over seven days answer = %v, want code 130", got)
	}

	params["method"] = "jushuitan.inventory.query"
	if got := qimenPost(t, e, o.QimenAppSecret, params); got["code"] != 22.0 {
		t.Errorf("unknown method answer = %v, want code 22", got)
	}
}

// TestRateLimitsShared checks that both gateways draw on one merchant's
// limits.
func TestRateLimitsShared(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, RatePerSecond: 4, RatePerMinute: 6})
	qc := e.newQimen(t, nil)
	ctx := context.Background()
	q := jst.Query{StartTS: 1}
	gateways := []jst.Gateway{e.client, qc, e.client, qc, qc, e.client}
	want := []int{0, 0, 0, 0, jst.CodeRateLimitSec, jst.CodeRateLimitSec}
	for i, gw := range gateways {
		_, err := gw.Query(ctx, jst.KindOrder, q)
		if got := max(apiCode(err), 0); got != want[i] {
			t.Errorf("call %d over %s = %v, want code %d", i, gw.Name(), err, want[i])
		}
	}
	e.clock.Add(time.Second)
	for i, gw := range []jst.Gateway{qc, e.client, qc} {
		_, err := gw.Query(ctx, jst.KindOrder, q)
		if w := []int{0, 0, jst.CodeRateLimitMin}[i]; max(apiCode(err), 0) != w {
			t.Errorf("second 2 call %d over %s = %v, want code %d", i, gw.Name(), err, w)
		}
	}
}
