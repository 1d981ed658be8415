package poller

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// gate stops every request of the merchant while a fault of the app or
// merchant stands. It is safe for concurrent use.
type gate struct {
	mu    sync.Mutex
	until time.Time // requests wait until then; zero: open
	cause error
}

// wait blocks while the gate is shut, or until ctx ends.
func (g *gate) wait(ctx context.Context) error {
	g.mu.Lock()
	d := time.Until(g.until)
	g.mu.Unlock()
	if d > 0 {
		wait(ctx, d)
	}
	return ctx.Err()
}

// shut closes the gate for d and reports whether it was open.
func (g *gate) shut(cause error, d time.Duration) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	wasOpen := g.cause == nil
	g.until, g.cause = time.Now().Add(d), cause
	return wasOpen
}

// open opens the gate and reports whether it was shut.
func (g *gate) open() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	wasShut := g.cause != nil
	g.until, g.cause = time.Time{}, nil
	return wasShut
}

// pauseHints say what to check for each code that pauses the merchant.
var pauseHints = map[int]string{
	jst.CodeBadSign:       "bad signature: check the app key and secret",
	jst.CodeTokenInvalid:  "access token refused after a refresh: check the token pair",
	jst.CodeIPDenied:      "IP not whitelisted: add this egress address at JST",
	jst.CodeClockSkew:     "clock skew over 15 minutes: check the host clock",
	jst.CodeRefreshDenied: "the ISV may not refresh tokens: ask JST",
	jst.CodeNoPermission:  "no permission: grant the app this API at JST",
}

// fetch asks for one page and returns it, retrying the same page until JST
// answers or ctx ends: no page is ever skipped because of an error. Rate
// limits (199, 200) back off; a refused token (100) is refreshed once and
// the page asked again; faults of the app or merchant shut the merchant's
// gate for POLL_PAUSE_RETRY; 5xx, timeouts and malformed answers are
// retried with doubling delays. Only ctx's error, or one wrapping
// jst.ErrBadQuery for a query this poller got wrong, comes back.
func (p *Poller) fetch(
	ctx context.Context,
	mode string,
	kind jst.Kind,
	q jst.Query,
) (*jst.Page, error) {
	ctx, span := p.tracer.Start(ctx, "jst query page", trace.WithAttributes(
		attribute.String("jst.kind", string(kind)),
		attribute.Int("jst.page_index", q.PageIndex),
		attribute.Int64("jst.start_ts", q.StartTS),
	))
	defer span.End()

	refreshed := false
	for attempt := 1; ; attempt++ {
		if err := p.gate.wait(ctx); err != nil {
			return nil, err
		}
		gen := p.tokenGeneration()
		pg, err := p.gw.Query(ctx, kind, q)
		if err == nil {
			p.answered(kind, attempt)
			return pg, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, jst.ErrBadQuery) {
			return nil, err
		}
		span.RecordError(err)

		var api *jst.APIError
		isAPI := errors.As(err, &api)
		switch {
		case isAPI && api.TokenInvalid() && !refreshed && p.tokens != nil:
			refreshed = true
			p.refresh(ctx, gen)
			continue
		case isAPI && (api.MerchantWide() || api.TokenInvalid()):
			refreshed = false
			p.pause(&PauseError{Code: api.Code, Hint: pauseHints[api.Code], Err: err})
			continue
		}

		p.m.failing.Set(1)
		delay := p.retryDelay(isAPI && api.RateLimited(), attempt)
		p.log.Warn("JST query failed; retrying the same page",
			"kind", kind, "mode", mode, "page", q.PageIndex, "attempt", attempt,
			"delay", delay, "err", err)
		wait(ctx, delay)
	}
}

// answered records a successful request after failures.
func (p *Poller) answered(kind jst.Kind, attempts int) {
	p.m.failing.Set(0)
	if p.gate.open() {
		p.m.merchantPaused.Set(0)
		p.log.Info("JST answers again; merchant polling resumed", "kind", kind)
	} else if attempts > 1 {
		p.log.Info("JST answers again", "kind", kind, "attempts", attempts)
	}
}

// refresh refreshes the access token once for a request refused with code
// 100; a failed refresh pauses the merchant.
func (p *Poller) refresh(ctx context.Context, gen uint64) {
	err := p.tokens.refresh(ctx, gen)
	var pe *PauseError
	switch {
	case err == nil:
		p.m.refreshes.WithLabelValues("ok").Inc()
		p.log.Info("JST access token refreshed and stored")
	case errors.As(err, &pe):
		p.m.refreshes.WithLabelValues("failed").Inc()
		p.pause(pe)
	case ctx.Err() == nil:
		// The new pair works but could not be stored.
		p.m.refreshes.WithLabelValues("ok").Inc()
		p.log.Error("refreshed JST token not stored; a restart will need a new pair",
			"err", err)
	}
}

// pause stops the merchant's requests for POLL_PAUSE_RETRY, sets the
// alerting gauge and logs the cause once per episode.
func (p *Poller) pause(pe *PauseError) {
	p.m.merchantPaused.Set(1)
	if p.gate.shut(pe, p.cfg.PauseRetry) {
		p.log.Error("JST refuses the merchant; polling paused until it is fixed",
			"code", strconv.Itoa(pe.Code), "retry_in", p.cfg.PauseRetry, "err", pe)
		return
	}
	p.log.Warn("JST still refuses the merchant", "code", strconv.Itoa(pe.Code),
		"retry_in", p.cfg.PauseRetry, "err", pe)
}

// tokenGeneration is the token pair's generation, or 0 without tokens.
func (p *Poller) tokenGeneration() uint64 {
	if p.tokens == nil {
		return 0
	}
	return p.tokens.generation()
}

// retryDelay is the pause before asking again: for rate limits it grows
// by RetryDelay each attempt, for the rest it doubles; both stop at
// RetryMaxDelay.
func (p *Poller) retryDelay(rateLimited bool, attempt int) time.Duration {
	d := p.cfg.RetryDelay << min(attempt-1, 16)
	if rateLimited {
		d = p.cfg.RetryDelay * time.Duration(attempt)
	}
	return min(d, p.cfg.RetryMaxDelay)
}

func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
