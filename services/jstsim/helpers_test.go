package jstsim_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

// t0 is the simulated now of every test.
var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, jst.Beijing)

// clock is a settable clock shared by a simulator and its clients.
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
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a simulator served over HTTP, its clock and a client for it.
type env struct {
	sim    *jstsim.Sim
	srv    *httptest.Server
	clock  *clock
	client *jst.Client
}

// newEnv starts a simulator with opts on a fake clock. Rate limits are off
// unless opts sets them.
func newEnv(t *testing.T, opts jstsim.Options) *env {
	t.Helper()
	c := &clock{t: t0}
	opts.Now = c.Now
	if opts.RatePerSecond == 0 {
		opts.RatePerSecond = -1
	}
	if opts.RatePerMinute == 0 {
		opts.RatePerMinute = -1
	}
	sim := jstsim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)

	e := &env{sim: sim, srv: srv, clock: c}
	e.client = e.newClient(t, nil)
	return e
}

// newClient returns a client of the simulator with the simulator's
// credentials, changed by mod.
func (e *env) newClient(t *testing.T, mod func(*jst.Config)) *jst.Client {
	t.Helper()
	o := e.sim.Options()
	cfg := jst.Config{
		BaseURL:     e.srv.URL,
		AppKey:      o.AppKey,
		AppSecret:   o.AppSecret,
		AccessToken: o.AccessToken,
		Now:         e.clock.Now,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := jst.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// apiCode returns the JST code of err, or -1 when err is not an APIError.
func apiCode(err error) int {
	if e, ok := err.(*jst.APIError); ok {
		return e.Code
	}
	return -1
}

// postRaw sends a signed open API call with biz as given, bypassing the
// client's own checks, and returns the decoded envelope.
func (e *env) postRaw(t *testing.T, path, biz string) (code int, data json.RawMessage) {
	t.Helper()
	o := e.sim.Options()
	form := url.Values{}
	form.Set("app_key", o.AppKey)
	form.Set("access_token", o.AccessToken)
	form.Set("timestamp", strconv.FormatInt(e.clock.Now().Unix(), 10))
	form.Set("charset", "utf-8")
	form.Set("version", "2")
	form.Set("biz", biz)
	params := map[string]string{}
	for k := range form {
		params[k] = form.Get(k)
	}
	form.Set("sign", jst.SignOpenAPI(o.AppSecret, params))

	resp, err := http.PostForm(e.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Code int             `json:"code"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatalf("decode %s answer: %v", path, err)
	}
	return env.Code, env.Data
}

// docID returns the o_id or as_id of a served document.
func docID(t *testing.T, kind jst.Kind, raw json.RawMessage) int64 {
	t.Helper()
	var d struct {
		OID  int64 `json:"o_id"`
		ASID int64 `json:"as_id"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("decode doc: %v", err)
	}
	if kind == jst.KindOrder {
		return d.OID
	}
	return d.ASID
}

// collect pages q through to the end and returns every document.
func collect(t *testing.T, c *jst.Client, kind jst.Kind, q jst.Query) []json.RawMessage {
	t.Helper()
	var docs []json.RawMessage
	for q.PageIndex = 1; ; q.PageIndex++ {
		p, err := c.Query(context.Background(), kind, q)
		if err != nil {
			t.Fatalf("Query(%s, page %d): %v", kind, q.PageIndex, err)
		}
		docs = append(docs, p.Docs...)
		if !p.HasNext {
			return docs
		}
		if q.PageIndex > 1000 {
			t.Fatal("paging does not end")
		}
	}
}

// newQimen returns a Qimen client of the simulator with the simulator's
// credentials, changed by mod.
func (e *env) newQimen(t *testing.T, mod func(*jst.QimenConfig)) *jst.QimenClient {
	t.Helper()
	o := e.sim.Options()
	cfg := jst.QimenConfig{
		URL:        e.srv.URL,
		AppKey:     o.QimenAppKey,
		AppSecret:  o.QimenAppSecret,
		CustomerID: o.QimenCustomerID,
		Now:        e.clock.Now,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := jst.NewQimenClient(cfg)
	if err != nil {
		t.Fatalf("NewQimenClient: %v", err)
	}
	return c
}

// collectGateway pages q through to the end over gw and returns every
// document.
func collectGateway(t *testing.T, gw jst.Gateway, kind jst.Kind, q jst.Query) []json.RawMessage {
	t.Helper()
	var docs []json.RawMessage
	for q.PageIndex = 1; ; q.PageIndex++ {
		p, err := gw.Query(context.Background(), kind, q)
		if err != nil {
			t.Fatalf("%s Query(%s, page %d): %v", gw.Name(), kind, q.PageIndex, err)
		}
		docs = append(docs, p.Docs...)
		if !p.HasNext {
			return docs
		}
		if q.PageIndex > 1000 {
			t.Fatal("paging does not end")
		}
	}
}
