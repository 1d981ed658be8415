package chaos

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchDocs is the backlog of the load run (BENCH_DOCS, default 100000:
// four orders to one after-sale).
func benchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// fastOptions are a cluster for throughput: no faults, no rate limits,
// no latency, services at their defaults.
func fastOptions(writers int) options {
	return options{
		seed: 3, writers: writers,
		pollerEnv: []string{
			"JST_RATE_PER_SEC=100000", "JST_RATE_PER_MIN=6000000", "POLL_LAG=1s",
		},
	}
}

// BenchmarkPipeline measures, in one run, a bare JetStream publish and
// consume of the backlog's size, the whole pipeline draining the backlog
// (every service a process), and the writer alone with 1, 2 and 4
// replicas against a Kingdee that takes 50 ms a call; it prints one table.
func BenchmarkPipeline(b *testing.B) {
	docs := benchDocs()
	orders := docs * 4 / 5
	var rows [][2]string
	row := func(k, v string, args ...any) { rows = append(rows, [2]string{k, fmt.Sprintf(v, args...)}) }
	row("cores", "%d", runtime.NumCPU())

	for b.Loop() {
		rows = rows[:1]
		// The whole pipeline, the bare figure on the same server first.
		o := fastOptions(1)
		o.idle = true
		c := startCluster(b, scale{orders: orders, aftersales: docs - orders}, o)
		// The best of three bare runs: a loaded machine can only make
		// the ratio look better than it is, never worse.
		var bare float64
		var bares []string
		for range 3 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			r, err := bareJetStream(ctx, c.js, docs, 1024)
			cancel()
			if err != nil {
				b.Fatal(err)
			}
			bare = max(bare, r)
			bares = append(bares, fmt.Sprintf("%.0f", r))
		}
		bills := billsExpected(b, c) // reads every document: before any counter
		in0, _ := serverMessagesIn(c)
		w0 := countWrites(context.Background(), c)
		cpu0 := map[*proc]time.Duration{}
		for _, p := range c.all() {
			cpu0[p] = cpuOf(p)
		}
		start := time.Now()
		c.startServices(b, true)
		waitPipeline(b, c, docs, bills, true, 15*time.Minute)
		elapsed := time.Since(start)
		in1, _ := serverMessagesIn(c)
		w1 := countWrites(context.Background(), c)
		e2e := float64(docs) / elapsed.Seconds()
		row("bare JetStream publish+consume (1 KiB, ack each)", "%.0f msg/s (best of %s)",
			bare, strings.Join(bares, ", "))
		row("end to end, documents polled to handled", "%.0f doc/s (%d docs, %d bills, %s)",
			e2e, docs, bills, elapsed.Round(100*time.Millisecond))
		row("end to end / bare JetStream", "%.3f", e2e/bare)
		row("messages into the server per document", "%.2f", float64(in1-in0)/float64(docs))
		per := func(n uint64) float64 { return float64(n) / float64(docs) }
		row("JetStream writes per document", "%.2f (publishes %.2f, KV updates %.2f, acks %.2f)",
			per(w1.total()-w0.total()), per(w1.published-w0.published),
			per(w1.kv-w0.kv), per(w1.settled-w0.settled))
		for _, p := range c.services() {
			m := memoryOf(p)
			row("memory "+p.name, "peak %.0f MiB, after drain %.0f MiB", m.peak, m.now)
		}
		var cpuAll time.Duration
		for _, p := range c.all() {
			used := cpuOf(p) - cpu0[p]
			cpuAll += used
			row("CPU "+p.name, "%.0f µs a document (%.1f s)",
				float64(used.Microseconds())/float64(docs), used.Seconds())
		}
		row("CPU every process", "%.0f µs a document, %.2f cores busy",
			float64(cpuAll.Microseconds())/float64(docs), cpuAll.Seconds()/elapsed.Seconds())
		b.ReportMetric(e2e, "docs/s")
		b.ReportMetric(e2e/bare, "ratio_to_bare")
		b.ReportMetric(float64(in1-in0)/float64(docs), "server_msgs/doc")
		b.ReportMetric(per(w1.total()-w0.total()), "js_writes/doc")
		stopCluster(c)

		// The writer alone: CANON filled first, then k replicas.
		base := 0.0
		for _, k := range []int{1, 2, 4} {
			sdocs := 2500
			o := fastOptions(k)
			o.idleWriters = true
			o.kingdeeArgs = []string{"-latency", "50ms"}
			// Small batches and few calls in flight, so that Kingdee's
			// latency, not this machine's cores, bounds one replica.
			o.writerEnv = []string{"WRITER_BATCH_SIZE=10", "WRITER_CONCURRENCY=2"}
			c := startCluster(b, scale{orders: sdocs}, o)
			n := billsExpected(b, c)
			waitPipeline(b, c, sdocs, n, false, 5*time.Minute)
			start := time.Now()
			c.startWriters(b)
			waitPipeline(b, c, sdocs, n, true, 10*time.Minute)
			rate := float64(n) / time.Since(start).Seconds()
			if k == 1 {
				base = rate
			}
			row(fmt.Sprintf("writer x%d, Kingdee 50 ms a call, batch 10, 2 calls", k),
				"%.0f bills/s (%d bills, %.2fx of one)", rate, n, rate/base)
			b.ReportMetric(rate, fmt.Sprintf("writer%d_bills/s", k))
			stopCluster(c)
		}
	}

	var out strings.Builder
	fmt.Fprintf(&out, "\n%-62s %s\n", "measure", "figure")
	for _, r := range rows {
		fmt.Fprintf(&out, "%-62s %s\n", r[0], r[1])
	}
	fmt.Print(out.String())
}

// stopCluster ends every process of c at once (the test's cleanup finds
// them stopped).
func stopCluster(c *cluster) {
	for _, p := range c.services() {
		p.signal(syscall.SIGTERM)
	}
	for _, p := range []*proc{c.jstsim, c.kingdee, c.nats} {
		p.signal(syscall.SIGTERM)
	}
	c.nc.Close()
}
