package mapping

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// LoadRules reads a YAML mapping file over DefaultRules and validates the
// result as New does. Decoding is strict: an unknown key, a duplicate key
// or a value of the wrong type is an error naming its line. When the file
// sets no version, the version is "sha256:" and the first 16 hex digits of
// the SHA-256 of the file, so that any edit changes it. Errors wrap the
// file error, or ErrInvalidRules for a file that cannot be used.
func LoadRules(path string) (Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Rules{}, fmt.Errorf("mapping: load rules: %w", err)
	}
	r, err := ParseRules(data)
	if err != nil {
		return Rules{}, fmt.Errorf("mapping: load rules %s: %w", path, err)
	}
	return r, nil
}

// ParseRules is LoadRules on the content of a mapping file.
func ParseRules(data []byte) (Rules, error) {
	r := DefaultRules()
	r.Version = ""

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(&r)
	if err != nil && !errors.Is(err, io.EOF) {
		return Rules{}, fmt.Errorf("%w: %w", ErrInvalidRules, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return Rules{}, invalid("more than one YAML document")
	}

	if r.Version == "" {
		sum := sha256.Sum256(data)
		r.Version = "sha256:" + hex.EncodeToString(sum[:8])
	}
	if _, err := New(r); err != nil {
		return Rules{}, err
	}
	return r, nil
}
