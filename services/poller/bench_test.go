package poller

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// BenchmarkBackfill20kOrders backfills 20,000 orders over a quiet range
// through jstsim with JST's real limits (5 a second, 100 a minute) and the
// client limiter at the same figures, and reports the documents read a
// minute as a share of what the limits allow: 100 pages a minute of 100
// orders. It takes over two minutes; make bench runs it, make test does not.
func BenchmarkBackfill20kOrders(b *testing.B) {
	const orders = 20000
	for range b.N {
		ratio, pagesPerMin := backfillOnce(b, orders)
		b.ReportMetric(ratio, "of-limit")
		b.ReportMetric(pagesPerMin, "pages/min")
	}
}

func backfillOnce(b *testing.B, orders int) (ratio, pagesPerMin float64) {
	b.StopTimer()
	r := newRig(b, jstsim.Options{
		Seed: 9, Orders: orders, AfterSales: 1, Span: 48 * time.Hour,
		Now: time.Now, // the real clock and the real limits
	}, 0)
	cfg := r.config()
	cfg.Kinds = []jst.Kind{jst.KindOrder}
	cfg.StartTime = time.Now() // live polling stays idle: a quiet range
	cfg.Interval, cfg.Lag = time.Minute, 10*time.Second
	cfg.RatePerSec, cfg.RatePerMin = 5, 100
	cfg.RetryDelay = 500 * time.Millisecond
	p, err := New(context.Background(), cfg, Deps{
		JS: r.bus.JS, Publisher: r.pub, Registry: prometheus.NewRegistry(),
		Log: slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	stop := run(p)
	defer stop()
	held := func() bool { return testutil.ToFloat64(p.m.leaseHeld) == 1 }
	if !waitFor(10*time.Second, held) {
		b.Fatal("poller never took the lease")
	}

	b.StartTimer()
	start := time.Now()
	var st control.BackfillStatus
	request(b, r, control.SubjectBackfill, control.BackfillRequest{
		Kind: string(jst.KindOrder), From: time.Now().Add(-49 * time.Hour), To: time.Now(),
		RequestedBy: "benchmark",
	}, &st)
	if st.ID == "" {
		b.Fatalf("backfill refused: %+v", st)
	}
	for !st.Done && st.Error == "" {
		time.Sleep(100 * time.Millisecond)
		st = p.backfillStatus(control.BackfillQuery{ID: st.ID})[0]
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if st.Error != "" || st.Documents != orders {
		b.Fatalf("backfill %+v, want %d documents", st, orders)
	}

	minutes := elapsed.Minutes()
	allowed := float64(cfg.RatePerMin * jst.MaxPageSize(jst.KindOrder))
	return float64(st.Documents) / minutes / allowed, float64(st.Pages) / minutes
}
