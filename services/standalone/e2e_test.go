package standalone_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/poller"
	"github.com/orderbridge/orderbridge/services/standalone"
	"github.com/orderbridge/orderbridge/services/transformer"
	"github.com/orderbridge/orderbridge/services/writer"
)

var forms = []string{"SAL_SaleOrder", "SAL_OUTSTOCK", "SAL_RETURNSTOCK", "AR_REFUNDBILL"}

func startSims(t *testing.T, kopts kingdeesim.Options) *standalone.Simulators {
	t.Helper()
	sims, err := standalone.StartSimulators(jstsim.Options{
		Seed: 42, Orders: 300, AfterSales: 120, Shops: 3,
	}, kopts)
	if err != nil {
		t.Fatalf("StartSimulators: %v", err)
	}
	t.Cleanup(sims.Close)
	return sims
}

// pipelineConfig is a fast configuration against the simulators.
func pipelineConfig(sims *standalone.Simulators, store string) standalone.Config {
	env := service.NewEnv(func(k string) (string, bool) {
		v, ok := map[string]string{
			"HTTP_ADDR": "127.0.0.1:0", "GRPC_ADDR": "127.0.0.1:0",
			"LOG_LEVEL": "warn", "SHUTDOWN_TIMEOUT": "20s",
		}[k]
		return v, ok
	})
	cfg := standalone.Config{
		Env:      env,
		StoreDir: store,
		Poller: poller.Config{
			Kinds:    []jst.Kind{jst.KindOrder, jst.KindAfterSale},
			Interval: 200 * time.Millisecond, Overlap: 2 * time.Minute, Lag: time.Second,
			RatePerSec: 5, RatePerMin: 100,
		},
		Transformer:   transformer.Config{Concurrency: 4, Batch: 64},
		Writer:        writer.Config{BatchSize: 50, Concurrency: 8, ClaimTTL: 30 * time.Second},
		Rules:         sims.DemoRules(),
		ProgressEvery: 200 * time.Millisecond,
	}
	sims.PointAt(&cfg.Poller, &cfg.Writer)
	return cfg
}

func runPipeline(t *testing.T, ctx context.Context, cfg standalone.Config) standalone.Summary {
	t.Helper()
	p, err := standalone.NewPipeline(ctx, cfg)
	if err != nil {
		t.Fatalf("NewPipeline: %v", err)
	}
	s, err := p.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return s
}

func TestEndToEndPostsEveryExpectedBillOnce(t *testing.T) {
	sims := startSims(t, kingdeesim.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	s := runPipeline(t, ctx, pipelineConfig(sims, t.TempDir()))
	if ctx.Err() != nil {
		t.Fatalf("pipeline did not drain before the deadline: %v", s)
	}

	want := standalone.ExpectedBills(sims.JST)
	if len(want) < 100 {
		t.Fatalf("only %d expected bills: the seeded data exercises too little", len(want))
	}
	checkKingdee(t, sims, want)
	if s.Posted != len(want) {
		t.Errorf("summary posted %d, want %d (%v)", s.Posted, len(want), s)
	}
	if s.DeadLettered != 0 {
		t.Errorf("summary dead-lettered %d, want 0", s.DeadLettered)
	}
}

func TestRestartMidRunLosesAndRepeatsNothing(t *testing.T) {
	// Slow Kingdee down so that the stop lands mid-run.
	sims := startSims(t, kingdeesim.Options{Latency: 15 * time.Millisecond})
	want := standalone.ExpectedBills(sims.JST)
	store := t.TempDir()

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ctx.Err() == nil {
			if countBills(sims) >= len(want)/3 {
				cancel() // as SIGTERM: the services and the JetStream server stop
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	first := runPipeline(t, ctx, pipelineConfig(sims, store))
	posted := countBills(sims)
	if posted == 0 || posted >= len(want) {
		t.Fatalf("first run posted %d of %d: the stop did not land mid-run", posted, len(want))
	}
	t.Logf("first run stopped after %d of %d bills (%v)", posted, len(want), first)

	ctx2, cancel2 := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel2()
	runPipeline(t, ctx2, pipelineConfig(sims, store))
	if ctx2.Err() != nil {
		t.Fatal("second run did not drain before the deadline")
	}
	checkKingdee(t, sims, want)
}

func countBills(sims *standalone.Simulators) int {
	n := 0
	for _, f := range forms {
		n += len(sims.Kingdee.Bills(f))
	}
	return n
}

// checkKingdee asserts through the Kingdee simulator that every expected
// bill exists exactly once, was saved once, and has the right lines and
// amounts, and that nothing else was posted.
func checkKingdee(t *testing.T, sims *standalone.Simulators, want map[string]standalone.Expected) {
	t.Helper()
	seen := map[string]int{}
	for _, form := range forms {
		for _, b := range sims.Kingdee.Bills(form) {
			seen[b.BillNo]++
			exp, ok := want[b.BillNo]
			if !ok {
				t.Errorf("unexpected bill %s in %s", b.BillNo, form)
				continue
			}
			if b.Saves != 1 {
				t.Errorf("bill %s saved %d times, want 1", b.BillNo, b.Saves)
			}
			if err := standalone.CheckBill(exp, b); err != nil {
				t.Errorf("CheckBill: %v", err)
			}
		}
	}
	for no := range want {
		switch seen[no] {
		case 1:
		case 0:
			t.Errorf("bill %s missing from Kingdee", no)
		default:
			t.Errorf("bill %s posted %d times", no, seen[no])
		}
	}
}
