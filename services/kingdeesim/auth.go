package kingdeesim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
)

// loginRequest is an AuthService body, named or positional.
type loginRequest struct {
	AcctID     string            `json:"acctid"`
	Username   string            `json:"username"`
	Password   string            `json:"password"`
	AppID      string            `json:"appid"`
	AppSecret  string            `json:"appsecret"`
	Timestamp  json.RawMessage   `json:"timestamp"`
	Sign       string            `json:"sign"`
	Parameters []json.RawMessage `json:"parameters"`
}

// param returns positional parameter i as text.
func (l *loginRequest) param(i int) string {
	if i >= len(l.Parameters) {
		return ""
	}
	return text(l.Parameters[i])
}

// text returns a JSON string or number as text.
func text(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil || v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// serveLogin answers AuthService methods.
func (s *Sim) serveLogin(w http.ResponseWriter, r *http.Request, method string, body []byte) {
	var req loginRequest
	if err := json.Unmarshal(body, &req); err != nil {
		s.count(method, "bad_request")
		writeJSON(w, loginAnswer(-1, "请求参数格式错误", ""))
		return
	}

	var result int
	var message string
	switch method {
	case "ValidateUser":
		if len(req.Parameters) > 0 {
			req.AcctID, req.Username, req.Password = req.param(0), req.param(1), req.param(2)
		}
		result, message = s.checkPassword(req)
	case "LoginByAppSecret":
		if len(req.Parameters) > 0 {
			req.AcctID, req.Username = req.param(0), req.param(1)
			req.AppID, req.AppSecret = req.param(2), req.param(3)
		}
		result, message = s.checkAppSecret(req)
	case "LoginBySign":
		ts := text(req.Timestamp)
		if len(req.Parameters) > 0 {
			req.AcctID, req.Username, req.AppID = req.param(0), req.param(1), req.param(2)
			ts, req.Sign = req.param(3), req.param(4)
		}
		result, message = s.checkSign(req, ts)
	case "Logout":
		if ck, err := r.Cookie(kingdee.SessionCookie); err == nil {
			s.mu.Lock()
			delete(s.sessions, ck.Value)
			s.mu.Unlock()
		}
		s.count(method, "ok")
		writeJSON(w, true)
		return
	default:
		http.NotFound(w, r)
		return
	}

	if result != 1 {
		s.count(method, "login_failed")
		writeJSON(w, loginAnswer(result, message, ""))
		return
	}
	id := s.newSession()
	http.SetCookie(w, &http.Cookie{Name: kingdee.SessionCookie, Value: id, Path: "/",
		HttpOnly: true})
	http.SetCookie(w, &http.Cookie{Name: "ASP.NET_SessionId", Value: randomID(12),
		Path: "/", HttpOnly: true})
	s.count(method, "ok")
	writeJSON(w, loginAnswer(1, "", id))
}

func (s *Sim) checkAccount(acct, user string) (int, string) {
	if acct != s.opts.AcctID {
		return -1, "数据中心不存在：" + acct
	}
	if user != s.opts.Username {
		return 0, "用户名或密码错误！"
	}
	return 1, ""
}

func (s *Sim) checkPassword(req loginRequest) (int, string) {
	if res, m := s.checkAccount(req.AcctID, req.Username); res != 1 {
		return res, m
	}
	if req.Password != s.opts.Password {
		return 0, "用户名或密码错误！"
	}
	return 1, ""
}

func (s *Sim) checkAppSecret(req loginRequest) (int, string) {
	if res, m := s.checkAccount(req.AcctID, req.Username); res != 1 {
		return res, m
	}
	if req.AppID != s.opts.AppID || req.AppSecret != s.opts.AppSecret {
		return 0, "应用ID或应用密钥错误！"
	}
	return 1, ""
}

func (s *Sim) checkSign(req loginRequest, ts string) (int, string) {
	if res, m := s.checkAccount(req.AcctID, req.Username); res != 1 {
		return res, m
	}
	if !s.fresh(ts) {
		return -1, "时间戳已过期"
	}
	want := kingdee.LoginSign(req.AcctID, req.Username, s.opts.AppID, s.opts.AppSecret, ts)
	if req.AppID != s.opts.AppID || req.Sign != want {
		return -1, "签名验证失败"
	}
	return 1, ""
}

// fresh reports whether a Unix-seconds timestamp is within ClockSkew.
func (s *Sim) fresh(ts string) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := s.opts.Now().Sub(time.Unix(sec, 0))
	return d <= s.opts.ClockSkew && d >= -s.opts.ClockSkew
}

func loginAnswer(result int, message, sessionID string) map[string]any {
	a := map[string]any{
		"Message": nil, "MessageCode": "CheckPasswordPolicy", "LoginResultType": result,
		"Context": nil, "KDSVCSessionId": nil, "FormId": nil, "RedirectFormParam": nil,
		"FormInputObject": nil, "ErrorStackTrace": nil, "Lcid": 0, "AccessToken": nil,
		"KdAccessResult": nil, "IsSuccessByAPI": result == 1,
	}
	if message != "" {
		a["Message"] = message
	}
	if sessionID != "" {
		a["KDSVCSessionId"] = sessionID
		a["Context"] = map[string]any{
			"UserLocale": "zh-CN", "LogLocale": "zh-CN", "DatabaseType": 3,
			"SessionId": sessionID, "UserId": 100008,
		}
	}
	return a
}

func (s *Sim) newSession() string {
	id := randomID(16)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[id] = s.opts.Now()
	return id
}

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// authorize reports whether r carries valid signed headers or a live
// session, and returns the session id it used ("" for signed headers).
func (s *Sim) authorize(r *http.Request) (bool, string) {
	if r.Header.Get(kingdee.HeaderAppKey) != "" {
		return s.verifySigned(r), ""
	}
	ck, err := r.Cookie(kingdee.SessionCookie)
	if err != nil {
		return false, ""
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	last, ok := s.sessions[ck.Value]
	now := s.opts.Now()
	if !ok || now.Sub(last) > s.opts.SessionIdle {
		delete(s.sessions, ck.Value)
		return false, ""
	}
	s.sessions[ck.Value] = now
	return true, ck.Value
}

// dropSession ends a session, as when Kingdee loses it.
func (s *Sim) dropSession(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

// verifySigned checks the X-Api-* and X-Kd-* headers of the signature mode.
func (s *Sim) verifySigned(r *http.Request) bool {
	h := r.Header
	if h.Get(kingdee.HeaderAppKey) != s.opts.AppID || !s.fresh(h.Get(kingdee.HeaderTimestamp)) {
		return false
	}
	secret, err := kingdee.ClientSecret(s.opts.AppID)
	if err != nil {
		return false
	}
	apiSig := kingdee.APISignature(secret, r.URL.Path,
		h.Get(kingdee.HeaderNonce), h.Get(kingdee.HeaderTimestamp))
	if h.Get(kingdee.HeaderSignature) != apiSig {
		return false
	}

	plain, err := base64.StdEncoding.DecodeString(h.Get(kingdee.HeaderAppData))
	if err != nil {
		return false
	}
	parts := strings.Split(string(plain), ",")
	if len(parts) < 2 || parts[0] != s.opts.AcctID || parts[1] != s.opts.Username {
		return false
	}
	kdSig := kingdee.AppDataSignature(s.opts.AppID, s.opts.AppSecret, string(plain))
	return h.Get(kingdee.HeaderKdSignature) == kdSig
}
