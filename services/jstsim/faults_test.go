package jstsim_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

func TestFaults(t *testing.T) {
	q := jst.Query{StartTS: 1}
	tests := []struct {
		name   string
		faults jstsim.Faults
		check  func(t *testing.T, err error, d time.Duration)
	}{
		{"server errors", jstsim.Faults{ServerErrorRate: 1}, func(t *testing.T, err error,
			_ time.Duration) {
			var he *jst.HTTPError
			if !errors.As(err, &he) || he.Status != http.StatusInternalServerError {
				t.Errorf("Query = %v, want HTTPError 500", err)
			}
		}},
		{"malformed", jstsim.Faults{MalformedRate: 1}, func(t *testing.T, err error,
			_ time.Duration) {
			if !errors.Is(err, jst.ErrMalformed) {
				t.Errorf("Query = %v, want ErrMalformed", err)
			}
		}},
		{"latency", jstsim.Faults{Latency: 60 * time.Millisecond}, func(t *testing.T, err error,
			d time.Duration) {
			if err != nil || d < 60*time.Millisecond {
				t.Errorf("Query = %v after %s, want success after at least 60ms", err, d)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, AfterSales: 2})
			if err := e.sim.SetFaults(tt.faults); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err := e.client.Query(context.Background(), jst.KindOrder, q)
			tt.check(t, err, time.Since(start))
		})
	}
}

func TestFaultRates(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, AfterSales: 2})
	body := `{"latency":"0s","server_error_rate":0.3,"malformed_rate":0.3}`
	resp, err := http.Post(e.srv.URL+"/sim/faults", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /sim/faults: status %d", resp.StatusCode)
	}
	if f := e.sim.Faults(); f.ServerErrorRate != 0.3 || f.MalformedRate != 0.3 {
		t.Fatalf("Faults() = %+v after POST", f)
	}

	var ok, server, malformed int
	for range 200 {
		_, err := e.client.Query(context.Background(), jst.KindOrder, jst.Query{StartTS: 1})
		var he *jst.HTTPError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &he):
			server++
		case errors.Is(err, jst.ErrMalformed):
			malformed++
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	if ok < 60 || server < 30 || malformed < 20 {
		t.Errorf("200 calls: %d ok, %d 500s, %d malformed; want roughly 98, 60, 42",
			ok, server, malformed)
	}

	stats := e.sim.Stats()[jst.PathOrders]
	if stats[0] != ok || stats[jstsim.StatServerError] != server ||
		stats[jstsim.StatMalformed] != malformed {
		t.Errorf("Stats() = %v, want 0:%d -500:%d -1:%d", stats, ok, server, malformed)
	}

	bad := []string{`{"server_error_rate":2}`, `{"latency":"soon"}`, `{"latency":"-1s"}`}
	for _, b := range bad {
		resp, err := http.Post(e.srv.URL+"/sim/faults", "application/json", strings.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("POST /sim/faults %s: status %d, want 400", b, resp.StatusCode)
		}
	}
}

func TestInspectEndpoints(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 2, Orders: 8, AfterSales: 3, Shops: 2})
	get := func(path string, v any) int {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if v != nil && resp.StatusCode == http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
		}
		return resp.StatusCode
	}

	var orders []jstsim.Order
	var afterSales []jstsim.AfterSale
	var shops []jstsim.Shop
	var skus []jstsim.SKU
	get("/sim/orders", &orders)
	get("/sim/aftersales", &afterSales)
	get("/sim/shops", &shops)
	get("/sim/skus", &skus)
	if len(orders) != 8 || len(afterSales) != 3 || len(shops) != 2 || len(skus) == 0 {
		t.Errorf("/sim/ lists: %d orders, %d after-sales, %d shops, %d skus; want 8 3 2 >0",
			len(orders), len(afterSales), len(shops), len(skus))
	}

	var raw map[string]any
	code := get("/sim/raw/order/"+jsonID(orders[0].ID), &raw)
	if code != http.StatusOK || raw["o_id"] == nil {
		t.Errorf("GET /sim/raw/order/%d: status %d, doc %v", orders[0].ID, code, raw)
	}
	if code := get("/sim/raw/order/1", nil); code != http.StatusNotFound {
		t.Errorf("GET /sim/raw/order/1: status %d, want 404", code)
	}
	resp, err := http.Post(e.srv.URL+"/sim/touch/order/"+jsonID(orders[0].ID), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || e.sim.Orders()[0].TS == orders[0].TS {
		t.Errorf("POST /sim/touch: status %d, ts unchanged", resp.StatusCode)
	}
}

func jsonID(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}
