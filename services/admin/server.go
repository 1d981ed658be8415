package admin

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/mapping"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
)

// Deps are what a Server needs from its process.
type Deps struct {
	JS   jetstream.JetStream
	Conn *nats.Conn
	// Publisher publishes replays, redrives and audit records.
	Publisher *bus.Publisher
	Topology  bus.Config
	// Mapper maps documents with the rules in force, for preview and
	// reconcile; nil means the built-in rules.
	Mapper *mapping.Mapper
	// Settings are the Kingdee form settings; nil means the defaults.
	Settings bill.Settings
	// JST and Kingdee are read-only clients for reconcile; nil leaves
	// reconcile refused with ErrNotConfigured.
	JST     *jst.Client
	Kingdee *kingdee.Client
	// BillPrefix starts every bill number orderbridge makes; reconcile
	// looks for extra bills among those (default "JST-").
	BillPrefix string
	Log        *slog.Logger
	// Registry receives the bus and reconcile metrics; nil keeps them
	// unexported.
	Registry prometheus.Registerer
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Server implements orderbridge.admin.v1.AdminService.
type Server struct {
	adminv1.UnimplementedAdminServiceServer

	d      Deps
	mapper *mapping.Mapper
	m      *metrics
}

// New returns a Server. It returns an error when a required dependency is
// missing or the rules are invalid.
func New(d Deps) (*Server, error) {
	if d.JS == nil || d.Conn == nil || d.Publisher == nil {
		return nil, errors.New("admin: JS, Conn and Publisher are required")
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Settings == nil {
		d.Settings = bill.DefaultSettings()
	}
	d.Topology = d.Topology.WithDefaults()
	if d.Mapper == nil {
		mp, err := mapping.New(mapping.DefaultRules())
		if err != nil {
			return nil, fmt.Errorf("admin: %w", err)
		}
		d.Mapper = mp
	}
	s := &Server{d: d}
	s.m = newMetrics(d.Registry, s.collectBus)
	return s, nil
}

// Register adds the admin API to g.
func (s *Server) Register(g *grpc.Server) {
	adminv1.RegisterAdminServiceServer(g, s)
}
