package jst

import (
	"encoding/json"
	"fmt"
)

// The envelope and page of an answer are split with jsonReader rather than
// encoding/json, which refuses a whole body nested deeper than 10,000
// levels anywhere: one hostile document would make every later page
// unreadable. Splitting passes values of any depth; each document is then
// read on its own, with the bound, and only that one fails.

// splitObject returns the fields of the JSON object b, each value's text as
// it stands in b. null is an empty object. A duplicate key keeps its last
// value, as encoding/json does. Anything else than an object, or text after
// it, is an error.
func splitObject(b []byte) (map[string]json.RawMessage, error) {
	r := jsonReader{b: b, anyDepth: true}
	fields := map[string]json.RawMessage{}
	err := r.object(func(key []byte) error {
		v, err := r.value()
		if err != nil {
			return err
		}
		fields[string(key)] = v
		return nil
	})
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return nil, splitError(err)
	}
	return fields, nil
}

// splitArray returns the elements of the JSON array b, each as it stands in
// b; null is an empty array.
func splitArray(b []byte) ([]json.RawMessage, error) {
	r := jsonReader{b: b, anyDepth: true}
	var elems []json.RawMessage
	err := r.array(func(int) error {
		v, err := r.value()
		if err != nil {
			return err
		}
		elems = append(elems, v)
		return nil
	})
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return nil, splitError(err)
	}
	return elems, nil
}

// splitError words an error of the reader for a malformed answer: a value
// of the wrong shape by its kind or text, anything else as is.
func splitError(err error) error {
	if fe, ok := err.(*FieldError); ok {
		return fmt.Errorf("%s: %s", fe.Value, fe.Err)
	}
	return err
}
