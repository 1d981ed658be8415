package jstsim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// churnJSON is the JSON form of the churn settings.
type churnJSON struct {
	Churn float64 `json:"churn"`
	Docs  int     `json:"docs"`
}

// controlRoutes serves, under /sim/, the controls tests use to change the
// simulator's behaviour: injected codes, token expiry, refresh denial,
// live steps and churn.
func (s *Sim) controlRoutes() {
	s.mux.HandleFunc("POST /sim/inject", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Code, N int }
		if decodeBody(w, r, &in) {
			s.InjectCode(in.Code, in.N)
			writeJSON(w, http.StatusOK, map[string][]int{"pending": s.Injected()})
		}
	})
	s.mux.HandleFunc("POST /sim/expire-tokens", func(w http.ResponseWriter, _ *http.Request) {
		s.ExpireTokens()
		writeJSON(w, http.StatusOK, map[string]bool{"expired": true})
	})
	s.mux.HandleFunc("POST /sim/refresh-denied", s.serveRefreshDenied)
	s.mux.HandleFunc("POST /sim/step", func(w http.ResponseWriter, r *http.Request) {
		in := struct{ N int }{N: 1}
		if decodeBody(w, r, &in) {
			s.Step(in.N)
			writeJSON(w, http.StatusOK, map[string]int{
				"orders":     len(s.Orders()),
				"aftersales": len(s.AfterSales()),
			})
		}
	})
	s.mux.HandleFunc("GET /sim/churn", func(w http.ResponseWriter, r *http.Request) {
		p, docs := s.Churn()
		writeJSON(w, http.StatusOK, churnJSON{p, docs})
	})
	s.mux.HandleFunc("POST /sim/churn", func(w http.ResponseWriter, r *http.Request) {
		var in churnJSON
		if !decodeBody(w, r, &in) {
			return
		}
		if err := s.SetChurn(in.Churn, in.Docs); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		p, docs := s.Churn()
		writeJSON(w, http.StatusOK, churnJSON{p, docs})
	})
}

func (s *Sim) serveRefreshDenied(w http.ResponseWriter, r *http.Request) {
	var in struct{ Denied bool }
	if decodeBody(w, r, &in) {
		s.InjectRefreshDenied(in.Denied)
		writeJSON(w, http.StatusOK, map[string]bool{"denied": in.Denied})
	}
}

// decodeBody reads r's JSON body into v; an empty body leaves v as it is.
// On an error it answers 400 and returns false.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return false
	}
	return true
}
