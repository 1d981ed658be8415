package poller

import (
	"context"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// step moves cursor c by one page (row version) or one window (time
// windows) and reports whether it is still behind, so that it should be
// polled again at once.
func (p *Poller) step(ctx context.Context, c cursor) (bool, error) {
	cp, rev, err := p.cps.load(ctx, c)
	if err != nil {
		return false, err
	}
	if p.cfg.Cursor == CursorTS && cp.TS > 0 {
		return p.stepTS(ctx, c, cp, rev)
	}
	return p.stepWindow(ctx, c, cp, rev)
}

// stepWindow reads the next window of c: from POLL_OVERLAP before the
// checkpoint (or JST_START_TIME) to POLL_LAG before now, at most JST's
// seven days, and moves the checkpoint to its end once every document in
// it is stored. A row-version cursor reads windows too until it has caught
// up with now; it then starts from the largest row version it has seen,
// since every row changed later has a larger one.
func (p *Poller) stepWindow(
	ctx context.Context,
	c cursor,
	cp Checkpoint,
	rev uint64,
) (bool, error) {
	begin := p.cfg.StartTime
	if rev != 0 {
		begin = cp.Modified.Add(-p.cfg.Overlap)
	}
	now := p.now()
	end := now.Add(-p.cfg.Lag).Truncate(time.Second)
	behind := false
	if end.Sub(begin) > jst.MaxWindow {
		end, behind = begin.Add(jst.MaxWindow), true
	}
	if !end.After(begin) || (rev != 0 && !end.After(cp.Modified)) {
		if rev != 0 {
			p.setPosition(c, cp.Modified)
		}
		return false, nil
	}

	s, err := p.readWindow(ctx, modeLive, c.kind, c.shop, begin, end, nil)
	if err != nil {
		return false, err
	}
	next := Checkpoint{Modified: end, MaxTS: max(cp.MaxTS, s.maxTS), Updated: now}
	if p.cfg.Cursor == CursorTS && !behind && next.MaxTS > 0 {
		next.TS = next.MaxTS
	}
	if _, err := p.cps.store(ctx, c, next, rev); err != nil {
		return false, err
	}
	p.setPosition(c, end)
	p.log.Debug("window done", "kind", c.kind, "shop_id", c.shop,
		"from", jst.FormatTime(begin), "to", jst.FormatTime(end),
		"documents", s.docs, "pages", s.pages, "rescans", s.rescans)
	return behind, nil
}

// stepTS reads one page of c from its row version: page 1 of the rows
// with ts at least the checkpoint's, in JST's modified order. Every row is
// published; the checkpoint then moves to the largest ts among the rows
// known complete, and the boundary row is read again next time (the
// message id drops it).
//
// Rows modified within POLL_LAG of now are not yet complete: JST may still
// show a row with a smaller ts. On a full page, rows modified in the last
// page's second M are not complete either: JST orders rows of one second
// by id, not ts, so some may be on the next page. When a full page holds
// no complete row beyond the checkpoint (all in one second), that second
// is read as a one-second window instead.
func (p *Poller) stepTS(
	ctx context.Context,
	c cursor,
	cp Checkpoint,
	rev uint64,
) (bool, error) {
	now := p.now()
	settle := now.Add(-p.cfg.Lag).Truncate(time.Second)
	q := jst.Query{
		ShopID: c.shop, StartTS: cp.TS, PageIndex: 1, PageSize: p.pageSize(c.kind),
	}
	ctx, span := p.startPage(ctx, modeLive, c.kind, c.shop, 1)
	defer span.End()
	pg, err := p.fetch(ctx, modeLive, c.kind, q)
	if err != nil {
		return false, err
	}
	p.m.pages.WithLabelValues(string(c.kind), modeLive).Inc()

	metas, err := p.publishPage(ctx, modeLive, c.kind, pg.Docs)
	if err != nil {
		return false, err
	}

	full := pg.HasNext && len(metas) > 0
	limit := settle
	var last time.Time
	if full {
		last = metas[len(metas)-1].Modified
		if last.Before(limit) {
			limit = last
		}
	}
	next := cp
	next.Updated = now
	for _, m := range metas {
		next.MaxTS = max(next.MaxTS, m.Version)
		if m.Modified.Before(limit) && m.Version > next.TS {
			next.TS = m.Version
		}
	}
	if limit.After(next.Modified) {
		next.Modified = limit
	}

	// A full page with no complete row past the checkpoint lies in one
	// second, last, whose other rows may be on the next page: read that
	// second as a window. If last is too recent (not before settle), only
	// the covered time moves; the rows settle as time passes.
	if full && next.TS == cp.TS && last.Before(settle) {
		s, err := p.readWindow(ctx, modeLive, c.kind, c.shop, last, last, nil)
		if err != nil {
			return false, err
		}
		next.TS = max(next.TS, s.maxTS)
		next.MaxTS = max(next.MaxTS, s.maxTS)
		if second := last.Add(time.Second); second.After(next.Modified) {
			next.Modified = second
		}
	}

	moved := next.TS != cp.TS || next.MaxTS != cp.MaxTS
	if moved || !next.Modified.Equal(cp.Modified) {
		if _, err := p.cps.store(ctx, c, next, rev); err != nil {
			return false, err
		}
	}
	p.setPosition(c, next.Modified)
	return pg.HasNext && next.TS != cp.TS, nil
}

// setPosition records how far cursor c has covered, for CaughtUp and the
// lag gauge.
func (p *Poller) setPosition(c cursor, t time.Time) {
	p.mu.Lock()
	p.pos[c] = t
	p.mu.Unlock()
	p.m.lag.WithLabelValues(string(c.kind), c.shopLabel()).Set(p.now().Sub(t).Seconds())
}

// updateLag sets the lag gauge of every cursor with a position.
func (p *Poller) updateLag() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	for c, t := range p.pos {
		p.m.lag.WithLabelValues(string(c.kind), c.shopLabel()).Set(now.Sub(t).Seconds())
	}
}
