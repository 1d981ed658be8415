package jst

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Limiter keeps calls under a per-second and a per-minute limit at once.
// One Limiter serves every shop and kind of a merchant, since JST counts
// calls per app key. It is safe for concurrent use.
//
// Each limit is a token bucket of size one, so calls are spread evenly and
// no sliding window of the limit's length ever holds more calls than the
// limit allows. Set the limits a little under JST's own to leave room for
// network jitter.
type Limiter struct {
	mu     sync.Mutex
	second *rate.Limiter // nil: no per-second limit
	minute *rate.Limiter // nil: no per-minute limit
	waited atomic.Int64  // nanoseconds spent waiting, in total
}

// NewLimiter returns a Limiter allowing perSecond calls a second and
// perMinute calls a minute. A limit of zero or less is no limit.
func NewLimiter(perSecond, perMinute int) *Limiter {
	l := &Limiter{}
	if perSecond > 0 {
		l.second = rate.NewLimiter(rate.Limit(perSecond), 1)
	}
	if perMinute > 0 {
		l.minute = rate.NewLimiter(rate.Limit(float64(perMinute)/60), 1)
	}
	return l
}

// Wait blocks until both limits allow one more call. It returns an error
// wrapping ctx.Err() if ctx ends first, or at once if ctx's deadline comes
// before the call would be allowed; the call's place is then given back.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("jst: rate limit wait: %w", err)
	}

	now := time.Now()
	l.mu.Lock()
	rs := reserve(l.second, now)
	rm := reserve(l.minute, now)
	l.mu.Unlock()

	delay := max(delayOf(rs, now), delayOf(rm, now))
	if delay == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && dl.Before(now.Add(delay)) {
		unreserve(rs, rm)
		return fmt.Errorf("jst: rate limit wait: %w", context.DeadlineExceeded)
	}

	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-timer.C:
		l.waited.Add(int64(delay))
		return nil
	case <-ctx.Done():
		unreserve(rs, rm)
		l.waited.Add(int64(time.Since(now)))
		return fmt.Errorf("jst: rate limit wait: %w", ctx.Err())
	}
}

// WaitSeconds returns the seconds callers have spent in Wait, in total.
func (l *Limiter) WaitSeconds() float64 {
	return time.Duration(l.waited.Load()).Seconds()
}

func reserve(lim *rate.Limiter, now time.Time) *rate.Reservation {
	if lim == nil {
		return nil
	}
	return lim.ReserveN(now, 1)
}

func delayOf(r *rate.Reservation, now time.Time) time.Duration {
	if r == nil {
		return 0
	}
	return r.DelayFrom(now)
}

func unreserve(rs ...*rate.Reservation) {
	for _, r := range rs {
		if r != nil {
			r.Cancel()
		}
	}
}
