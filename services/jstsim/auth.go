package jstsim

import (
	"encoding/hex"
	"net/url"
	"strconv"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// maxSkew is the largest difference between a request's timestamp and the
// simulator's clock that JST accepts.
const maxSkew = 15 * time.Minute

// tokens is the merchant's current token pair. A refresh replaces both.
type tokens struct {
	access, refresh string
	issued          time.Time
	refreshes       int
}

// authorize runs the checks every open API call goes through, in this
// order: app key, rate limits, signature, timestamp, and, when withToken
// is set, the access token. It returns a failed reply, or code 0.
func (s *Sim) authorize(form url.Values, now time.Time, withToken bool) reply {
	if form.Get("app_key") != s.opts.AppKey {
		return fail(jst.CodeBadSign, "app_key无效")
	}
	if rep := s.admit(now); rep.code != 0 {
		return rep
	}

	params := make(map[string]string, len(form))
	for k := range form {
		params[k] = form.Get(k)
	}
	if form.Get("sign") != jst.SignOpenAPI(s.opts.AppSecret, params) {
		return fail(jst.CodeBadSign, "签名错误")
	}

	ts, err := strconv.ParseInt(form.Get("timestamp"), 10, 64)
	if err != nil || absDuration(now.Sub(time.Unix(ts, 0))) > maxSkew {
		return fail(jst.CodeClockSkew, "timestamp与服务器时间相差超过15分钟")
	}

	if withToken && !s.tokenValid(form.Get("access_token"), now) {
		return fail(jst.CodeTokenInvalid, "access_token无效或已过期")
	}
	return reply{}
}

// admit counts a request against the merchant's rate limits, shared by
// both gateways, and returns a failed reply when it is over one.
func (s *Sim) admit(now time.Time) reply {
	if code := s.limit.admit(now); code != 0 {
		return fail(code, codeMessage(code))
	}
	return reply{}
}

func (s *Sim) tokenValid(token string, now time.Time) bool {
	t := s.tokens
	return token != "" && token == t.access && now.Before(t.issued.Add(s.opts.TokenTTL))
}

// refresh serves /openWeb/auth/refreshToken: it trades the current refresh
// token for a new pair. The old access and refresh tokens stop working.
func (s *Sim) refresh(form url.Values, now time.Time) reply {
	if rep := s.authorize(form, now, false); rep.code != 0 {
		return rep
	}
	if form.Get("grant_type") != "refresh_token" {
		return fail(CodeBadParam, "参数错误: grant_type必须为refresh_token")
	}
	if s.refreshDenied {
		return fail(jst.CodeRefreshDenied, codeMessage(jst.CodeRefreshDenied))
	}
	if form.Get("refresh_token") != s.tokens.refresh {
		return fail(jst.CodeTokenInvalid, "refresh_token无效")
	}

	s.tokens = tokens{
		access:    s.newToken(),
		refresh:   s.newToken(),
		issued:    now,
		refreshes: s.tokens.refreshes + 1,
	}
	data := map[string]any{
		"access_token":  s.tokens.access,
		"expires_in":    int64(s.opts.TokenTTL / time.Second),
		"refresh_token": s.tokens.refresh,
		"scope":         "all",
	}
	return reply{msg: "ok", data: data}
}

func (s *Sim) newToken() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(s.tokenRNG.UintN(256))
	}
	return hex.EncodeToString(b)
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
