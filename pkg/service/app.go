package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Common is the configuration every process shares.
type Common struct {
	HTTPAddr string // HTTP_ADDR, default :8080
	GRPCAddr string // GRPC_ADDR, default :9090
	LogLevel string // LOG_LEVEL
	// LogFormat is LOG_FORMAT: json (default) or text.
	LogFormat string
	// ShutdownTimeout is SHUTDOWN_TIMEOUT (default 25s): keep it shorter
	// than the pod's termination grace period.
	ShutdownTimeout time.Duration
	// Profiling is HTTP_PPROF (default false): serve Go's runtime profiles
	// under /debug/pprof/ on HTTP_ADDR, for diagnosing CPU and memory.
	Profiling bool
}

// LoadCommon reads the variables of Common.
func LoadCommon(e *Env) Common {
	return Common{
		HTTPAddr:        e.String("HTTP_ADDR", ":8080"),
		GRPCAddr:        e.String("GRPC_ADDR", ":9090"),
		LogLevel:        e.String("LOG_LEVEL", "info"),
		LogFormat:       e.String("LOG_FORMAT", "json"),
		ShutdownTimeout: e.Duration("SHUTDOWN_TIMEOUT", 25*time.Second),
		Profiling:       e.Bool("HTTP_PPROF", false),
	}
}

// Worker is one long-running part of a process. Run returns when ctx is
// cancelled, after finishing or handing back what it holds, or earlier with
// an error that stops the whole process.
type Worker struct {
	Name string
	Run  func(ctx context.Context) error
}

// App runs a process's workers behind its HTTP and gRPC servers.
type App struct {
	Name     string
	Log      *slog.Logger
	Registry *prometheus.Registry
	GRPC     *grpc.Server

	cfg     Common
	mux     *http.ServeMux
	health  *health.Server
	httpLn  net.Listener
	grpcLn  net.Listener
	mu      sync.Mutex
	checks  []readyCheck
	closers []func(context.Context) error
}

type readyCheck struct {
	name string
	fn   func(context.Context) error
}

// NewApp returns an App for the process name. reg is its metrics registry;
// opts configure its gRPC server (credentials, interceptors).
func NewApp(
	name string,
	cfg Common,
	log *slog.Logger,
	reg *prometheus.Registry,
	opts ...grpc.ServerOption,
) *App {
	a := &App{
		Name:     name,
		Log:      log,
		Registry: reg,
		GRPC:     grpc.NewServer(opts...),
		cfg:      cfg,
		mux:      http.NewServeMux(),
		health:   health.NewServer(),
	}
	healthpb.RegisterHealthServer(a.GRPC, a.health)
	a.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)

	a.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	a.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	a.mux.HandleFunc("GET /readyz", a.serveReady)
	if cfg.Profiling {
		a.mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		a.mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		a.mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	return a
}

// Handle adds an HTTP handler on the App's server.
func (a *App) Handle(pattern string, h http.Handler) { a.mux.Handle(pattern, h) }

// AddReadiness adds a check that must pass for /readyz and gRPC health to
// report the process ready.
func (a *App) AddReadiness(name string, fn func(context.Context) error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.checks = append(a.checks, readyCheck{name, fn})
}

// OnStop registers fn to run during shutdown, after the workers and servers
// have stopped. Closers run in reverse order of registration.
func (a *App) OnStop(fn func(context.Context) error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closers = append(a.closers, fn)
}

// Listen binds the HTTP and gRPC addresses. Run calls it when it has not
// been called; call it first to learn the addresses bound to ":0".
func (a *App) Listen() error {
	if a.httpLn != nil {
		return nil
	}
	var err error
	if a.httpLn, err = net.Listen("tcp", a.cfg.HTTPAddr); err != nil {
		return fmt.Errorf("service: listen HTTP_ADDR %s: %w", a.cfg.HTTPAddr, err)
	}
	if a.grpcLn, err = net.Listen("tcp", a.cfg.GRPCAddr); err != nil {
		a.httpLn.Close()
		return fmt.Errorf("service: listen GRPC_ADDR %s: %w", a.cfg.GRPCAddr, err)
	}
	return nil
}

// HTTPAddr is the bound HTTP address, once Listen has run.
func (a *App) HTTPAddr() string { return a.httpLn.Addr().String() }

// GRPCAddr is the bound gRPC address, once Listen has run.
func (a *App) GRPCAddr() string { return a.grpcLn.Addr().String() }

// Run serves HTTP and gRPC and runs the workers until ctx is cancelled or a
// worker fails, then shuts down in order within the shutdown timeout. It
// returns the first worker error, or nil after a clean stop.
func (a *App) Run(ctx context.Context, workers ...Worker) error {
	if err := a.Listen(); err != nil {
		return err
	}
	httpSrv := &http.Server{Handler: a.mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = httpSrv.Serve(a.httpLn) }()
	go func() { _ = a.GRPC.Serve(a.grpcLn) }()
	a.Log.Info("serving", "http", a.HTTPAddr(), "grpc", a.GRPCAddr())

	wctx, stopWorkers := context.WithCancel(ctx)
	defer stopWorkers()
	go a.watchReadiness(wctx)

	errc := make(chan error, len(workers))
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Run(wctx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- fmt.Errorf("%s: %w", w.Name, err)
				stopWorkers()
			}
		}()
	}

	<-wctx.Done()
	a.Log.Info("shutting down", "timeout", a.cfg.ShutdownTimeout)
	a.health.Shutdown()
	deadline, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
	defer cancel()

	waited := make(chan struct{})
	go func() { wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-deadline.Done():
		a.Log.Error("workers did not stop within the shutdown timeout")
	}

	_ = httpSrv.Shutdown(deadline)
	stopGRPC(a.GRPC, deadline)
	a.runClosers(deadline)

	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

func (a *App) runClosers(ctx context.Context) {
	a.mu.Lock()
	closers := a.closers
	a.mu.Unlock()
	for i := len(closers) - 1; i >= 0; i-- {
		if err := closers[i](ctx); err != nil {
			a.Log.Warn("shutdown step failed", "err", err)
		}
	}
}

func stopGRPC(s *grpc.Server, ctx context.Context) {
	done := make(chan struct{})
	go func() { s.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.Stop()
	}
}

// ready runs every readiness check and returns the first failure.
func (a *App) ready(ctx context.Context) error {
	a.mu.Lock()
	checks := a.checks
	a.mu.Unlock()
	for _, c := range checks {
		if err := c.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return nil
}

func (a *App) serveReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := a.ready(ctx); err != nil {
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

// watchReadiness keeps the gRPC health status in step with the checks.
func (a *App) watchReadiness(ctx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		status := healthpb.HealthCheckResponse_SERVING
		if a.ready(cctx) != nil {
			status = healthpb.HealthCheckResponse_NOT_SERVING
		}
		cancel()
		a.health.SetServingStatus("", status)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
