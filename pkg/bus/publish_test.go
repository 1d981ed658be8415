package bus_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/prometheus/client_golang/prometheus"
)

// TestPublishAllStoresInOrder publishes more messages than one window
// holds: every one is stored once, in the order given, and a second
// publish under the same ids is acked as duplicates.
func TestPublishAllStoresInOrder(t *testing.T) {
	t.Parallel()
	env := bustest.New(t, bus.Config{})
	pub := bus.NewPublisher(env.JS, bus.NewMetrics(prometheus.NewRegistry()))
	ctx := context.Background()

	msgs := make([]bus.Outgoing, 2500)
	for i := range msgs {
		id := strconv.Itoa(i)
		msgs[i] = bus.Outgoing{Subject: "jst.raw.order.1", Data: []byte(id), MsgID: "order:" + id + ":1"}
	}
	acks, err := pub.PublishAll(ctx, msgs)
	if err != nil {
		t.Fatal(err)
	}
	for i, ack := range acks {
		if ack.Sequence != uint64(i+1) || ack.Duplicate {
			t.Fatalf("ack %d = seq %d duplicate %v, want seq %d stored", i, ack.Sequence, ack.Duplicate, i+1)
		}
	}
	s, err := env.JS.Stream(ctx, bus.StreamRaw)
	if err != nil {
		t.Fatal(err)
	}
	for _, seq := range []uint64{1, 1001, 2500} {
		m, err := s.GetMsg(ctx, seq)
		if err != nil || string(m.Data) != strconv.Itoa(int(seq-1)) {
			t.Fatalf("message %d = %v %v, want %d", seq, m, err, seq-1)
		}
	}

	acks, err = pub.PublishAll(ctx, msgs[:10])
	if err != nil {
		t.Fatal(err)
	}
	for i, ack := range acks {
		if !ack.Duplicate {
			t.Errorf("second publish of message %d not acked as a duplicate", i)
		}
	}
}

// TestPublishAllReportsAFailedMessage fails when one message of the batch
// has no stream to take it, naming its subject.
func TestPublishAllReportsAFailedMessage(t *testing.T) {
	t.Parallel()
	env := bustest.New(t, bus.Config{})
	pub := bus.NewPublisher(env.JS, bus.NewMetrics(prometheus.NewRegistry()))
	_, err := pub.PublishAll(context.Background(), []bus.Outgoing{
		{Subject: "jst.raw.order.1", Data: []byte("a"), MsgID: "a"},
		{Subject: "nowhere.at.all", Data: []byte("b"), MsgID: "b"},
		{Subject: "jst.raw.order.1", Data: []byte("c"), MsgID: "c"},
	})
	if err == nil || !strings.Contains(err.Error(), "nowhere.at.all") {
		t.Fatalf("err = %v, want one naming nowhere.at.all", err)
	}
}
