package kingdeesim

import (
	"encoding/json"
	"net/http"
	"time"
)

// faultsJSON is the wire form of Faults at /sim/faults; durations are Go
// duration strings such as "250ms".
type faultsJSON struct {
	Latency            string  `json:"latency,omitempty"`
	ServerErrorRate    float64 `json:"server_error_rate"`
	CallLimitRate      float64 `json:"call_limit_rate"`
	SessionLossRate    float64 `json:"session_loss_rate"`
	CommitNoAnswerRate float64 `json:"commit_no_answer_rate"`
	NoAnswerHold       string  `json:"no_answer_hold,omitempty"`
}

func (f faultsJSON) faults() (Faults, error) {
	out := Faults{
		ServerErrorRate: f.ServerErrorRate, CallLimitRate: f.CallLimitRate,
		SessionLossRate: f.SessionLossRate, CommitNoAnswerRate: f.CommitNoAnswerRate,
	}
	for _, d := range []struct {
		text string
		dst  *time.Duration
	}{{f.Latency, &out.Latency}, {f.NoAnswerHold, &out.NoAnswerHold}} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil {
			return Faults{}, err
		}
		*d.dst = v
	}
	return out, nil
}

func toJSON(f Faults) faultsJSON {
	return faultsJSON{
		Latency: f.Latency.String(), ServerErrorRate: f.ServerErrorRate,
		CallLimitRate: f.CallLimitRate, SessionLossRate: f.SessionLossRate,
		CommitNoAnswerRate: f.CommitNoAnswerRate, NoAnswerHold: f.NoAnswerHold.String(),
	}
}

// serveControl serves the test endpoints: GET and POST /sim/faults, GET
// /sim/bills?form=<form id> and GET /sim/stats.
func (s *Sim) serveControl(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/sim/faults" && r.Method == http.MethodPost:
		var fj faultsJSON
		if err := json.NewDecoder(r.Body).Decode(&fj); err != nil {
			http.Error(w, "faults: "+err.Error(), http.StatusBadRequest)
			return
		}
		f, err := fj.faults()
		if err != nil {
			http.Error(w, "faults: "+err.Error(), http.StatusBadRequest)
			return
		}
		s.SetFaults(f)
		writeJSON(w, toJSON(f))
	case r.URL.Path == "/sim/faults" && r.Method == http.MethodGet:
		writeJSON(w, toJSON(s.currentFaults()))
	case r.URL.Path == "/sim/bills" && r.Method == http.MethodGet:
		bills := s.Bills(r.URL.Query().Get("form"))
		if bills == nil {
			bills = []StoredBill{}
		}
		writeJSON(w, bills)
	case r.URL.Path == "/sim/count" && r.Method == http.MethodGet:
		writeJSON(w, map[string]int{"bills": s.BillCount(r.URL.Query().Get("form"))})
	case r.URL.Path == "/sim/stats" && r.Method == http.MethodGet:
		writeJSON(w, s.Stats())
	default:
		http.NotFound(w, r)
	}
}
