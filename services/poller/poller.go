package poller

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// Deps are what a Poller needs from its process.
type Deps struct {
	JS         jetstream.JetStream
	Publisher  *bus.Publisher
	Log        *slog.Logger
	Registry   prometheus.Registerer
	HTTPClient *http.Client     // default: the JST client's own
	Now        func() time.Time // default time.Now
}

// Poller polls one JST merchant.
type Poller struct {
	cfg    Config
	client *jst.Client
	pub    *bus.Publisher
	cps    checkpoints
	log    *slog.Logger
	m      *metrics
	now    func() time.Time
	tracer trace.Tracer

	cursors []cursor
	mu      sync.Mutex
	pos     map[cursor]time.Time
}

// New returns a Poller for cfg. It returns an error when the configuration
// is invalid or the ob-state bucket cannot be opened.
func New(ctx context.Context, cfg Config, d Deps) (*Poller, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("poller: %w", err)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	kv, err := d.JS.KeyValue(ctx, bus.BucketState)
	if err != nil {
		return nil, fmt.Errorf("poller: open %s: %w", bus.BucketState, err)
	}

	limiter := jst.NewLimiter(cfg.RatePerSec, cfg.RatePerMin)
	p := &Poller{
		cfg:    cfg,
		pub:    d.Publisher,
		cps:    checkpoints{kv: kv},
		log:    d.Log,
		m:      newMetrics(d.Registry, limiter.WaitSeconds),
		now:    d.Now,
		tracer: otel.Tracer("orderbridge/poller"),
		pos:    map[cursor]time.Time{},
	}
	p.client, err = jst.NewClient(jst.Config{
		BaseURL:     cfg.BaseURL,
		AppKey:      cfg.AppKey,
		AppSecret:   cfg.AppSecret,
		AccessToken: cfg.AccessToken,
		HTTPClient:  d.HTTPClient,
		Limiter:     limiter,
		Now:         d.Now,
		Observe:     p.observe,
	})
	if err != nil {
		return nil, fmt.Errorf("poller: %w", err)
	}

	shops := cfg.ShopIDs
	if len(shops) == 0 {
		shops = []string{""}
	}
	for _, k := range cfg.Kinds {
		for _, s := range shops {
			p.cursors = append(p.cursors, cursor{kind: k, shop: s})
		}
	}
	return p, nil
}

func (p *Poller) observe(endpoint string, code int, d time.Duration) {
	p.m.requests.WithLabelValues(endpoint, strconv.Itoa(code)).Inc()
	p.m.latency.WithLabelValues(endpoint).Observe(d.Seconds())
}

// Run polls every cursor in turn until ctx is cancelled. A cursor more than
// one window behind is polled again at once; otherwise Run waits
// POLL_INTERVAL between passes. It returns nil when ctx is cancelled.
func (p *Poller) Run(ctx context.Context) error {
	p.log.Info("polling", "cursors", len(p.cursors), "interval", p.cfg.Interval)
	for ctx.Err() == nil {
		behind := false
		for _, c := range p.cursors {
			more, err := p.pollCursor(ctx, c)
			if err != nil {
				if ctx.Err() == nil {
					p.log.Error("poll failed", "kind", c.kind, "shop_id", c.shop, "err", err)
				}
				continue
			}
			behind = behind || more
		}
		if !behind {
			wait(ctx, p.cfg.Interval)
		}
	}
	return nil
}

// CaughtUp reports whether every cursor's checkpoint has reached t.
func (p *Poller) CaughtUp(t time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.cursors {
		if pos, ok := p.pos[c]; !ok || pos.Before(t) {
			return false
		}
	}
	return true
}

// pollCursor reads one window for c, publishes it and moves the checkpoint.
// It reports whether the cursor is still more than one window behind.
func (p *Poller) pollCursor(ctx context.Context, c cursor) (bool, error) {
	cp, rev, err := p.cps.load(ctx, c)
	if err != nil {
		return false, err
	}
	begin := p.cfg.StartTime
	if rev != 0 {
		begin = cp.Modified.Add(-p.cfg.Overlap)
	}
	end := p.now().Add(-p.cfg.Lag).Truncate(time.Second)
	more := false
	if end.Sub(begin) > jst.MaxWindow {
		end, more = begin.Add(jst.MaxWindow), true
	}
	if !end.After(begin) || (rev != 0 && !end.After(cp.Modified)) {
		if rev != 0 {
			p.setPosition(c, cp.Modified)
		}
		return false, nil
	}

	n, err := p.pollWindow(ctx, c, begin, end)
	if err != nil {
		return false, err
	}
	if _, err := p.cps.store(ctx, c, Checkpoint{Modified: end, Updated: p.now()}, rev); err != nil {
		return false, err
	}
	p.setPosition(c, end)
	p.log.Debug("window done", "kind", c.kind, "shop_id", c.shop,
		"from", jst.FormatTime(begin), "to", jst.FormatTime(end), "documents", n)
	return more, nil
}

func (p *Poller) setPosition(c cursor, t time.Time) {
	p.mu.Lock()
	p.pos[c] = t
	p.mu.Unlock()
	shop := c.shop
	if shop == "" {
		shop = "all"
	}
	p.m.lag.WithLabelValues(string(c.kind), shop).Set(p.now().Sub(t).Seconds())
}

// pollWindow publishes every document of every page of [begin, end].
func (p *Poller) pollWindow(ctx context.Context, c cursor, begin, end time.Time) (int, error) {
	size := p.cfg.PageSize
	if size <= 0 || size > jst.MaxPageSize(c.kind) {
		size = jst.MaxPageSize(c.kind)
	}
	n := 0
	for page := 1; ; page++ {
		q := jst.Query{
			ShopID: c.shop, ModifiedBegin: begin, ModifiedEnd: end,
			PageIndex: page, PageSize: size,
		}
		pg, err := p.fetch(ctx, c.kind, q)
		if err != nil {
			return n, err
		}
		p.m.pages.WithLabelValues(string(c.kind)).Inc()
		for _, raw := range pg.Docs {
			if err := p.publish(ctx, c.kind, raw); err != nil {
				return n, err
			}
			n++
		}
		if !pg.HasNext || len(pg.Docs) == 0 {
			return n, nil
		}
	}
}

// fetch asks for one page, retrying with growing delays until JST answers
// or ctx ends. No page is skipped because of an error.
func (p *Poller) fetch(ctx context.Context, kind jst.Kind, q jst.Query) (*jst.Page, error) {
	ctx, span := p.tracer.Start(ctx, "jst query page", trace.WithAttributes(
		attribute.String("jst.kind", string(kind)),
		attribute.Int("jst.page_index", q.PageIndex),
	))
	defer span.End()

	for attempt := 1; ; attempt++ {
		pg, err := p.client.Query(ctx, kind, q)
		if err == nil {
			if attempt > 1 {
				p.log.Info("JST answers again", "kind", kind, "attempts", attempt)
			}
			p.m.failing.Set(0)
			return pg, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, jst.ErrBadQuery) {
			return nil, err
		}

		p.m.failing.Set(1)
		delay := retryDelay(err, attempt)
		p.log.Warn("JST query failed; retrying the same page",
			"kind", kind, "page", q.PageIndex, "attempt", attempt, "delay", delay, "err", err)
		span.RecordError(err)
		wait(ctx, delay)
	}
}

// retryDelay picks the pause before asking again: short for rate limits,
// long for faults of the app or merchant that a person must mend, growing
// for the rest.
func retryDelay(err error, attempt int) time.Duration {
	var api *jst.APIError
	if errors.As(err, &api) {
		switch {
		case api.RateLimited():
			return time.Duration(attempt) * 2 * time.Second
		case api.MerchantWide(), api.TokenInvalid():
			return 5 * time.Minute
		}
	}
	d := time.Second << min(attempt-1, 6)
	return min(d, time.Minute)
}

// publish puts one raw document on JST_RAW, or on the dead-letter stream
// when it cannot even be identified.
func (p *Poller) publish(ctx context.Context, kind jst.Kind, raw []byte) error {
	meta, err := jst.ParseMeta(kind, raw)
	if err != nil {
		return p.deadLetter(ctx, kind, raw, err)
	}
	shop := meta.ShopID
	if shop == "" {
		shop = "none"
	}
	hdr := nats.Header{}
	hdr.Set(bus.HeaderDocKey, meta.Key())
	hdr.Set(bus.HeaderVersion, strconv.FormatInt(meta.Version, 10))
	hdr.Set(bus.HeaderGateway, p.cfg.Gateway)

	subject := "jst.raw." + string(kind) + "." + shop
	ack, err := p.pub.Publish(ctx, subject, raw, meta.MsgID(), hdr)
	if err != nil {
		return err
	}
	outcome := "stored"
	if ack.Duplicate {
		outcome = "duplicate"
	}
	p.m.published.WithLabelValues(string(kind), outcome).Inc()
	return nil
}

// deadLetter stores a document the poller cannot identify, so that it is
// not lost, and counts it.
func (p *Poller) deadLetter(ctx context.Context, kind jst.Kind, raw []byte, cause error) error {
	sum := sha256.Sum256(raw)
	hdr := bus.DeadLetterHeaders(nil, bus.DeadLetterInfo{
		Stage: "poller", Class: bus.ClassPermanent, Reason: "malformed_document",
		Err: cause.Error(), Attempts: 1,
	})
	subject := "dlq.poller." + string(kind)
	if _, err := p.pub.Publish(ctx, subject, raw, "dlq:poller:"+hex.EncodeToString(sum[:16]), hdr); err != nil {
		return err
	}
	p.log.Warn("document dead-lettered", "kind", kind, "reason", "malformed_document", "err", cause)
	p.m.published.WithLabelValues(string(kind), "dead_letter").Inc()
	return nil
}

func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
