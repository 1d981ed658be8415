package jst

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"
)

const (
	qimenKey      = "qk"
	qimenSecret   = "qs"
	qimenCustomer = "c1"
)

// fakeQimen is a small Qimen router stand-in: it checks each request's
// signature, keeps its form, and answers with a canned body.
type fakeQimen struct {
	t *testing.T

	mu     sync.Mutex
	paths  []string
	forms  []url.Values
	status int
	body   []byte
}

func (f *fakeQimen) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("ParseForm: %v", err)
	}
	params := map[string]string{}
	for k := range r.PostForm {
		params[k] = r.PostForm.Get(k)
	}
	if got, want := r.PostForm.Get("sign"), SignQimen(qimenSecret, params); got != want {
		f.t.Errorf("sign = %s, want %s", got, want)
	}

	f.mu.Lock()
	f.paths = append(f.paths, r.URL.Path)
	f.forms = append(f.forms, r.PostForm)
	status, body := f.status, f.body
	f.mu.Unlock()

	if status != 0 {
		w.WriteHeader(status)
	}
	_, _ = w.Write(body)
}

func (f *fakeQimen) last() (string, url.Values) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.forms) == 0 {
		f.t.Fatal("no request reached the server")
	}
	return f.paths[len(f.paths)-1], f.forms[len(f.forms)-1]
}

// newFakeQimen starts a fake router answering body and a client for it.
func newFakeQimen(
	t *testing.T,
	body []byte,
	mod ...func(*QimenConfig),
) (*fakeQimen, *QimenClient) {
	t.Helper()
	f := &fakeQimen{t: t, body: body}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)

	cfg := QimenConfig{
		URL:        srv.URL,
		AppKey:     qimenKey,
		AppSecret:  qimenSecret,
		CustomerID: qimenCustomer,
		Now:        func() time.Time { return testNow },
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := NewQimenClient(cfg)
	if err != nil {
		t.Fatalf("NewQimenClient: %v", err)
	}
	return f, c
}

func qimenFixture(t *testing.T, name string) []byte {
	t.Helper()
	return readFixture(t, filepath.Join("qimen", name))
}

// TestQimenSignVector sends the reference's Qimen request and checks that
// the client signs it as the reference's vector says.
func TestQimenSignVector(t *testing.T) {
	noon := time.Date(2024, 5, 1, 12, 0, 0, 0, Beijing)
	f, c := newFakeQimen(t, qimenFixture(t, "success_wrapped.json"),
		func(cfg *QimenConfig) { cfg.Now = func() time.Time { return noon } })
	q := Query{PageIndex: 1, PageSize: 50}
	if _, err := c.Query(context.Background(), KindOrder, q); err != nil {
		t.Fatalf("Query: %v", err)
	}

	path, form := f.last()
	if path != QimenPath {
		t.Errorf("path = %s, want %s", path, QimenPath)
	}
	want := "4BDDB32E48245B95973DB928A4271F06"
	if got := form.Get("sign"); got != want {
		t.Errorf("sign = %s, want %s (form %v)", got, want, form)
	}
	var keys []string
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	wantKeys := []string{
		"app_key", "customer_id", "format", "method", "page_index", "page_size",
		"sign", "sign_method", "target_app_key", "timestamp", "v",
	}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("form keys = %v, want %v", keys, wantKeys)
	}
}

func TestQimenRequest(t *testing.T) {
	begin := time.Date(2024, 4, 30, 16, 0, 0, 0, time.UTC) // 2024-05-01 00:00 in Beijing
	tests := []struct {
		name string
		kind Kind
		q    Query
		want map[string]string // "" means absent
	}{
		{"orders window", KindOrder, Query{
			ShopID:        "13046812",
			ModifiedBegin: begin,
			ModifiedEnd:   begin.Add(time.Hour),
			PageIndex:     3,
		}, map[string]string{
			"method":         QimenMethodOrders,
			"timestamp":      "2024-05-01 20:00:00",
			"target_app_key": DefaultQimenTargetAppKey,
			"modified_begin": "2024-05-01 00:00:00",
			"modified_end":   "2024-05-01 01:00:00",
			"page_index":     "3",
			"page_size":      "100",
			"shop_id":        "13046812",
			"start_ts":       "",
			"is_get_total":   "",
		}},
		{"after-sales start ts", KindAfterSale, Query{StartTS: 4933993380, PageSize: 20},
			map[string]string{
				"method":         QimenMethodAfterSales,
				"modified_begin": "",
				"page_index":     "1",
				"page_size":      "20",
				"start_ts":       "4933993380",
				"is_get_total":   "false",
				"shop_id":        "",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFakeQimen(t, qimenFixture(t, "taobao_wrapped.json"))
			if _, err := c.Query(context.Background(), tt.kind, tt.q); err != nil {
				t.Fatalf("Query: %v", err)
			}
			_, form := f.last()
			for k, want := range tt.want {
				if got := form.Get(k); got != want {
					t.Errorf("Query(%+v) sent %s = %q, want %q", tt.q, k, got, want)
				}
			}
		})
	}
}

func TestQimenAnswers(t *testing.T) {
	tests := []struct {
		fixture   string
		kind      Kind
		wantDocs  int
		wantNext  bool
		wantCount int
		wantCode  int // APIError code; 0: success
		wantSub   string
	}{
		{"success_wrapped.json", KindOrder, 2, true, 3, 0, ""},
		{"success_envelope.json", KindOrder, 1, false, 3, 0, ""},
		{"bare_seed.json", KindAfterSale, 1, true, 10, 0, ""},
		{"taobao_wrapped.json", KindAfterSale, 0, false, 0, 0, ""},
		{"failure_sign.json", KindOrder, 0, false, 0, CodeBadSign, "qimen code 25"},
		{"failure_jst_code.json", KindOrder, 0, false, 0, CodeRateLimitSec, "每秒"},
		{"failure_sub_code.json", KindOrder, 0, false, 0, CodeTokenInvalid, "access_token"},
		{"failure_text_code.json", KindOrder, 0, false, 0, CodeQimenFailure,
			"isv.invalid-parameter"},
		{"envelope_code.json", KindOrder, 0, false, 0, CodeClockSkew, "15"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			var observed []int
			body := qimenFixture(t, tt.fixture)
			_, c := newFakeQimen(t, body, func(cfg *QimenConfig) {
				cfg.Observe = func(_ string, code int, _ time.Duration) {
					observed = append(observed, code)
				}
			})
			p, err := c.Query(context.Background(), tt.kind, Query{StartTS: 1})

			if want := []int{tt.wantCode}; !reflect.DeepEqual(observed, want) {
				t.Errorf("Observe codes = %v, want %v", observed, want)
			}
			if tt.wantCode != 0 {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Code != tt.wantCode ||
					!bytes.Contains([]byte(apiErr.Msg), []byte(tt.wantSub)) {
					t.Fatalf("Query = %v, want APIError code %d with %q",
						err, tt.wantCode, tt.wantSub)
				}
				if apiErr.Endpoint != qimenMethods[tt.kind] {
					t.Errorf("APIError.Endpoint = %s, want %s",
						apiErr.Endpoint, qimenMethods[tt.kind])
				}
				return
			}
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if len(p.Docs) != tt.wantDocs || p.HasNext != tt.wantNext ||
				p.DataCount != tt.wantCount {
				t.Errorf("Query = docs %d next %v count %d, want %d %v %d",
					len(p.Docs), p.HasNext, p.DataCount,
					tt.wantDocs, tt.wantNext, tt.wantCount)
			}
			for _, d := range p.Docs {
				if !bytes.Contains(body, d) {
					t.Errorf("doc %s is not the JSON received", d)
				}
			}
		})
	}
}

func TestQimenMalformed(t *testing.T) {
	bodies := map[string]string{
		"not json":       `<html>busy</html>`,
		"truncated":      `{"response":{"flag":"success","orders":[{"o_id":1`,
		"array":          `[]`,
		"response text":  `{"response":"ok"}`,
		"no page fields": string(qimenFixture(t, "no_page_fields.json")),
		"data not obj":   `{"response":{"code":0,"data":[1]}}`,
		"list not array": `{"response":{"flag":"success","has_next":false,"orders":{}}}`,
		"bad code":       `{"response":{"code":{},"data":{}}}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			_, c := newFakeQimen(t, []byte(body))
			_, err := c.Query(context.Background(), KindOrder, Query{StartTS: 1})
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("Query(answer %s) = %v, want ErrMalformed", body, err)
			}
		})
	}
}

func TestQimenRefusesBeforeSending(t *testing.T) {
	f, c := newFakeQimen(t, qimenFixture(t, "success_wrapped.json"))
	tests := []struct {
		name string
		kind Kind
		q    Query
	}{
		{"unknown kind", Kind("invoice"), Query{}},
		{"page size over cap", KindAfterSale, Query{PageSize: 51}},
		{"half window", KindOrder, Query{ModifiedBegin: testNow}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Query(context.Background(), tt.kind, tt.q)
			if !errors.Is(err, ErrBadQuery) {
				t.Errorf("Query(%s, %+v) = %v, want ErrBadQuery", tt.kind, tt.q, err)
			}
		})
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.forms); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestQimenHTTPError(t *testing.T) {
	f, c := newFakeQimen(t, []byte("busy"))
	f.status = http.StatusBadGateway
	_, err := c.Query(context.Background(), KindOrder, Query{StartTS: 1})
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusBadGateway ||
		he.Endpoint != QimenMethodOrders {
		t.Errorf("Query = %v, want HTTPError 502 from %s", err, QimenMethodOrders)
	}
}

func TestNewQimenClient(t *testing.T) {
	ok := QimenConfig{URL: "https://qimen.example", AppKey: "k", AppSecret: "s",
		CustomerID: "c"}
	bad := map[string]func(*QimenConfig){
		"relative url": func(c *QimenConfig) { c.URL = "router/qm" },
		"no app key":   func(c *QimenConfig) { c.AppKey = "" },
		"no secret":    func(c *QimenConfig) { c.AppSecret = "" },
		"no customer":  func(c *QimenConfig) { c.CustomerID = "" },
	}
	for name, mod := range bad {
		t.Run(name, func(t *testing.T) {
			cfg := ok
			mod(&cfg)
			if _, err := NewQimenClient(cfg); err == nil {
				t.Errorf("NewQimenClient(%+v) = nil error, want an error", cfg)
			}
		})
	}

	urls := map[string]string{
		"https://qimen.example":           "https://qimen.example/router/qm",
		"https://qimen.example/":          "https://qimen.example/router/qm",
		"http://127.0.0.1:80/custom/qm":   "http://127.0.0.1:80/custom/qm",
		"https://qimen.example/router/qm": "https://qimen.example/router/qm",
	}
	for in, want := range urls {
		cfg := ok
		cfg.URL = in
		c, err := NewQimenClient(cfg)
		if err != nil || c.url != want {
			t.Errorf("NewQimenClient(URL %s).url = %v, %v, want %s", in, c, err, want)
		}
	}
}

func TestQimenDocsKeepBytes(t *testing.T) {
	body := qimenFixture(t, "success_wrapped.json")
	_, c := newFakeQimen(t, body)
	p, err := c.Query(context.Background(), KindOrder, Query{StartTS: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"o_id":1002, "so_id":"4012873349102874", "shop_id":13046812, ` +
		`"status":"WaitPay", "pay_amount":99, "ts":"4933993382"}`
	if got := string(p.Docs[1]); got != want {
		t.Errorf("Docs[1] = %s, want %s", got, want)
	}
	var v map[string]any
	if err := json.Unmarshal(p.Docs[0], &v); err != nil {
		t.Errorf("Docs[0] is not JSON: %v", err)
	}
}
