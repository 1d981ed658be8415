package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/orderbridge/orderbridge/pkg/bus"
)

// ErrConflict means the entry changed since it was read: another writer
// holds or moved it. Read it again and decide anew.
var ErrConflict = errors.New("ledger: entry changed by another writer")

// State is how far a document has got in Kingdee.
type State string

// States of an entry.
const (
	Claimed   State = "claimed"
	Saved     State = "saved"
	Submitted State = "submitted"
	Audited   State = "audited"
	Failed    State = "failed"
)

// rank orders the states that hold a bill.
func (s State) rank() int {
	switch s {
	case Saved:
		return 1
	case Submitted:
		return 2
	case Audited:
		return 3
	}
	return 0
}

// Reached reports whether s is at least as far as want, for states that
// hold a bill.
func (s State) Reached(want State) bool {
	return s.rank() > 0 && s.rank() >= want.rank()
}

// Entry is the ledger's record of one document.
type Entry struct {
	State State `json:"state"`
	// Form and BillNo name the bill in Kingdee; FID is its internal id,
	// 0 until known.
	Form   string `json:"form,omitempty"`
	BillNo string `json:"bill_no,omitempty"`
	FID    int64  `json:"fid,omitempty"`
	// Version and Hash are those of the content the bill holds.
	Version int64  `json:"version,omitempty"`
	Hash    string `json:"hash,omitempty"`

	// Owner, Expiry, PendingVersion and PendingHash describe a claim: who
	// is writing which content, and until when others must wait.
	Owner          string    `json:"owner,omitempty"`
	Expiry         time.Time `json:"expiry,omitzero"`
	PendingVersion int64     `json:"pending_version,omitempty"`
	PendingHash    string    `json:"pending_hash,omitempty"`

	// Error is the last failure, in state Failed.
	Error   string    `json:"error,omitempty"`
	Updated time.Time `json:"updated"`
}

// Holds reports whether the entry says Kingdee holds this version and
// content at least as far as state want.
func (e Entry) Holds(version int64, hash string, want State) bool {
	return e.Version == version && e.Hash == hash && e.State.Reached(want)
}

// Ledger reads and writes entries in the ob-ledger bucket.
type Ledger struct {
	kv jetstream.KeyValue
	// js, when set (Open), sends the writes of PutAll together.
	js jetstream.JetStream
}

// New returns a Ledger on kv.
func New(kv jetstream.KeyValue) *Ledger { return &Ledger{kv: kv} }

// Open returns a Ledger on the named bucket, which writes batches of
// entries together (PutAll).
func Open(ctx context.Context, js jetstream.JetStream, bucket string) (*Ledger, error) {
	kv, err := js.KeyValue(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("ledger: open %s: %w", bucket, err)
	}
	return &Ledger{kv: kv, js: js}, nil
}

// Get returns the entry of key and its revision; revision 0 and a zero
// Entry mean there is none.
func (l *Ledger) Get(ctx context.Context, key string) (Entry, uint64, error) {
	kve, err := l.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Entry{}, 0, nil
	}
	if err != nil {
		return Entry{}, 0, fmt.Errorf("ledger: get %s: %w", key, err)
	}
	var e Entry
	if err := json.Unmarshal(kve.Value(), &e); err != nil {
		return Entry{}, 0, fmt.Errorf("ledger: decode %s: %w", key, err)
	}
	return e, kve.Revision(), nil
}

// Put writes e as key's entry if its revision is still rev (0: if there is
// none) and returns the new revision. It returns an error wrapping
// ErrConflict when another write came first.
func (l *Ledger) Put(ctx context.Context, key string, e Entry, rev uint64) (uint64, error) {
	b := e.appendJSON(make([]byte, 0, 256))
	var err error
	if rev == 0 {
		rev, err = l.kv.Create(ctx, key, b)
	} else {
		rev, err = l.kv.Update(ctx, key, b, rev)
	}
	if isConflict(err) {
		return 0, fmt.Errorf("ledger: put %s: %w", key, ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("ledger: put %s: %w", key, err)
	}
	return rev, nil
}

// Write is one conditional write of PutAll: Entry as Key's entry if its
// revision is still Rev (0: if there is none).
type Write struct {
	Key   string
	Entry Entry
	Rev   uint64
}

// PutAll makes every write of ws as Put does, but sends them together and
// then waits for every answer, so that a batch of entries costs about one
// round trip. It returns the new revision and the error of each write, in
// the order of ws; an error wraps ErrConflict when another write came
// first. Entries are never deleted from the bucket, so "no entry" is "no
// message under the key", which is what revision 0 asks.
func (l *Ledger) PutAll(ctx context.Context, ws []Write) ([]uint64, []error) {
	revs := make([]uint64, len(ws))
	errs := make([]error, len(ws))
	if l.js == nil {
		for i, w := range ws {
			revs[i], errs[i] = l.Put(ctx, w.Key, w.Entry, w.Rev)
		}
		return revs, errs
	}
	prefix := "$KV." + l.kv.Bucket() + "."
	msgs := make([]bus.Outgoing, len(ws))
	for i, w := range ws {
		msgs[i] = bus.Outgoing{
			Subject: prefix + w.Key,
			Data:    w.Entry.appendJSON(make([]byte, 0, 256)),
			Opts:    []jetstream.PublishOpt{jetstream.WithExpectLastSequencePerSubject(w.Rev)},
		}
	}
	acks, perrs := bus.PublishEach(ctx, l.js, msgs)
	for i, w := range ws {
		switch err := perrs[i]; {
		case isConflict(err):
			errs[i] = fmt.Errorf("ledger: put %s: %w", w.Key, ErrConflict)
		case err != nil:
			errs[i] = fmt.Errorf("ledger: put %s: %w", w.Key, err)
		default:
			revs[i] = acks[i].Sequence
		}
	}
	return revs, errs
}

func isConflict(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, jetstream.ErrKeyExists) {
		return true
	}
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence
}

// AnyContent is the pending hash of an entry whose earlier write's
// content is not known: a claim for new content taken over an uncertain
// write of other content. No document's hash matches it, so the bill
// found in Kingdee is always brought to the content at hand.
const AnyContent = "*"

// Claimed reports whether the entry carries a claim, live or left behind
// by a writer that stopped before it finished.
func (e Entry) Claimed() bool { return e.Owner != "" }

// Live reports whether the entry carries a claim that has not expired at
// now, whoever holds it.
func (e Entry) Live(now time.Time) bool {
	return e.Owner != "" && now.Before(e.Expiry)
}

// LiveClaim reports whether another writer than owner holds a claim that
// has not expired at now.
func (e Entry) LiveClaim(owner string, now time.Time) bool {
	return e.Owner != owner && e.Live(now)
}

// Uncertain reports whether a save may have reached Kingdee without being
// recorded: a claim, live or abandoned, that names pending content. A
// writer must look the bill up before it saves again.
func (e Entry) Uncertain() bool {
	return e.PendingVersion != 0 || e.PendingHash != ""
}

// Claim returns the entry claimed by owner until expiry for the given
// version and content, which a save is about to write. The progress of the
// content already held is kept; an entry holding no bill yet is in state
// Claimed. Over an uncertain entry of other content the pending hash
// becomes AnyContent.
func (e Entry) Claim(owner string, expiry time.Time, version int64, hash string) Entry {
	if !e.State.Reached(Saved) {
		e.State = Claimed
	}
	if e.Uncertain() && (e.PendingVersion != version || e.PendingHash != hash) {
		hash = AnyContent
	}
	e.Owner, e.Expiry = owner, expiry
	e.PendingVersion, e.PendingHash = version, hash
	e.Error = ""
	return e
}

// Resume returns the entry claimed by owner until expiry for the steps
// that follow a save of content it already holds; nothing is pending.
func (e Entry) Resume(owner string, expiry time.Time) Entry {
	e.Owner, e.Expiry = owner, expiry
	e.Error = ""
	return e
}

// Released returns the entry without its claim.
func (e Entry) Released() Entry {
	e.Owner, e.Expiry, e.PendingVersion, e.PendingHash = "", time.Time{}, 0, ""
	return e
}

// Abandoned returns the entry without owner and expiry but with its
// pending content, after a write whose outcome is not known: any writer
// may take it at once, and looks the bill up before it saves.
func (e Entry) Abandoned() Entry {
	e.Owner, e.Expiry = "", time.Time{}
	return e
}
