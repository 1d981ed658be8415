package standalone

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/embeddednats"
	"github.com/orderbridge/orderbridge/pkg/mapping"
	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/poller"
	"github.com/orderbridge/orderbridge/services/transformer"
	"github.com/orderbridge/orderbridge/services/writer"
)

// Config configures a Pipeline.
type Config struct {
	// Env supplies every setting not given here (HTTP_ADDR, LOG_LEVEL,
	// NATS_URL, NATS_STORE_DIR, ...).
	Env *service.Env
	// StoreDir is the embedded server's store; it overrides NATS_STORE_DIR.
	StoreDir string

	Poller      poller.Config
	Transformer transformer.Config
	Rules       mapping.Rules
	Writer      writer.Config
	// Settings are the Kingdee form settings; nil means the defaults.
	Settings bill.Settings
	// Mapping, when set, is the loaded MAPPING_FILE; it replaces Rules and
	// Settings, and the transformer reloads the file when it changes.
	Mapping *mapping.File
	// HTTPClient is used for both ERPs; nil means the clients' defaults.
	HTTPClient *http.Client

	// Follow keeps the pipeline running once it has drained.
	Follow bool
	// Progress, when set, gets the running figures every ProgressEvery
	// (default 1s) and once more at the end.
	Progress      func(s Summary, final bool)
	ProgressEvery time.Duration
}

// Pipeline is the poller, transformer and writer in one process, on an
// embedded JetStream server or on NATS_URL.
type Pipeline struct {
	cfg   Config
	proc  *service.Process
	nats  *embeddednats.Server
	poll  *poller.Poller
	trans *transformer.Transformer
	write *writer.Writer
	start time.Time
}

// NewPipeline starts the embedded JetStream server when NATS_URL is unset,
// boots the process and builds the three services. Call Run, or Abort when
// Run will not be called.
func NewPipeline(ctx context.Context, cfg Config) (*Pipeline, error) {
	p := &Pipeline{cfg: cfg, start: time.Now()}
	url := cfg.Env.String("NATS_URL", "")
	if url == "" {
		dir := cfg.StoreDir
		if dir == "" {
			dir = cfg.Env.String("NATS_STORE_DIR", "")
		}
		if dir == "" {
			return nil, errors.New("standalone: NATS_STORE_DIR is required without NATS_URL")
		}
		srv, err := embeddednats.Start(embeddednats.Options{StoreDir: dir})
		if err != nil {
			return nil, err
		}
		p.nats, url = srv, srv.ClientURL()
	}

	proc, err := service.Boot(ctx, "standalone", cfg.Env, url)
	if err != nil {
		p.Abort()
		return nil, err
	}
	p.proc = proc
	if err := p.build(ctx); err != nil {
		p.Abort()
		return nil, err
	}
	return p, nil
}

func (p *Pipeline) build(ctx context.Context) error {
	proc := p.proc
	log := proc.Log
	var err error
	p.poll, err = poller.New(ctx, p.cfg.Poller, poller.Deps{
		JS: proc.JS, Publisher: proc.Publisher, Log: log.With("component", "poller"),
		Registry: proc.Registry, HTTPClient: p.cfg.HTTPClient,
	})
	if err != nil {
		return err
	}
	file := p.cfg.Mapping
	if file == nil {
		if file, err = mapping.NewFile(p.cfg.Rules, p.cfg.Settings); err != nil {
			return err
		}
	}
	p.trans, err = transformer.New(p.cfg.Transformer, file, transformer.Deps{
		JS: proc.JS, Publisher: proc.Publisher, Bus: proc.Bus, Topology: proc.Topology,
		Log: log.With("component", "transformer"), Registry: proc.Registry,
	})
	if err != nil {
		return err
	}
	wcfg := p.cfg.Writer
	wcfg.Kingdee.HTTPClient = p.cfg.HTTPClient
	p.write, err = writer.New(ctx, wcfg, writer.Deps{
		JS: proc.JS, Publisher: proc.Publisher, Bus: proc.Bus, Topology: proc.Topology,
		Log: log.With("component", "writer"), Registry: proc.Registry,
		Settings: file.Settings,
	})
	return err
}

// Abort stops what NewPipeline started, for a pipeline that will not run.
func (p *Pipeline) Abort() {
	if p.proc != nil {
		p.proc.Conn.Close()
	}
	if p.nats != nil {
		p.nats.Shutdown()
	}
}

// HTTPAddr and GRPCAddr are the bound addresses.
func (p *Pipeline) HTTPAddr() string { return p.proc.HTTPAddr() }

// GRPCAddr is the bound gRPC address.
func (p *Pipeline) GRPCAddr() string { return p.proc.GRPCAddr() }

// Listen binds the HTTP and gRPC addresses before Run.
func (p *Pipeline) Listen() error { return p.proc.Listen() }

// Run runs the pipeline until ctx is cancelled or, without Follow, until
// every document the poller has found has been handled, then shuts down in
// order: services, servers, NATS connection, JetStream server. It returns
// the figures of this run.
func (p *Pipeline) Run(ctx context.Context) (Summary, error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()

	watch := service.Worker{Name: "watch", Run: func(ctx context.Context) error {
		p.watch(ctx, stop)
		return nil
	}}
	err := p.proc.Run(ctx,
		service.Worker{Name: "poller", Run: p.poll.Run},
		service.Worker{Name: "transformer", Run: p.trans.Run},
		service.Worker{Name: "writer", Run: p.write.Run},
		watch,
	)
	if p.nats != nil {
		p.nats.Shutdown()
	}
	s := p.summary()
	if p.cfg.Progress != nil {
		p.cfg.Progress(s, true)
	}
	return s, err
}

// watch reports progress and, without Follow, calls done once drained.
func (p *Pipeline) watch(ctx context.Context, done func()) {
	every := p.cfg.ProgressEvery
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var last Summary
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if s := p.summary(); p.cfg.Progress != nil && !s.sameCounts(last) {
			p.cfg.Progress(s, false)
			last = s
		}
		if !p.cfg.Follow && p.drained(ctx) {
			done()
			return
		}
	}
}

// drained reports whether the poller has caught up with the time the
// pipeline started and both consumers have nothing pending or unacked.
// Stages are read upstream first: each publishes before it acks, so an
// empty upstream consumer means its output is already in the next stream.
func (p *Pipeline) drained(ctx context.Context) bool {
	// Windows end on whole seconds.
	if !p.poll.CaughtUp(p.start.Add(-p.cfg.Poller.Lag).Truncate(time.Second)) {
		return false
	}
	for _, c := range []struct{ stream, name string }{
		{bus.StreamRaw, bus.ConsumerTransformer},
		{bus.StreamCanon, bus.ConsumerWriter},
	} {
		cons, err := p.proc.JS.Consumer(ctx, c.stream, c.name)
		if err != nil {
			return false
		}
		info, err := cons.Info(ctx)
		if err != nil || info.NumPending > 0 || info.NumAckPending > 0 {
			return false
		}
	}
	return true
}

// String formats a summary as one line.
func (s Summary) String() string {
	return fmt.Sprintf(
		"polled %d, transformed %d, filtered %d, posted %d, dead-lettered %d, elapsed %s",
		s.Polled, s.Transformed, s.Filtered, s.Posted, s.DeadLettered,
		s.Elapsed.Round(100*time.Millisecond))
}
