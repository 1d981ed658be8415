// Command obctl is the command-line client of orderbridge's admin API:
// status, replay, dead letters, pauses, audit, topology, backfill,
// reconcile and preview. Run "obctl help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/orderbridge/orderbridge/services/admin/obctl"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := obctl.Run(ctx, os.Args[1:], obctl.IO{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
	})
	stop()
	os.Exit(code)
}
