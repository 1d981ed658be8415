package jstsim

import (
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// window counts admitted requests of one app key over a sliding second and
// a sliding minute of the simulator's clock. A request is admitted when
// fewer than the limit were admitted in the last second (and minute) before
// it; refused requests are not counted.
type window struct {
	perSecond, perMinute int // 0 or less: no limit
	admitted             []time.Time
}

func newWindow(perSecond, perMinute int) *window {
	return &window{perSecond: perSecond, perMinute: perMinute}
}

// admit records a request at now and returns 0, or the JST code refusing
// it: 199 over the per-second limit, 200 over the per-minute limit.
func (w *window) admit(now time.Time) int {
	minuteAgo := now.Add(-time.Minute)
	drop := 0
	for drop < len(w.admitted) && !w.admitted[drop].After(minuteAgo) {
		drop++
	}
	w.admitted = w.admitted[drop:]

	secondAgo := now.Add(-time.Second)
	inSecond := 0
	for _, t := range w.admitted {
		if t.After(secondAgo) {
			inSecond++
		}
	}

	switch {
	case w.perSecond > 0 && inSecond >= w.perSecond:
		return jst.CodeRateLimitSec
	case w.perMinute > 0 && len(w.admitted) >= w.perMinute:
		return jst.CodeRateLimitMin
	}
	w.admitted = append(w.admitted, now)
	return 0
}
