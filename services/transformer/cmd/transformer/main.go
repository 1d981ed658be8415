// Command transformer maps raw JST documents from JST_RAW to canonical
// documents on CANON. Configuration comes from the environment; see
// README.md.
package main

import (
	"context"

	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/transformer"
)

func main() {
	service.Main("transformer", func(ctx context.Context, env *service.Env) error {
		cfg, err := transformer.LoadConfig(env)
		if err != nil {
			return err
		}
		file, err := cfg.LoadMapping()
		if err != nil {
			return err
		}
		proc, err := service.Boot(ctx, "transformer", env, "")
		if err != nil {
			return err
		}
		t, err := transformer.New(cfg, file, transformer.Deps{
			JS: proc.JS, Publisher: proc.Publisher, Bus: proc.Bus, Topology: proc.Topology,
			Log: proc.Log, Registry: proc.Registry,
		})
		if err != nil {
			return err
		}
		return proc.Run(ctx, service.Worker{Name: "transformer", Run: t.Run})
	})
}
