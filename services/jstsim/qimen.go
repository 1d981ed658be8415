package jstsim

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// Failure codes of the Qimen gateway itself, as Taobao's router numbers
// them. Only 25 is confirmed for Qimen by the reference; see README.md.
const (
	QimenCodeBadMethod    = 22 // Invalid method
	QimenCodeBadSign      = 25 // Invalid signature
	QimenCodeBadAppKey    = 29 // Invalid app Key
	QimenCodeBadTimestamp = 33 // Invalid timestamp
	QimenCodeBadArguments = 41 // Invalid arguments
)

var qimenKinds = map[string]jst.Kind{
	jst.QimenMethodOrders:     jst.KindOrder,
	jst.QimenMethodAfterSales: jst.KindAfterSale,
}

// qimenSystemParams are the form fields that are not business parameters.
var qimenSystemParams = map[string]bool{
	"app_key": true, "method": true, "timestamp": true, "format": true, "v": true,
	"sign_method": true, "sign": true, "target_app_key": true, "customer_id": true,
	"session": true, "partner_id": true, "simplify": true,
}

// qimen serves POST /router/qm. Checks, in order: an injected code, the
// gateway's (app key, signature, timestamp, method, target app key), then
// JST's (customer id, the rate limits shared with the open API, business
// parameters).
func (s *Sim) qimen(form url.Values, now time.Time) reply {
	if rep := s.takeInjected(); rep.code != 0 {
		return rep
	}
	if rep := s.qimenGateway(form, now); rep.code != 0 {
		return rep
	}
	kind := qimenKinds[form.Get("method")]

	if form.Get("customer_id") != s.opts.QimenCustomerID {
		return fail(jst.CodeNoPermission, "customer_id无权访问该商户")
	}
	if rep := s.admit(now); rep.code != 0 {
		return rep
	}

	f := map[string]json.RawMessage{}
	for k := range form {
		if !qimenSystemParams[k] {
			v, _ := json.Marshal(form.Get(k))
			f[k] = v
		}
	}
	q, err := parseBizFields(f, jst.MaxPageSize(kind))
	if err != nil {
		return fail(CodeBadParam, "参数错误: "+err.Error())
	}
	return reply{data: s.page(kind, q, now)}
}

// qimenGateway runs the checks of the Qimen router and returns a failed
// reply, or code 0.
func (s *Sim) qimenGateway(form url.Values, now time.Time) reply {
	if form.Get("app_key") != s.opts.QimenAppKey {
		return fail(QimenCodeBadAppKey, "Invalid app Key")
	}

	params := make(map[string]string, len(form))
	for k := range form {
		params[k] = form.Get(k)
	}
	want := jst.SignQimen(s.opts.QimenAppSecret, params)
	if !strings.EqualFold(form.Get("sign_method"), "md5") ||
		!strings.EqualFold(form.Get("sign"), want) {
		return fail(QimenCodeBadSign, "Invalid signature")
	}

	ts, err := jst.ParseTime(form.Get("timestamp"))
	if err != nil || ts.IsZero() || absDuration(now.Sub(ts)) > maxSkew {
		return fail(QimenCodeBadTimestamp, "Invalid timestamp")
	}
	if _, ok := qimenKinds[form.Get("method")]; !ok {
		return fail(QimenCodeBadMethod, "Invalid method")
	}
	if form.Get("target_app_key") != jst.DefaultQimenTargetAppKey {
		return fail(QimenCodeBadArguments, "Invalid arguments:target_app_key")
	}
	return reply{}
}

// qimenFailure is the body of a Qimen failure answer.
type qimenFailure struct {
	Flag      string `json:"flag"`
	Code      int    `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id"`
}

// qimenSuccess is the body of a Qimen success answer: the flag, then the
// open API's data object's fields. The wrapper is an assumption.
type qimenSuccess struct {
	Flag string `json:"flag"`
	pageData
}

// encodeQimen writes rep as a Qimen answer wrapped in "response". It runs
// with s.mu held.
func (s *Sim) encodeQimen(rep reply) []byte {
	if data, ok := rep.data.(pageData); ok && rep.code == 0 {
		b := []byte(`{"response":`)
		b = data.appendJSON(b, qimenSuccess{Flag: "success", pageData: data.head()})
		return append(b, '}')
	}
	inner := qimenFailure{
		Flag:      "failure",
		Code:      rep.code,
		Message:   rep.msg,
		RequestID: s.requestID(),
	}
	body, err := json.Marshal(map[string]any{"response": inner})
	if err != nil {
		body = []byte(`{"response":{"flag":"failure","code":15,` +
			`"message":"Remote service error"}}`)
	}
	return body
}

// requestID returns a random request id like the router's.
func (s *Sim) requestID() string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 13)
	for i := range b {
		b[i] = alphabet[s.qimenRNG.IntN(len(alphabet))]
	}
	return string(b)
}
