package jstsim_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

// TestInjectCode injects every code JST is known to answer on both
// gateways: the next n queries answer it, the one after succeeds.
func TestInjectCode(t *testing.T) {
	codes := []int{
		jst.CodeBadSign, jst.CodeTokenInvalid, jst.CodeIPDenied, jstsim.CodeBadParam,
		jst.CodeClockSkew, jst.CodeRefreshDenied, jst.CodeNoPermission,
		jst.CodeRateLimitSec, jst.CodeRateLimitMin,
	}
	for _, gateway := range []string{jst.GatewayOpenAPI, jst.GatewayQimen} {
		for _, code := range codes {
			t.Run(gateway+"/"+strconv.Itoa(code), func(t *testing.T) {
				e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, AfterSales: 2})
				var gw jst.Gateway = e.client
				if gateway == jst.GatewayQimen {
					gw = e.newQimen(t, nil)
				}
				e.sim.InjectCode(code, 2)

				for i := range 2 {
					_, err := gw.Query(context.Background(), jst.KindAfterSale,
						jst.Query{StartTS: 1})
					var apiErr *jst.APIError
					if !errors.As(err, &apiErr) || apiErr.Code != code || apiErr.Msg == "" {
						t.Fatalf("query %d = %v, want code %d with a message", i, err, code)
					}
				}
				if _, err := gw.Query(context.Background(), jst.KindAfterSale,
					jst.Query{StartTS: 1}); err != nil {
					t.Errorf("query after the injection = %v, want success", err)
				}
			})
		}
	}
}

func TestInjectCodeQueues(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5})
	e.sim.InjectCode(jst.CodeRateLimitSec, 2)
	e.sim.InjectCode(jst.CodeTokenInvalid, 1)
	if got := e.sim.Injected(); len(got) != 3 || got[2] != jst.CodeTokenInvalid {
		t.Fatalf("Injected() = %v, want [199 199 100]", got)
	}
	var got []int
	for range 4 {
		_, err := e.client.Query(context.Background(), jst.KindOrder, jst.Query{StartTS: 1})
		got = append(got, max(apiCode(err), 0))
	}
	if want := []int{199, 199, 100, 0}; !equalInts(got, want) {
		t.Errorf("codes = %v, want %v", got, want)
	}

	e.sim.InjectCode(jst.CodeBadSign, 5)
	e.sim.InjectCode(0, 0)
	if got := e.sim.Injected(); len(got) != 0 {
		t.Errorf("Injected() after clearing = %v, want none", got)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestExpireTokensThenRefresh(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5})
	ctx := context.Background()
	q := jst.Query{StartTS: 1}
	qc := e.newQimen(t, nil)

	e.sim.ExpireTokens()
	_, err := e.client.Query(ctx, jst.KindOrder, q)
	var apiErr *jst.APIError
	if !errors.As(err, &apiErr) || !apiErr.TokenInvalid() {
		t.Fatalf("Query after ExpireTokens = %v, want code 100", err)
	}
	if _, err := qc.Query(ctx, jst.KindOrder, q); err != nil {
		t.Errorf("Qimen Query after ExpireTokens = %v, want success (no token)", err)
	}

	e.sim.InjectRefreshDenied(true)
	_, err = e.client.RefreshToken(ctx, jstsim.DefaultRefreshToken)
	if !errors.As(err, &apiErr) || apiErr.Code != jst.CodeRefreshDenied ||
		!apiErr.MerchantWide() {
		t.Fatalf("RefreshToken while denied = %v, want merchant-wide code 150", err)
	}

	e.sim.InjectRefreshDenied(false)
	if _, err := e.client.RefreshToken(ctx, jstsim.DefaultRefreshToken); err != nil {
		t.Fatalf("RefreshToken: %v", err)
	}
	if _, err := e.client.Query(ctx, jst.KindOrder, q); err != nil {
		t.Errorf("Query with the refreshed token = %v, want success", err)
	}
}

// TestControlEndpoints drives the same controls over HTTP.
func TestControlEndpoints(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, AfterSales: 1})
	ctx := context.Background()
	q := jst.Query{StartTS: 1}
	post := func(path, body string) int {
		t.Helper()
		resp, err := http.Post(e.srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	if st := post("/sim/inject", `{"code":110,"n":1}`); st != http.StatusOK {
		t.Fatalf("POST /sim/inject = %d", st)
	}
	if _, err := e.client.Query(ctx, jst.KindOrder, q); apiCode(err) != jst.CodeIPDenied {
		t.Errorf("Query after /sim/inject = %v, want code 110", err)
	}

	post("/sim/expire-tokens", "")
	if _, err := e.client.Query(ctx, jst.KindOrder, q); apiCode(err) != jst.CodeTokenInvalid {
		t.Errorf("Query after /sim/expire-tokens = %v, want code 100", err)
	}
	post("/sim/refresh-denied", `{"denied":true}`)
	if _, err := e.client.RefreshToken(ctx, jstsim.DefaultRefreshToken); apiCode(err) != 150 {
		t.Errorf("RefreshToken after /sim/refresh-denied = %v, want code 150", err)
	}

	before := len(e.sim.Versions())
	post("/sim/step", `{"n":40}`)
	if after := len(e.sim.Versions()); after <= before {
		t.Errorf("documents after /sim/step: %d, want more than %d", after, before)
	}

	if st := post("/sim/churn", `{"churn":2}`); st != http.StatusBadRequest {
		t.Errorf("POST /sim/churn 2 = %d, want 400", st)
	}
	if st := post("/sim/churn", `{"churn":0.5,"docs":7}`); st != http.StatusOK {
		t.Errorf("POST /sim/churn = %d, want 200", st)
	}
	if p, docs := e.sim.Churn(); p != 0.5 || docs != 7 {
		t.Errorf("Churn() = %g, %d, want 0.5, 7", p, docs)
	}

	resp, err := http.Get(e.srv.URL + "/sim/versions")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var versions map[string]int64
	if err := json.NewDecoder(resp.Body).Decode(&versions); err != nil {
		t.Fatal(err)
	}
	if len(versions) != len(e.sim.Versions()) {
		t.Errorf("GET /sim/versions has %d keys, want %d", len(versions), len(e.sim.Versions()))
	}
}
