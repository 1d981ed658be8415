package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
)

// NATSConfig is how a process reaches NATS.
type NATSConfig struct {
	URL      string // NATS_URL
	Creds    string // NATS_CREDS: a credentials file
	NKey     string // NATS_NKEY: an nkey seed file
	User     string // NATS_USER
	Password string // NATS_PASSWORD (or NATS_PASSWORD_FILE)
	TLSCA    string // NATS_TLS_CA
	TLSCert  string // NATS_TLS_CERT
	TLSKey   string // NATS_TLS_KEY
	StoreDir string // NATS_STORE_DIR: the embedded server's store (standalone)
}

// LoadNATS reads the NATS_* variables.
func LoadNATS(e *Env) NATSConfig {
	return NATSConfig{
		URL:      e.String("NATS_URL", ""),
		Creds:    e.String("NATS_CREDS", ""),
		NKey:     e.String("NATS_NKEY", ""),
		User:     e.String("NATS_USER", ""),
		Password: e.Secret("NATS_PASSWORD"),
		TLSCA:    e.String("NATS_TLS_CA", ""),
		TLSCert:  e.String("NATS_TLS_CERT", ""),
		TLSKey:   e.String("NATS_TLS_KEY", ""),
		StoreDir: e.String("NATS_STORE_DIR", ""),
	}
}

// LoadTopology reads STREAM_REPLICAS and RAW_MAX_AGE into a bus.Config.
func LoadTopology(e *Env) bus.Config {
	return bus.Config{
		Replicas:      e.Int("STREAM_REPLICAS", 1),
		RawMaxAge:     e.Duration("RAW_MAX_AGE", 30*24*time.Hour),
		MaxAckPending: e.Int("MAX_ACK_PENDING", 8192),
	}.WithDefaults()
}

// ConnectNATS connects to cfg.URL as name, reconnecting for ever, and logs
// disconnections and reconnections.
func ConnectNATS(cfg NATSConfig, name string, log *slog.Logger) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(500 * time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil { // nil: closed on purpose
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("nats reconnected", "url", nc.ConnectedUrlRedacted())
		}),
	}
	switch {
	case cfg.Creds != "":
		opts = append(opts, nats.UserCredentials(cfg.Creds))
	case cfg.NKey != "":
		o, err := nats.NkeyOptionFromSeed(cfg.NKey)
		if err != nil {
			return nil, fmt.Errorf("service: NATS_NKEY: %w", err)
		}
		opts = append(opts, o)
	case cfg.User != "":
		opts = append(opts, nats.UserInfo(cfg.User, cfg.Password))
	}
	if cfg.TLSCA != "" {
		opts = append(opts, nats.RootCAs(cfg.TLSCA))
	}
	if cfg.TLSCert != "" || cfg.TLSKey != "" {
		opts = append(opts, nats.ClientCert(cfg.TLSCert, cfg.TLSKey))
	}

	nc, err := nats.Connect(cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("service: connect to NATS: %w", err)
	}
	return nc, nil
}

// TopologyCheck returns a readiness check that passes once JetStream
// answers and every stream of cfg exists.
func TopologyCheck(js jetstream.JetStream, cfg bus.Config) func(context.Context) error {
	return func(ctx context.Context) error {
		for _, s := range cfg.Streams() {
			if _, err := js.Stream(ctx, s.Name); err != nil {
				return fmt.Errorf("stream %s: %w", s.Name, err)
			}
		}
		return nil
	}
}

// DrainNATS flushes what nc has yet to send (acks above all), drains its
// subscriptions and waits until the connection is closed or ctx ends.
// nats.Conn.Drain alone returns at once and finishes in the background,
// so a process that exits, or stops its embedded server, right after it
// loses the acks still in flight.
func DrainNATS(ctx context.Context, nc *nats.Conn) error {
	if nc.IsClosed() {
		return nil
	}
	if err := nc.FlushWithContext(ctx); err != nil {
		return fmt.Errorf("service: flush NATS: %w", err)
	}
	if err := nc.Drain(); err != nil {
		return fmt.Errorf("service: drain NATS: %w", err)
	}
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for !nc.IsClosed() {
		select {
		case <-ctx.Done():
			nc.Close()
			return fmt.Errorf("service: drain NATS: %w", ctx.Err())
		case <-t.C:
		}
	}
	return nil
}
