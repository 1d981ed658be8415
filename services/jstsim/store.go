package jstsim

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// doc is one stored document of either kind, with the fields queries
// filter on kept typed beside its wire form.
type doc struct {
	kind     jst.Kind
	id       int64  // o_id or as_id
	oid      int64  // o_id (for an after-sale, its order's)
	soID     string // so_id
	shopID   string
	status   string
	modified time.Time
	ts       int64
	tsText   bool // serve ts as a string

	order *orderWire     // set for orders
	as    *afterSaleWire // set for after-sales
	raw   []byte         // the JSON served

	// Order-only facts the after-sale generator needs.
	sent  time.Time         // send_date; zero when not sent
	units []decimal.Decimal // effective unit price of each item line
}

// render writes modified and ts into the wire form and encodes it.
func (d *doc) render() {
	mod := jst.FormatTime(d.modified)
	var v any
	switch {
	case d.order != nil:
		d.order.Modified = mod
		d.order.TS = d.ts
		if d.tsText {
			d.order.TS = strconv.FormatInt(d.ts, 10)
		}
		v = d.order
	default:
		d.as.Modified = mod
		d.as.TS = strconv.FormatInt(d.ts, 10)
		v = d.as
	}

	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("jstsim: encode %s %d: %v", d.kind, d.id, err))
	}
	d.raw = raw
}

// store holds the data set. Its owner (Sim) guards it with a mutex.
type store struct {
	coID       int64
	shops      []Shop
	skus       []SKU
	orders     []*doc
	afterSales []*doc
	byID       map[jst.Kind]map[int64]*doc
	nextTS     int64

	// paged holds the documents of each kind in JST's page order, built
	// when a query needs it; any change of a modified time drops it.
	paged map[jst.Kind][]*doc
	// last is the selection of the last query, which the next page of
	// the same query reuses; dropped with paged.
	last *selection

	// gen makes later changes: new documents and content changes.
	gen *generator
}

func (st *store) index() {
	st.paged, st.last = nil, nil
	st.byID = map[jst.Kind]map[int64]*doc{
		jst.KindOrder:     {},
		jst.KindAfterSale: {},
	}
	for _, d := range st.orders {
		st.byID[jst.KindOrder][d.id] = d
	}
	for _, d := range st.afterSales {
		st.byID[jst.KindAfterSale][d.id] = d
	}
}

func (st *store) docs(kind jst.Kind) []*doc {
	if kind == jst.KindOrder {
		return st.orders
	}
	return st.afterSales
}

// touch moves a document's modified time to now and gives it the next row
// version. It reports false for an unknown document.
func (st *store) touch(kind jst.Kind, id int64, now time.Time) bool {
	d, ok := st.byID[kind][id]
	if !ok {
		return false
	}
	st.bump(d, now)
	return true
}

// bump gives d modified = now and the next row version, and renders it.
func (st *store) bump(d *doc, now time.Time) {
	st.paged, st.last = nil, nil
	d.modified = now.In(jst.Beijing).Truncate(time.Second)
	d.ts = st.nextTS
	st.nextTS++
	d.render()
}

// add stores a new document of either kind with modified = now and the
// next row version. Its id must be above every stored id of its kind.
func (st *store) add(d *doc, now time.Time) {
	if d.kind == jst.KindOrder {
		st.orders = append(st.orders, d)
	} else {
		st.afterSales = append(st.afterSales, d)
	}
	st.byID[d.kind][d.id] = d
	st.bump(d, now)
}

// lastID returns the highest stored id of kind, or base when none is.
func (st *store) lastID(kind jst.Kind, base int64) int64 {
	docs := st.docs(kind)
	if len(docs) == 0 {
		return base
	}
	return docs[len(docs)-1].id
}

// inPageOrder returns the documents of kind sorted as JST pages them.
// The slice is shared: callers must not change it.
func (st *store) inPageOrder(kind jst.Kind) []*doc {
	if docs, ok := st.paged[kind]; ok {
		return docs
	}
	docs := slices.Clone(st.docs(kind))
	sortDocs(docs)
	if st.paged == nil {
		st.paged = map[jst.Kind][]*doc{}
	}
	st.paged[kind] = docs
	return docs
}

// sortDocs orders docs by modified time, then id, as JST pages them.
func sortDocs(docs []*doc) {
	sort.Slice(docs, func(i, j int) bool {
		a, b := docs[i], docs[j]
		if !a.modified.Equal(b.modified) {
			return a.modified.Before(b.modified)
		}
		return a.id < b.id
	})
}

func (d *doc) orderSnapshot() Order {
	w := d.order
	o := Order{
		ID:         d.id,
		SOID:       d.soID,
		ShopID:     d.shopID,
		Status:     d.status,
		Type:       w.Type,
		Modified:   d.modified,
		TS:         d.ts,
		PayAmount:  w.PayAmount.String(),
		PaidAmount: w.PaidAmount.String(),
		Freight:    w.Freight,
		FreeAmount: w.FreeAmount,
		IsMerge:    w.IsMerge,
		IsSplit:    w.IsSplit,
	}
	for _, it := range w.Items {
		o.Items = append(o.Items, Item{
			SKU:    it.SKUID,
			Name:   it.Name,
			Qty:    it.Qty,
			Price:  it.Price,
			Amount: it.Amount,
			IsGift: it.IsGift,
		})
	}
	return o
}

func (d *doc) afterSaleSnapshot() AfterSale {
	w := d.as
	a := AfterSale{
		ID:         d.id,
		OrderID:    d.oid,
		SOID:       d.soID,
		ShopID:     d.shopID,
		Status:     d.status,
		Type:       w.Type,
		GoodStatus: w.GoodStatus,
		Modified:   d.modified,
		TS:         d.ts,
		Refund:     w.Refund,
		Payment:    w.Payment,
		Freight:    w.Freight,
		WmsCoID:    w.WmsCoID,
		WhID:       w.WhID,
	}
	for _, it := range w.Items {
		a.Items = append(a.Items, Item{
			SKU:          it.SKUID,
			Name:         it.Name,
			Qty:          it.Qty,
			RQty:         it.RQty,
			DefectiveQty: it.DefectiveQty,
			Price:        it.Price,
			Amount:       it.Amount,
		})
	}
	return a
}
