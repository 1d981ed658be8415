// Command standalone runs the whole orderbridge pipeline in one process on
// an embedded JetStream server. With JST_BASE_URL and KINGDEE_BASE_URL unset
// it also runs both ERP simulators, seeded with deterministic data, and
// stops once every document is handled, printing a summary; with both set it
// syncs the real systems until it receives SIGTERM.
//
// Usage:
//
//	standalone [-follow] [-orders N] [-aftersales N] [-shops N] [-seed N]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/poller"
	"github.com/orderbridge/orderbridge/services/standalone"
	"github.com/orderbridge/orderbridge/services/transformer"
	"github.com/orderbridge/orderbridge/services/writer"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "standalone:", err)
		os.Exit(1)
	}
}

func run() error {
	follow := flag.Bool("follow", false, "keep running after every document is handled")
	orders := flag.Int("orders", jstsim.DefaultOrders, "orders the JST simulator seeds")
	afterSales := flag.Int("aftersales", jstsim.DefaultAfterSales, "after-sales it seeds")
	shops := flag.Int("shops", jstsim.DefaultShops, "shops it seeds")
	seed := flag.Int64("seed", 1, "seed of the simulated data")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	env := service.NewEnv(nil)
	pc, err := poller.LoadConfig(env)
	if err != nil {
		return err
	}
	tc, err := transformer.LoadConfig(env)
	if err != nil {
		return err
	}
	wc, err := writer.LoadConfig(env)
	if err != nil {
		return err
	}
	mf, err := tc.LoadMapping()
	if err != nil {
		return err
	}

	cfg := standalone.Config{
		Env: env, Poller: pc, Transformer: tc, Mapping: mf, Writer: wc, Follow: *follow,
	}
	jstURL, kdURL := env.String("JST_BASE_URL", ""), env.String("KINGDEE_BASE_URL", "")
	var expected int
	switch {
	case jstURL == "" && kdURL == "":
		sims, err := standalone.StartSimulators(jstsim.Options{
			Seed: *seed, Orders: *orders, AfterSales: *afterSales, Shops: *shops,
		}, kingdeesim.Options{})
		if err != nil {
			return err
		}
		defer sims.Close()
		sims.PointAt(&cfg.Poller, &cfg.Writer)
		if tc.MappingFile == "" {
			cfg.Rules, cfg.Mapping = sims.DemoRules(), nil
		}
		expected = len(standalone.ExpectedBills(sims.JST))
		fmt.Printf("simulators: JST %s, Kingdee %s; %d orders and %d after-sales seeded, "+
			"%d to sync by the default rules\n",
			sims.JSTURL, sims.KingdeeURL, *orders, *afterSales, expected)
	case jstURL == "" || kdURL == "":
		return errors.New("set both JST_BASE_URL and KINGDEE_BASE_URL to sync for real, " +
			"or neither to run the simulators")
	default:
		cfg.Follow = true
	}

	if env.String("NATS_URL", "") == "" && env.String("NATS_STORE_DIR", "") == "" {
		dir, err := os.MkdirTemp("", "orderbridge-store-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.StoreDir = dir
	}
	cfg.Progress = func(s standalone.Summary, final bool) {
		if final {
			fmt.Println("summary:", s)
			return
		}
		fmt.Println("progress:", s)
	}

	p, err := standalone.NewPipeline(ctx, cfg)
	if err != nil {
		return err
	}
	s, err := p.Run(ctx)
	if err != nil {
		return err
	}
	if expected > 0 && ctx.Err() == nil && s.Posted != expected {
		return fmt.Errorf("posted %d documents, want %d", s.Posted, expected)
	}
	return nil
}
