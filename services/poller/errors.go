package poller

import (
	"errors"
	"fmt"
)

// ErrLeaseLost is the cause of an active term that ended because the
// lease could not be renewed: another poller may hold it now.
var ErrLeaseLost = errors.New("poller: lease lost")

// ErrNoLeaseTTL is returned by New when the ob-leases bucket has no max
// age, so that the lease of a dead poller would never lapse.
var ErrNoLeaseTTL = errors.New("poller: ob-leases has no max age")

// PauseError is why polling of the whole merchant stopped: a JST answer
// that concerns the app or the merchant (codes 10, 110, 140, 150, 190, or
// 100 that a refreshed token did not cure), or a token refresh that
// failed. A person must act; polling is tried again after POLL_PAUSE_RETRY.
type PauseError struct {
	// Code is JST's code, or 0 when the refresh failed without one.
	Code int
	// Hint says what to check.
	Hint string
	Err  error
}

// Error names the code, the hint and the cause.
func (e *PauseError) Error() string {
	return fmt.Sprintf("poller: merchant paused (code %d: %s): %v", e.Code, e.Hint, e.Err)
}

// Unwrap returns the cause.
func (e *PauseError) Unwrap() error { return e.Err }
