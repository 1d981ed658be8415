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
	// Modified is how far the cursor has covered: every document modified
	// before it has been published. Time windows start POLL_OVERLAP
	// before it.
	Modified time.Time `json:"modified"`
	// TS, when not 0, is the row version the next query starts from
	// (start_ts, inclusive). It is 0 while a row-version cursor still
	// reads windows to catch up from JST_START_TIME.
	TS int64 `json:"ts,omitempty"`
	// MaxTS is the largest row version published by this cursor.
	MaxTS int64 `json:"max_ts,omitempty"`
	// Updated is when the checkpoint was written.
	Updated time.Time `json:"updated"`
}

// cursor is one kind and shop polled together.
type cursor struct {
	kind jst.Kind
	shop string // "" for every shop
}

// shopLabel is the shop as keys, labels and pause targets name it.
func (c cursor) shopLabel() string {
	if c.shop == "" {
		return "all"
	}
	return c.shop
}

// key is the cursor's key in ob-state.
func (c cursor) key() string {
	return "checkpoint." + string(c.kind) + "." + c.shopLabel()
}

// checkpoints reads and moves cursors in the ob-state bucket by
// compare-and-set, so that two pollers can never move one cursor past a
// page the other has not published.
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

// store writes cp for the cursor if the stored revision is still rev (0:
// none stored), and returns the new revision. It returns an error when the
// revision has moved, so that a poller that lost its lease cannot move it.
func (s checkpoints) store(
	ctx context.Context,
	c cursor,
	cp Checkpoint,
	rev uint64,
) (uint64, error) {
	b, err := json.Marshal(cp)
	if err != nil {
		return 0, fmt.Errorf("poller: encode %s: %w", c.key(), err)
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
