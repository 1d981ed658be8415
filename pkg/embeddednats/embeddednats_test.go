package embeddednats

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func TestRestartKeepsStreams(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	publish := func() uint64 {
		s, err := Start(Options{StoreDir: dir})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		defer s.Shutdown()
		nc, err := nats.Connect(s.ClientURL())
		if err != nil {
			t.Fatalf("Connect: %v", err)
		}
		defer nc.Close()
		js, _ := jetstream.New(nc)
		_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
			Name:     "T",
			Subjects: []string{"t.>"},
			Storage:  jetstream.FileStorage,
		})
		if err != nil {
			t.Fatalf("CreateStream: %v", err)
		}
		ack, err := js.Publish(ctx, "t.a", []byte("x"))
		if err != nil {
			t.Fatalf("Publish: %v", err)
		}
		return ack.Sequence
	}

	if got := publish(); got != 1 {
		t.Fatalf("first run sequence = %d, want 1", got)
	}
	if got := publish(); got != 2 {
		t.Fatalf("after restart sequence = %d, want 2 (store lost?)", got)
	}
}

func TestStartNeedsStoreDir(t *testing.T) {
	if _, err := Start(Options{}); err == nil {
		t.Fatal("Start(Options{}) = nil error, want one naming StoreDir")
	}
}
