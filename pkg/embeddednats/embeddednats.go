// Package embeddednats runs a NATS server with JetStream inside the current
// process, storing its streams in a directory on disk.
//
// The standalone orderbridge process uses it when NATS_URL is unset, and tests
// use it to get a real JetStream server on a random loopback port with a
// temporary store. A server started again on the same directory finds its
// streams, consumers and buckets as it left them.
package embeddednats

import (
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Options configures an embedded server. StoreDir is required.
type Options struct {
	// StoreDir holds JetStream's files.
	StoreDir string
	// Host is the address to listen on; default 127.0.0.1.
	Host string
	// Port is the client port; 0 picks a free one.
	Port int
	// Name is the server name; default "orderbridge".
	Name string
	// StartTimeout bounds the wait for the server to accept clients;
	// default 15s.
	StartTimeout time.Duration
}

// Server is a running embedded NATS server.
type Server struct {
	ns *server.Server
}

// Start starts a server and waits until it accepts client connections.
// It returns an error when the options are invalid or the server does not
// come up in time.
func Start(opts Options) (*Server, error) {
	if opts.StoreDir == "" {
		return nil, errors.New("embeddednats: StoreDir is required")
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Name == "" {
		opts.Name = "orderbridge"
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 15 * time.Second
	}
	port := opts.Port
	if port == 0 {
		port = server.RANDOM_PORT
	}

	ns, err := server.NewServer(&server.Options{
		ServerName: opts.Name,
		Host:       opts.Host,
		Port:       port,
		JetStream:  true,
		StoreDir:   opts.StoreDir,
		NoLog:      true,
		NoSigs:     true,
	})
	if err != nil {
		return nil, fmt.Errorf("embeddednats: new server: %w", err)
	}

	go ns.Start()
	if !ns.ReadyForConnections(opts.StartTimeout) {
		ns.Shutdown()
		return nil, fmt.Errorf("embeddednats: not ready after %s", opts.StartTimeout)
	}
	return &Server{ns: ns}, nil
}

// ClientURL is the nats:// address clients connect to.
func (s *Server) ClientURL() string {
	return s.ns.ClientURL()
}

// Shutdown stops the server and waits until it has flushed its store and
// closed every connection.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}
