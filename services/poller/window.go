package poller

import (
	"context"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// windowScan is the outcome of reading one window of modified times.
type windowScan struct {
	docs, pages int
	rescans     int
	maxTS       int64
	// settled is false when the window still changed after RescanMax
	// re-reads.
	settled bool
}

// windowRead reads one window [begin, end] of one kind and shop, page by
// page, publishing every document.
//
// JST sorts the rows by modified time, and a row that changes while the
// window is read jumps to now, out of the window, so the rows after it
// shift one place left and a reader going forward page by page skips one.
// A first pass reads forward. If the window changed meanwhile (its total
// count moved, or a row modified after the pass began appeared) it is read
// again from the last page to the first: while rows only leave a window,
// a row that stays in it can only move to a page not yet read, so that
// pass misses none. The rows that left are in a later window. Only rows
// entering a past window (changes JST shows later than POLL_LAG) can
// still upset a backward pass; the window is then read again, up to
// RescanMax times.
type windowRead struct {
	p          *Poller
	mode       string
	kind       jst.Kind
	shop       string
	begin, end time.Time
	size       int
	progress   func(pages, docs int) // after each page; may be nil

	res      windowScan
	started  time.Time // when the current pass began, to the second
	entered  bool      // a row modified after the pass began was seen
	maxCount int       // the largest total count seen in the current pass
}

// readWindow reads [begin, end] for kind and shop as windowRead tells.
// It returns ctx's error, or one wrapping jst.ErrBadQuery or a publish
// error; the window must then be read again.
func (p *Poller) readWindow(
	ctx context.Context,
	mode string,
	kind jst.Kind,
	shop string,
	begin, end time.Time,
	progress func(pages, docs int),
) (windowScan, error) {
	w := &windowRead{
		p: p, mode: mode, kind: kind, shop: shop, begin: begin, end: end,
		size: p.pageSize(kind), progress: progress,
	}
	w.res.settled = true

	changed, last, err := w.forward(ctx)
	if err != nil {
		return w.res, err
	}
	for changed {
		if w.res.rescans == p.cfg.RescanMax {
			w.res.settled = false
			p.m.rescanLimit.WithLabelValues(string(kind)).Inc()
			p.log.Warn("window still changing after the last re-read; moving on",
				"kind", kind, "shop_id", shop, "mode", mode,
				"from", jst.FormatTime(begin), "to", jst.FormatTime(end),
				"rescans", w.res.rescans)
			break
		}
		w.res.rescans++
		p.m.rescans.WithLabelValues(string(kind)).Inc()
		changed, err = w.backward(ctx, last)
		if err != nil {
			return w.res, err
		}
		last = max(1, (w.maxCount+w.size-1)/w.size)
	}
	return w.res, nil
}

// forward reads pages 1, 2, ... until JST says there is no next page. It
// reports whether the window changed meanwhile and the last page read.
func (w *windowRead) forward(ctx context.Context) (bool, int, error) {
	w.startPass()
	first, count, seen := -1, 0, 0
	page := 1
	for ; ; page++ {
		pg, err := w.read(ctx, page)
		if err != nil {
			return false, 0, err
		}
		if first < 0 {
			first = pg.DataCount
		}
		count = pg.DataCount
		seen += len(pg.Docs)
		if !pg.HasNext || len(pg.Docs) == 0 {
			break
		}
	}
	changed := w.entered || count != first || seen < first
	return changed, max(page, (w.maxCount+w.size-1)/w.size), nil
}

// backward reads pages last, last-1, ..., 1 and reports whether rows
// entered the window meanwhile.
func (w *windowRead) backward(ctx context.Context, last int) (bool, error) {
	w.startPass()
	low := -1
	grew := false
	for page := last; page >= 1; page-- {
		pg, err := w.read(ctx, page)
		if err != nil {
			return false, err
		}
		if low >= 0 && pg.DataCount > low {
			grew = true
		}
		if low < 0 || pg.DataCount < low {
			low = pg.DataCount
		}
	}
	return w.entered || grew, nil
}

func (w *windowRead) startPass() {
	w.started = w.p.now().Truncate(time.Second)
	w.entered = false
	w.maxCount = 0
}

// read fetches one page and publishes its documents.
func (w *windowRead) read(ctx context.Context, page int) (*jst.Page, error) {
	q := jst.Query{
		ShopID: w.shop, ModifiedBegin: w.begin, ModifiedEnd: w.end,
		PageIndex: page, PageSize: w.size,
	}
	ctx, span := w.p.startPage(ctx, w.mode, w.kind, w.shop, page)
	defer span.End()
	pg, err := w.p.fetch(ctx, w.mode, w.kind, q)
	if err != nil {
		return nil, err
	}
	w.p.m.pages.WithLabelValues(string(w.kind), w.mode).Inc()
	w.res.pages++
	w.maxCount = max(w.maxCount, pg.DataCount)

	metas, err := w.p.publishPage(ctx, w.mode, w.kind, pg.Docs)
	if err != nil {
		return nil, err
	}
	w.res.docs += len(pg.Docs)
	for _, meta := range metas {
		w.res.maxTS = max(w.res.maxTS, meta.Version)
		if !meta.Modified.Before(w.started) {
			w.entered = true
		}
	}
	if w.progress != nil {
		w.progress(1, len(pg.Docs))
	}
	return pg, nil
}

// pageSize is the page size for kind: JST's largest unless PageSize is set
// lower.
func (p *Poller) pageSize(kind jst.Kind) int {
	size := jst.MaxPageSize(kind)
	if p.cfg.PageSize > 0 && p.cfg.PageSize < size {
		size = p.cfg.PageSize
	}
	return size
}
