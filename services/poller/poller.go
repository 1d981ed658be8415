package poller

import (
	"context"
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
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

// Deps are what a Poller needs from its process.
type Deps struct {
	JS         jetstream.JetStream
	Publisher  *bus.Publisher
	Log        *slog.Logger
	Registry   prometheus.Registerer
	HTTPClient *http.Client     // default: the JST client's own
	Now        func() time.Time // default time.Now; dates windows and tokens
}

// Poller polls one JST merchant.
type Poller struct {
	cfg    Config
	gw     jst.Gateway
	pub    *bus.Publisher
	nc     *nats.Conn
	state  jetstream.KeyValue
	cps    checkpoints
	lease  *lease
	tokens *tokens // nil on Qimen, which has no access token
	gate   gate
	bf     backfills
	log    *slog.Logger
	m      *metrics
	now    func() time.Time
	tracer trace.Tracer

	cursors []cursor
	mu      sync.Mutex
	pos     map[cursor]time.Time

	// keepLease, set by tests, leaves the lease in place on shutdown as
	// a crashed process would.
	keepLease bool
}

// New returns a Poller for cfg. It returns an error when the configuration
// is invalid, the ob-state or ob-leases bucket cannot be opened, or
// ob-leases has no max age (ErrNoLeaseTTL).
func New(ctx context.Context, cfg Config, d Deps) (*Poller, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults(d.Now())
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("poller: %w", err)
	}
	state, err := d.JS.KeyValue(ctx, bus.BucketState)
	if err != nil {
		return nil, fmt.Errorf("poller: open %s: %w", bus.BucketState, err)
	}
	leases, err := d.JS.KeyValue(ctx, bus.BucketLeases)
	if err != nil {
		return nil, fmt.Errorf("poller: open %s: %w", bus.BucketLeases, err)
	}
	l, err := newLease(ctx, leases)
	if err != nil {
		return nil, err
	}

	limiter := jst.NewLimiter(cfg.RatePerSec, cfg.RatePerMin)
	p := &Poller{
		cfg:    cfg,
		pub:    d.Publisher,
		nc:     d.JS.Conn(),
		state:  state,
		cps:    checkpoints{kv: state},
		lease:  l,
		log:    d.Log,
		m:      newMetrics(d.Registry, limiter.WaitSeconds),
		now:    d.Now,
		tracer: otel.Tracer("orderbridge/poller"),
		pos:    map[cursor]time.Time{},
	}
	if err := p.connect(d, limiter); err != nil {
		return nil, err
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

// connect builds the gateway JST_API names, with the merchant's one
// limiter.
func (p *Poller) connect(d Deps, limiter *jst.Limiter) error {
	cfg := p.cfg
	if cfg.API == jst.GatewayQimen {
		qc, err := jst.NewQimenClient(jst.QimenConfig{
			URL: cfg.QimenURL, AppKey: cfg.QimenAppKey, AppSecret: cfg.QimenAppSecret,
			TargetAppKey: cfg.QimenTargetAppKey, CustomerID: cfg.QimenCustomerID,
			HTTPClient: d.HTTPClient, Limiter: limiter, Now: d.Now, Observe: p.observe,
		})
		if err != nil {
			return fmt.Errorf("poller: %w", err)
		}
		p.gw = qc
		return nil
	}
	c, err := jst.NewClient(jst.Config{
		BaseURL: cfg.BaseURL, AppKey: cfg.AppKey, AppSecret: cfg.AppSecret,
		AccessToken: cfg.AccessToken, HTTPClient: d.HTTPClient, Limiter: limiter,
		Now: d.Now, Observe: p.observe,
	})
	if err != nil {
		return fmt.Errorf("poller: %w", err)
	}
	p.gw = c
	p.tokens = &tokens{kv: p.state, client: c, now: d.Now, before: cfg.TokenRefreshBefore}
	return nil
}

func (p *Poller) observe(endpoint string, code int, d time.Duration) {
	p.m.requests.WithLabelValues(endpoint, strconv.Itoa(code)).Inc()
	p.m.latency.WithLabelValues(endpoint).Observe(d.Seconds())
}

// Run polls while this poller holds the merchant's lease, and stands by
// while another one does, until ctx is cancelled. When a renewal of the
// lease fails it stops polling at once and stands by. On return it gives
// the lease up so that a standby takes over without waiting. It returns
// nil when ctx is cancelled.
func (p *Poller) Run(ctx context.Context) error {
	p.log.Info("poller starting", "holder", p.lease.holder, "cursors", len(p.cursors),
		"cursor", p.cfg.Cursor, "gateway", p.cfg.API, "interval", p.cfg.Interval)
	standby := false
	for ctx.Err() == nil {
		ok, err := p.lease.acquire(ctx)
		if err != nil && ctx.Err() == nil {
			p.log.Warn("lease not acquired", "err", err)
		}
		if !ok {
			if !standby && err == nil {
				p.log.Info("standing by: another poller holds the lease")
				standby = true
			}
			wait(ctx, p.lease.ttl/5)
			continue
		}
		standby = false

		err = p.active(ctx)
		if ctx.Err() != nil {
			break
		}
		p.log.Warn("polling stopped; standing by", "err", err)
		wait(ctx, p.lease.ttl/5)
	}
	return nil
}

// active polls while the lease holds. It returns why it stopped.
func (p *Poller) active(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	kept := make(chan struct{})
	go func() {
		defer close(kept)
		p.lease.keep(ctx, func(err error) {
			p.log.Error("lease renewal failed; polling stops", "err", err)
			cancel(fmt.Errorf("%w: %v", ErrLeaseLost, err))
		})
	}()
	p.m.leaseHeld.Set(1)
	defer func() {
		cancel(nil)
		<-kept
		p.m.leaseHeld.Set(0)
		if !errors.Is(context.Cause(ctx), ErrLeaseLost) {
			p.giveUp()
		}
	}()
	p.log.Info("lease acquired; polling", "holder", p.lease.holder)

	if p.tokens != nil {
		src, err := p.tokens.load(ctx, p.cfg.AccessToken, p.cfg.RefreshToken)
		if err != nil {
			return err
		}
		p.log.Info("JST token pair loaded", "from", src)
	}
	pauses, err := control.WatchPauses(ctx, p.state)
	if err != nil {
		return err
	}
	sub, err := p.subscribeControl(ctx)
	if err != nil {
		return err
	}
	defer p.bf.wait()
	defer func() { _ = sub.Unsubscribe() }()

	for ctx.Err() == nil {
		if p.tokens != nil && p.tokens.due() {
			p.refresh(ctx, p.tokens.generation())
		}
		if !p.pass(ctx, pauses) {
			wait(ctx, p.cfg.Interval)
		}
	}
	return context.Cause(ctx)
}

// giveUp releases the lease unless it was lost or a test keeps it.
func (p *Poller) giveUp() {
	if p.keepLease {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = p.lease.release(ctx)
}

// pass moves every cursor that is not paused by one step and reports
// whether any is still behind.
func (p *Poller) pass(ctx context.Context, pauses *control.Pauses) bool {
	behind, paused := false, 0
	for _, c := range p.cursors {
		if pauses.Paused(control.ScopePoller, c.shopLabel()) {
			paused++
			continue
		}
		more, err := p.step(ctx, c)
		if err != nil {
			if ctx.Err() == nil {
				p.log.Error("poll failed", "kind", c.kind, "shop_id", c.shop, "err", err)
			}
			continue
		}
		behind = behind || more
	}
	p.m.cursorsPaused.Set(float64(paused))
	p.updateLag()
	return behind
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
