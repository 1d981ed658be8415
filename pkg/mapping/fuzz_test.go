package mapping

import (
	"errors"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// FuzzFilter compiles any expression as an order filter and an order
// override and runs both on any document: loading either refuses the rule
// or the mapping gives a result or an *Error, never a panic, and the cost
// limit bounds every evaluation. Seeds are in testdata/fuzz/FuzzFilter.
func FuzzFilter(f *testing.F) {
	f.Add(`doc.status == "Sent"`, readFile(f, "order_sent.json"))
	f.Add(`doc.lines.exists(l, l.sku_id == "SKU-B")`, readFile(f, "order_sent.json"))
	f.Add(`doc.lines.all(a, doc.lines.all(b, a.qty.value <= b.qty.value))`,
		readFile(f, "order_sent.json"))
	f.Fuzz(func(t *testing.T, expr string, raw []byte) {
		r := testRules()
		r.Filters.Order = []FilterRule{{Name: "fuzz", Sync: expr}}
		checkRules(t, r, raw)

		r = testRules()
		r.Overrides.Order = map[string]string{"note": expr, "lines.unit_number": expr}
		checkRules(t, r, raw)
	})
}

// checkRules maps raw under r when r is valid, failing on anything but a
// result or an *Error.
func checkRules(t *testing.T, r Rules, raw []byte) {
	m, err := New(r)
	if err != nil {
		if !errors.Is(err, ErrInvalidRules) {
			t.Fatalf("New(%+v) error = %v, want ErrInvalidRules", r.Filters, err)
		}
		return
	}
	res, err := m.Map(jst.KindOrder, raw, Source{})
	var e *Error
	switch {
	case err != nil && !errors.As(err, &e):
		t.Fatalf("Map(%q) error = %v, want *Error", raw, err)
	case err == nil && (res.Decision == Sync) != (res.Doc != nil):
		t.Fatalf("Map(%q) = %s with doc %v", raw, res.Decision, res.Doc != nil)
	}
}

// FuzzParseFile loads any bytes as a mapping file: a File or a
// *RulesError, never a panic.
func FuzzParseFile(f *testing.F) {
	f.Add(readFile(f, "mapping.yaml"))
	f.Add(readFile(f, "mapping_bad.yaml"))
	f.Add(readFile(f, "rules.yaml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseFile("fuzz.yaml", data)
		if err != nil {
			if !errors.Is(err, ErrInvalidRules) {
				t.Fatalf("ParseFile(%q) error = %v, want ErrInvalidRules", data, err)
			}
			return
		}
		if file.Mapper == nil || file.Settings == nil {
			t.Fatalf("ParseFile(%q) = %+v, want a Mapper and settings", data, file)
		}
	})
}
