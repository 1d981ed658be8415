package jst

import (
	"errors"
	"fmt"
)

// ErrMalformed is wrapped by the error for a response body that is not the
// JSON envelope JST sends: truncated, not JSON, or of the wrong shape. Its
// text has no package prefix because the wrapping error, which names the
// endpoint, has one.
var ErrMalformed = errors.New("malformed response")

// ErrBadQuery is wrapped by the error for a query the client refuses to
// send, such as a reversed window or a page size over the endpoint's cap.
// Like ErrMalformed, it appears inside an error that starts with "jst:".
var ErrBadQuery = errors.New("bad query")

// JST response codes that the client classifies.
const (
	CodeOK             = 0
	CodeBadSign        = 10
	CodeTokenInvalid   = 100
	CodeIPDenied       = 110
	CodeClockSkew      = 140
	CodeRefreshDenied  = 150
	CodeNoPermission   = 190
	CodeRateLimitSec   = 199
	CodeRateLimitMin   = 200
	codeNotAPIResponse = -1
)

// APIError is a JST answer with a nonzero code. Endpoint is the path called.
type APIError struct {
	Code     int
	Msg      string
	Endpoint string
}

// Error reports the endpoint, JST's code and JST's message.
func (e *APIError) Error() string {
	return fmt.Sprintf("jst: %s: code %d: %s", e.Endpoint, e.Code, e.Msg)
}

// RateLimited reports whether JST refused the call for going over its rate
// limits (199: per second, 200: per minute). Such a call may be retried
// after a pause.
func (e *APIError) RateLimited() bool {
	return e.Code == CodeRateLimitSec || e.Code == CodeRateLimitMin
}

// TokenInvalid reports whether the access token is invalid or expired
// (100). A refreshed token may cure it.
func (e *APIError) TokenInvalid() bool {
	return e.Code == CodeTokenInvalid
}

// MerchantWide reports whether the fault concerns the app or the merchant
// rather than one shop or query: a bad signature (10), an IP not on the
// whitelist (110), clock skew (140), a refresh the ISV may not make (150) or
// a missing permission (190). Polling of every shop of the merchant should
// stop until it is fixed.
func (e *APIError) MerchantWide() bool {
	switch e.Code {
	case CodeBadSign, CodeIPDenied, CodeClockSkew, CodeRefreshDenied,
		CodeNoPermission:
		return true
	}
	return false
}

// HTTPError is a response with a status outside 2xx. Endpoint is the path
// called.
type HTTPError struct {
	Status   int
	Endpoint string
}

// Error reports the endpoint and the HTTP status.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("jst: %s: http status %d", e.Endpoint, e.Status)
}

// CodeQimenFailure is the Code of an APIError for a Qimen failure answer
// that carries no numeric code.
const CodeQimenFailure = -2
