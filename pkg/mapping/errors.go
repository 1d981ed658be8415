package mapping

import (
	"errors"
	"strconv"
)

// Reasons an *Error gives. They are short and bounded, fit for a metric
// label and for the reason header of a dead letter.
const (
	// ReasonInvalidDocument: the raw document is not a JSON object.
	ReasonInvalidDocument = "invalid_document"
	// ReasonInvalidField: a field has a value of the wrong shape or range.
	ReasonInvalidField = "invalid_field"
	// ReasonMissingField: a required field is absent or empty.
	ReasonMissingField = "missing_field"
	// ReasonUnknownShop: the shop is not in the shop table.
	ReasonUnknownShop = "unknown_shop"
	// ReasonUnknownSKU: the SKU is not in the SKU table and SKUs are strict.
	ReasonUnknownSKU = "unknown_sku"
	// ReasonNoLines: a document that moves goods has no line to move.
	ReasonNoLines = "no_lines"
	// ReasonUnknownKind: the document kind is neither order nor aftersale.
	ReasonUnknownKind = "unknown_kind"
)

// ErrInvalidRules is wrapped by every error New and LoadRules return for
// rules that cannot be used.
var ErrInvalidRules = errors.New("mapping: invalid rules")

// Error reports a document that cannot be mapped. It is permanent: mapping
// the same document with the same rules fails the same way, so the caller
// dead-letters it. Key is the document key ("order.123"), or the kind alone
// when the id could not be read; Field is the JST field ("items[2].qty");
// Value is the offending value as JSON text, cut short when long; Reason is
// one of the Reason* constants. Err, when set, is the underlying cause.
type Error struct {
	Key    string
	Field  string
	Value  string
	Reason string
	Err    error
}

// Error names the document, the field, the value and the reason.
func (e *Error) Error() string {
	msg := "mapping: " + e.Key
	if e.Field != "" {
		msg += ": field " + e.Field
	}
	if e.Value != "" {
		msg += " = " + e.Value
	}
	msg += ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// quote writes a string value as JSON-like text for an Error, cut short
// when long.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		i := max
		for i > 0 && s[i]&0xC0 == 0x80 {
			i--
		}
		s = s[:i] + "…"
	}
	return strconv.Quote(s)
}
