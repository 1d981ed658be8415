package ledger_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/pkg/ledger"
)

func TestPutIsCompareAndSet(t *testing.T) {
	env := bustest.New(t, bus.Config{})
	ctx := context.Background()
	l, err := ledger.Open(ctx, env.JS, bus.BucketLedger)
	if err != nil {
		t.Fatal(err)
	}

	claim := ledger.Entry{State: ledger.Claimed, Owner: "w1", Expiry: time.Now().Add(time.Minute)}
	rev, err := l.Put(ctx, "order.1", claim, 0)
	if err != nil {
		t.Fatalf("first claim: %v", err)
	}
	if _, err := l.Put(ctx, "order.1", ledger.Entry{State: ledger.Claimed, Owner: "w2"}, 0); !errors.Is(err, ledger.ErrConflict) {
		t.Errorf("second create = %v, want ErrConflict", err)
	}
	saved := ledger.Entry{State: ledger.Saved, FID: 7, BillNo: "JST-1", Version: 3, Hash: "h"}
	if _, err := l.Put(ctx, "order.1", saved, rev); err != nil {
		t.Fatalf("update at current revision: %v", err)
	}
	if _, err := l.Put(ctx, "order.1", claim, rev); !errors.Is(err, ledger.ErrConflict) {
		t.Errorf("update at stale revision = %v, want ErrConflict", err)
	}

	got, _, err := l.Get(ctx, "order.1")
	if err != nil || got.FID != 7 || !got.Holds(3, "h", ledger.Saved) {
		t.Errorf("Get = %+v, %v; want the saved entry", got, err)
	}
	if got.Holds(3, "h", ledger.Audited) {
		t.Error("a saved entry claims to hold an audited bill")
	}
}

func TestClaimLifecycle(t *testing.T) {
	now := time.Now()
	later := now.Add(time.Minute)
	saved := ledger.Entry{State: ledger.Saved, FID: 7, BillNo: "JST-1", Version: 1, Hash: "a"}

	tests := []struct {
		name                  string
		e                     ledger.Entry
		state                 ledger.State
		uncertain, live       bool
		pendingHash, billHash string
	}{
		{"new claim", ledger.Entry{}.Claim("w1", later, 1, "a"),
			ledger.Claimed, true, true, "a", ""},
		{"claim over a saved bill", saved.Claim("w1", later, 2, "b"),
			ledger.Saved, true, true, "b", "a"},
		{"claim over an uncertain write of other content",
			ledger.Entry{}.Claim("w1", later, 1, "a").Abandoned().Claim("w2", later, 2, "b"),
			ledger.Claimed, true, true, ledger.AnyContent, ""},
		{"claim over an uncertain write of the same content",
			ledger.Entry{}.Claim("w1", later, 1, "a").Abandoned().Claim("w2", later, 1, "a"),
			ledger.Claimed, true, true, "a", ""},
		{"resume for the steps", saved.Resume("w1", later),
			ledger.Saved, false, true, "", "a"},
		{"abandoned after an unknown outcome",
			ledger.Entry{}.Claim("w1", later, 1, "a").Abandoned(),
			ledger.Claimed, true, false, "a", ""},
		{"released", saved.Claim("w1", later, 2, "b").Released(),
			ledger.Saved, false, false, "", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.e
			if e.State != tt.state || e.Uncertain() != tt.uncertain || e.Live(now) != tt.live ||
				e.PendingHash != tt.pendingHash || e.Hash != tt.billHash {
				t.Errorf("entry = %+v: state %s uncertain %v live %v; want %s %v %v, "+
					"pending %q, hash %q", e, e.State, e.Uncertain(), e.Live(now),
					tt.state, tt.uncertain, tt.live, tt.pendingHash, tt.billHash)
			}
			if e.Live(later.Add(time.Second)) {
				t.Errorf("claim of %+v is live after its expiry", e)
			}
		})
	}
}

// TestPutAllIsCompareAndSetPerWrite sends creates and updates together:
// each succeeds or conflicts on its own, and what succeeded reads back.
func TestPutAllIsCompareAndSetPerWrite(t *testing.T) {
	env := bustest.New(t, bus.Config{})
	ctx := context.Background()
	l, err := ledger.Open(ctx, env.JS, bus.BucketLedger)
	if err != nil {
		t.Fatal(err)
	}
	taken, err := l.Put(ctx, "order.2", ledger.Entry{State: ledger.Claimed, Owner: "other"}, 0)
	if err != nil {
		t.Fatal(err)
	}

	saved := ledger.Entry{State: ledger.Saved, BillNo: "JST-1", FID: 9, Version: 2, Hash: "h"}
	ws := []ledger.Write{
		{Key: "order.1", Entry: saved},                   // new: created
		{Key: "order.2", Entry: saved},                   // exists: conflict
		{Key: "order.2", Entry: saved, Rev: taken},       // at its revision: updated
		{Key: "order.3", Entry: saved, Rev: taken + 100}, // no such revision: conflict
	}
	revs, errs := l.PutAll(ctx, ws)
	wantConflict := []bool{false, true, false, true}
	for i, want := range wantConflict {
		if got := errors.Is(errs[i], ledger.ErrConflict); got != want || (!want && errs[i] != nil) {
			t.Errorf("write %d (%s at %d): err = %v, want conflict %v", i, ws[i].Key, ws[i].Rev, errs[i], want)
		}
		if !want && revs[i] == 0 {
			t.Errorf("write %d: revision 0, want the new one", i)
		}
	}
	for _, key := range []string{"order.1", "order.2"} {
		got, rev, err := l.Get(ctx, key)
		if err != nil || !got.Holds(2, "h", ledger.Saved) || got.FID != 9 {
			t.Errorf("Get(%s) = %+v at %d, %v; want the saved entry", key, got, rev, err)
		}
	}
	if _, rev, _ := l.Get(ctx, "order.3"); rev != 0 {
		t.Errorf("order.3 has revision %d, want none", rev)
	}
}
