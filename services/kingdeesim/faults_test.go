package kingdeesim_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

func TestServerError(t *testing.T) {
	sim, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, func(cfg *kingdee.Config) { cfg.Auth = kingdee.AuthSignature })
	sim.SetFaults(kingdeesim.Faults{ServerErrorRate: 1})

	_, err := save(t, c, orderBill(t, "JST-1", "SKU-A"))
	var herr *kingdee.HTTPError
	if !errors.Is(err, kingdee.ErrOutcomeUnknown) || !errors.As(err, &herr) || herr.Status != 500 {
		t.Errorf("Save() error %v, want ErrOutcomeUnknown and HTTP 500", err)
	}
	_, err = c.View(context.Background(), "SAL_SaleOrder", "JST-1")
	if !errors.As(err, &herr) || errors.Is(err, kingdee.ErrOutcomeUnknown) {
		t.Errorf("View() error %v, want HTTP 500 without ErrOutcomeUnknown", err)
	}
	if n := sim.Stats()["Save"]["server_error"]; n != 1 {
		t.Errorf("Stats()[Save][server_error] = %d, want 1", n)
	}
}

func TestCallLimit(t *testing.T) {
	sim, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)
	sim.SetFaults(kingdeesim.Faults{CallLimitRate: 1})

	_, err := save(t, c, orderBill(t, "JST-1", "SKU-A"))
	if kerr := kerrOf(t, err); !kerr.Transient() || kerr.MsgCode != 14 {
		t.Errorf("Save() error %v, want transient msgcode 14", err)
	}
	_, err = c.BatchSave(context.Background(), "SAL_SaleOrder",
		kingdee.BatchSaveRequest{Models: []any{orderBill(t, "JST-1", "SKU-A").Model}})
	if kerr := kerrOf(t, err); !kerr.Transient() {
		t.Errorf("BatchSave() error %v, want a transient error for the whole call", err)
	}
}

func TestSessionLoss(t *testing.T) {
	sim, srv := startSim(t, kingdeesim.Options{Seed: 7})
	c := newClient(t, srv.URL, nil)
	ctx := context.Background()
	if err := c.Login(ctx); err != nil {
		t.Fatalf("Login() error %v", err)
	}
	sim.SetFaults(kingdeesim.Faults{SessionLossRate: 1})

	_, err := save(t, c, orderBill(t, "JST-1", "SKU-A"))
	if kerr := kerrOf(t, err); !kerr.SessionLost() {
		t.Errorf("Save() error %v, want SessionLost", err)
	}
	if n := len(sim.Bills("SAL_SaleOrder")); n != 0 {
		t.Errorf("bills = %d, want 0", n)
	}

	sim.SetFaults(kingdeesim.Faults{})
	if _, err := save(t, c, orderBill(t, "JST-1", "SKU-A")); err != nil {
		t.Errorf("Save() once the fault is off error %v", err)
	}
	if n := sim.Stats()["ValidateUser"]["ok"]; n != 2 {
		t.Errorf("logins = %d, want 2 (one re-login after the loss)", n)
	}
}

func TestSessionLossRead(t *testing.T) {
	sim, srv := startSim(t, kingdeesim.Options{Seed: 3})
	c := newClient(t, srv.URL, nil)
	if _, err := save(t, c, orderBill(t, "JST-1", "SKU-A")); err != nil {
		t.Fatalf("Save() error %v", err)
	}
	sim.SetFaults(kingdeesim.Faults{SessionLossRate: 0.5})

	for i := range 20 {
		_, err := c.View(context.Background(), "SAL_SaleOrder", "JST-1")
		var kerr *kingdee.Error
		if err != nil && !(errors.As(err, &kerr) && kerr.SessionLost()) {
			t.Fatalf("View() %d error %v, want success or SessionLost", i, err)
		}
	}
	st := sim.Stats()
	if st["View"]["session_lost"] == 0 || st["View"]["ok"] == 0 {
		t.Errorf("View stats = %v, want both losses and successes", st["View"])
	}
}

func TestCommitNoAnswer(t *testing.T) {
	tests := []struct {
		name string
		hold time.Duration
	}{
		{"closed at once", 0},
		{"held past the client timeout", 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, srv := startSim(t, kingdeesim.Options{})
			c := newClient(t, srv.URL, func(cfg *kingdee.Config) {
				cfg.Timeout = 200 * time.Millisecond
			})
			if err := c.Login(context.Background()); err != nil {
				t.Fatalf("Login() error %v", err)
			}
			sim.SetFaults(kingdeesim.Faults{CommitNoAnswerRate: 1, NoAnswerHold: tt.hold})

			_, err := save(t, c, orderBill(t, "JST-1", "SKU-A"))
			if !errors.Is(err, kingdee.ErrOutcomeUnknown) {
				t.Fatalf("Save() error %v, want ErrOutcomeUnknown", err)
			}
			sim.SetFaults(kingdeesim.Faults{})
			v, err := c.View(context.Background(), "SAL_SaleOrder", "JST-1")
			if err != nil || v.Number != "JST-1" {
				t.Errorf("View() = %+v, %v, want the committed bill", v, err)
			}
		})
	}
}

func TestLatency(t *testing.T) {
	sim, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, func(cfg *kingdee.Config) {
		cfg.Timeout = 50 * time.Millisecond
		cfg.Auth = kingdee.AuthSignature
	})
	sim.SetFaults(kingdeesim.Faults{Latency: 300 * time.Millisecond})

	_, err := c.View(context.Background(), "SAL_SaleOrder", "JST-1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("View() error %v, want a deadline error", err)
	}
}

func TestControlEndpoints(t *testing.T) {
	_, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)
	if _, err := save(t, c, orderBill(t, "JST-1", "SKU-A")); err != nil {
		t.Fatalf("Save() error %v", err)
	}

	resp, err := http.Post(srv.URL+"/sim/faults", "application/json",
		strings.NewReader(`{"latency":"5ms","call_limit_rate":0.25}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /sim/faults = %v, %v, want 200", resp, err)
	}
	resp.Body.Close()

	var f map[string]any
	getJSON(t, srv.URL+"/sim/faults", &f)
	if f["latency"] != "5ms" || f["call_limit_rate"] != 0.25 {
		t.Errorf("GET /sim/faults = %v, want latency 5ms and call limit 0.25", f)
	}

	var bills []kingdeesim.StoredBill
	getJSON(t, srv.URL+"/sim/bills?form=SAL_SaleOrder", &bills)
	if len(bills) != 1 || bills[0].BillNo != "JST-1" || bills[0].Status != "A" {
		t.Errorf("GET /sim/bills = %+v, want JST-1 in status A", bills)
	}
	for form, want := range map[string]int{"SAL_SaleOrder": 1, "SAL_RETURNSTOCK": 0} {
		var count map[string]int
		getJSON(t, srv.URL+"/sim/count?form="+form, &count)
		if count["bills"] != want {
			t.Errorf("GET /sim/count?form=%s = %v, want %d bills", form, count, want)
		}
	}

	resp, err = http.Post(srv.URL+"/sim/faults", "application/json",
		strings.NewReader(`{"latency":"soon"}`))
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST /sim/faults with a bad duration = %v, %v, want 400", resp, err)
	}
	resp.Body.Close()
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: decode: %v", url, err)
	}
}
