package jstsim

import (
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// injection is a JST code the next left queries answer.
type injection struct {
	code, left int
}

// codeMessages are the messages the simulator answers JST's codes with.
// JST's own wording is not known; see README.md.
var codeMessages = map[int]string{
	jst.CodeBadSign:       "签名错误",
	jst.CodeTokenInvalid:  "access_token无效或已过期",
	jst.CodeIPDenied:      "IP不在白名单内",
	CodeBadParam:          "参数错误",
	jst.CodeClockSkew:     "timestamp与服务器时间相差超过15分钟",
	jst.CodeRefreshDenied: "当前应用无权刷新access_token",
	jst.CodeNoPermission:  "无此接口权限",
	jst.CodeRateLimitSec:  "接口调用频率超过限制(每秒)",
	jst.CodeRateLimitMin:  "接口调用频率超过限制(每分钟)",
}

// codeMessage returns the message of a JST code.
func codeMessage(code int) string {
	if m, ok := codeMessages[code]; ok {
		return m
	}
	return "系统繁忙,请稍后重试"
}

// InjectCode makes the next n document queries, on either gateway, answer
// JST code code with its usual message before any check (the open API in
// its envelope, Qimen as a failure carrying the code). Calls queue: each
// runs after the ones before it are used up. A code of 0 or an n of 0 or
// less clears the queue. Token refreshes are not affected; see
// InjectRefreshDenied.
func (s *Sim) InjectCode(code int, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 || n <= 0 {
		s.injected = nil
		return
	}
	s.injected = append(s.injected, injection{code: code, left: n})
}

// Injected returns the injected codes not used yet, one entry a query.
func (s *Sim) Injected() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	for _, in := range s.injected {
		for range in.left {
			out = append(out, in.code)
		}
	}
	return out
}

// takeInjected uses up the next injected code and returns its failed
// reply, or code 0 when none is queued. It runs with s.mu held.
func (s *Sim) takeInjected() reply {
	if len(s.injected) == 0 {
		return reply{}
	}
	in := &s.injected[0]
	code := in.code
	if in.left--; in.left == 0 {
		s.injected = s.injected[1:]
	}
	return fail(code, codeMessage(code))
}

// ExpireTokens makes the current access token expired at the simulator's
// now: open API queries answer code 100 until a refresh, which the refresh
// token still allows.
func (s *Sim) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens.issued = s.opts.Now().Add(-s.opts.TokenTTL - time.Second)
}

// InjectRefreshDenied makes /openWeb/auth/refreshToken answer code 150
// (the app may not refresh) after its signature checks, while denied is
// true.
func (s *Sim) InjectRefreshDenied(denied bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshDenied = denied
}
