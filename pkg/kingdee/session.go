package kingdee

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// SessionCookie is the cookie that carries a K3Cloud session.
const SessionCookie = "kdservice-sessionid"

// Login signs in now, replacing any session the client holds. Other calls
// log in by themselves when needed, so calling Login is optional; it is a
// no-op in the signature mode. It returns an error wrapping
// ErrLoginRejected when Kingdee refuses the credentials.
func (c *Client) Login(ctx context.Context) error {
	if c.cfg.Auth == AuthSignature {
		return nil
	}
	if err := c.lock(ctx); err != nil {
		return fmt.Errorf("kingdee: login: %w", err)
	}
	defer c.unlock()

	return c.relogin(ctx)
}

// session returns the generation of a valid session, logging in when there
// is none or when the current one is stale (the generation a call saw
// lost). Concurrent callers that saw the same loss log in only once.
func (c *Client) session(ctx context.Context, stale uint64) (uint64, error) {
	if c.cfg.Auth == AuthSignature {
		return 0, nil
	}
	if err := c.lock(ctx); err != nil {
		return 0, err
	}
	defer c.unlock()

	if c.loggedIn && c.gen != stale {
		return c.gen, nil
	}
	if err := c.relogin(ctx); err != nil {
		return 0, err
	}
	return c.gen, nil
}

// relogin logs in; the caller holds the lock.
func (c *Client) relogin(ctx context.Context) error {
	c.loggedIn = false
	if err := c.login(ctx); err != nil {
		return err
	}
	c.gen++
	c.loggedIn = true
	return nil
}

func (c *Client) lock(ctx context.Context) error {
	select {
	case c.loginSem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) unlock() { <-c.loginSem }

// loginAnswer is the part of AuthService's answer the client reads.
type loginAnswer struct {
	LoginResultType flexInt
	Message         string
	KDSVCSessionId  string
}

// login calls the AuthService method of the configured mode.
func (c *Client) login(ctx context.Context) error {
	k := call{op: "login", body: c.loginBody()}
	switch c.cfg.Auth {
	case AuthPassword:
		k.service = authService + "ValidateUser"
	case AuthAppSecret:
		k.service = authService + "LoginByAppSecret"
	case AuthSign:
		k.service = authService + "LoginBySign"
	}

	a, err := c.post(ctx, k)
	if err != nil {
		return err
	}
	var ans loginAnswer
	if err := json.Unmarshal(a.body, &ans); err != nil {
		return fmt.Errorf("kingdee: login: decode answer: %w", err)
	}
	if ans.LoginResultType != 1 {
		return fmt.Errorf("%w: result type %d: %s",
			ErrLoginRejected, ans.LoginResultType, ans.Message)
	}

	c.keepSessionID(ans.KDSVCSessionId)
	return nil
}

func (c *Client) loginBody() any {
	cfg := c.cfg
	switch cfg.Auth {
	case AuthAppSecret:
		return map[string]any{
			"acctid": cfg.AcctID, "username": cfg.Username,
			"appid": cfg.AppID, "appsecret": cfg.AppSecret, "lcid": cfg.LCID,
		}
	case AuthSign:
		ts := strconv.FormatInt(cfg.Now().Unix(), 10)
		sign := LoginSign(cfg.AcctID, cfg.Username, cfg.AppID, cfg.AppSecret, ts)
		return map[string]any{"parameters": []any{
			cfg.AcctID, cfg.Username, cfg.AppID, ts, sign, cfg.LCID,
		}}
	default:
		return map[string]any{
			"acctid": cfg.AcctID, "username": cfg.Username,
			"password": cfg.Password, "lcid": cfg.LCID,
		}
	}
}

// keepSessionID stores the session id of the login answer as a cookie when
// the server sent it only in the body.
func (c *Client) keepSessionID(id string) {
	if id == "" {
		return
	}
	u, err := url.Parse(c.cfg.BaseURL)
	if err != nil {
		return
	}
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == SessionCookie {
			return
		}
	}
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: SessionCookie, Value: id, Path: "/"}})
}
