// Command writer posts canonical documents from CANON to Kingdee. Run as
// many replicas as Kingdee can take; they share one durable consumer.
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/writer"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "writer:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	env := service.NewEnv(nil)
	cfg, err := writer.LoadConfig(env)
	if err != nil {
		return err
	}
	proc, err := service.Boot(ctx, "writer", env, "")
	if err != nil {
		return err
	}
	w, err := writer.New(ctx, cfg, writer.Deps{
		JS: proc.JS, Publisher: proc.Publisher, Bus: proc.Bus, Topology: proc.Topology,
		Log: proc.Log, Registry: proc.Registry,
	})
	if err != nil {
		return err
	}
	return proc.Run(ctx, service.Worker{Name: "writer", Run: w.Run})
}
