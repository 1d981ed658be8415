package writer_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

// TestForcedReplayPostsOnlyWhatKingdeeLacks replays documents the ledger
// holds as posted with Ob-Force: a bill deleted in Kingdee is posted again,
// a bill still there is only looked up.
func TestForcedReplayPostsOnlyWhatKingdeeLacks(t *testing.T) {
	t.Parallel()
	r := newRig(t, kingdeesim.Options{})
	r.start(r.config(nil))
	one, two := order("1", 1, "2"), order("2", 1, "4")
	r.publish(one, two)
	drained(t, r.env.JS, 30*time.Second)

	if _, err := client(t, r).Delete(context.Background(), bill.FormSaleOrder,
		[]string{"JST-1"}); err != nil {
		t.Fatalf("delete JST-1 in Kingdee: %v", err)
	}

	// A plain replay is a duplicate in the ledger: nothing is posted.
	r.publish(one)
	forced(t, r, one, two)
	drained(t, r.env.JS, 30*time.Second)

	got := bills(r.sim, bill.FormSaleOrder)
	if len(got) != 2 {
		t.Fatalf("bills after forced replay = %d, want JST-1 and JST-2", len(got))
	}
	if b := got["JST-1"]; b.Saves != 1 || qtyOf(t, b) != "2" {
		t.Errorf("JST-1 = saves %d qty %s, want posted again once with qty 2",
			b.Saves, qtyOf(t, b))
	}
	if b := got["JST-2"]; b.Saves != 1 {
		t.Errorf("JST-2 saves = %d, want 1: it was in Kingdee and must not be re-posted",
			b.Saves)
	}
}

// forced publishes docs again as obctl replay --force does: fresh message
// ids, Ob-Replay and Ob-Force.
func forced(t *testing.T, r *rig, docs ...*obv1.Document) {
	t.Helper()
	for _, doc := range docs {
		publishAs(t, r.pub, doc, func(key string, hdr nats.Header) string {
			hdr.Set(bus.HeaderReplay, "test")
			hdr.Set(bus.HeaderForce, "true")
			return key + ":replay:" + strconv.FormatInt(time.Now().UnixNano(), 10)
		})
	}
}
