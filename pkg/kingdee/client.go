package kingdee

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"time"
)

// maxBody bounds the size of an answer the client reads.
const maxBody = 64 << 20

// Service names, posted to {BaseURL}{name}.common.kdsvc.
const (
	authService = "Kingdee.BOS.WebApi.ServicesStub.AuthService."
	formService = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService."
)

// Client calls one Kingdee account set. It is safe for concurrent use.
type Client struct {
	cfg          Config
	http         *http.Client
	clientSecret string

	// loginSem serialises logins and guards gen and loggedIn.
	loginSem chan struct{}
	gen      uint64
	loggedIn bool
}

// New returns a client for cfg. It does not call Kingdee: the first call
// logs in. It returns an error wrapping ErrInvalidConfig when cfg is
// incomplete.
func New(cfg Config) (*Client, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}

	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("kingdee: cookie jar: %w", err)
	}
	hc := &http.Client{Transport: defaultTransport()}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	hc.Jar = jar

	c := &Client{cfg: cfg, http: hc, loginSem: make(chan struct{}, 1)}
	if cfg.Auth == AuthSignature {
		c.clientSecret, _ = ClientSecret(cfg.AppID) // checked by validate
	}
	return c, nil
}

// defaultTransport is http.DefaultTransport keeping enough idle
// connections for many calls in flight to the one Kingdee host; the
// default keeps two, and the rest would be closed after every call.
func defaultTransport() http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// call describes one request to Kingdee.
type call struct {
	op      string // short name for errors and metrics: "save", "view"
	service string // full service name without .common.kdsvc
	formID  string
	write   bool
	body    any
}

// prefix is the operation prefix of errors about c.
func (k call) prefix() string {
	if k.formID == "" {
		return "kingdee: " + k.op
	}
	return "kingdee: " + k.op + " " + k.formID
}

// do runs k with a session and returns Kingdee's answer. On a lost session
// it logs in again; a read is then sent once more, a write is not, and its
// session-lost answer is returned for the caller to parse.
func (c *Client) do(ctx context.Context, k call) (answer, error) {
	gen, err := c.session(ctx, 0)
	if err != nil {
		return answer{}, fmt.Errorf("%s: %w", k.prefix(), err)
	}

	a, err := c.post(ctx, k)
	if err != nil || !a.sessionLost() {
		return a, err
	}

	if _, lerr := c.session(ctx, gen); lerr != nil && !k.write {
		return answer{}, fmt.Errorf("%s: after session lost: %w", k.prefix(), lerr)
	}
	if k.write {
		return a, nil
	}
	return c.post(ctx, k)
}

// post sends k once and returns the HTTP 200 answer.
func (c *Client) post(ctx context.Context, k call) (answer, error) {
	payload, err := appendJSON(nil, k.body)
	if err != nil {
		return answer{}, fmt.Errorf("%s: encode: %w", k.prefix(), err)
	}
	if err := ctx.Err(); err != nil {
		return answer{}, fmt.Errorf("%s: %w", k.prefix(), err)
	}

	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, k.service, payload)
	if err != nil {
		return answer{}, fmt.Errorf("%s: %w", k.prefix(), err)
	}

	start := time.Now()
	body, err := c.send(req, k)
	a := newAnswer(body)
	if c.cfg.Observe != nil {
		code := 0
		if s, ok := a.status(); ok {
			code = int(s.MsgCode)
		}
		c.cfg.Observe(k.op, code, time.Since(start), err)
	}
	return a, err
}

func (c *Client) newRequest(
	ctx context.Context,
	service string,
	payload []byte,
) (*http.Request, error) {
	url := c.cfg.BaseURL + service + ".common.kdsvc"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url,
		bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	if c.cfg.Auth == AuthSignature {
		ts := strconv.FormatInt(c.cfg.Now().Unix(), 10)
		c.signHeaders(req.Header, req.URL.Path, ts, newNonce())
	}
	return req, nil
}

// send performs req and classifies transport and HTTP failures.
func (c *Client) send(req *http.Request, k call) ([]byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.lost(k, err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, c.lost(k, err)
	}
	if len(body) > maxBody {
		return nil, c.lost(k, fmt.Errorf("answer over the %d MiB limit", maxBody>>20))
	}
	if resp.StatusCode != http.StatusOK {
		herr := &HTTPError{Status: resp.StatusCode}
		if k.write && resp.StatusCode >= 500 {
			return nil, fmt.Errorf("%s: %w: %w", k.prefix(), ErrOutcomeUnknown, herr)
		}
		return nil, fmt.Errorf("%s: %w", k.prefix(), herr)
	}
	return body, nil
}

// lost wraps a transport error or an answer that cannot be read; for a
// write that may have been sent it also wraps ErrOutcomeUnknown. A failed
// dial never sent anything.
func (c *Client) lost(k call, err error) error {
	var op *net.OpError
	notSent := errors.As(err, &op) && op.Op == "dial"
	if k.write && !notSent {
		return fmt.Errorf("%s: %w: %w", k.prefix(), ErrOutcomeUnknown, err)
	}
	return fmt.Errorf("%s: %w", k.prefix(), err)
}

// newNonce returns a random nonce; Kingdee's SDK reuses the timestamp,
// which lets a captured request be replayed.
func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails
	return hex.EncodeToString(b)
}
