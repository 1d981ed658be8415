package writer_test

import (
	"context"
	"fmt"
	"runtime/debug"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/writer"
)

// Benchmark settings of the issue: 50 ms a call, nothing per document,
// batch 50, 8 calls in flight.
const (
	benchLatency     = 50 * time.Millisecond
	benchBatch       = 50
	benchConcurrency = 8
	// benchDocs are the documents of one benchmark op.
	benchDocs = 24000
)

// oneReplica is the Save-only throughput of one replica, for the ratio
// of two replicas to one.
var oneReplica float64

// BenchmarkWriterThroughput runs writer replicas in this process, on one
// embedded JetStream server, against an in-process kingdeesim, and
// reports documents per second and their ratio to the limit of one
// replica: concurrency × batch ÷ (latency × calls per batch), divided by
// the replicas for of_limit. With Submit and Audit, a batch takes three
// calls (BatchSave, Submit and Audit by Numbers). cpu_cores is the CPU
// the whole process used while the writers ran (the machine's cores bound
// it), x_one_replica the ratio of two replicas to one.
func BenchmarkWriterThroughput(b *testing.B) {
	// The collector as the writer process runs it (service.Main).
	defer debug.SetGCPercent(debug.SetGCPercent(service.DefaultGCPercent))
	cases := []struct {
		name     string
		replicas int
		steps    bool
	}{
		{"save/replicas=1", 1, false},
		{"save/replicas=2", 2, false},
		{"save+submit+audit/replicas=1", 1, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			calls := 1.0
			if c.steps {
				calls = 3
			}
			limit := benchConcurrency * benchBatch / (benchLatency.Seconds() * calls)

			r := newRig(b, kingdeesim.Options{Latency: benchLatency})
			docs := benchDocs * b.N
			for i := range docs {
				publishDoc(b, r.pub, order(fmt.Sprint(i), 1, "2"))
			}
			cfg := r.config(func(cfg *writer.Config) {
				cfg.BatchSize, cfg.Concurrency = benchBatch, benchConcurrency
				cfg.Submit, cfg.Audit = c.steps, c.steps
				cfg.Kingdee.Timeout = 10 * time.Second
				cfg.ClaimTTL = time.Minute
			})

			b.ResetTimer()
			cpu0 := cpuTime()
			start := time.Now()
			for range c.replicas {
				r.start(cfg)
			}
			waitAcked(b, r.env.JS, uint64(docs))
			took := time.Since(start)
			cores := (cpuTime() - cpu0).Seconds() / took.Seconds()
			b.StopTimer()

			rate := float64(docs) / took.Seconds()
			b.ReportMetric(rate, "docs/s")
			b.ReportMetric(rate/(limit*float64(c.replicas)), "of_limit")
			b.ReportMetric(cores, "cpu_cores")
			b.ReportMetric(0, "ns/op")
			switch {
			case c.replicas == 1 && !c.steps:
				oneReplica = rate
			case c.replicas == 2 && oneReplica > 0:
				b.ReportMetric(rate/oneReplica, "x_one_replica")
			}
		})
	}
}

// cpuTime is the user and system CPU time of this process so far: the
// writers, the JetStream server and the simulator together.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// waitAcked waits until the writer consumer has acked n messages.
func waitAcked(b *testing.B, js jetstream.JetStream, n uint64) {
	b.Helper()
	ctx := context.Background()
	c, err := js.Consumer(ctx, bus.StreamCanon, bus.ConsumerWriter)
	if err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		info, err := c.Info(ctx)
		if err == nil && info.AckFloor.Stream >= n && info.NumAckPending == 0 {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("writer consumer did not ack %d messages: %+v", n, info)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
