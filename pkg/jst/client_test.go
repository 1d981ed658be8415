package jst

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"
)

const (
	testKey    = "key123"
	testSecret = "sec123"
	testToken  = "tok123"
)

// testNow is the fixed clock of the tests' clients.
var testNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// fakeJST is a small open API stand-in: it checks the method, content type
// and signature of each request, keeps its form, and answers with a canned
// body.
type fakeJST struct {
	t *testing.T

	mu     sync.Mutex
	forms  []url.Values
	paths  []string
	status int    // HTTP status; 0 means 200
	body   []byte // answer to every request
}

func (f *fakeJST) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		f.t.Errorf("method = %s, want POST", r.Method)
	}
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("ParseForm: %v", err)
	}
	params := map[string]string{}
	for k := range r.PostForm {
		params[k] = r.PostForm.Get(k)
	}
	if got, want := r.PostForm.Get("sign"), SignOpenAPI(testSecret, params); got != want {
		f.t.Errorf("%s: sign = %s, want %s", r.URL.Path, got, want)
	}

	f.mu.Lock()
	f.forms = append(f.forms, r.PostForm)
	f.paths = append(f.paths, r.URL.Path)
	status, body := f.status, f.body
	f.mu.Unlock()

	if status != 0 {
		w.WriteHeader(status)
	}
	_, _ = w.Write(body)
}

func (f *fakeJST) set(status int, body []byte) {
	f.mu.Lock()
	f.status, f.body = status, body
	f.mu.Unlock()
}

func (f *fakeJST) last() (string, url.Values) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.forms) == 0 {
		f.t.Fatal("no request reached the server")
	}
	return f.paths[len(f.paths)-1], f.forms[len(f.forms)-1]
}

func (f *fakeJST) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.forms)
}

// newFake starts a fake JST answering with fixture and a client for it.
func newFake(t *testing.T, fixture string, mod ...func(*Config)) (*fakeJST, *Client) {
	t.Helper()
	f := &fakeJST{t: t, body: readFixture(t, fixture)}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)

	cfg := Config{
		BaseURL:     srv.URL + "/",
		AppKey:      testKey,
		AppSecret:   testSecret,
		AccessToken: testToken,
		Now:         func() time.Time { return testNow },
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return f, c
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewClientRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no base url", Config{AppKey: "k", AppSecret: "s"}},
		{"relative url", Config{BaseURL: "openapi", AppKey: "k", AppSecret: "s"}},
		{"ftp url", Config{BaseURL: "ftp://x", AppKey: "k", AppSecret: "s"}},
		{"no app key", Config{BaseURL: "https://x", AppSecret: "s"}},
		{"no secret", Config{BaseURL: "https://x", AppKey: "k"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewClient(tt.cfg); err == nil {
				t.Errorf("NewClient(%+v) = nil error, want an error", tt.cfg)
			}
		})
	}
}

func TestQueryRequest(t *testing.T) {
	begin := time.Date(2024, 4, 30, 16, 0, 0, 0, time.UTC) // 2024-05-01 00:00 in Beijing
	tests := []struct {
		name     string
		kind     Kind
		q        Query
		wantPath string
		wantBiz  string
	}{
		{
			name: "orders window numeric shop",
			kind: KindOrder,
			q: Query{
				ShopID:        "13046812",
				ModifiedBegin: begin,
				ModifiedEnd:   begin.Add(time.Hour),
			},
			wantPath: PathOrders,
			wantBiz: `{"modified_begin":"2024-05-01 00:00:00",` +
				`"modified_end":"2024-05-01 01:00:00","page_index":1,` +
				`"page_size":100,"shop_id":13046812}`,
		},
		{
			name: "after-sales page two",
			kind: KindAfterSale,
			q: Query{
				ModifiedBegin: begin,
				ModifiedEnd:   begin.Add(MaxWindow),
				PageIndex:     2,
				PageSize:      30,
			},
			wantPath: PathAfterSales,
			wantBiz: `{"modified_begin":"2024-05-01 00:00:00",` +
				`"modified_end":"2024-05-08 00:00:00","page_index":2,"page_size":30}`,
		},
		{
			name:     "start ts text shop",
			kind:     KindOrder,
			q:        Query{ShopID: "shop-a", StartTS: 4933993380, PageSize: 10},
			wantPath: PathOrders,
			wantBiz: `{"page_index":1,"page_size":10,"shop_id":"shop-a",` +
				`"start_ts":4933993380,"is_get_total":false}`,
		},
		{
			name:     "shop with leading zero stays text",
			kind:     KindAfterSale,
			q:        Query{ShopID: "0123"},
			wantPath: PathAfterSales,
			wantBiz:  `{"page_index":1,"page_size":50,"shop_id":"0123"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFake(t, "orders_no_list.json")
			if _, err := c.Query(context.Background(), tt.kind, tt.q); err != nil {
				t.Fatalf("Query: %v", err)
			}

			path, form := f.last()
			if path != tt.wantPath {
				t.Errorf("path = %s, want %s", path, tt.wantPath)
			}
			if got := form.Get("biz"); got != tt.wantBiz {
				t.Errorf("biz = %s, want %s", got, tt.wantBiz)
			}
			want := map[string]string{
				"app_key":      testKey,
				"access_token": testToken,
				"timestamp":    "1714564800",
				"charset":      "utf-8",
				"version":      "2",
			}
			for k, v := range want {
				if got := form.Get(k); got != v {
					t.Errorf("form %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestQueryPage(t *testing.T) {
	tests := []struct {
		fixture  string
		kind     Kind
		wantPage Page // Docs holds only the count wanted, as nil entries
		wantDocs int
	}{
		{"aftersale_seed.json", KindAfterSale, Page{1, 10, 1, 10, false, nil}, 1},
		{"orders_strings.json", KindOrder, Page{2, 2, 3, 5, true, nil}, 2},
		{"orders_no_list.json", KindOrder, Page{1, 100, 0, 0, false, nil}, 0},
		{"null_data.json", KindAfterSale, Page{}, 0},
		{"no_has_next.json", KindAfterSale, Page{1, 2, 0, 0, true, nil}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			_, c := newFake(t, tt.fixture)
			p, err := c.Query(context.Background(), tt.kind, Query{StartTS: 1})
			if err != nil {
				t.Fatalf("Query: %v", err)
			}

			got := *p
			got.Docs = nil
			if !reflect.DeepEqual(got, tt.wantPage) {
				t.Errorf("Query(%s) page = %+v, want %+v", tt.fixture, got, tt.wantPage)
			}
			if len(p.Docs) != tt.wantDocs {
				t.Fatalf("Query(%s) docs = %d, want %d", tt.fixture, len(p.Docs), tt.wantDocs)
			}
			for i, d := range p.Docs {
				if !json.Valid(d) || !bytes.Contains(readFixture(t, tt.fixture), d) {
					t.Errorf("doc %d is not byte-exact: %.60s", i, d)
				}
			}
		})
	}
}

// TestQuerySeedDocument checks that the seed's after-sale comes through
// with its string amounts and ts untouched.
func TestQuerySeedDocument(t *testing.T) {
	_, c := newFake(t, "aftersale_seed.json")
	p, err := c.Query(context.Background(), KindAfterSale, Query{StartTS: 1})
	if err != nil {
		t.Fatalf("Query: %v", err)
	}

	var doc struct {
		ASID   json.Number `json:"as_id"`
		TS     any         `json:"ts"`
		Refund any         `json:"refund"`
	}
	if err := json.Unmarshal(p.Docs[0], &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ASID != "4404852" || doc.TS != "4933993380" || doc.Refund != "594" {
		t.Errorf("seed doc = %+v, want as_id 4404852, ts \"4933993380\", refund \"594\"", doc)
	}
}

func window(begin time.Time, d time.Duration) Query {
	return Query{ModifiedBegin: begin, ModifiedEnd: begin.Add(d)}
}

func TestQueryBadQuery(t *testing.T) {
	begin := testNow
	tests := []struct {
		name string
		kind Kind
		q    Query
	}{
		{"unknown kind", Kind("invoice"), Query{}},
		{"half window", KindOrder, Query{ModifiedBegin: begin}},
		{"reversed window", KindOrder, window(begin, -time.Second)},
		{"window too long", KindOrder, window(begin, MaxWindow+time.Second)},
		{"order page too big", KindOrder, Query{PageSize: 101}},
		{"after-sale page too big", KindAfterSale, Query{PageSize: 51}},
		{"negative page", KindOrder, Query{PageIndex: -1}},
		{"negative start ts", KindOrder, Query{StartTS: -5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFake(t, "orders_no_list.json")
			_, err := c.Query(context.Background(), tt.kind, tt.q)
			if !errors.Is(err, ErrBadQuery) {
				t.Errorf("Query(%s, %+v) error = %v, want ErrBadQuery", tt.kind, tt.q, err)
			}
			if n := f.count(); n != 0 {
				t.Errorf("requests sent = %d, want 0", n)
			}
		})
	}
}

func TestRefreshToken(t *testing.T) {
	f, c := newFake(t, "token.json")
	tok, err := c.RefreshToken(context.Background(), "refresh-old")
	if err != nil {
		t.Fatalf("RefreshToken: %v", err)
	}

	want := Token{
		AccessToken:  "access-value",
		RefreshToken: "refresh-value",
		ExpiresIn:    10 * 24 * time.Hour,
		Scope:        "all",
	}
	if tok != want {
		t.Errorf("RefreshToken() = %+v, want %+v", tok, want)
	}
	path, form := f.last()
	if path != PathRefreshToken {
		t.Errorf("path = %s, want %s", path, PathRefreshToken)
	}
	wantForm := map[string]string{
		"app_key":       testKey,
		"timestamp":     "1714564800",
		"grant_type":    "refresh_token",
		"charset":       "utf-8",
		"refresh_token": "refresh-old",
		"scope":         "all",
		"access_token":  "",
	}
	for k, v := range wantForm {
		if got := form.Get(k); got != v {
			t.Errorf("form %s = %q, want %q", k, got, v)
		}
	}

	f.set(0, readFixture(t, "orders_no_list.json"))
	if _, err := c.Query(context.Background(), KindOrder, Query{StartTS: 1}); err != nil {
		t.Fatal(err)
	}
	if _, form := f.last(); form.Get("access_token") != "access-value" {
		t.Errorf("access_token after refresh = %q, want access-value",
			form.Get("access_token"))
	}
}

func TestRefreshTokenRefused(t *testing.T) {
	_, c := newFake(t, "code_string.json")
	_, err := c.RefreshToken(context.Background(), "stale")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !apiErr.TokenInvalid() {
		t.Errorf("RefreshToken(stale) error = %v, want an APIError with code 100", err)
	}
	if _, err := c.RefreshToken(context.Background(), ""); !errors.Is(err, ErrBadQuery) {
		t.Errorf("RefreshToken(\"\") error = %v, want ErrBadQuery", err)
	}
}

func TestSetAccessTokenConcurrent(t *testing.T) {
	f, c := newFake(t, "orders_no_list.json")
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetAccessToken(fmt.Sprintf("tok-%d", i))
			_, _ = c.Query(context.Background(), KindOrder, Query{StartTS: 1})
		}()
	}
	wg.Wait()
	if n := f.count(); n != 4 {
		t.Errorf("requests = %d, want 4", n)
	}
}
