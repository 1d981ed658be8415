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
