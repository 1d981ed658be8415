// Command jstsim serves the JST open API simulator on a TCP address.
//
// It prints the address it listens on (useful with -addr 127.0.0.1:0) and
// logs with slog; it never logs buyer fields, secrets or tokens.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/orderbridge/orderbridge/services/jstsim"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "jstsim:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	addr      string
	logFormat string
	opts      jstsim.Options
	faults    jstsim.Faults
}

func parseFlags() config {
	var c config
	o, f := &c.opts, &c.faults
	flag.StringVar(&c.addr, "addr", "127.0.0.1:8089", "listen address (port 0 picks one)")
	flag.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")

	flag.Int64Var(&o.Seed, "seed", 1, "seed of the generated data")
	flag.IntVar(&o.Orders, "orders", jstsim.DefaultOrders, "orders to generate")
	flag.IntVar(&o.AfterSales, "aftersales", jstsim.DefaultAfterSales,
		"after-sales to generate")
	flag.IntVar(&o.Shops, "shops", jstsim.DefaultShops, "shops to generate")
	flag.DurationVar(&o.Span, "span", jstsim.DefaultSpan,
		"how far back modified times reach")

	flag.StringVar(&o.AppKey, "app-key", jstsim.DefaultAppKey, "accepted app_key")
	flag.StringVar(&o.AppSecret, "app-secret", jstsim.DefaultAppSecret, "app secret")
	flag.StringVar(&o.AccessToken, "access-token", jstsim.DefaultAccessToken,
		"initial access token")
	flag.StringVar(&o.RefreshToken, "refresh-token", jstsim.DefaultRefreshToken,
		"initial refresh token")
	flag.DurationVar(&o.TokenTTL, "token-ttl", jstsim.DefaultTokenTTL,
		"access token lifetime")
	flag.IntVar(&o.RatePerSecond, "rate-per-sec", 0,
		"requests a second per app key (0: JST's 5, <0: off)")
	flag.IntVar(&o.RatePerMinute, "rate-per-min", 0,
		"requests a minute per app key (0: JST's 100, <0: off)")

	flag.StringVar(&o.QimenAppKey, "qimen-app-key", jstsim.DefaultQimenAppKey,
		"accepted Qimen app_key")
	flag.StringVar(&o.QimenAppSecret, "qimen-app-secret", jstsim.DefaultQimenAppSecret,
		"Qimen app secret")
	flag.StringVar(&o.QimenCustomerID, "qimen-customer-id", jstsim.DefaultQimenCustomerID,
		"accepted Qimen customer_id")

	flag.Float64Var(&o.Churn, "churn", 0,
		"probability a page request first changes documents of earlier pages")
	flag.IntVar(&o.ChurnDocs, "churn-docs", jstsim.DefaultChurnDocs,
		"documents each churn changes")
	flag.BoolVar(&o.Live, "live", false, "keep changing documents (live mode)")
	flag.DurationVar(&o.LiveEvery, "live-every", jstsim.DefaultLiveEvery,
		"interval of live changes")
	flag.IntVar(&o.LivePerTick, "live-per-tick", jstsim.DefaultLivePerTick,
		"changes a live interval")

	flag.DurationVar(&f.Latency, "latency", 0, "added latency of every answer")
	flag.Float64Var(&f.ServerErrorRate, "server-error-rate", 0, "share of HTTP 500 answers")
	flag.Float64Var(&f.MalformedRate, "malformed-rate", 0, "share of truncated answers")
	flag.Parse()
	return c
}

func run() error {
	c := parseFlags()
	log := newLogger(c.logFormat)

	sim := jstsim.New(c.opts)
	if err := sim.SetFaults(c.faults); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Printf("jstsim listening on http://%s\n", ln.Addr())
	log.Info("jstsim started",
		"addr", ln.Addr().String(),
		"seed", c.opts.Seed,
		"orders", len(sim.Orders()),
		"aftersales", len(sim.AfterSales()),
		"shops", len(sim.Shops()),
	)

	srv := &http.Server{
		Handler:           logRequests(log, sim),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if c.opts.Live {
		go sim.RunLive(ctx, c.opts.LiveEvery, c.opts.LivePerTick)
		log.Info("jstsim live mode", "every", c.opts.LiveEvery, "per_tick", c.opts.LivePerTick)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	log.Info("jstsim stopping")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func newLogger(format string) *slog.Logger {
	var h slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if format == "json" {
		h = slog.NewJSONHandler(os.Stderr, nil)
	}
	return slog.New(h)
}

// logRequests logs each request's method, path, status and duration at
// Debug. It logs no form values: they hold the signature and the token.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.Debug("request",
			"method", r.Method,
			"path", r.URL.Path,
			"status", rec.status,
			"duration", time.Since(start),
		)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
