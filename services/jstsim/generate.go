package jstsim

import (
	"encoding/base64"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// generator makes the deterministic data set of one seed.
type generator struct {
	rng  *rand.Rand
	now  time.Time // the clock at New, to the second, in Beijing time
	span time.Duration

	shops      []Shop
	skus       []catalogueSKU
	gift       catalogueSKU
	warehouses []warehouse
	coID       int64
	nextOI     int64
	nextASI    int64
}

// catalogueSKU is a SKU with its price as a decimal.
type catalogueSKU struct {
	SKU
	price     decimal.Decimal
	shopSKUID string
}

// generate builds the store for opts, whose defaults are set.
func generate(opts Options) *store {
	g := &generator{
		rng:     rand.New(rand.NewPCG(uint64(opts.Seed), 0x6a7374)),
		now:     opts.Now().In(jst.Beijing).Truncate(time.Second),
		span:    opts.Span,
		nextOI:  30000000,
		nextASI: 30950000,
	}
	g.coID = 10000000 + g.rng.Int64N(9000000)
	g.makeShops(opts.Shops)
	g.makeCatalogue()
	g.makeWarehouses()

	st := &store{coID: g.coID, shops: g.shops}
	for _, s := range g.skus {
		st.skus = append(st.skus, s.SKU)
	}
	// The gift is a catalogue item too: ERPs that receive orders must
	// know it as a material.
	st.skus = append(st.skus, g.gift.SKU)
	st.orders = g.makeOrders(opts.Orders)
	st.afterSales = g.makeAfterSales(opts.AfterSales, st.orders)
	st.nextTS = g.assignTS(st.orders, st.afterSales)
	st.index()

	// Later changes (churn, live mode) draw from their own stream, so the
	// data set of a seed stays what it was before they existed.
	g.rng = rand.New(rand.NewPCG(uint64(opts.Seed), 0x6c697665))
	st.gen = g
	return st
}

func (g *generator) makeShops(n int) {
	seen := map[string]bool{}
	for len(g.shops) < n {
		id := strconv.FormatInt(10000000+g.rng.Int64N(89999999), 10)
		if seen[id] {
			continue
		}
		seen[id] = true
		name := pick(g.rng, shopBrands) + pick(g.rng, shopPlatforms)
		for taken(g.shops, name) {
			name += strconv.Itoa(len(g.shops) + 1)
		}
		g.shops = append(g.shops, Shop{ID: id, Name: name})
	}
}

func taken(shops []Shop, name string) bool {
	for _, s := range shops {
		if s.Name == name {
			return true
		}
	}
	return false
}

func (g *generator) makeCatalogue() {
	for _, p := range products {
		g.skus = append(g.skus, g.variants(p)...)
	}
	g.gift = g.variants(giftProduct)[0]
}

// variants returns the SKUs of product p: one per color and size.
func (g *generator) variants(p product) []catalogueSKU {
	iid := string(rune('A'+g.rng.IntN(26))) + digits(g.rng, 8) +
		string(rune('A'+g.rng.IntN(26)))
	sizes := p.sizes
	if len(sizes) == 0 {
		sizes = []string{""}
	}

	var out []catalogueSKU
	for _, c := range p.colors {
		for _, s := range sizes {
			props := "颜色:" + c
			if s != "" {
				props += ";" + p.spec + ":" + s
			}
			price := decimal.RequireFromString(p.price)
			out = append(out, catalogueSKU{
				SKU: SKU{
					ID:         iid + digits(g.rng, 8),
					ItemID:     iid,
					Name:       p.name,
					Properties: props,
					Price:      price.String(),
				},
				price:     price,
				shopSKUID: digits(g.rng, 16),
			})
		}
	}
	return out
}

func (g *generator) makeWarehouses() {
	for _, name := range warehouseNames {
		g.warehouses = append(g.warehouses, warehouse{
			wmsCoID: 11000000 + g.rng.Int64N(900000),
			name:    name,
		})
	}
}

// assignTS gives every document a row version that grows with its modified
// time, and returns the next free version.
func (g *generator) assignTS(orders, afterSales []*doc) int64 {
	all := append(append([]*doc{}, orders...), afterSales...)
	sortDocs(all)

	ts := 4933000000 + g.rng.Int64N(100000)
	for _, d := range all {
		ts += 1 + g.rng.Int64N(300)
		d.ts = ts
		d.render()
	}
	return ts + 1
}

// between returns a second-granular time in [lo, hi].
func (g *generator) between(lo, hi time.Time) time.Time {
	if !hi.After(lo) {
		return lo
	}
	secs := int64(hi.Sub(lo) / time.Second)
	return lo.Add(time.Duration(g.rng.Int64N(secs+1)) * time.Second)
}

// window returns the range generated modified times fall in.
func (g *generator) window() (lo, hi time.Time) {
	return g.now.Add(-g.span), g.now.Add(-time.Minute)
}

func (g *generator) dur(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(g.rng.Int64N(int64(hi-lo)+1))
}

func (g *generator) chance(p float64) bool {
	return g.rng.Float64() < p
}

func (g *generator) buyerID() string {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(g.rng.UintN(256))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func (g *generator) mobile() string {
	return "1" + pick(g.rng, []string{"3", "5", "8", "9"}) + digits(g.rng, 9)
}

func (g *generator) trackingNo() (number, company string) {
	c := carriers[g.rng.IntN(len(carriers))]
	return c.prefix + digits(g.rng, 13), c.name
}

// weighted is one choice of a weighted draw.
type weighted struct {
	value  string
	weight int
}

func (g *generator) draw(choices []weighted) string {
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	n := g.rng.IntN(total)
	for _, c := range choices {
		if n < c.weight {
			return c.value
		}
		n -= c.weight
	}
	return choices[len(choices)-1].value
}

func pick[T any](rng *rand.Rand, list []T) T {
	return list[rng.IntN(len(list))]
}

// digits returns n random decimal digits, the first not 0.
func digits(rng *rand.Rand, n int) string {
	var b strings.Builder
	b.WriteByte(byte('1' + rng.IntN(9)))
	for i := 1; i < n; i++ {
		b.WriteByte(byte('0' + rng.IntN(10)))
	}
	return b.String()
}
