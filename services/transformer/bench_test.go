package transformer

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/pkg/mapping"
)

// benchDocs is how many raw documents one run of BenchmarkTransformer
// moves through each loop.
const benchDocs = 3000

// BenchmarkTransformer measures the transformer end to end on an embedded
// JetStream server: benchDocs typical three-line orders in JST_RAW, mapped
// with CEL filters and published to CANON. In the same run, a bare loop
// (the same consume loop, batch and concurrency, publishing each raw
// document unchanged) moves the same messages. It reports both rates and
// the transformer's as a fraction of the bare loop's ("of-bare", target at
// least 0.5).
func BenchmarkTransformer(b *testing.B) {
	tmpl, err := os.ReadFile("testdata/order_sent.json")
	if err != nil {
		b.Fatal(err)
	}
	r := mapping.DefaultRules()
	r.Version = "bench"
	r.Filters = mapping.DefaultFilters()
	r.Shops = map[string]mapping.Shop{"13046812": {Customer: "C", SaleOrg: "100"}}
	f, err := mapping.NewFile(r, nil)
	if err != nil {
		b.Fatal(err)
	}
	cfg := Config{Concurrency: 4, Batch: 128}

	var bare, trans time.Duration
	for b.Loop() {
		b.StopTimer()
		env := bustest.New(b, bus.Config{})
		publishOrders(b, env, tmpl)
		b.StartTimer()

		bare += runBare(b, env, cfg)
		trans += runTransformer(b, env, cfg, f)
	}
	docs := float64(benchDocs * b.N)
	b.ReportMetric(docs/trans.Seconds(), "docs/s")
	b.ReportMetric(docs/bare.Seconds(), "bare-docs/s")
	b.ReportMetric(bare.Seconds()/trans.Seconds(), "of-bare")
}

// publishOrders stores benchDocs orders made from tmpl in JST_RAW.
func publishOrders(b *testing.B, env *bustest.Env, tmpl []byte) {
	var futures []jetstream.PubAckFuture
	for i := range benchDocs {
		id := strconv.Itoa(10_000_000 + i)
		raw := bytes.Replace(tmpl, []byte("12345678"), []byte(id), 1)
		f, err := env.JS.PublishAsync("jst.raw.order.13046812", raw,
			jetstream.WithMsgID("order:"+id+":1"))
		if err != nil {
			b.Fatal(err)
		}
		futures = append(futures, f)
	}
	select {
	case <-env.JS.PublishAsyncComplete():
	case <-time.After(30 * time.Second):
		b.Fatal("publishing the raw orders timed out")
	}
	for _, f := range futures {
		select {
		case err := <-f.Err():
			b.Fatal(err)
		default:
		}
	}
}

// runBare consumes every raw document with a durable consumer configured
// as the transformer's and publishes it to CANON unchanged; it returns the
// time until the last one is acknowledged.
func runBare(b *testing.B, env *bustest.Env, cfg Config) time.Duration {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cc := transformerConsumer(b)
	cc.Durable, cc.Name = "bare", "bare"
	if _, err := env.JS.CreateConsumer(ctx, bus.StreamRaw, cc); err != nil {
		b.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	m := bus.NewMetrics(reg)
	pub := bus.NewPublisher(env.JS, m)

	var done atomic.Int64
	start := time.Now()
	go func() {
		_ = bus.Consume(ctx, env.JS, bus.ConsumeOptions{
			Stream: bus.StreamRaw, Consumer: "bare", Stage: "bare",
			Batch: cfg.Batch, Concurrency: cfg.Concurrency,
			Publisher: pub, Metrics: m, Logger: slog.New(slog.DiscardHandler),
		}, func(ctx context.Context, msg jetstream.Msg) error {
			meta, err := msg.Metadata()
			if err != nil {
				return err
			}
			seq := strconv.FormatUint(meta.Sequence.Stream, 10)
			_, err = pub.Publish(ctx, "canon.bare.13046812", msg.Data(), "bare:"+seq, nil)
			done.Add(1)
			return err
		})
	}()
	waitDone(b, func() float64 { return float64(done.Load()) })
	return time.Since(start)
}

// runTransformer runs a Transformer on every raw document and returns the
// time until the last one is acknowledged.
func runTransformer(
	b *testing.B,
	env *bustest.Env,
	cfg Config,
	f *mapping.File,
) time.Duration {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg := prometheus.NewRegistry()
	m := bus.NewMetrics(reg)
	tr, err := New(cfg, f, Deps{
		JS: env.JS, Publisher: bus.NewPublisher(env.JS, m), Bus: m,
		Log: slog.New(slog.DiscardHandler), Registry: reg,
	})
	if err != nil {
		b.Fatal(err)
	}

	published := tr.m.documents.WithLabelValues("order", "published", "")
	start := time.Now()
	go func() { _ = tr.Run(ctx) }()
	waitDone(b, func() float64 { return testValue(b, published) })
	return time.Since(start)
}

// transformerConsumer returns the configuration of the transformer's
// durable consumer.
func transformerConsumer(b *testing.B) jetstream.ConsumerConfig {
	for _, c := range (bus.Config{}).WithDefaults().Consumers() {
		if c.Config.Durable == bus.ConsumerTransformer {
			return c.Config
		}
	}
	b.Fatal("no transformer consumer in the topology")
	return jetstream.ConsumerConfig{}
}

// waitDone waits until count reaches benchDocs, looking every
// millisecond: the counters are in the process, so looking costs nothing
// the loops would feel.
func waitDone(b *testing.B, count func() float64) {
	deadline := time.Now().Add(time.Minute)
	for count() < benchDocs {
		if time.Now().After(deadline) {
			b.Fatalf("timed out with %v of %d documents handled", count(), benchDocs)
		}
		time.Sleep(time.Millisecond)
	}
}
