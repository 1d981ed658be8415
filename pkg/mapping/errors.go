package mapping

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
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
	// ReasonRuleError: a filter or override failed on the document (a
	// runtime error or the cost limit); Field names the rule.
	ReasonRuleError = "rule_error"
)

// ErrInvalidRules is wrapped by every error New, LoadRules and LoadFile
// return for rules that cannot be used.
var ErrInvalidRules = errors.New("mapping: invalid rules")

// Problem is one thing wrong with rules or a mapping file.
type Problem struct {
	// Line is the line of the mapping file, 0 when not known (rules built
	// in Go, or a problem of the file as a whole).
	Line int
	// Path names the setting as the file spells it, such as
	// "filters.order[1].skip" or "shops.13046812.customer"; "" for the
	// file as a whole.
	Path string
	Msg  string
}

// RulesError lists every problem found in rules or in a mapping file. It
// wraps ErrInvalidRules.
type RulesError struct {
	// File is the mapping file's name, "" for rules built in Go.
	File     string
	Problems []Problem
}

// Error lists the problems one a line, as file:line: path: message.
func (e *RulesError) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalidRules.Error())
	if len(e.Problems) == 1 && e.File == "" {
		b.WriteString(": ")
		b.WriteString(e.Problems[0].text(""))
		return b.String()
	}
	for _, p := range e.Problems {
		b.WriteString("\n")
		b.WriteString(p.text(e.File))
	}
	return b.String()
}

// Unwrap returns ErrInvalidRules.
func (e *RulesError) Unwrap() error { return ErrInvalidRules }

// text formats p as file:line: path: message, leaving out what is unknown.
func (p Problem) text(file string) string {
	var b strings.Builder
	if file != "" {
		b.WriteString(file)
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
		}
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// problems collects the problems of rules as they are checked.
type problems struct {
	list []Problem
}

// addf records a problem of the setting at path.
func (p *problems) addf(path, format string, args ...any) {
	p.list = append(p.list, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// err returns a *RulesError holding the problems, nil when there are none.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &RulesError{Problems: p.list}
}

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
