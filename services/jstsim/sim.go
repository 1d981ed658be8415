package jstsim

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// Codes the simulator answers with beyond those of package jst. JST's code
// for a bad parameter is not known; see README.md.
const (
	CodeBadParam = 130
)

// Stats codes for answers that carry no JST code.
const (
	StatMalformed   = -1   // a truncated body was sent (fault)
	StatServerError = -500 // HTTP 500 was sent (fault)
)

// maxForm bounds the size of a request body.
const maxForm = 1 << 20

// Sim is a JST open API simulator. It is an http.Handler and safe for
// concurrent use.
type Sim struct {
	opts Options
	mux  *http.ServeMux

	mu       sync.Mutex
	st       *store
	tokens   tokens
	limit    *window
	stats    map[string]map[int]int
	faults   Faults
	faultRNG *rand.Rand
	tokenRNG *rand.Rand

	qimenRNG      *rand.Rand // Qimen request ids
	churnRNG      *rand.Rand // whether and which documents churn
	churn         float64
	churnDocs     int
	injected      []injection // codes the next queries answer
	refreshDenied bool
}

// New returns a simulator for opts, with its data set generated.
func New(opts Options) *Sim {
	opts = opts.withDefaults()
	now := opts.Now()
	s := &Sim{
		opts:      opts,
		mux:       http.NewServeMux(),
		st:        generate(opts),
		limit:     newWindow(opts.RatePerSecond, opts.RatePerMinute),
		stats:     map[string]map[int]int{},
		faultRNG:  rand.New(rand.NewPCG(uint64(opts.Seed), 0x6661756c74)),
		tokenRNG:  rand.New(rand.NewPCG(uint64(opts.Seed), 0x746f6b656e)),
		qimenRNG:  rand.New(rand.NewPCG(uint64(opts.Seed), 0x71696d656e)),
		churnRNG:  rand.New(rand.NewPCG(uint64(opts.Seed), 0x636875726e)),
		churn:     opts.Churn,
		churnDocs: opts.ChurnDocs,
		tokens: tokens{
			access:  opts.AccessToken,
			refresh: opts.RefreshToken,
			issued:  now,
		},
	}
	s.routes()
	return s
}

func (s *Sim) routes() {
	for kind, path := range map[jst.Kind]string{
		jst.KindOrder:     jst.PathOrders,
		jst.KindAfterSale: jst.PathAfterSales,
	} {
		s.mux.Handle(path, s.api(path, s.queryHandler(kind)))
	}
	s.mux.Handle(jst.PathRefreshToken, s.api(jst.PathRefreshToken, s.refresh))
	s.mux.Handle(jst.QimenPath, s.serve(jst.QimenPath, s.qimen, s.encodeQimen))
	s.inspectRoutes()
	s.controlRoutes()
}

// ServeHTTP serves the open API, the Qimen gateway and the /sim/ test
// endpoints.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Options returns the options in force, defaults filled in.
func (s *Sim) Options() Options {
	return s.opts
}

// reply is an open API answer before it is encoded.
type reply struct {
	code int
	msg  string
	data any
}

func fail(code int, msg string) reply {
	return reply{code: code, msg: msg}
}

// handler answers one API call. It runs with s.mu held.
type handler func(form url.Values, now time.Time) reply

// encoder writes a reply as the body of an answer. It runs with s.mu held.
type encoder func(rep reply) []byte

// api wraps h as an open API endpoint, answering in JST's envelope.
func (s *Sim) api(path string, h handler) http.Handler {
	return s.serve(path, h, encodeReply)
}

// serve wraps h with what every API endpoint shares: the method check,
// faults, form parsing, encoding with enc and the request count.
func (s *Sim) serve(path string, h handler, enc encoder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			s.count(path, -http.StatusMethodNotAllowed)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}

		plan := s.planFaults()
		if plan.latency > 0 {
			select {
			case <-time.After(plan.latency):
			case <-r.Context().Done():
				return
			}
		}
		if plan.serverError {
			s.count(path, StatServerError)
			http.Error(w, "internal server error", http.StatusInternalServerError)
			return
		}

		var rep reply
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		err := r.ParseForm()
		s.mu.Lock()
		if err != nil {
			rep = fail(CodeBadParam, "参数错误: 无法解析表单")
		} else {
			rep = h(r.PostForm, s.opts.Now())
		}
		body := enc(rep)
		s.mu.Unlock()

		code := rep.code
		if plan.malformed {
			body = body[:len(body)/2]
			code = StatMalformed
		}
		s.count(path, code)

		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(body)
	})
}

func encodeReply(rep reply) []byte {
	if data, ok := rep.data.(pageData); ok {
		msg, _ := json.Marshal(rep.msg)
		b := fmt.Appendf(nil, `{"code":%d,"msg":%s,"data":`, rep.code, msg)
		b = data.appendJSON(b, data.head())
		return append(b, '}')
	}
	env := struct {
		Code int    `json:"code"`
		Msg  string `json:"msg"`
		Data any    `json:"data"`
	}{rep.code, rep.msg, rep.data}
	body, err := json.Marshal(env)
	if err != nil {
		body, _ = json.Marshal(struct {
			Code int    `json:"code"`
			Msg  string `json:"msg"`
		}{500, "系统错误"})
	}
	return body
}

func (s *Sim) count(path string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stats[path] == nil {
		s.stats[path] = map[int]int{}
	}
	s.stats[path][code]++
}
