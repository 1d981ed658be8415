package mapping

import (
	"testing"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// BenchmarkMapOrder maps a typical three-line order, string and number
// shapes mixed, on one goroutine, and reports documents per second: with
// the built-in decisions, with the same decisions as CEL filters, and
// with CEL filters and overrides. The target is 20,000 docs/s on one core
// with filters on.
func BenchmarkMapOrder(b *testing.B) {
	withCEL := testRules()
	withCEL.Filters = DefaultFilters()
	withOverrides := withCEL
	withOverrides.Overrides = Overrides{Order: map[string]string{
		"note":              `"JST " + doc.so_id`,
		"lines.unit_number": `line.is_gift ? "Pcs" : ""`,
	}}
	cases := []struct {
		name  string
		rules Rules
	}{
		{"builtin", testRules()},
		{"cel_filters", withCEL},
		{"cel_filters_overrides", withOverrides},
	}
	raw := readFile(b, "order_sent.json")
	src := Source{Gateway: "openapi", RawSequence: 1}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			m := newMapper(b, c.rules)
			b.ReportAllocs()
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				res, err := m.Map(jst.KindOrder, raw, src)
				if err != nil || res.Decision != Sync {
					b.Fatalf("Map(order_sent) = %v, %v", res, err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkFilterOnly runs the CEL order filters alone on a drafted
// order, to show their share of the mapping's time.
func BenchmarkFilterOnly(b *testing.B) {
	r := testRules()
	r.Filters = DefaultFilters()
	m := newMapper(b, r)
	o, err := jst.ParseOrder(readFile(b, "order_sent.json"))
	if err != nil {
		b.Fatal(err)
	}
	meta, err := o.Meta()
	if err != nil {
		b.Fatal(err)
	}
	so, _ := m.draftOrder(o, meta, Source{})
	b.ReportAllocs()
	for b.Loop() {
		if d, _, err := m.orderFilters.decide("order.1", so); err != nil || d != Sync {
			b.Fatalf("decide() = %v, %v", d, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
