package service

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Env reads configuration from environment variables. Each getter returns
// the default when the variable is unset or empty, and records an error
// naming the variable and its value when the value does not parse; Err
// returns every such error at once.
type Env struct {
	lookup func(string) (string, bool)
	errs   []error
}

// NewEnv returns an Env reading through lookup; nil means os.LookupEnv.
func NewEnv(lookup func(string) (string, bool)) *Env {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	return &Env{lookup: lookup}
}

// Err returns the problems found so far, joined, or nil.
func (e *Env) Err() error { return errors.Join(e.errs...) }

func (e *Env) get(name string) string {
	v, _ := e.lookup(name)
	return strings.TrimSpace(v)
}

// String returns the variable's value, or def.
func (e *Env) String(name, def string) string {
	if v := e.get(name); v != "" {
		return v
	}
	return def
}

// Secret returns the variable's value or, when <name>_FILE is set, the
// contents of that file with surrounding white space removed. Setting both
// is an error.
func (e *Env) Secret(name string) string {
	v, file := e.get(name), e.get(name+"_FILE")
	switch {
	case v != "" && file != "":
		e.errs = append(e.errs, fmt.Errorf("%s and %s_FILE are both set: keep one", name, name))
		return ""
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s_FILE: %w", name, err))
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	return v
}

// Duration returns the variable as a Go duration ("30s", "2m"), or def.
func (e *Env) Duration(name string, def time.Duration) time.Duration {
	v := e.get(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		e.errs = append(e.errs, fmt.Errorf("%s=%q: want a duration such as 30s or 2m", name, v))
		return def
	}
	return d
}

// Int returns the variable as an integer, or def.
func (e *Env) Int(name string, def int) int {
	v := e.get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q: want an integer", name, v))
		return def
	}
	return n
}

// Bool returns the variable as a boolean ("true", "false", "1", "0"), or def.
func (e *Env) Bool(name string, def bool) bool {
	v := e.get(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q: want true or false", name, v))
		return def
	}
	return b
}

// List returns the variable split on commas with blanks dropped, or def.
func (e *Env) List(name string, def []string) []string {
	v := e.get(name)
	if v == "" {
		return def
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Time returns the variable parsed with layout in loc, or def.
func (e *Env) Time(name, layout string, loc *time.Location, def time.Time) time.Time {
	v := e.get(name)
	if v == "" {
		return def
	}
	t, err := time.ParseInLocation(layout, v, loc)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q: want a time like %q", name, v, layout))
		return def
	}
	return t
}

// Require records an error for each named variable that is empty in vals.
func (e *Env) Require(vals map[string]string) {
	for name, v := range vals {
		if v == "" {
			e.errs = append(e.errs, fmt.Errorf("%s is required", name))
		}
	}
}
