package test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/embeddednats"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/admin"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/poller"
	"github.com/orderbridge/orderbridge/services/standalone"
	"github.com/orderbridge/orderbridge/services/transformer"
	"github.com/orderbridge/orderbridge/services/writer"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// exported runs the whole pipeline once against both simulators, with a
// few faults so that error series exist, next to an admin server on the
// same JetStream, and returns every metric family the pipeline serves on
// /metrics and the admin's registry holds. It runs once per test binary.
var exported = sync.OnceValues(runStack)

func runStack() (map[string]*dto.MetricFamily, error) {
	dir, err := tempDir()
	if err != nil {
		return nil, err
	}
	srv, err := embeddednats.Start(embeddednats.Options{StoreDir: dir})
	if err != nil {
		return nil, err
	}
	defer srv.Shutdown()

	sims, err := standalone.StartSimulators(
		jstsim.Options{Seed: 3, Orders: 60, AfterSales: 30, Shops: 3},
		kingdeesim.Options{Faults: kingdeesim.Faults{CallLimitRate: 0.05}},
	)
	if err != nil {
		return nil, err
	}
	defer sims.Close()
	sims.JST.InjectCode(199, 1) // a JST rate limit, so its error series exist

	env := service.NewEnv(func(k string) (string, bool) {
		v, ok := map[string]string{
			"HTTP_ADDR": "127.0.0.1:0", "GRPC_ADDR": "127.0.0.1:0",
			"LOG_LEVEL": "error", "NATS_URL": srv.ClientURL(),
		}[k]
		return v, ok
	})
	rules := sims.DemoRules()
	for id := range rules.Shops { // one unknown shop: dead letters
		delete(rules.Shops, id)
		break
	}
	wantPosted := make(chan struct{})
	var once sync.Once
	cfg := standalone.Config{
		Env: env,
		Poller: poller.Config{
			Kinds:    []jst.Kind{jst.KindOrder, jst.KindAfterSale},
			Interval: 100 * time.Millisecond, Overlap: 2 * time.Minute, Lag: time.Second,
			RatePerSec: 50, RatePerMin: 3000, RetryDelay: 10 * time.Millisecond,
			RetryMaxDelay: 50 * time.Millisecond,
		},
		Transformer:   transformer.Config{Concurrency: 2, Batch: 64},
		Writer:        writer.Config{BatchSize: 20, Concurrency: 4, ClaimTTL: 30 * time.Second},
		Rules:         rules,
		Follow:        true,
		ProgressEvery: 100 * time.Millisecond,
		Progress: func(s standalone.Summary, _ bool) {
			if s.Polled > 0 && s.Polled == s.Transformed+s.Filtered+s.DeadLettered &&
				s.Posted == s.Transformed {
				once.Do(func() { close(wantPosted) })
			}
		},
	}
	sims.PointAt(&cfg.Poller, &cfg.Writer)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	p, err := standalone.NewPipeline(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := p.Listen(); err != nil {
		p.Abort()
		return nil, err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _, _ = p.Run(runCtx) }()
	defer func() { stop(); <-done }()

	select {
	case <-wantPosted:
	case <-ctx.Done():
		return nil, ctx.Err()
	}

	fams, err := scrape(ctx, "http://"+p.HTTPAddr()+"/metrics")
	if err != nil {
		return nil, err
	}
	adminFams, err := adminMetrics(ctx, srv.ClientURL())
	if err != nil {
		return nil, err
	}
	for name, f := range adminFams {
		fams[name] = f
	}
	return fams, nil
}

// adminMetrics gathers the registry of an admin server on the JetStream at
// url, after one reconcile run has been counted.
func adminMetrics(ctx context.Context, url string) (map[string]*dto.MetricFamily, error) {
	nc, err := nats.Connect(url)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	if _, err := admin.New(admin.Deps{
		JS: js, Conn: nc, Publisher: bus.NewPublisher(js, bus.NewMetrics(reg)),
		Registry: reg, Log: slog.New(slog.DiscardHandler),
	}); err != nil {
		return nil, err
	}
	mfs, err := reg.Gather()
	if err != nil {
		return nil, err
	}
	out := map[string]*dto.MetricFamily{}
	for _, f := range mfs {
		out[f.GetName()] = f
	}
	return out, nil
}

func scrape(ctx context.Context, url string) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	return p.TextToMetricFamilies(bytes.NewReader(body))
}

// requireExported returns the exported families or fails t.
func requireExported(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := exported()
	if err != nil {
		t.Fatalf("running the pipeline for its metrics: %v", err)
	}
	return fams
}
