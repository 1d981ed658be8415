package jst

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// The loose types below decode JST's JSON, which is not strict about types: a
// number may arrive as a number or as a string ("594"), an empty string
// stands for null, and ids are numbers in one response and strings in the
// next. Each type accepts every shape JST is known to send and rejects the
// rest with a *json.UnmarshalTypeError whose Value is the offending JSON
// text (or "object"/"array"), so that encoding/json adds the field path to
// it. ParseOrder, ParseAfterSale and ParseMeta do not go through
// encoding/json: they use jsonReader, at the end of this file, which reads
// a document in one pass and hands each known field to its loose type.

// maxDecimalLen bounds the text of a decimal, and maxDecimalExp the size of its
// exponent, so that a hostile value cannot make formatting allocate without
// bound.
const (
	maxDecimalLen = 64
	maxDecimalExp = 40
)

// Decimal is an exact decimal number decoded from a JSON number or a numeric
// string. Valid is false when the field was absent, null or "".
type Decimal struct {
	Value decimal.Decimal
	Valid bool
}

// UnmarshalJSON decodes a number, a numeric string, "" or null. Any other
// value is an error naming it.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	*d = Decimal{}
	s, ok := scalarText(b)
	if !ok {
		return typeError(b, d)
	}
	if s == "" {
		return nil
	}
	v, ok := parseDecimal(s)
	if !ok {
		return typeError(b, d)
	}
	*d = Decimal{Value: v, Valid: true}
	return nil
}

// String returns the decimal in plain form with no exponent and no trailing
// zeros after the point, or "" when it is not valid.
func (d Decimal) String() string {
	if !d.Valid {
		return ""
	}
	return FormatDecimal(d.Value)
}

// FormatDecimal writes v in plain form: no exponent, no trailing zeros after
// the point ("594", "12.5", "-0.01"). Unlike decimal.Decimal.String it does
// not depend on that package's global settings.
func FormatDecimal(v decimal.Decimal) string {
	exp := v.Exponent()
	if exp <= 0 && exp >= -18 && v.NumDigits() <= 18 {
		// Every amount JST sends: the coefficient fits an int64, and
		// formatting it directly avoids math/big, which costs a mapped
		// order several microseconds.
		return formatScaled(v.CoefficientInt64(), int(-exp))
	}
	return formatBig(v)
}

// formatScaled writes coef × 10^-scale as FormatDecimal does.
func formatScaled(coef int64, scale int) string {
	if coef == 0 {
		return "0"
	}
	var buf [24]byte
	digits := strconv.AppendInt(buf[:0], coef, 10)
	sign := ""
	if digits[0] == '-' {
		sign, digits = "-", digits[1:]
	}
	for scale > 0 && digits[len(digits)-1] == '0' {
		digits, scale = digits[:len(digits)-1], scale-1
	}
	switch n := len(digits); {
	case scale == 0:
		return sign + string(digits)
	case n > scale:
		return sign + string(digits[:n-scale]) + "." + string(digits[n-scale:])
	default:
		return sign + "0." + strings.Repeat("0", scale-n) + string(digits)
	}
}

// formatBig is FormatDecimal for any decimal, through math/big.
func formatBig(v decimal.Decimal) string {
	exp := v.Exponent()
	if exp >= 0 {
		return v.StringFixed(0)
	}
	s := v.StringFixed(-exp)
	s = trimFraction(s)
	if s == "-0" {
		return "0"
	}
	return s
}

// trimFraction drops trailing zeros after a decimal point, and the point
// itself when nothing follows it.
func trimFraction(s string) string {
	if strings.IndexByte(s, '.') < 0 {
		return s
	}
	i := len(s)
	for i > 0 && s[i-1] == '0' {
		i--
	}
	if i > 0 && s[i-1] == '.' {
		i--
	}
	return s[:i]
}

// parseDecimal parses the JSON number grammar (a leading '+' also allowed)
// within the length and exponent bounds.
func parseDecimal(s string) (decimal.Decimal, bool) {
	if len(s) > maxDecimalLen || !isNumber(s) {
		return decimal.Decimal{}, false
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, false
	}
	if e := v.Exponent(); e > maxDecimalExp || e < -maxDecimalExp {
		return decimal.Decimal{}, false
	}
	return v, true
}

// isNumber reports whether s is a decimal number: an optional sign, digits,
// an optional fraction and an optional exponent.
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	n := digits(s[i:])
	if n == 0 {
		return false
	}
	i += n
	if i < len(s) && s[i] == '.' {
		i++
		n = digits(s[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		n = digits(s[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	return i == len(s)
}

func digits[T string | []byte](s T) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// Int is an int64 decoded from a JSON integer or an integer string. Valid is
// false when the field was absent, null or "".
type Int struct {
	Value int64
	Valid bool
}

// UnmarshalJSON decodes an integer, an integer string, "" or null. Any other
// value is an error naming it.
func (n *Int) UnmarshalJSON(b []byte) error {
	*n = Int{}
	s, ok := scalarText(b)
	if !ok {
		return typeError(b, n)
	}
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return typeError(b, n)
	}
	*n = Int{Value: v, Valid: true}
	return nil
}

// String is a string decoded from a JSON string or number; a number keeps
// its literal text, so the id 8295815 becomes "8295815". Null is "".
type String string

// UnmarshalJSON decodes a string, a number or null. Any other value is an
// error naming it.
func (s *String) UnmarshalJSON(b []byte) error {
	*s = ""
	if len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')) {
		if !isNumber(string(b)) {
			return typeError(b, s)
		}
		*s = String(b)
		return nil
	}
	v, ok := stringText(b)
	if !ok {
		return typeError(b, s)
	}
	*s = String(v)
	return nil
}

// Time is a JST time, written in Beijing time with no offset. The zero Time
// stands for "", null or an absent field.
type Time struct {
	time.Time
}

// zeroDate is how some JST responses write "no date".
const zeroDate = "0000-00-00 00:00:00"

// UnmarshalJSON decodes a "2006-01-02 15:04:05" string in Beijing time, ""
// or null. Any other value is an error naming it.
func (t *Time) UnmarshalJSON(b []byte) error {
	*t = Time{}
	s, ok := stringText(b)
	if !ok {
		return typeError(b, t)
	}
	if s == "" || s == zeroDate {
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return typeError(b, t)
	}
	t.Time = v
	return nil
}

// Bool is a bool decoded from true/false, 0/1, "true"/"false" or "0"/"1".
// Null and "" are false.
type Bool bool

// UnmarshalJSON decodes the shapes listed on Bool. Any other value is an
// error naming it.
func (v *Bool) UnmarshalJSON(b []byte) error {
	*v = false
	s, ok := scalarText(b)
	if !ok {
		switch string(b) {
		case "true":
			*v = true
			return nil
		case "false":
			return nil
		}
		return typeError(b, v)
	}
	switch s {
	case "", "0", "false":
		return nil
	case "1", "true":
		*v = true
		return nil
	}
	return typeError(b, v)
}

// scalarText returns the text of a JSON number or string; null gives "".
// It reports false for any other JSON value.
func scalarText(b []byte) (string, bool) {
	if len(b) == 0 {
		return "", false
	}
	if b[0] == '-' || (b[0] >= '0' && b[0] <= '9') {
		return string(b), true
	}
	return stringText(b)
}

// stringText returns the content of a JSON string; null gives "". It
// reports false for any other JSON value.
func stringText(b []byte) (string, bool) {
	if string(b) == "null" {
		return "", true
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", false
	}
	return s, true
}

// maxValueLen bounds the JSON text an error quotes.
const maxValueLen = 48

// typeError reports that the JSON value b does not fit the loose type of
// dst: a scalar by its text, an object or array by its kind alone.
// encoding/json fills in the struct and field path.
func typeError(b []byte, dst any) error {
	var v string
	switch {
	case len(b) > 0 && b[0] == '{':
		v = "object"
	case len(b) > 0 && b[0] == '[':
		v = "array"
	default:
		v = truncate(string(b), maxValueLen)
	}
	return &json.UnmarshalTypeError{Value: v, Type: reflect.TypeOf(dst).Elem()}
}

// truncate shortens s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
