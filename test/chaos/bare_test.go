package chaos

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// bareJetStream publishes n messages of size bytes to a file stream of the
// server (asynchronously, every ack awaited) and consumes them with a
// durable pull consumer that acknowledges each: the floor any pipeline
// over the same server can reach. It returns messages per second and
// deletes its stream.
func bareJetStream(ctx context.Context, js jetstream.JetStream, n, size int) (float64, error) {
	const name = "BENCH_BARE"
	s, err := js.CreateStream(ctx, jetstream.StreamConfig{
		Name: name, Subjects: []string{"bench.bare.>"}, Storage: jetstream.FileStorage,
	})
	if err != nil {
		return 0, fmt.Errorf("bare: stream: %w", err)
	}
	defer func() { _ = js.DeleteStream(context.Background(), name) }()

	payload := make([]byte, size)
	for i := range payload {
		payload[i] = byte('a' + i%26)
	}
	start := time.Now()
	for i := range n {
		if _, err := js.PublishAsync(fmt.Sprintf("bench.bare.%d", i%3), payload); err != nil {
			return 0, fmt.Errorf("bare: publish: %w", err)
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-ctx.Done():
		return 0, ctx.Err()
	}

	cons, err := s.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable: "bare", AckPolicy: jetstream.AckExplicitPolicy,
	})
	if err != nil {
		return 0, fmt.Errorf("bare: consumer: %w", err)
	}
	got := 0
	for got < n {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return 0, fmt.Errorf("bare: fetch: %w", err)
		}
		for m := range batch.Messages() {
			if err := m.Ack(); err != nil {
				return 0, fmt.Errorf("bare: ack: %w", err)
			}
			got++
		}
		if err := batch.Error(); err != nil && ctx.Err() != nil {
			return 0, err
		}
	}
	// An ack is a publish without a reply: flush so the server has them all.
	_ = js.Conn().Flush()
	return float64(n) / time.Since(start).Seconds(), nil
}
