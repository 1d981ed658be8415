package jstsim

import (
	"fmt"
	"sort"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// SetChurn changes Options.Churn and Options.ChurnDocs while the simulator
// runs; docs 0 keeps the current number. It returns an error, and changes
// nothing, for a probability outside 0..1 or a negative docs.
func (s *Sim) SetChurn(p float64, docs int) error {
	if p < 0 || p > 1 || docs < 0 {
		return fmt.Errorf("jstsim: churn %g of %d docs: want 0..1 and docs >= 0", p, docs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.churn = p
	if docs > 0 {
		s.churnDocs = docs
	}
	return nil
}

// Churn returns the churn probability and the documents each churn changes.
func (s *Sim) Churn() (p float64, docs int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.churn, s.churnDocs
}

// churnDue draws whether churn happens before the page q asks for. Only
// window and start_ts queries churn. It runs with s.mu held.
func (s *Sim) churnDue(q bizQuery) bool {
	if s.churn <= 0 || (q.begin.IsZero() && q.startTS == 0) {
		return false
	}
	return s.churnRNG.Float64() < s.churn
}

// churnPages changes up to churnDocs of hits, the sorted matches of a
// query, taken from the pages up to and including the one asked for, so
// that the pages after it shift: each gets a small content change,
// modified = now and the next row version. It runs with s.mu held and
// reports whether anything changed.
func (s *Sim) churnPages(hits []*doc, q bizQuery, now time.Time) bool {
	limit := min(len(hits), q.pageIndex*q.pageSize)
	if limit <= 0 {
		return false
	}
	pool := append([]*doc(nil), hits[:limit]...)
	n := min(s.churnDocs, len(pool))
	for i := range n {
		j := i + s.churnRNG.IntN(len(pool)-i)
		pool[i], pool[j] = pool[j], pool[i]
		s.st.gen.touchContent(pool[i], now)
		s.st.bump(pool[i], now)
	}
	return n > 0
}

// selection is the documents of kind that a query selects, in page order.
type selection struct {
	kind jst.Kind
	q    bizQuery
	hits []*doc
}

// sameSelection reports whether a and b select the same documents, pages
// aside. Queries by ids are never taken as the same.
func sameSelection(a, b bizQuery) bool {
	return a.begin.Equal(b.begin) && a.end.Equal(b.end) && a.shopID == b.shopID &&
		a.startTS == b.startTS && a.status == b.status &&
		a.oIDs == nil && b.oIDs == nil && a.soIDs == nil && b.soIDs == nil
}

// matches returns the documents of kind that q selects, sorted as JST
// pages them. Reading a window page by page selects it once, not once a
// page, until a document changes.
func (st *store) matches(kind jst.Kind, q bizQuery) []*doc {
	if l := st.last; l != nil && l.kind == kind && sameSelection(l.q, q) {
		return l.hits
	}
	docs := st.inPageOrder(kind)
	if !q.begin.IsZero() {
		lo := sort.Search(len(docs), func(i int) bool { return !docs[i].modified.Before(q.begin) })
		hi := sort.Search(len(docs), func(i int) bool { return docs[i].modified.After(q.end) })
		docs = docs[lo:max(lo, hi)]
	}
	var hits []*doc
	for _, d := range docs {
		if q.match(d) {
			hits = append(hits, d)
		}
	}
	st.last = &selection{kind: kind, q: q, hits: hits}
	return hits
}
