// Command poller polls one JST merchant and publishes its documents to
// JST_RAW. Configuration comes from the environment; see README.md.
package main

import (
	"context"

	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/poller"
)

func main() {
	service.Main("poller", func(ctx context.Context, env *service.Env) error {
		cfg, err := poller.LoadConfig(env)
		if err != nil {
			return err
		}
		proc, err := service.Boot(ctx, "poller", env, "")
		if err != nil {
			return err
		}
		p, err := poller.New(ctx, cfg, poller.Deps{
			JS: proc.JS, Publisher: proc.Publisher, Log: proc.Log, Registry: proc.Registry,
		})
		if err != nil {
			return err
		}
		return proc.Run(ctx, service.Worker{Name: "poller", Run: p.Run})
	})
}
