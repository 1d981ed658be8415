package jstsim

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// change is one kind of change Step makes, with its weight.
type change struct {
	name   string
	weight int
	apply  func(st *store, now time.Time) bool // false: nothing to change
}

var changes = []change{
	{"new order", 30, (*store).liveNewOrder},
	{"order move", 35, (*store).liveOrderMove},
	{"split", 2, (*store).liveSplit},
	{"merge", 1, (*store).liveMerge},
	{"new after-sale", 15, (*store).liveNewAfterSale},
	{"after-sale move", 17, (*store).liveAfterSaleMove},
}

// Step makes n changes at the simulator's current time, as a live JST
// would see them: new orders (WaitPay), orders moving along WaitPay ->
// WaitConfirm or Delivering -> Sent (some Cancelled, now and then a split
// or a merge), new after-sales of sent orders (WaitConfirm), and
// after-sales confirmed (returned goods SELLER_RECEIVED) or cancelled.
// Every changed or new document gets modified = now and the next row
// version. The changes are deterministic for a seed and the same sequence
// of calls.
func (s *Sim) Step(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now().In(jst.Beijing)
	for range n {
		s.st.step(now)
	}
}

// RunLive calls Step(perTick) every interval of wall time until ctx ends.
// A zero every or perTick means the option's value (LiveEvery,
// LivePerTick). It blocks; run it in a goroutine.
func (s *Sim) RunLive(ctx context.Context, every time.Duration, perTick int) {
	if every <= 0 {
		every = s.opts.LiveEvery
	}
	if perTick <= 0 {
		perTick = s.opts.LivePerTick
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Step(perTick)
		}
	}
}

// step makes one change; a change with nothing to apply to falls back to
// a new order.
func (st *store) step(now time.Time) {
	total := 0
	for _, c := range changes {
		total += c.weight
	}
	n := st.gen.rng.IntN(total)
	for _, c := range changes {
		if n < c.weight {
			if !c.apply(st, now) {
				st.liveNewOrder(now)
			}
			return
		}
		n -= c.weight
	}
}

func (st *store) nextOrderID() int64 {
	return st.lastID(jst.KindOrder, 8200000) + 1 + st.gen.rng.Int64N(40)
}

func (st *store) liveNewOrder(now time.Time) bool {
	st.add(st.gen.newOrder(st.nextOrderID(), now), now)
	return true
}

// pickDoc returns a random document of kind that ok accepts, or nil.
func (st *store) pickDoc(kind jst.Kind, ok func(*doc) bool) *doc {
	var hits []*doc
	for _, d := range st.docs(kind) {
		if ok(d) {
			hits = append(hits, d)
		}
	}
	if len(hits) == 0 {
		return nil
	}
	return pick(st.gen.rng, hits)
}

func (st *store) liveOrderMove(now time.Time) bool {
	d := st.pickDoc(jst.KindOrder, func(d *doc) bool { return movable(d.status) })
	if d == nil || !st.gen.advanceOrder(d, now) {
		return false
	}
	st.bump(d, now)
	return true
}

func movable(status string) bool {
	switch status {
	case "WaitPay", "WaitConfirm", "Question", "Delivering":
		return true
	}
	return false
}

// liveSplit splits a paid, unsent order of two or more lines in two: the
// source becomes Split, and two new orders with its so_id (is_split) share
// its lines; the larger part carries freight and the order discount.
func (st *store) liveSplit(now time.Time) bool {
	src := st.pickDoc(jst.KindOrder, func(d *doc) bool {
		return (d.status == "WaitConfirm" || d.status == "Delivering") && goods(d) >= 2
	})
	if src == nil {
		return false
	}

	// The first part takes k goods lines, the second the rest and any gift.
	w := src.order
	k := 1 + st.gen.rng.IntN(goods(src)-1)
	var parts [2][]int
	for i, it := range w.Items {
		p := 1
		if !it.IsGift && k > 0 {
			p, k = 0, k-1
		}
		parts[p] = append(parts[p], i)
	}

	var items [2][]orderItemWire
	var units [2][]decimal.Decimal
	for p, idx := range parts {
		for _, i := range idx {
			items[p] = append(items[p], w.Items[i])
			units[p] = append(units[p], src.units[i])
		}
	}
	big := 0
	if lineSum(items[1]).GreaterThan(lineSum(items[0])) {
		big = 1
	}
	freight := decimal.RequireFromString(w.Freight)
	free := decimal.RequireFromString(w.FreeAmount)
	for p := range parts {
		f, fa := decimal.Zero, decimal.Zero
		if p == big {
			f, fa = freight, free
		}
		d := orderPart(src, st.nextOrderID(), items[p], units[p], f, fa)
		d.order.IsSplit, d.order.IsMerge = true, false
		st.add(d, now)
	}

	setOrderStatus(src, "Split")
	st.bump(src, now)
	return true
}

// liveMerge merges two paid orders waiting for confirmation in one shop:
// both become Merged, and a new order (is_merge) with the first one's
// so_id and buyer holds every line.
func (st *store) liveMerge(now time.Time) bool {
	a := st.pickDoc(jst.KindOrder, func(d *doc) bool { return d.status == "WaitConfirm" })
	if a == nil {
		return false
	}
	b := st.pickDoc(jst.KindOrder, func(d *doc) bool {
		return d != a && d.status == "WaitConfirm" && d.shopID == a.shopID
	})
	if b == nil {
		return false
	}

	items := append(append([]orderItemWire(nil), a.order.Items...), b.order.Items...)
	units := append(append([]decimal.Decimal(nil), a.units...), b.units...)
	freight := decimal.RequireFromString(a.order.Freight).
		Add(decimal.RequireFromString(b.order.Freight))
	free := decimal.RequireFromString(a.order.FreeAmount).
		Add(decimal.RequireFromString(b.order.FreeAmount))
	d := orderPart(a, st.nextOrderID(), items, units, freight, free)
	d.order.IsMerge, d.order.IsSplit = true, false
	st.add(d, now)

	for _, src := range []*doc{a, b} {
		setOrderStatus(src, "Merged")
		st.bump(src, now)
	}
	return true
}

func (st *store) liveNewAfterSale(now time.Time) bool {
	o := st.pickDoc(jst.KindOrder, func(d *doc) bool {
		return d.status == "Sent" && !d.sent.IsZero() && d.sent.Before(now) &&
			goods(d) > 0
	})
	if o == nil {
		return false
	}
	asid := st.lastID(jst.KindAfterSale, 4400000) + 1 + st.gen.rng.Int64N(30)
	st.add(st.gen.newAfterSale(asid, o, now), now)
	return true
}

func (st *store) liveAfterSaleMove(now time.Time) bool {
	d := st.pickDoc(jst.KindAfterSale, func(d *doc) bool {
		return d.status == "WaitConfirm"
	})
	if d == nil || !st.gen.advanceAfterSale(d, now) {
		return false
	}
	st.bump(d, now)
	return true
}

func lineSum(items []orderItemWire) decimal.Decimal {
	sum := decimal.Zero
	for _, it := range items {
		sum = sum.Add(decimal.RequireFromString(it.Amount))
	}
	return sum
}

// goods returns the number of lines of an order that are not gifts.
func goods(d *doc) int {
	n := 0
	for _, it := range d.order.Items {
		if !it.IsGift {
			n++
		}
	}
	return n
}
