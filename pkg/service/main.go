package service

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
)

// Main is the whole of a service's main function: it runs run with a
// context cancelled on SIGTERM or interrupt and an Env on the process
// environment, and exits with status 1 after printing "<name>: <error>"
// when run fails. Unless GOGC is set, the garbage collector runs at
// DefaultGCPercent.
func Main(name string, run func(ctx context.Context, env *Env) error) {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(DefaultGCPercent)
	}
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

// DefaultGCPercent is the services' GOGC when the variable is unset. The
// services keep little live memory (a few tens of MiB while a backlog
// drains), so collecting when the heap has tripled rather than doubled
// costs a few MiB and saves about a tenth of their CPU. GOMEMLIMIT, when
// set (to most of the container's limit), still bounds the heap.
const DefaultGCPercent = 200
