package mapping

import (
	"fmt"
	"slices"
	"strings"
)

// template is a parsed FBillNo template: literal text and {field}
// placeholders, in order.
type template struct {
	parts []tmplPart
}

type tmplPart struct {
	literal string
	field   string // set for a placeholder
}

// parseTemplate parses s, allowing only the placeholders in fields and
// requiring the placeholder required. Errors say what is wrong with s.
func parseTemplate(s string, fields []string, required string) (template, error) {
	var t template
	hasRequired := false
	for rest := s; rest != ""; {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			t.parts = append(t.parts, tmplPart{literal: rest})
			break
		}
		if open > 0 {
			t.parts = append(t.parts, tmplPart{literal: rest[:open]})
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return template{}, fmt.Errorf("%q: unclosed {", s)
		}
		field := rest[open+1 : open+end]
		if !slices.Contains(fields, field) {
			return template{}, fmt.Errorf("%q: unknown placeholder {%s}", s, field)
		}
		hasRequired = hasRequired || field == required
		t.parts = append(t.parts, tmplPart{field: field})
		rest = rest[open+end+1:]
	}
	if !hasRequired {
		return template{}, fmt.Errorf("%q: must contain {%s}", s, required)
	}
	return t, nil
}

// render fills the template with the values that lookup gives.
func (t template) render(lookup func(field string) string) string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.field == "" {
			b.WriteString(p.literal)
			continue
		}
		b.WriteString(lookup(p.field))
	}
	return b.String()
}
