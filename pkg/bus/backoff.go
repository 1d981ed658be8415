package bus

import (
	"math/rand/v2"
	"time"
)

// Backoff computes redelivery delays: Base doubled for every earlier
// delivery, capped at Max, with jitter that keeps each delay between half and
// all of that.
type Backoff struct {
	Base time.Duration
	Max  time.Duration
}

// Delay returns the delay before the next delivery of a message that has
// been delivered attempt times (1 for the first delivery).
func (b Backoff) Delay(attempt uint64) time.Duration {
	base, limit := b.Base, b.Max
	if base <= 0 {
		base = time.Second
	}
	if limit < base {
		limit = base
	}
	d := base
	for i := uint64(1); i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	half := d / 2
	return half + rand.N(half+1)
}
