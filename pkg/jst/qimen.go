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
	"time"
)

// Qimen gateway constants.
const (
	// QimenPath is the router path of the Qimen gateway. A QimenConfig.URL
	// with no path gets it appended.
	QimenPath = "/router/qm"

	// DefaultQimenTargetAppKey is JST's app key on Qimen, the default of
	// QimenConfig.TargetAppKey.
	DefaultQimenTargetAppKey = "23060081"

	// Qimen methods of the two document kinds.
	QimenMethodOrders     = "jushuitan.order.list.query"
	QimenMethodAfterSales = "jushuitan.refund.list.query"
)

var qimenMethods = map[Kind]string{
	KindOrder:     QimenMethodOrders,
	KindAfterSale: QimenMethodAfterSales,
}

// qimenCodes maps the Qimen (Taobao platform) failure codes that mean the
// same as a JST code onto that code, so that APIError's methods classify
// them alike. Only 25 is confirmed for Qimen by the reference; the others
// are Taobao's platform codes: 7 app call limited, 11 insufficient ISV
// permissions, 28/29 missing/invalid app key, 31/33 missing/invalid
// timestamp.
var qimenCodes = map[int]int{
	7:  CodeRateLimitMin,
	11: CodeNoPermission,
	25: CodeBadSign,
	28: CodeBadSign,
	29: CodeBadSign,
	31: CodeClockSkew,
	33: CodeClockSkew,
}

// QimenConfig configures a QimenClient.
type QimenConfig struct {
	// URL is the gateway's address. With no path, QimenPath is used.
	URL string

	// AppKey and AppSecret are the caller's Qimen app credentials.
	AppKey, AppSecret string

	// TargetAppKey is JST's app on Qimen (default
	// DefaultQimenTargetAppKey); CustomerID names the merchant at JST.
	TargetAppKey, CustomerID string

	// HTTPClient sends the requests; the default has a 30s timeout.
	HTTPClient *http.Client

	// Limiter, if set, is waited on before every request.
	Limiter Waiter

	// Now gives the timestamp sent with each request; default time.Now.
	Now func() time.Time

	// Observe, if set, is called after every request with the Qimen
	// method, the JST code (or -1 for a transport, HTTP or malformed-body
	// failure) and the time the request took.
	Observe func(endpoint string, code int, d time.Duration)
}

// QimenClient reads JST documents through the Taobao Qimen gateway. It is
// safe for concurrent use.
type QimenClient struct {
	cfg QimenConfig
	url string
}

// NewQimenClient returns a QimenClient for cfg. It returns an error when
// URL is not an absolute http(s) URL, or AppKey, AppSecret or CustomerID is
// empty.
func NewQimenClient(cfg QimenConfig) (*QimenClient, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("jst: new qimen client: bad url %q", cfg.URL)
	}
	if cfg.AppKey == "" || cfg.AppSecret == "" || cfg.CustomerID == "" {
		return nil, errors.New(
			"jst: new qimen client: app key, secret and customer id are required")
	}

	if u.Path == "" || u.Path == "/" {
		u.Path = QimenPath
	}
	if cfg.TargetAppKey == "" {
		cfg.TargetAppKey = DefaultQimenTargetAppKey
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &QimenClient{cfg: cfg, url: u.String()}, nil
}

// Name returns GatewayQimen.
func (c *QimenClient) Name() string { return GatewayQimen }

// Query asks JST, through Qimen, for one page of documents of kind. Each
// document is its JSON exactly as received.
//
// Errors are as for Client.Query. A Qimen failure answer is an *APIError:
// JST's own code when the answer carries one, a platform code with a JST
// meaning mapped onto that code (25, invalid signature, becomes
// CodeBadSign), and any other code kept; a failure with no numeric code has
// CodeQimenFailure.
func (c *QimenClient) Query(ctx context.Context, kind Kind, q Query) (*Page, error) {
	method, ok := qimenMethods[kind]
	if !ok {
		return nil, fmt.Errorf("jst: qimen query: %w: unknown kind %q", ErrBadQuery, kind)
	}
	b, err := bizFor(q, endpoints[kind].maxPage)
	if err != nil {
		return nil, fmt.Errorf("jst: %s: %w", method, err)
	}

	if c.cfg.Limiter != nil {
		if err := c.cfg.Limiter.Wait(ctx); err != nil {
			return nil, fmt.Errorf("jst: %s: %w", method, err)
		}
	}
	form := c.form(method, b)

	start := time.Now()
	page, code, err := c.do(ctx, method, form, endpoints[kind].listKey)
	if c.cfg.Observe != nil {
		c.cfg.Observe(method, code, time.Since(start))
	}
	return page, err
}

// form returns the signed request of method: the system parameters and
// the business parameters of b, flattened.
func (c *QimenClient) form(method string, b biz) url.Values {
	params := map[string]string{
		"app_key":        c.cfg.AppKey,
		"method":         method,
		"timestamp":      FormatTime(c.cfg.Now()),
		"format":         "json",
		"v":              "2.0",
		"sign_method":    "md5",
		"target_app_key": c.cfg.TargetAppKey,
		"customer_id":    c.cfg.CustomerID,
		"page_index":     strconv.Itoa(b.PageIndex),
		"page_size":      strconv.Itoa(b.PageSize),
		"modified_begin": b.ModifiedBegin,
		"modified_end":   b.ModifiedEnd,
	}
	if b.ShopID != nil {
		params["shop_id"] = fmt.Sprint(b.ShopID)
	}
	if b.StartTS > 0 {
		params["start_ts"] = strconv.FormatInt(b.StartTS, 10)
	}
	if b.IsGetTotal != nil {
		params["is_get_total"] = strconv.FormatBool(*b.IsGetTotal)
	}

	form := url.Values{}
	for k, v := range params {
		if v != "" {
			form.Set(k, v)
		}
	}
	form.Set("sign", SignQimen(c.cfg.AppSecret, params))
	return form
}

// do posts form and decodes the answer. It returns the page, the JST code
// to report (or -1) and the error.
func (c *QimenClient) do(
	ctx context.Context,
	method string,
	form url.Values,
	listKey string,
) (*Page, int, error) {
	body, err := postForm(ctx, c.cfg.HTTPClient, c.url, method, form)
	if err != nil {
		return nil, codeNotAPIResponse, err
	}

	page, apiErr, err := decodeQimen(body, listKey)
	switch {
	case err != nil:
		return nil, codeNotAPIResponse, fmt.Errorf("jst: %s: %w", method, err)
	case apiErr != nil:
		apiErr.Endpoint = method
		return nil, apiErr.Code, apiErr
	}
	return page, CodeOK, nil
}

// decodeQimen reads a Qimen answer. It accepts the answer wrapped in
// "response" (or in one "<name>_response" key, as Taobao's router writes
// it), with "flag" "success" or "failure", a JST envelope inside the
// wrapper, and a bare object of page fields. It returns the page, or the
// refusal as an *APIError with no endpoint, or an error wrapping
// ErrMalformed.
func decodeQimen(body []byte, listKey string) (*Page, *APIError, error) {
	raw, obj, failed, err := unwrapQimen(body)
	if err != nil {
		return nil, nil, err
	}

	flag, _, _ := scalar(obj["flag"])
	if failed || strings.EqualFold(flag, "failure") {
		return nil, qimenFailure(obj), nil
	}

	code, ok, err := pageInt(obj["code"])
	if err != nil {
		return nil, nil, fmt.Errorf("%w: code %s", ErrMalformed, obj["code"])
	}
	if ok && code != CodeOK {
		return nil, &APIError{Code: code, Msg: qimenText(obj, "msg", "message")}, nil
	}

	if data := obj["data"]; !isNull(data) {
		raw = data
		if obj, err = splitObject(data); err != nil {
			return nil, nil, fmt.Errorf("%w: data is not an object", ErrMalformed)
		}
	}
	if !hasPageField(obj) {
		return nil, nil, fmt.Errorf("%w: no page fields", ErrMalformed)
	}

	key := listKey
	for _, k := range []string{listKey, "datas", "orders"} {
		if _, ok := obj[k]; ok {
			key = k
			break
		}
	}
	page, err := parsePage(raw, key)
	return page, nil, err
}

// unwrapQimen decodes body and returns the object inside its wrapper, or
// body's object when there is none, as JSON text and decoded one level,
// and whether the wrapper itself says the call failed (error_response).
func unwrapQimen(body []byte) (json.RawMessage, map[string]json.RawMessage, bool, error) {
	top, err := splitObject(body)
	if err != nil || isNull(body) {
		return nil, nil, false, fmt.Errorf("%w: not a JSON object", ErrMalformed)
	}

	name, inner := "", json.RawMessage(nil)
	if r, ok := top["response"]; ok {
		name, inner = "response", r
	} else if len(top) == 1 {
		for k, v := range top {
			if strings.HasSuffix(k, "_response") {
				name, inner = k, v
			}
		}
	}
	if name == "" {
		return body, top, false, nil
	}

	obj, err := splitObject(inner)
	if err != nil || isNull(inner) {
		return nil, nil, false, fmt.Errorf("%w: %s is not an object", ErrMalformed, name)
	}
	return inner, obj, name == "error_response", nil
}

// qimenFailure builds the APIError of a failure answer. A numeric sub_code
// is JST's own code passed through; otherwise a platform code with a JST
// meaning is mapped onto that JST code.
func qimenFailure(obj map[string]json.RawMessage) *APIError {
	msg := qimenText(obj, "message", "msg")
	if sub, ok, err := pageInt(obj["sub_code"]); err == nil && ok {
		subMsg := qimenText(obj, "sub_msg", "sub_message", "message")
		return &APIError{Code: sub, Msg: subMsg}
	}

	code, ok, err := pageInt(obj["code"])
	switch {
	case err != nil || !ok:
		text, _, _ := scalar(obj["code"])
		return &APIError{
			Code: CodeQimenFailure,
			Msg:  strings.TrimSpace(fmt.Sprintf("qimen code %q: %s", text, msg)),
		}
	case qimenCodes[code] != 0:
		return &APIError{
			Code: qimenCodes[code],
			Msg:  fmt.Sprintf("%s (qimen code %d)", msg, code),
		}
	}
	return &APIError{Code: code, Msg: msg}
}

// qimenText returns the first non-empty text among keys of obj.
func qimenText(obj map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		if s, ok, _ := scalar(obj[k]); ok {
			return s
		}
	}
	return ""
}

// hasPageField reports whether obj has any field of a page.
func hasPageField(obj map[string]json.RawMessage) bool {
	for _, k := range []string{
		"page_index", "page_size", "page_count", "data_count", "has_next",
		"datas", "orders",
	} {
		if _, ok := obj[k]; ok {
			return true
		}
	}
	return false
}
