// Command admin serves orderbridge's admin API (gRPC, on GRPC_ADDR next to
// grpc.health.v1) for obctl, exports the bus and reconcile metrics on
// HTTP_ADDR, and runs the scheduled reconcile. Configuration comes from the
// environment; see README.md.
package main

import (
	"context"

	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/admin"
)

func main() {
	service.Main("admin", run)
}

func run(ctx context.Context, env *service.Env) error {
	cfg, err := admin.LoadConfig(env)
	if err != nil {
		return err
	}
	tlsCfg, err := admin.ServerTLS(cfg)
	if err != nil {
		return err
	}
	mapper, settings, err := admin.LoadMapping(cfg.MappingFile)
	if err != nil {
		return err
	}
	jc, kc, err := admin.Clients(cfg)
	if err != nil {
		return err
	}

	auth := admin.Auth{Token: cfg.Token}
	proc, err := service.Boot(ctx, "admin", env, "", auth.ServerOptions(tlsCfg)...)
	if err != nil {
		return err
	}
	srv, err := admin.New(admin.Deps{
		JS: proc.JS, Conn: proc.Conn, Publisher: proc.Publisher, Topology: proc.Topology,
		Mapper: mapper, Settings: settings, JST: jc, Kingdee: kc,
		Log: proc.Log, Registry: proc.Registry,
	})
	if err != nil {
		return err
	}
	srv.Register(proc.GRPC)

	schedule := admin.Schedule{
		Every: cfg.ReconcileEvery, Window: cfg.ReconcileWindow, Delay: cfg.ReconcileDelay,
	}
	return proc.Run(ctx, service.Worker{
		Name: "reconcile",
		Run:  func(ctx context.Context) error { return srv.RunSchedule(ctx, schedule) },
	})
}
