package jst

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/orderbridge/orderbridge/pkg/internal/jsonenc"
)

// jsonReader reads one JSON document from memory, validating it as it goes:
// a document it accepts is valid JSON. Unlike encoding/json it reads the
// document once, builds nothing for the fields its caller skips, and
// matches keys exactly, as JST writes them.
type jsonReader struct {
	b []byte
	i int
	// anyDepth lets skip pass values nested deeper than maxDepth, for
	// splitting a page into its documents; each document is read with the
	// bound later, so that one nested too deep fails alone.
	anyDepth bool
}

// maxDepth bounds the nesting of skipped values, as encoding/json does.
const maxDepth = 10000

// errSyntax is the cause of a FieldError for a document that is not valid
// JSON.
var errSyntax = errors.New("malformed JSON")

// errTooDeep is the cause of a FieldError for a value nested deeper than
// maxDepth.
var errTooDeep = fmt.Errorf("%w: nested too deep (over %d levels)", errSyntax, maxDepth)

func (r *jsonReader) syntaxError() error {
	return fmt.Errorf("%w at offset %d", errSyntax, r.i)
}

// next skips white space and returns the next byte, or 0 at the end (a
// NUL byte in the input also reads as 0, and is never valid where it
// appears).
func (r *jsonReader) next() byte {
	for r.i < len(r.b) {
		switch c := r.b[r.i]; c {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return c
		}
	}
	return 0
}

// end checks that nothing but white space follows the document.
func (r *jsonReader) end() error {
	if r.next(); r.i < len(r.b) {
		return r.syntaxError()
	}
	return nil
}

// value returns the JSON text of the next value and moves past it.
func (r *jsonReader) value() ([]byte, error) {
	r.next()
	start := r.i
	if err := r.skip(); err != nil {
		return nil, err
	}
	return r.b[start:r.i], nil
}

// skip moves past the next value, of any depth, without recursion. Deeper
// than maxDepth is an error unless anyDepth is set; the open levels cost a
// bit each.
func (r *jsonReader) skip() error {
	var open closers
	for {
		switch c := r.next(); c {
		case '{', '[':
			r.i++
			if c == '{' {
				c = '}'
			} else {
				c = ']'
			}
			if r.next() == c {
				r.i++
				break
			}
			if open.n == maxDepth && !r.anyDepth {
				return errTooDeep
			}
			open.push(c)
			if c == '}' {
				if err := r.colonAfterKey(); err != nil {
					return err
				}
			}
			continue
		case '"':
			if _, _, err := r.str(); err != nil {
				return err
			}
		default:
			if err := r.scalar(); err != nil {
				return err
			}
		}

		// A value ended: close what it ends, or go on to the next element.
		for {
			if open.n == 0 {
				return nil
			}
			c := r.next()
			top := open.top()
			if c == top {
				r.i++
				open.n--
				continue
			}
			if c != ',' {
				return r.syntaxError()
			}
			r.i++
			if top == '}' {
				if err := r.colonAfterKey(); err != nil {
					return err
				}
			}
			break
		}
	}
}

// closers is a stack of the brackets that close the open levels of a
// value, one bit a level: set for '}', clear for ']'.
type closers struct {
	bits []uint64
	n    int
}

func (s *closers) push(c byte) {
	w, b := s.n/64, uint(s.n%64)
	if w == len(s.bits) {
		s.bits = append(s.bits, 0)
	}
	if c == '}' {
		s.bits[w] |= 1 << b
	} else {
		s.bits[w] &^= 1 << b
	}
	s.n++
}

func (s *closers) top() byte {
	w, b := (s.n-1)/64, uint((s.n-1)%64)
	if s.bits[w]>>b&1 == 1 {
		return '}'
	}
	return ']'
}

// colonAfterKey reads an object key and the colon after it.
func (r *jsonReader) colonAfterKey() error {
	if r.next() != '"' {
		return r.syntaxError()
	}
	if _, _, err := r.str(); err != nil {
		return err
	}
	if r.next() != ':' {
		return r.syntaxError()
	}
	r.i++
	return nil
}

// stringStop marks the bytes that end a run of plain string text: the
// quote, the backslash and the control characters.
var stringStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// str reads a string, returning its text with the quotes and whether it
// holds an escape.
func (r *jsonReader) str() ([]byte, bool, error) {
	start := r.i
	escaped := false
	b := r.b
	for i := r.i + 1; ; i++ {
		for i < len(b) && !stringStop[b[i]] {
			i++
		}
		if i == len(b) {
			r.i = i
			return nil, false, r.syntaxError()
		}
		switch b[i] {
		case '"':
			r.i = i + 1
			return b[start:r.i], escaped, nil
		case '\\':
			escaped = true
			r.i = i
			if err := r.escape(); err != nil {
				return nil, false, err
			}
			i = r.i
		default:
			r.i = i
			return nil, false, r.syntaxError()
		}
	}
}

// escape checks the escape sequence at r.i, leaving r.i on its last byte.
func (r *jsonReader) escape() error {
	r.i++
	if r.i >= len(r.b) {
		return r.syntaxError()
	}
	switch r.b[r.i] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return nil
	case 'u':
		if r.i+4 >= len(r.b) {
			return r.syntaxError()
		}
		for _, h := range r.b[r.i+1 : r.i+5] {
			if !isHex(h) {
				return r.syntaxError()
			}
		}
		r.i += 4
		return nil
	}
	return r.syntaxError()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// scalar reads true, false, null or a number in strict JSON grammar.
func (r *jsonReader) scalar() error {
	rest := r.b[r.i:]
	for _, w := range [...]string{"true", "false", "null"} {
		if hasWord(rest, w) {
			r.i += len(w)
			return nil
		}
	}
	n := jsonenc.NumberLen(rest)
	if n == 0 {
		return r.syntaxError()
	}
	r.i += n
	return nil
}

func hasWord(b []byte, w string) bool {
	return len(b) >= len(w) && string(b[:len(w)]) == w
}

// object reads an object, calling field with each key; field must read the
// value. A null reads as an empty object. Anything else is a type error
// that names the value.
func (r *jsonReader) object(field func(key []byte) error) error {
	switch r.next() {
	case '{':
	case 'n':
		return r.null("an object")
	default:
		return r.wrongShape("an object")
	}
	r.i++
	if r.next() == '}' {
		r.i++
		return nil
	}
	for {
		if r.next() != '"' {
			return r.syntaxError()
		}
		key, escaped, err := r.str()
		if err != nil {
			return err
		}
		key = key[1 : len(key)-1]
		if escaped {
			key = unescapeKey(key)
		}
		if r.next() != ':' {
			return r.syntaxError()
		}
		r.i++
		if err := field(key); err != nil {
			return err
		}
		switch r.next() {
		case ',':
			r.i++
		case '}':
			r.i++
			return nil
		default:
			return r.syntaxError()
		}
	}
}

// array reads an array, calling elem for each element; elem must read it.
// A null reads as an empty array.
func (r *jsonReader) array(elem func(i int) error) error {
	switch r.next() {
	case '[':
	case 'n':
		return r.null("a list")
	default:
		return r.wrongShape("a list")
	}
	r.i++
	if r.next() == ']' {
		r.i++
		return nil
	}
	for i := 0; ; i++ {
		if err := elem(i); err != nil {
			return err
		}
		switch r.next() {
		case ',':
			r.i++
		case ']':
			r.i++
			return nil
		default:
			return r.syntaxError()
		}
	}
}

// null reads a null where want was expected.
func (r *jsonReader) null(want string) error {
	if !hasWord(r.b[r.i:], "null") {
		return r.wrongShape(want)
	}
	r.i += 4
	return nil
}

// wrongShape reads a value that is not what was wanted and reports it: a
// scalar by its text, an object or array by its kind alone, since a
// document in the wrong place may hold buyer data.
func (r *jsonReader) wrongShape(want string) error {
	raw, err := r.value()
	if err != nil {
		return err
	}
	v := truncate(string(raw), maxValueLen)
	switch raw[0] {
	case '{':
		v = "object"
	case '[':
		v = "array"
	}
	return &FieldError{Value: v, Err: errors.New("want " + want)}
}

// unescapeKey decodes an object key that holds escapes.
func unescapeKey(key []byte) []byte {
	var s string
	quoted := append(append([]byte{'"'}, key...), '"')
	if json.Unmarshal(quoted, &s) != nil {
		return key
	}
	return []byte(s)
}
