// Package bustest gives tests a real JetStream server: an embedded NATS
// server on a random loopback port with a temporary store, a connection to
// it, and orderbridge's topology in place.
package bustest

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/embeddednats"
)

// Env is a running JetStream server with a client connection.
type Env struct {
	Server   *embeddednats.Server
	Conn     *nats.Conn
	JS       jetstream.JetStream
	StoreDir string
}

// New starts a server with a store in tb.TempDir(), connects to it and
// creates the topology of cfg. Everything is stopped when the test ends.
func New(tb testing.TB, cfg bus.Config) *Env {
	tb.Helper()
	dir := tb.TempDir()
	srv, err := embeddednats.Start(embeddednats.Options{StoreDir: dir})
	if err != nil {
		tb.Fatalf("start embedded NATS: %v", err)
	}
	tb.Cleanup(srv.Shutdown)
	nc, js := Connect(tb, srv.ClientURL())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := bus.EnsureTopology(ctx, js, cfg); err != nil {
		tb.Fatalf("EnsureTopology: %v", err)
	}
	return &Env{Server: srv, Conn: nc, JS: js, StoreDir: dir}
}

// Connect connects to the server at url and returns the connection and
// its JetStream context; the connection closes when the test ends.
func Connect(tb testing.TB, url string) (*nats.Conn, jetstream.JetStream) {
	tb.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		tb.Fatalf("connect %s: %v", url, err)
	}
	tb.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatalf("jetstream: %v", err)
	}
	return nc, js
}

// Settled reports whether the durable consumer has taken every message now
// in its stream and has none left unacknowledged. Pending counts alone are
// not enough: the server updates a consumer's pending count a moment after
// it acknowledges a publish, so a check made right after publishing can
// see zero pending for a message the consumer has not yet been given.
func Settled(ctx context.Context, js jetstream.JetStream, stream, consumer string) bool {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return false
	}
	sinfo, err := s.Info(ctx)
	if err != nil {
		return false
	}
	c, err := s.Consumer(ctx, consumer)
	if err != nil {
		return false
	}
	info, err := c.Info(ctx)
	if err != nil {
		return false
	}
	return info.NumPending == 0 && info.NumAckPending == 0 &&
		info.Delivered.Stream >= sinfo.State.LastSeq
}
