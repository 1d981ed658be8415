package writer_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

// step is one scripted answer to a WebAPI method, in front of kingdeesim.
type step struct {
	status  int    // answer this HTTP status, nothing reaches the Sim
	body    string // answer this body, nothing reaches the Sim
	drop    bool   // let the Sim commit, then close with no answer
	replace string // let the Sim commit, then answer this body instead
}

// script answers the next calls of a method from its steps, and passes
// everything else to the Sim. It counts calls by method.
type script struct {
	sim   *kingdeesim.Sim
	mu    sync.Mutex
	steps map[string][]step
	calls map[string]int
}

func newScript(sim *kingdeesim.Sim) *script {
	return &script{sim: sim, steps: map[string][]step{}, calls: map[string]int{}}
}

// then queues steps for method, such as "BatchSave".
func (s *script) then(method string, steps ...step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps[method] = append(s.steps[method], steps...)
}

func (s *script) count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(r.URL.Path, ".common.kdsvc")
	method := name[strings.LastIndex(name, ".")+1:]

	s.mu.Lock()
	s.calls[method]++
	var st *step
	if q := s.steps[method]; len(q) > 0 {
		st, s.steps[method] = &q[0], q[1:]
	}
	s.mu.Unlock()

	switch {
	case st == nil:
		s.sim.ServeHTTP(w, r)
	case st.status != 0:
		http.Error(w, "scripted", st.status)
	case st.body != "":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprint(w, st.body)
	case st.drop:
		s.sim.ServeHTTP(httptest.NewRecorder(), r)
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	default:
		s.sim.ServeHTTP(httptest.NewRecorder(), r)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprint(w, st.replace)
	}
}

// failure is a Kingdee answer with IsSuccess false, code and message.
func failure(code int, message string) string {
	return fmt.Sprintf(`{"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,`+
		`"Errors":[{"FieldName":null,"Message":%q,"DIndex":0}],"SuccessEntitys":[],`+
		`"SuccessMessages":[],"MsgCode":%d}}}`, message, code)
}

const textSessionLost = "会话信息已丢失，请重新登录"
