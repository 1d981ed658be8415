package bill

import (
	"errors"
	"fmt"
)

// ErrNoSettings is wrapped when Settings has no entry for the form a
// document names, or the form is not one Build knows.
var ErrNoSettings = errors.New("bill: no settings for form")

// FieldError says which field of which document cannot become a bill.
type FieldError struct {
	// BillNo is the document's bill number ("" when that is the problem).
	BillNo string
	// Field is the canonical field, such as "lines[2].qty".
	Field string
	// Value is the offending value, as text.
	Value  string
	Reason string
}

// Error names the bill, the field, the value and the reason.
func (e *FieldError) Error() string {
	return fmt.Sprintf("bill: %s: %s %q: %s", e.BillNo, e.Field, e.Value, e.Reason)
}
