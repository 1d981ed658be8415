package jst

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Open API paths.
const (
	PathOrders       = "/open/orders/single/query"
	PathAfterSales   = "/open/refund/single/query"
	PathRefreshToken = "/openWeb/auth/refreshToken"
)

// MaxWindow is the longest window of modified times JST accepts in a query.
const MaxWindow = 7 * 24 * time.Hour

// endpoint describes the query endpoint of one kind.
type endpoint struct {
	path    string
	listKey string // key of the document list under data
	maxPage int    // largest page size JST accepts
}

var endpoints = map[Kind]endpoint{
	KindOrder:     {path: PathOrders, listKey: "orders", maxPage: 100},
	KindAfterSale: {path: PathAfterSales, listKey: "datas", maxPage: 50},
}

// MaxPageSize returns the largest page size JST accepts for kind, or 0 for
// an unknown kind.
func MaxPageSize(kind Kind) int {
	return endpoints[kind].maxPage
}

// Waiter is a rate limiter. Wait blocks until one more call is allowed, or
// returns an error when ctx ends first.
type Waiter interface {
	Wait(ctx context.Context) error
}

// Config configures a Client.
type Config struct {
	// BaseURL is the scheme and host of the API, with no trailing path,
	// such as https://openapi.jushuitan.com.
	BaseURL string

	AppKey, AppSecret, AccessToken string

	// HTTPClient sends the requests; the default has a 30s timeout.
	HTTPClient *http.Client

	// Limiter, if set, is waited on before every request.
	Limiter Waiter

	// Now gives the timestamp sent with each request; default time.Now.
	Now func() time.Time

	// Observe, if set, is called after every request with the path, JST's
	// code (or -1 for a transport, HTTP or malformed-body failure) and the
	// time the request took, for metrics.
	Observe func(endpoint string, code int, d time.Duration)
}

// Client calls the JST open API. It is safe for concurrent use.
type Client struct {
	cfg  Config
	base string

	mu    sync.RWMutex
	token string
}

// NewClient returns a Client for cfg. It returns an error when BaseURL is
// not an absolute http(s) URL or AppKey or AppSecret is empty.
func NewClient(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("jst: new client: bad base url %q", cfg.BaseURL)
	}
	if cfg.AppKey == "" || cfg.AppSecret == "" {
		return nil, errors.New("jst: new client: app key and secret are required")
	}

	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{
		cfg:   cfg,
		base:  strings.TrimRight(cfg.BaseURL, "/"),
		token: cfg.AccessToken,
	}
	return c, nil
}

// SetAccessToken replaces the access token sent with later queries. It is
// safe to call while queries run.
func (c *Client) SetAccessToken(token string) {
	c.mu.Lock()
	c.token = token
	c.mu.Unlock()
}

func (c *Client) accessToken() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.token
}

// post sends form, signed, to path and returns the data of a code-0 answer.
// Errors are an *HTTPError, an *APIError, one wrapping ErrMalformed, or a
// wrapped transport or limiter error.
func (c *Client) post(
	ctx context.Context,
	path string,
	form url.Values,
) (json.RawMessage, error) {
	if c.cfg.Limiter != nil {
		if err := c.cfg.Limiter.Wait(ctx); err != nil {
			return nil, fmt.Errorf("jst: %s: %w", path, err)
		}
	}

	params := make(map[string]string, len(form))
	for k := range form {
		params[k] = form.Get(k)
	}
	form.Set("sign", SignOpenAPI(c.cfg.AppSecret, params))

	start := time.Now()
	data, code, err := c.do(ctx, path, form)
	if c.cfg.Observe != nil {
		c.cfg.Observe(path, code, time.Since(start))
	}
	return data, err
}

// do performs one request and returns its data and JST's code, or -1 when
// there is no JST code to report.
func (c *Client) do(
	ctx context.Context,
	path string,
	form url.Values,
) (json.RawMessage, int, error) {
	body, err := postForm(ctx, c.cfg.HTTPClient, c.base+path, path, form)
	if err != nil {
		return nil, codeNotAPIResponse, err
	}

	code, msg, data, err := decodeEnvelope(body)
	if err != nil {
		return nil, codeNotAPIResponse, fmt.Errorf("jst: %s: %w", path, err)
	}
	if code != CodeOK {
		return nil, code, &APIError{Code: code, Msg: msg, Endpoint: path}
	}
	return data, code, nil
}

// decodeEnvelope reads JST's response wrapper {"code","msg","data"} of
// body and returns its code, message and data, which may be absent or
// null; the code may be a number or a string. An error wraps ErrMalformed.
func decodeEnvelope(body []byte) (code int, msg string, data json.RawMessage, err error) {
	env, err := splitObject(body)
	if err != nil {
		return 0, "", nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(env["code"]) == 0 {
		return 0, "", nil, fmt.Errorf("%w: no code", ErrMalformed)
	}

	code, ok, err := pageInt(env["code"])
	if err != nil || !ok {
		return 0, "", nil, fmt.Errorf("%w: code %.40s", ErrMalformed, env["code"])
	}
	if m := env["msg"]; !isNull(m) {
		if err := json.Unmarshal(m, &msg); err != nil {
			return 0, "", nil, fmt.Errorf("%w: msg %.40s", ErrMalformed, m)
		}
	}
	return code, msg, env["data"], nil
}

// maxBody bounds the size of a response body read into memory.
const maxBody = 64 << 20

// baseForm returns the form fields every open API call carries.
func (c *Client) baseForm() url.Values {
	form := url.Values{}
	form.Set("app_key", c.cfg.AppKey)
	form.Set("timestamp", strconv.FormatInt(c.cfg.Now().Unix(), 10))
	form.Set("charset", "utf-8")
	return form
}

// Token is a token pair issued by JST.
type Token struct {
	AccessToken, RefreshToken string

	// ExpiresIn is the access token's lifetime as JST reported it.
	ExpiresIn time.Duration

	Scope string
}

// RefreshToken trades refreshToken for a new token pair, and on success
// makes the new access token the one the client sends. The old access token
// stops working at JST. Errors are as for Query; a refused refresh token
// is an *APIError.
func (c *Client) RefreshToken(ctx context.Context, refreshToken string) (Token, error) {
	if refreshToken == "" {
		return Token{}, fmt.Errorf("jst: %s: %w: empty refresh token",
			PathRefreshToken, ErrBadQuery)
	}

	form := c.baseForm()
	form.Set("grant_type", "refresh_token")
	form.Set("refresh_token", refreshToken)
	form.Set("scope", "all")

	data, err := c.post(ctx, PathRefreshToken, form)
	if err != nil {
		return Token{}, err
	}

	var body struct {
		AccessToken  string          `json:"access_token"`
		RefreshToken string          `json:"refresh_token"`
		ExpiresIn    json.RawMessage `json:"expires_in"`
		Scope        string          `json:"scope"`
	}
	if err := json.Unmarshal(data, &body); err != nil {
		return Token{}, fmt.Errorf("jst: %s: %w: %v", PathRefreshToken, ErrMalformed, err)
	}
	secs, _, err := pageInt(body.ExpiresIn)
	if err != nil || body.AccessToken == "" {
		return Token{}, fmt.Errorf("jst: %s: %w: token data", PathRefreshToken, ErrMalformed)
	}

	c.SetAccessToken(body.AccessToken)
	tok := Token{
		AccessToken:  body.AccessToken,
		RefreshToken: body.RefreshToken,
		ExpiresIn:    time.Duration(secs) * time.Second,
		Scope:        body.Scope,
	}
	return tok, nil
}
