package control

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/nats-io/nats.go/jetstream"
)

// Pause scopes.
const (
	// ScopePoller pauses polling of a shop; the target is a shop id, or
	// "all" for the whole merchant.
	ScopePoller = "poller"
	// ScopeWriter pauses posting to a Kingdee form; the target is a form
	// id such as SAL_SaleOrder, or "all".
	ScopeWriter = "writer"
)

// AllTargets is the target that pauses a whole scope.
const AllTargets = "all"

const pausePrefix = "pause."

// PauseKey is the ob-state key of a pause flag.
func PauseKey(scope, target string) string {
	return pausePrefix + scope + "." + target
}

// SetPause writes or removes a pause flag. reason is kept with the flag for
// people listing pauses.
func SetPause(ctx context.Context, kv jetstream.KeyValue, scope, target string, paused bool, reason string) error {
	key := PauseKey(scope, target)
	if !paused {
		err := kv.Delete(ctx, key)
		if err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
			return fmt.Errorf("control: resume %s: %w", key, err)
		}
		return nil
	}
	if _, err := kv.PutString(ctx, key, reason); err != nil {
		return fmt.Errorf("control: pause %s: %w", key, err)
	}
	return nil
}

// Pauses is a live view of the pause flags in ob-state, kept current by a
// watch. It is safe for concurrent use.
type Pauses struct {
	mu     sync.RWMutex
	flags  map[string]string // key -> reason
	ready  chan struct{}
	closed bool
}

// WatchPauses starts watching the pause flags of kv until ctx ends. It
// returns once the current flags are loaded.
func WatchPauses(ctx context.Context, kv jetstream.KeyValue) (*Pauses, error) {
	w, err := kv.Watch(ctx, pausePrefix+">")
	if err != nil {
		return nil, fmt.Errorf("control: watch pauses: %w", err)
	}
	p := &Pauses{flags: map[string]string{}, ready: make(chan struct{})}
	go p.follow(ctx, w)

	select {
	case <-p.ready:
		return p, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("control: watch pauses: %w", ctx.Err())
	}
}

func (p *Pauses) follow(ctx context.Context, w jetstream.KeyWatcher) {
	defer func() { _ = w.Stop() }()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-w.Updates():
			if !ok {
				return
			}
			p.apply(e)
		}
	}
}

func (p *Pauses) apply(e jetstream.KeyValueEntry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e == nil { // the initial values are all in
		if !p.closed {
			close(p.ready)
			p.closed = true
		}
		return
	}
	if e.Operation() == jetstream.KeyValuePut {
		p.flags[e.Key()] = string(e.Value())
		return
	}
	delete(p.flags, e.Key())
}

// Paused reports whether target, or the whole scope, is paused.
func (p *Pauses) Paused(scope, target string) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	_, one := p.flags[PauseKey(scope, target)]
	_, all := p.flags[PauseKey(scope, AllTargets)]
	return one || all
}

// List returns the pause flags in force as key -> reason.
func (p *Pauses) List() map[string]string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make(map[string]string, len(p.flags))
	for k, v := range p.flags {
		out[strings.TrimPrefix(k, pausePrefix)] = v
	}
	return out
}
