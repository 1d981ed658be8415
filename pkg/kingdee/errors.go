package kingdee

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrInvalidConfig is wrapped by New for a Config it cannot use.
	ErrInvalidConfig = errors.New("kingdee: invalid config")
	// ErrLoginRejected is wrapped when Kingdee refuses a login
	// (LoginResultType other than 1). Retrying will not help.
	ErrLoginRejected = errors.New("kingdee: login rejected")
	// ErrNotFound is wrapped by View when the bill does not exist.
	ErrNotFound = errors.New("kingdee: bill not found")
	// ErrOutcomeUnknown is wrapped when a write may have reached Kingdee
	// but no answer was read: a timeout, a dropped connection, HTTP 5xx or
	// a body that is not a Kingdee answer. Look the bill up before sending
	// the write again.
	ErrOutcomeUnknown = errors.New("kingdee: write outcome unknown")
)

// Kingdee MsgCodes the client acts on.
const (
	MsgCodeSessionLost     = 1
	MsgCodeNotFound        = 10
	MsgCodeValidation      = 11
	MsgCodeNotOperable     = 12
	MsgCodeNetworkConflict = 13
	MsgCodeCallLimit       = 14
)

// Texts by which a MsgCode 11 answer means "already done".
const (
	textNotUnique      = "违反字段唯一性要求"
	textAlreadyAudited = "已经审核"
	// textAlreadySubmitted is the simulator's text; no capture of a real
	// answer confirms it.
	textAlreadySubmitted = "已经提交"
)

// ErrorItem is one entry of a Kingdee answer's Errors list.
type ErrorItem struct {
	FieldName string
	Message   string
	// DIndex is the index of the model (BatchSave) or number the entry is
	// about.
	DIndex int
}

// Error is a business error answered by Kingdee (IsSuccess false).
type Error struct {
	// Op is the operation, such as "save" or "audit".
	Op     string
	FormID string
	// MsgCode is Kingdee's error class: 1 session lost, 11 validation
	// failed, 12 not operable, 13 network-control conflict, 14 call limit.
	MsgCode int
	Items   []ErrorItem
}

// Error returns the operation, the form, the MsgCode and the messages.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("kingdee: ")
	b.WriteString(e.Op)
	if e.FormID != "" {
		b.WriteString(" " + e.FormID)
	}
	fmt.Fprintf(&b, ": msgcode %d", e.MsgCode)
	for i, it := range e.Items {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if it.FieldName != "" {
			b.WriteString(it.FieldName + ": ")
		}
		b.WriteString(it.Message)
	}
	return b.String()
}

// SessionLost reports MsgCode 1: the session expired or was dropped. The
// client has already logged in again; a write was not replayed.
func (e *Error) SessionLost() bool { return e.MsgCode == MsgCodeSessionLost }

// Transient reports MsgCode 13 (network-control conflict) and 14 (call
// limit): the same call may succeed later.
func (e *Error) Transient() bool {
	return e.MsgCode == MsgCodeNetworkConflict || e.MsgCode == MsgCodeCallLimit
}

// AlreadyExists reports Kingdee's uniqueness violation (MsgCode 11,
// 违反字段唯一性要求): a bill with this number exists already.
func (e *Error) AlreadyExists() bool { return e.has(textNotUnique) }

// AlreadyAudited reports MsgCode 11 with 已经审核: the bill is audited.
func (e *Error) AlreadyAudited() bool { return e.has(textAlreadyAudited) }

// AlreadySubmitted reports MsgCode 11 with 已经提交: the bill is
// submitted already.
func (e *Error) AlreadySubmitted() bool { return e.has(textAlreadySubmitted) }

// Permanent reports an error that a retry of the same call will not cure:
// anything that is not SessionLost, Transient, AlreadyExists,
// AlreadyAudited or AlreadySubmitted.
func (e *Error) Permanent() bool {
	return !e.SessionLost() && !e.Transient() &&
		!e.AlreadyExists() && !e.AlreadyAudited() && !e.AlreadySubmitted()
}

func (e *Error) has(text string) bool {
	if e.MsgCode != MsgCodeValidation {
		return false
	}
	for _, it := range e.Items {
		if strings.Contains(it.Message, text) {
			return true
		}
	}
	return false
}

// HTTPError is an HTTP status other than 200 from Kingdee. A 5xx on a write
// also wraps ErrOutcomeUnknown.
type HTTPError struct {
	Status int
}

// Error returns the status code and text.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("kingdee: http %d %s", e.Status, http.StatusText(e.Status))
}
