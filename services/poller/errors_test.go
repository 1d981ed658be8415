package poller

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func smallOptions() jstsim.Options {
	return jstsim.Options{
		Seed: 3, Orders: 60, AfterSales: 20, Span: time.Hour,
		RatePerSecond: -1, RatePerMinute: -1,
	}
}

// requests returns how many requests answered code, over every endpoint.
func requests(p *Poller, code int) float64 {
	n := 0.0
	for _, path := range []string{jst.PathOrders, jst.PathAfterSales} {
		n += testutil.ToFloat64(p.m.requests.WithLabelValues(path, strconv.Itoa(code)))
	}
	return n
}

// waitPaused waits until the merchant-paused gauge is want.
func waitPaused(t *testing.T, p *Poller, want float64) {
	t.Helper()
	if !waitFor(10*time.Second, func() bool {
		return testutil.ToFloat64(p.m.merchantPaused) == want
	}) {
		t.Fatalf("merchant_paused = %v, want %v", testutil.ToFloat64(p.m.merchantPaused), want)
	}
}

// TestErrorCodes shows, per group of JST codes and failures, how the
// poller handles them, and that no page is skipped: every document ends in
// JST_RAW.
func TestErrorCodes(t *testing.T) {
	pausing := []int{jst.CodeBadSign, jst.CodeIPDenied, jst.CodeClockSkew,
		jst.CodeRefreshDenied, jst.CodeNoPermission}

	type tc struct {
		name   string
		before func(r *rig, cfg *Config)
		during func(t *testing.T, r *rig, p *Poller)
	}
	cases := []tc{{
		name: "199 and 200 back off and retry the same page",
		before: func(r *rig, _ *Config) {
			r.sim.InjectCode(jst.CodeRateLimitSec, 3)
			r.sim.InjectCode(jst.CodeRateLimitMin, 2)
		},
		during: func(t *testing.T, r *rig, p *Poller) {
			// The simulator hands out the last code before the poller
			// counts its answer: wait for the count.
			waitFor(5*time.Second, func() bool { return requests(p, 199)+requests(p, 200) >= 5 })
			if got := requests(p, 199) + requests(p, 200); got != 5 {
				t.Errorf("requests answered 199 or 200 = %v, want 5", got)
			}
			if got := testutil.ToFloat64(p.m.merchantPaused); got != 0 {
				t.Errorf("merchant_paused = %v after rate limits, want 0", got)
			}
		},
	}, {
		name:   "100 refreshes the token once, stores it and retries",
		before: func(r *rig, _ *Config) { r.sim.ExpireTokens() },
		during: func(t *testing.T, r *rig, p *Poller) {
			waitFor(5*time.Second, func() bool {
				return testutil.ToFloat64(p.m.refreshes.WithLabelValues("ok")) == 1
			})
			st := storedPair(t, r)
			if st.AccessToken == r.sim.Options().AccessToken || st.Expires.IsZero() {
				t.Errorf("stored token = configured one or no expiry, want the refreshed pair")
			}
		},
	}, {
		name: "100 again after a refresh pauses the merchant",
		before: func(r *rig, _ *Config) {
			r.sim.InjectCode(jst.CodeTokenInvalid, 2)
		},
		during: func(t *testing.T, r *rig, p *Poller) {
			waitPaused(t, p, 1)
			waitPaused(t, p, 0)
		},
	}, {
		name: "a refused refresh pauses the merchant until it works",
		before: func(r *rig, _ *Config) {
			r.sim.ExpireTokens()
			r.sim.InjectRefreshDenied(true)
		},
		during: func(t *testing.T, r *rig, p *Poller) {
			waitPaused(t, p, 1)
			failed := testutil.ToFloat64(p.m.refreshes.WithLabelValues("failed"))
			if failed < 1 {
				t.Errorf("failed refreshes = %v, want at least 1", failed)
			}
			r.sim.InjectRefreshDenied(false)
			waitPaused(t, p, 0)
		},
	}, {
		name: "5xx and malformed answers retry the same page",
		before: func(r *rig, _ *Config) {
			_ = r.sim.SetFaults(jstsim.Faults{ServerErrorRate: 0.3, MalformedRate: 0.2})
		},
		during: func(t *testing.T, r *rig, p *Poller) {
			if !waitFor(10*time.Second, func() bool { return requests(p, -1) >= 5 }) {
				t.Errorf("requests without a JST answer = %v, want some", requests(p, -1))
			}
			_ = r.sim.SetFaults(jstsim.Faults{})
		},
	}, {
		name: "timeouts retry the same page",
		before: func(r *rig, cfg *Config) {
			_ = r.sim.SetFaults(jstsim.Faults{Latency: 150 * time.Millisecond})
		},
		during: func(t *testing.T, r *rig, p *Poller) {
			if !waitFor(10*time.Second, func() bool { return requests(p, -1) >= 3 }) {
				t.Errorf("timed-out requests = %v, want some", requests(p, -1))
			}
			_ = r.sim.SetFaults(jstsim.Faults{})
		},
	}}
	for _, code := range pausing {
		cases = append(cases, tc{
			name:   strconv.Itoa(code) + " pauses the merchant and retries slowly",
			before: func(r *rig, _ *Config) { r.sim.InjectCode(code, 2) },
			during: func(t *testing.T, r *rig, p *Poller) {
				waitPaused(t, p, 1)
				waitPaused(t, p, 0)
				if got := requests(p, code); got != 2 {
					t.Errorf("requests answered %d = %v, want 2 (no loop while paused)",
						code, got)
				}
			},
		})
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, smallOptions(), 0)
			cfg := r.config()
			c.before(r, &cfg)
			p := r.newPollerHTTP(cfg, &http.Client{Timeout: 50 * time.Millisecond})
			stop := run(p)
			defer stop()

			c.during(t, r, p)
			r.settle(p, cfg)
			stop()
			r.checkComplete()
		})
	}
}

// TestRestartUsesStoredToken shows that a poller started after a refresh
// uses the pair in ob-state, not the configured one JST has voided.
func TestRestartUsesStoredToken(t *testing.T) {
	r := newRig(t, smallOptions(), 0)
	cfg := r.config()
	r.sim.ExpireTokens()
	p, _ := r.newPoller(cfg)
	stop := run(p)
	r.settle(p, cfg)
	stop()

	r.sim.Step(10)
	p2, _ := r.newPoller(cfg)
	stop2 := run(p2)
	defer stop2()
	r.settle(p2, cfg)
	if got := requests(p2, jst.CodeTokenInvalid); got != 0 {
		t.Errorf("restarted poller got code 100 %v times, want 0", got)
	}
	stop2()
	r.checkComplete()
}

func storedPair(t *testing.T, r *rig) storedToken {
	t.Helper()
	kv, err := r.bus.JS.KeyValue(context.Background(), bus.BucketState)
	if err != nil {
		t.Fatal(err)
	}
	e, err := kv.Get(context.Background(), tokenKey)
	if err != nil {
		t.Fatalf("get %s: %v", tokenKey, err)
	}
	var st storedToken
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		t.Fatal(err)
	}
	return st
}
