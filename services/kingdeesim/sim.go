package kingdeesim

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

const (
	pathPrefix  = "/k3cloud/"
	pathSuffix  = ".common.kdsvc"
	authPrefix  = "Kingdee.BOS.WebApi.ServicesStub.AuthService."
	formsPrefix = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService."
)

// Sim is a simulated K3Cloud server. It is safe for concurrent use.
type Sim struct {
	opts Options

	mu       sync.Mutex
	faults   Faults
	rng      *rand.Rand
	sessions map[string]time.Time // session id -> last use
	base     map[string]map[string]bool
	stores   map[string]*store
	nextID   int64
	stats    map[string]map[string]int
}

// New returns a Sim with opts, its defaults filled in.
func New(opts Options) *Sim {
	opts.setDefaults()
	s := &Sim{
		opts:     opts,
		faults:   opts.Faults,
		rng:      rand.New(rand.NewPCG(uint64(opts.Seed), 0x6b696e67646565)),
		sessions: map[string]time.Time{},
		base:     map[string]map[string]bool{},
		stores:   map[string]*store{},
		nextID:   100000,
		stats:    map[string]map[string]int{},
	}
	for kind, numbers := range map[string][]string{
		kindOrg: opts.Orgs, kindCustomer: opts.Customers, kindMaterial: opts.Materials,
		kindUnit: opts.Units, kindStock: opts.Stocks, kindStockStatus: opts.StockStatuses,
		kindCurrency: opts.Currencies, kindBillType: opts.BillTypes,
		kindSettleType: opts.SettleTypes,
	} {
		s.addBase(kind, numbers...)
	}
	for id := range forms {
		s.stores[id] = newStore()
	}
	return s
}

// SetFaults replaces the faults in force.
func (s *Sim) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Stats returns the number of calls by operation (the service method, such
// as "Save") and outcome ("ok", "error", "session_lost", "server_error",
// "call_limit", "no_answer", "login_failed", "bad_request").
func (s *Sim) Stats() map[string]map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]map[string]int, len(s.stats))
	for op, m := range s.stats {
		out[op] = make(map[string]int, len(m))
		for k, v := range m {
			out[op][k] = v
		}
	}
	return out
}

func (s *Sim) count(op, outcome string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stats[op] == nil {
		s.stats[op] = map[string]int{}
	}
	s.stats[op][outcome]++
}

// ServeHTTP serves /k3cloud/... and the test endpoints under /sim/.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/sim/"):
		s.serveControl(w, r)
	case strings.HasPrefix(r.URL.Path, pathPrefix) && strings.HasSuffix(r.URL.Path, pathSuffix):
		s.serveService(w, r)
	default:
		http.NotFound(w, r)
	}
}

// serveService runs one WebAPI call: faults first, then the method.
func (s *Sim) serveService(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	service := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, pathPrefix), pathSuffix)
	method := service[strings.LastIndex(service, ".")+1:]
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return
	}

	f := s.currentFaults()
	if !sleep(r.Context(), s.opts.Latency+f.Latency) {
		return
	}
	if s.draw(f.ServerErrorRate) {
		s.count(method, "server_error")
		http.Error(w, "<html><body>Internal Server Error</body></html>",
			http.StatusInternalServerError)
		return
	}

	switch {
	case strings.HasPrefix(service, authPrefix):
		s.serveLogin(w, r, method, body)
	case strings.HasPrefix(service, formsPrefix):
		s.serveForm(w, r, method, body, f)
	default:
		http.NotFound(w, r)
	}
}

func (s *Sim) currentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// draw reports true with probability p.
func (s *Sim) draw(p float64) bool {
	if p <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Float64() < p
}

// sleep waits d, or less when ctx ends; it reports whether ctx is alive.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// noAnswer holds the connection of a committed write and closes it with no
// answer: after hold, or when the client gives up first.
func noAnswer(w http.ResponseWriter, r *http.Request, hold time.Duration) {
	sleep(r.Context(), hold)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		<-r.Context().Done()
		return
	}
	conn.Close()
}
