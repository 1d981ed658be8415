package writer

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
)

// Circuit states, as the circuit_state gauge shows them.
const (
	circuitClosed   = 0
	circuitHalfOpen = 1
	circuitOpen     = 2
)

// breaker stops the writer from pulling while Kingdee is down, instead
// of burning delivery attempts. After `failures` consecutive failed calls
// (no answer, HTTP 5xx, MsgCode 13 or 14) it opens for an interval that
// doubles at each failed probe; then it lets one pull through, half-open,
// and the next call's outcome closes or reopens it.
type breaker struct {
	failures int
	base     time.Duration
	limit    time.Duration
	now      func() time.Time
	gauge    func(state int)

	mu    sync.Mutex
	state int
	run   int           // consecutive failures
	open  time.Duration // the current open interval
	// until is the end of the open interval, or of the half-open probe's
	// window.
	until   time.Time
	changed chan struct{} // closed and replaced at each state change
}

func newBreaker(failures int, base, limit time.Duration, now func() time.Time, gauge func(int)) *breaker {
	b := &breaker{
		failures: failures, base: base, limit: limit, now: now, gauge: gauge,
		changed: make(chan struct{}),
	}
	gauge(circuitClosed)
	return b
}

// Wait returns when a pull may go ahead: at once while the circuit is
// closed; once the open interval has passed, to one caller per probe
// window while it is half-open (a probe that makes no call lets the next
// one through when its window ends). It returns ctx's error when ctx ends
// first.
func (b *breaker) Wait(ctx context.Context) error {
	for {
		b.mu.Lock()
		now := b.now()
		if b.state == circuitClosed {
			b.mu.Unlock()
			return nil
		}
		if !now.Before(b.until) {
			if b.state != circuitHalfOpen {
				b.setState(circuitHalfOpen)
			}
			b.until = now.Add(b.base)
			b.mu.Unlock()
			return nil
		}
		wait, changed := b.until.Sub(now), b.changed
		b.mu.Unlock()

		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-changed:
		case <-t.C:
		}
		t.Stop()
	}
}

// Record takes the outcome of one call to Kingdee.
func (b *breaker) Record(failed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !failed {
		b.run = 0
		if b.state != circuitClosed {
			b.open = 0
			b.setState(circuitClosed)
		}
		return
	}
	b.run++
	if b.state == circuitHalfOpen || (b.state == circuitClosed && b.run >= b.failures) {
		b.open = min(max(2*b.open, b.base), b.limit)
		b.until = b.now().Add(b.open)
		b.setState(circuitOpen)
	}
}

// Open reports whether the circuit is open or half-open.
func (b *breaker) Open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state != circuitClosed
}

// setState changes the state and wakes the waiters; the caller holds mu.
func (b *breaker) setState(s int) {
	b.state = s
	b.gauge(s)
	close(b.changed)
	b.changed = make(chan struct{})
}

// callFailed reports whether a call's outcome says Kingdee is unwell: no
// answer, an HTTP 5xx, or MsgCode 13 or 14. A business refusal is an
// answer, and a healthy one.
func callFailed(msgCode int, err error) bool {
	if msgCode == kingdee.MsgCodeNetworkConflict || msgCode == kingdee.MsgCodeCallLimit {
		return true
	}
	if err == nil {
		return false
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	var herr *kingdee.HTTPError
	if errors.As(err, &herr) {
		return herr.Status >= http.StatusInternalServerError
	}
	return true
}
