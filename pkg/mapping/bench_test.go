package mapping

import (
	"testing"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// BenchmarkMapOrder maps a typical three-line order, string and number
// shapes mixed, and reports documents per second.
func BenchmarkMapOrder(b *testing.B) {
	m := newMapper(b, testRules())
	raw := readFile(b, "order_sent.json")
	src := Source{Gateway: "openapi", RawSequence: 1}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		res, err := m.Map(jst.KindOrder, raw, src)
		if err != nil || res.Decision != Sync {
			b.Fatalf("Map(order_sent) = %v, %v", res, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
