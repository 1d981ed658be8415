package admin

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/ledger"
)

// latest calls fn with the latest value of every key of kv that matches
// filter, in one pass of a watcher, and returns once all are read.
func latest(
	ctx context.Context,
	kv jetstream.KeyValue,
	filter string,
	fn func(jetstream.KeyValueEntry),
) error {
	w, err := kv.WatchFiltered(ctx, []string{filter}, jetstream.IgnoreDeletes())
	if err != nil {
		return fmt.Errorf("watch %s: %w", filter, err)
	}
	defer func() { _ = w.Stop() }()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e, ok := <-w.Updates():
			if !ok || e == nil { // nil: every initial value is in
				return nil
			}
			fn(e)
		}
	}
}

// ledgerEntry is an entry of the writer's ledger.
type ledgerEntry = ledger.Entry

// eachLedgerEntry calls fn with the key and entry of every ledger entry.
// Entries that do not decode are skipped.
func eachLedgerEntry(
	ctx context.Context,
	js jetstream.JetStream,
	fn func(key string, e ledgerEntry),
) error {
	kv, err := js.KeyValue(ctx, bus.BucketLedger)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return latest(ctx, kv, ">", func(kve jetstream.KeyValueEntry) {
		var e ledgerEntry
		if json.Unmarshal(kve.Value(), &e) == nil {
			fn(kve.Key(), e)
		}
	})
}
