package jstsim

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// Orders returns a snapshot of every order, by ascending id.
func (s *Sim) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.st.orders))
	for _, d := range s.st.orders {
		out = append(out, d.orderSnapshot())
	}
	return out
}

// AfterSales returns a snapshot of every after-sale, by ascending id.
func (s *Sim) AfterSales() []AfterSale {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]AfterSale, 0, len(s.st.afterSales))
	for _, d := range s.st.afterSales {
		out = append(out, d.afterSaleSnapshot())
	}
	return out
}

// Versions returns the current row version (ts) of every document, keyed
// "order.<o_id>" and "aftersale.<as_id>".
func (s *Sim) Versions() map[string]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int64, len(s.st.orders)+len(s.st.afterSales))
	for _, docs := range [][]*doc{s.st.orders, s.st.afterSales} {
		for _, d := range docs {
			out[string(d.kind)+"."+strconv.FormatInt(d.id, 10)] = d.ts
		}
	}
	return out
}

// Shops returns the generated shops.
func (s *Sim) Shops() []Shop {
	return append([]Shop(nil), s.st.shops...)
}

// SKUs returns the generated catalogue, gift SKU excluded.
func (s *Sim) SKUs() []SKU {
	return append([]SKU(nil), s.st.skus...)
}

// Raw returns the JSON of a document exactly as the API serves it now, or
// nil for an unknown kind ("order", "aftersale") or id.
func (s *Sim) Raw(kind string, id int64) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.byID[jst.Kind(kind)][id]
	if !ok {
		return nil
	}
	return append([]byte(nil), d.raw...)
}

// Touch bumps a document's modified time to the simulator's now and gives
// it a new, highest row version (ts), as an edit in JST would. It reports
// false for an unknown kind or id.
func (s *Sim) Touch(kind string, id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.touch(jst.Kind(kind), id, s.opts.Now().In(jst.Beijing))
}

// Stats returns the number of requests answered, by endpoint path and code:
// JST's code, StatMalformed, StatServerError, or minus the HTTP status of a
// request refused before any check.
func (s *Sim) Stats() map[string]map[int]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]map[int]int, len(s.stats))
	for path, codes := range s.stats {
		out[path] = make(map[int]int, len(codes))
		for c, n := range codes {
			out[path][c] = n
		}
	}
	return out
}

// inspectRoutes serves the test access as JSON under /sim/.
func (s *Sim) inspectRoutes() {
	s.mux.HandleFunc("GET /sim/orders", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Orders())
	})
	s.mux.HandleFunc("GET /sim/aftersales", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.AfterSales())
	})
	s.mux.HandleFunc("GET /sim/shops", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Shops())
	})
	s.mux.HandleFunc("GET /sim/skus", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.SKUs())
	})
	s.mux.HandleFunc("GET /sim/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	})
	s.mux.HandleFunc("GET /sim/versions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Versions())
	})
	s.mux.HandleFunc("GET /sim/raw/{kind}/{id}", s.serveRaw)
	s.mux.HandleFunc("POST /sim/touch/{kind}/{id}", s.serveTouch)
	s.mux.HandleFunc("GET /sim/faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Faults())
	})
	s.mux.HandleFunc("POST /sim/faults", s.serveSetFaults)
}

func (s *Sim) serveRaw(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	raw := s.Raw(r.PathValue("kind"), id)
	if err != nil || raw == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such document"})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(raw)
}

func (s *Sim) serveTouch(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || !s.Touch(r.PathValue("kind"), id) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such document"})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(s.Raw(r.PathValue("kind"), id))
}

func (s *Sim) serveSetFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	if err := dec.Decode(&f); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	if err := s.SetFaults(f); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, f)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
