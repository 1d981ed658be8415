// Command kingdeesim serves a simulated Kingdee K3Cloud WebAPI over HTTP,
// for running orderbridge with no Kingdee account.
//
// Usage:
//
//	kingdeesim [-addr :8090] [-materials SKU1,SKU2] [-customers C1] [-latency 50ms]
//
// The WebAPI is served under /k3cloud/; GET and POST /sim/faults, GET
// /sim/bills?form= and GET /sim/stats are test endpoints.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

// gcPercent is the simulator's GOGC when the variable is unset. It keeps
// every bill it is sent in memory, so its live heap only grows, and at
// Go's default of 100 each collection rescans all of it: a quarter of its
// CPU while a backlog drains. At 400 it used a fifth less CPU in the load
// benchmark, for heap room a test machine has.
const gcPercent = 400

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	if err := run(); err != nil {
		slog.Error("kingdeesim stopped", "err", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		opts      kingdeesim.Options
		addr      = flag.String("addr", ":8090", "listen address")
		materials = flag.String("materials", "", "extra material numbers, comma separated")
		customers = flag.String("customers", "", "extra customer numbers, comma separated")
		stocks    = flag.String("stocks", "", "extra warehouse numbers, comma separated")
		orgs      = flag.String("orgs", "", "extra organisation numbers, comma separated")
	)
	flag.StringVar(&opts.AcctID, "acct", kingdeesim.DefaultAcctID, "account set id")
	flag.StringVar(&opts.Username, "username", kingdeesim.DefaultUsername, "user name")
	flag.StringVar(&opts.Password, "password", kingdeesim.DefaultPassword, "user password")
	flag.StringVar(&opts.AppID, "app-id", kingdeesim.DefaultAppID, "third-party app id")
	flag.StringVar(&opts.AppSecret, "app-secret", kingdeesim.DefaultAppSecret,
		"third-party app secret")
	flag.DurationVar(&opts.Latency, "latency", 0, "latency added to every call")
	flag.DurationVar(&opts.PerDocLatency, "per-doc-latency", 0,
		"latency added per model or bill number")
	flag.DurationVar(&opts.SessionIdle, "session-idle", kingdeesim.DefaultSessionIdle,
		"idle expiry of a login session")
	flag.Int64Var(&opts.Seed, "seed", 1, "seed of the fault draws")
	flag.Parse()

	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	slog.SetDefault(logger)

	sim := kingdeesim.New(opts)
	sim.AddMaterials(list(*materials)...)
	sim.AddCustomers(list(*customers)...)
	sim.AddStocks(list(*stocks)...)
	sim.AddOrgs(list(*orgs)...)

	srv := &http.Server{Addr: *addr, Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("kingdeesim listening", "addr", *addr)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("kingdeesim shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// list splits a comma-separated flag value, dropping empty items.
func list(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
