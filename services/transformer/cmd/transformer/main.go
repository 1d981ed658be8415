// Command transformer maps raw JST documents from JST_RAW to canonical
// documents on CANON. Configuration comes from the environment; see
// README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/transformer"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "transformer:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	env := service.NewEnv(nil)
	cfg, err := transformer.LoadConfig(env)
	if err != nil {
		return err
	}
	rules, err := cfg.LoadMapping()
	if err != nil {
		return err
	}
	proc, err := service.Boot(ctx, "transformer", env, "")
	if err != nil {
		return err
	}
	t, err := transformer.New(cfg, rules, transformer.Deps{
		JS: proc.JS, Publisher: proc.Publisher, Bus: proc.Bus, Topology: proc.Topology,
		Log: proc.Log, Registry: proc.Registry,
	})
	if err != nil {
		return err
	}
	return proc.Run(ctx, service.Worker{Name: "transformer", Run: t.Run})
}
