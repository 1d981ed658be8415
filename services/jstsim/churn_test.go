package jstsim_test

import (
	"bytes"
	"context"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

// TestChurnDefeatsNaivePaging walks a window page by page, as a naive
// poller would, and shows that churn makes it miss documents on both
// gateways, while with no churn it sees every one.
func TestChurnDefeatsNaivePaging(t *testing.T) {
	window := jst.Query{
		ModifiedBegin: t0.Add(-72 * time.Hour),
		ModifiedEnd:   t0,
		PageSize:      20,
	}
	tests := []struct {
		name        string
		churn       float64
		qimen       bool
		wantMissing bool
	}{
		{"no churn", 0, false, false},
		{"churn open api", 1, false, true},
		{"churn qimen", 1, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, jstsim.Options{Seed: 11, Churn: tt.churn})
			before := e.sim.Orders()
			var gw jst.Gateway = e.client
			if tt.qimen {
				gw = e.newQimen(t, nil)
			}

			seen := map[int64]bool{}
			for _, d := range collectGateway(t, gw, jst.KindOrder, window) {
				seen[docID(t, jst.KindOrder, d)] = true
			}
			missing := 0
			for _, o := range before {
				if !seen[o.ID] {
					missing++
				}
			}
			if got := missing > 0; got != tt.wantMissing {
				t.Errorf("naive walk missed %d of %d orders, want missing %v",
					missing, len(before), tt.wantMissing)
			}
			t.Logf("naive walk missed %d of %d orders", missing, len(before))
		})
	}
}

// firstIDs returns the ids of the first n orders as a window query pages
// them: by modified, then id.
func firstIDs(orders []jstsim.Order, keep func(jstsim.Order) bool, n int) map[int64]bool {
	var hits []jstsim.Order
	for _, o := range orders {
		if keep(o) {
			hits = append(hits, o)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if !a.Modified.Equal(b.Modified) {
			return a.Modified.Before(b.Modified)
		}
		return a.ID < b.ID
	})
	out := map[int64]bool{}
	for _, o := range hits[:min(n, len(hits))] {
		out[o.ID] = true
	}
	return out
}

// changed returns the keys whose version differs between two Versions.
func changed(before, after map[string]int64) []string {
	var out []string
	for k, v := range after {
		if before[k] != v {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TestChurnPicksEarlierPages checks that churn changes ChurnDocs documents
// of the pages up to the one asked for, each with modified = now and a new
// highest ts, for window and start_ts queries.
func TestChurnPicksEarlierPages(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 3, Churn: 1, ChurnDocs: 4})
	e.clock.Add(time.Hour)
	now := e.clock.Now()

	begin := t0.Add(-48 * time.Hour)
	var startTS int64
	for _, o := range e.sim.Orders() {
		if o.Modified.After(t0.Add(-24 * time.Hour)) {
			if startTS == 0 || o.TS < startTS {
				startTS = o.TS
			}
		}
	}
	tests := []struct {
		name string
		q    jst.Query
		keep func(jstsim.Order) bool
	}{
		{"window page 3",
			jst.Query{ModifiedBegin: begin, ModifiedEnd: t0, PageIndex: 3, PageSize: 10},
			func(o jstsim.Order) bool { return !o.Modified.Before(begin) && !o.Modified.After(t0) }},
		{"start_ts page 2", jst.Query{StartTS: startTS, PageIndex: 2, PageSize: 15},
			func(o jstsim.Order) bool { return o.TS >= startTS }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.sim.Versions()
			eligible := firstIDs(e.sim.Orders(), tt.keep, tt.q.PageIndex*tt.q.PageSize)
			maxTS := int64(0)
			for _, v := range before {
				maxTS = max(maxTS, v)
			}

			if _, err := e.client.Query(context.Background(), jst.KindOrder, tt.q); err != nil {
				t.Fatal(err)
			}
			moved := changed(before, e.sim.Versions())
			if len(moved) != 4 {
				t.Fatalf("churn changed %v, want 4 documents", moved)
			}
			for _, o := range e.sim.Orders() {
				key := "order." + strconv.FormatInt(o.ID, 10)
				if !contains(moved, key) {
					continue
				}
				if !eligible[o.ID] {
					t.Errorf("churn changed order %d, not on a page up to %d",
						o.ID, tt.q.PageIndex)
				}
				if !o.Modified.Equal(now) || o.TS <= maxTS {
					t.Errorf("churned order %d: modified %s ts %d, want %s and ts > %d",
						o.ID, o.Modified, o.TS, now, maxTS)
				}
			}
		})
	}
}

// TestChurnDeterministic runs the same requests on two simulators of one
// seed and expects the same documents.
func TestChurnDeterministic(t *testing.T) {
	var raws [2][][]byte
	for i := range raws {
		e := newEnv(t, jstsim.Options{Seed: 21, Orders: 120, AfterSales: 40, Churn: 0.7})
		q := jst.Query{ModifiedBegin: t0.Add(-72 * time.Hour), ModifiedEnd: t0, PageSize: 25}
		collect(t, e.client, jst.KindOrder, q)
		collect(t, e.client, jst.KindAfterSale, withPageSize(q, 10))
		for _, o := range e.sim.Orders() {
			raws[i] = append(raws[i], e.sim.Raw("order", o.ID))
		}
		for _, a := range e.sim.AfterSales() {
			raws[i] = append(raws[i], e.sim.Raw("aftersale", a.ID))
		}
	}
	if len(raws[0]) != len(raws[1]) {
		t.Fatalf("%d and %d documents", len(raws[0]), len(raws[1]))
	}
	for i := range raws[0] {
		if !bytes.Equal(raws[0][i], raws[1][i]) {
			t.Fatalf("document %d differs between two runs of one seed", i)
		}
	}
}

func TestSetChurn(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5})
	if err := e.sim.SetChurn(1.5, 0); err == nil {
		t.Error("SetChurn(1.5, 0) = nil, want an error")
	}
	if err := e.sim.SetChurn(0.25, 0); err != nil {
		t.Fatal(err)
	}
	if p, docs := e.sim.Churn(); p != 0.25 || docs != jstsim.DefaultChurnDocs {
		t.Errorf("Churn() = %g, %d, want 0.25, %d", p, docs, jstsim.DefaultChurnDocs)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
