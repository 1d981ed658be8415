package bus

import (
	"errors"
	"time"
)

// ErrTopologyDrift reports that an existing stream, consumer or bucket differs
// from the configuration orderbridge wants. It is informational: the existing
// configuration stays in force until an operator applies the new one.
var ErrTopologyDrift = errors.New("bus: topology drift")

// PermanentError marks a failure that retrying cannot mend: the message goes
// to the dead-letter stream at once with Reason.
type PermanentError struct {
	// Reason is a short class a person can act on and a metric can count,
	// such as "unknown_shop" or "changed_after_audit".
	Reason string
	Err    error
}

func (e *PermanentError) Error() string {
	if e.Err == nil {
		return e.Reason
	}
	return e.Err.Error()
}

func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err so that the consume loop dead-letters the message with
// reason instead of retrying it.
func Permanent(reason string, err error) error {
	return &PermanentError{Reason: reason, Err: err}
}

// RetryError asks for a redelivery after a given delay instead of the
// loop's exponential one, as when a vendor says when to come back.
type RetryError struct {
	Delay time.Duration
	Err   error
}

func (e *RetryError) Error() string { return e.Err.Error() }

func (e *RetryError) Unwrap() error { return e.Err }

// RetryAfter wraps err so that the message is redelivered after d.
func RetryAfter(d time.Duration, err error) error {
	return &RetryError{Delay: d, Err: err}
}
