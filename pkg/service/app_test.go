package service

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func TestAppServesHealthAndStopsInOrder(t *testing.T) {
	app := NewApp("test", Common{
		HTTPAddr: "127.0.0.1:0", GRPCAddr: "127.0.0.1:0", ShutdownTimeout: 5 * time.Second,
	}, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())

	var ready atomic.Bool
	app.AddReadiness("topology", func(context.Context) error {
		if !ready.Load() {
			return errors.New("streams missing")
		}
		return nil
	})
	var mu sync.Mutex
	var order []string
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	app.OnStop(func(context.Context) error { note("closer 1"); return nil })
	app.OnStop(func(context.Context) error { note("closer 2"); return nil })

	if err := app.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, Worker{Name: "w", Run: func(ctx context.Context) error {
			<-ctx.Done()
			note("worker")
			return nil
		}})
	}()

	base := "http://" + app.HTTPAddr()
	if code := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d, want 200", code)
	}
	if code := get(t, base+"/readyz"); code != 503 {
		t.Errorf("/readyz before ready = %d, want 503", code)
	}
	ready.Store(true)
	if code := get(t, base+"/readyz"); code != 200 {
		t.Errorf("/readyz when ready = %d, want 200", code)
	}
	if code := get(t, base+"/metrics"); code != 200 {
		t.Errorf("/metrics = %d, want 200", code)
	}

	conn, err := grpc.NewClient(app.GRPCAddr(),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	hc := healthpb.NewHealthClient(conn)
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := hc.Check(ctx, &healthpb.HealthCheckRequest{})
		if err == nil && resp.Status == healthpb.HealthCheckResponse_SERVING {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("gRPC health = %v, %v; want SERVING", resp, err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	want := []string{"worker", "closer 2", "closer 1"}
	if len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
		t.Errorf("shutdown order = %v, want %v", order, want)
	}
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestEnvReportsBadValues(t *testing.T) {
	vals := map[string]string{
		"POLL_INTERVAL": "soon", "WRITER_BATCH_SIZE": "fifty", "OK": "30s",
	}
	e := NewEnv(func(k string) (string, bool) { v, ok := vals[k]; return v, ok })
	if got := e.Duration("OK", 0); got != 30*time.Second {
		t.Errorf("Duration(OK) = %s, want 30s", got)
	}
	e.Duration("POLL_INTERVAL", time.Second)
	e.Int("WRITER_BATCH_SIZE", 50)
	err := e.Err()
	if err == nil {
		t.Fatal("Err() = nil, want errors for POLL_INTERVAL and WRITER_BATCH_SIZE")
	}
	for _, want := range []string{`POLL_INTERVAL="soon"`, `WRITER_BATCH_SIZE="fifty"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Err() = %q, want it to name %s", err, want)
		}
	}
}
