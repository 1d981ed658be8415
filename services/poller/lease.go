package poller

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// leaseKey is the lease's key in ob-leases.
const leaseKey = "poller"

// lease is the merchant's single active poller, held as the key "poller"
// in ob-leases. The bucket's max age is the lease's TTL: a holder renews
// well inside it, and a holder that dies loses the key when it ages out.
type lease struct {
	kv     jetstream.KeyValue
	ttl    time.Duration
	holder string
	rev    uint64
}

// leaseValue is what the lease key holds, for people looking.
type leaseValue struct {
	Holder  string    `json:"holder"`
	Renewed time.Time `json:"renewed"`
}

// newLease returns a lease for this process on kv. It returns
// ErrNoLeaseTTL when the bucket has no max age.
func newLease(ctx context.Context, kv jetstream.KeyValue) (*lease, error) {
	st, err := kv.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("poller: lease bucket: %w", err)
	}
	if st.TTL() <= 0 {
		return nil, ErrNoLeaseTTL
	}
	return &lease{kv: kv, ttl: st.TTL(), holder: holderID()}, nil
}

// holderID names this process: host name and a random suffix.
func holderID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}

func (l *lease) value() []byte {
	b, _ := json.Marshal(leaseValue{Holder: l.holder, Renewed: time.Now()})
	return b
}

// acquire creates the lease key. It reports false, and no error, when
// another poller holds it.
func (l *lease) acquire(ctx context.Context) (bool, error) {
	rev, err := l.kv.Create(ctx, leaseKey, l.value())
	if errors.Is(err, jetstream.ErrKeyExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("poller: acquire lease: %w", err)
	}
	l.rev = rev
	return true, nil
}

// renew updates the lease if this poller still holds it. Any error means
// the lease may be lost.
func (l *lease) renew(ctx context.Context) error {
	rev, err := l.kv.Update(ctx, leaseKey, l.value(), l.rev)
	if err != nil {
		return fmt.Errorf("poller: renew lease: %w", err)
	}
	l.rev = rev
	return nil
}

// release deletes the lease if this poller still holds it, so that a
// standby need not wait for it to age out.
func (l *lease) release(ctx context.Context) error {
	err := l.kv.Delete(ctx, leaseKey, jetstream.LastRevision(l.rev))
	if err != nil {
		return fmt.Errorf("poller: release lease: %w", err)
	}
	return nil
}

// keep renews the lease every third of its TTL until ctx ends, and calls
// lost, once, when a renewal fails.
func (l *lease) keep(ctx context.Context, lost func(error)) {
	t := time.NewTicker(l.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, l.ttl/3)
		err := l.renew(rctx)
		cancel()
		if err != nil && ctx.Err() == nil {
			lost(err)
			return
		}
	}
}
