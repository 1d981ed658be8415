package service

import (
	"context"
	"fmt"
	"os"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/telemetry"
	"google.golang.org/grpc"
)

// Process is what Boot sets up for a service: its App, logger, metrics
// registry, NATS connection, JetStream with the topology in place, and the
// bus's publisher and metrics.
type Process struct {
	*App
	Env       *Env
	Conn      *nats.Conn
	JS        jetstream.JetStream
	Topology  bus.Config
	Bus       *bus.Metrics
	Publisher *bus.Publisher
}

// Boot reads the common configuration from env, sets up logs, metrics and
// tracing, connects to NATS (natsURL, when not empty, overrides NATS_URL),
// and creates the topology where it is missing, logging any drift. The
// returned process drains its NATS connection and flushes traces on stop.
// opts configure the gRPC server (see NewApp).
func Boot(
	ctx context.Context,
	name string,
	env *Env,
	natsURL string,
	opts ...grpc.ServerOption,
) (*Process, error) {
	common := LoadCommon(env)
	natsCfg := LoadNATS(env)
	topo := LoadTopology(env)
	if err := env.Err(); err != nil {
		return nil, fmt.Errorf("%s: configuration: %w", name, err)
	}
	if natsURL != "" {
		natsCfg.URL = natsURL
	}
	if natsCfg.URL == "" {
		return nil, fmt.Errorf("%s: NATS_URL is required", name)
	}

	log, err := telemetry.NewLogger(os.Stderr, common.LogLevel, common.LogFormat)
	if err != nil {
		return nil, err
	}
	log = log.With("service", name)
	flush, err := telemetry.SetupTracing(ctx, "orderbridge-"+name)
	if err != nil {
		return nil, err
	}
	reg := telemetry.NewRegistry()
	app := NewApp(name, common, log, reg, opts...)
	app.OnStop(flush)

	nc, err := ConnectNATS(natsCfg, "orderbridge-"+name, log)
	if err != nil {
		return nil, err
	}
	app.OnStop(func(ctx context.Context) error { return DrainNATS(ctx, nc) })
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("%s: jetstream: %w", name, err)
	}

	drift, err := bus.EnsureTopology(ctx, js, topo)
	if err != nil {
		return nil, err
	}
	for _, d := range drift {
		log.Warn("topology drift; run obctl topology apply to change it", "drift", d.String())
	}
	app.AddReadiness("jetstream", TopologyCheck(js, topo))

	m := bus.NewMetrics(reg)
	return &Process{
		App: app, Env: env, Conn: nc, JS: js, Topology: topo,
		Bus: m, Publisher: bus.NewPublisher(js, m),
	}, nil
}
