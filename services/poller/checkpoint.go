package poller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/jst"
)

// Checkpoint is a cursor's position, stored as JSON in ob-state.
type Checkpoint struct {
	// Modified is the end of the last window read in full: every document
	// modified before it has been published.
	Modified time.Time `json:"modified"`
	// Updated is when the checkpoint was written.
	Updated time.Time `json:"updated"`
}

// cursor is one kind and shop polled together.
type cursor struct {
	kind jst.Kind
	shop string // "" for every shop
}

// key is the cursor's key in ob-state.
func (c cursor) key() string {
	shop := c.shop
	if shop == "" {
		shop = "all"
	}
	return "checkpoint." + string(c.kind) + "." + shop
}

// checkpoints reads and moves cursors in the ob-state bucket by
// compare-and-set, so that two pollers can never move one cursor past a
// window the other has not published.
type checkpoints struct {
	kv jetstream.KeyValue
}

// load returns the cursor's checkpoint and its revision; revision 0 means
// none is stored.
func (s checkpoints) load(ctx context.Context, c cursor) (Checkpoint, uint64, error) {
	e, err := s.kv.Get(ctx, c.key())
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Checkpoint{}, 0, nil
	}
	if err != nil {
		return Checkpoint{}, 0, fmt.Errorf("poller: read %s: %w", c.key(), err)
	}
	var cp Checkpoint
	if err := json.Unmarshal(e.Value(), &cp); err != nil {
		return Checkpoint{}, 0, fmt.Errorf("poller: decode %s: %w", c.key(), err)
	}
	return cp, e.Revision(), nil
}

// store writes cp for the cursor if the stored revision is still rev, and
// returns the new revision.
func (s checkpoints) store(ctx context.Context, c cursor, cp Checkpoint, rev uint64) (uint64, error) {
	b, err := json.Marshal(cp)
	if err != nil {
		return 0, err
	}
	if rev == 0 {
		rev, err = s.kv.Create(ctx, c.key(), b)
	} else {
		rev, err = s.kv.Update(ctx, c.key(), b, rev)
	}
	if err != nil {
		return 0, fmt.Errorf("poller: move %s: %w", c.key(), err)
	}
	return rev, nil
}
