package mapping

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/orderbridge/orderbridge/pkg/bill"
)

// File is a mapping file made ready for use: its rules, the Kingdee form
// settings of its forms section, and the Mapper compiled from both.
type File struct {
	// Name is the file's path, "" for rules built in Go.
	Name string
	// Hash identifies the file's content: "sha256:" and 16 hex digits. A
	// reload that finds the same hash has nothing to do.
	Hash string
	// Rules are the rules with their defaults filled in.
	Rules Rules
	// Settings are DefaultSettings with the forms section laid over them,
	// form by form and field by field; the writer builds bills with them.
	Settings bill.Settings
	// Mapper maps documents under Rules.
	Mapper *Mapper
}

// LoadFile reads the mapping file at path and checks everything in it:
// YAML syntax and types, unknown and duplicate keys, tables, templates,
// routes and form settings, filters and overrides (CEL compile errors,
// wrong result types). Sections the file leaves out take the built-in
// defaults. When the file sets no version, its version is its Hash, so
// that any edit changes it.
//
// A file that cannot be used gives a *RulesError (wrapping
// ErrInvalidRules) that lists every problem with its line, such as
// "mapping.yaml:12: filters.order[1].skip: undeclared reference to
// 'staus' (column 5)". A file that cannot be read gives the os error.
func LoadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mapping: load %s: %w", path, err)
	}
	return ParseFile(path, data)
}

// ParseFile is LoadFile on the content of a mapping file; name is used in
// problems and as File.Name.
func ParseFile(name string, data []byte) (*File, error) {
	var p problems
	fy, ok := decodeFile(data, &p)
	if !ok {
		return nil, locate(filepath.Base(name), data, p.err())
	}
	s := settingsOf(fy.Forms, &p)
	hash := FileHash(data)
	if fy.Version == "" {
		fy.Version = hash
	}
	f, err := newFile(fy.Rules, s, &p)
	if err != nil {
		return nil, locate(filepath.Base(name), data, err)
	}
	f.Name, f.Hash = name, hash
	return f, nil
}

// NewFile makes a File of rules and settings built in Go, as LoadFile
// would of a file holding them; nil settings mean bill.DefaultSettings.
// Errors are those of New and of the settings' checks: a *RulesError.
func NewFile(r Rules, s bill.Settings) (*File, error) {
	if s == nil {
		s = bill.DefaultSettings()
	}
	return newFile(r, s, &problems{})
}

// DefaultFile returns the File of DefaultRules and DefaultSettings, in
// force when no mapping file is configured.
func DefaultFile() *File {
	f, err := NewFile(DefaultRules(), nil)
	if err != nil {
		panic("mapping: the built-in rules are invalid: " + err.Error())
	}
	return f
}

// newFile compiles the Mapper of r and checks s against the forms r uses,
// adding to the problems already found in p. It fails when p holds any.
func newFile(r Rules, s bill.Settings, p *problems) (*File, error) {
	m, err := build(r, s)
	var re *RulesError
	switch {
	case errors.As(err, &re):
		p.list = append(p.list, re.Problems...)
	case err != nil:
		return nil, err
	}
	checkSettings(s, p)
	if m != nil {
		checkFormsUsed(m.rules, s, p)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return &File{Rules: m.Rules(), Settings: s, Mapper: m}, nil
}

// FileHash returns the File.Hash of a mapping file's content: "sha256:"
// and the first 16 hex digits of its SHA-256.
func FileHash(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:8])
}
