package service

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Main is the whole of a service's main function: it runs run with a
// context cancelled on SIGTERM or interrupt and an Env on the process
// environment, and exits with status 1 after printing "<name>: <error>"
// when run fails.
func Main(name string, run func(ctx context.Context, env *Env) error) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	err := run(ctx, NewEnv(nil))
	stop()
	if err == nil {
		return
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, name+":") {
		msg = name + ": " + msg
	}
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}
