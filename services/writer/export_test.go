package writer

import (
	"context"

	"github.com/nats-io/nats.go/jetstream"
)

// HandleBatch lets the package's tests hand the writer a batch whose
// makeup they choose, where a consume loop's pulls could split it.
func (w *Writer) HandleBatch(ctx context.Context, msgs []jetstream.Msg) []error {
	return w.handleBatch(ctx, msgs)
}
