// Command writer posts canonical documents from CANON to Kingdee. Run as
// many replicas as Kingdee can take; they share one durable consumer.
// Configuration comes from the environment; see README.md. The per-form
// bill settings come from the forms section of MAPPING_FILE.
package main

import (
	"context"

	"github.com/orderbridge/orderbridge/pkg/mapping"
	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/writer"
)

func main() {
	service.Main("writer", func(ctx context.Context, env *service.Env) error {
		cfg, err := writer.LoadConfig(env)
		if err != nil {
			return err
		}
		file := mapping.DefaultFile()
		if path := env.String("MAPPING_FILE", ""); path != "" {
			if file, err = mapping.LoadFile(path); err != nil {
				return err
			}
		}
		proc, err := service.Boot(ctx, "writer", env, "")
		if err != nil {
			return err
		}
		w, err := writer.New(ctx, cfg, writer.Deps{
			JS: proc.JS, Publisher: proc.Publisher, Bus: proc.Bus, Topology: proc.Topology,
			Log: proc.Log, Registry: proc.Registry, Settings: file.Settings,
		})
		if err != nil {
			return err
		}
		return proc.Run(ctx, service.Worker{Name: "writer", Run: w.Run})
	})
}
