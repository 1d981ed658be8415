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
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		srv.Shutdown()
		tb.Fatalf("connect: %v", err)
	}
	tb.Cleanup(func() {
		nc.Close()
		srv.Shutdown()
	})
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatalf("jetstream: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := bus.EnsureTopology(ctx, js, cfg); err != nil {
		tb.Fatalf("EnsureTopology: %v", err)
	}
	return &Env{Server: srv, Conn: nc, JS: js, StoreDir: dir}
}
