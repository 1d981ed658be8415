package poller

import (
	"errors"
	"fmt"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/service"
)

// Cursor modes (POLL_CURSOR).
const (
	// CursorAuto uses the row version on the open API and time windows on
	// Qimen.
	CursorAuto = "auto"
	// CursorTS follows JST's row version (start_ts).
	CursorTS = "ts"
	// CursorWindow reads overlapping windows of modified times.
	CursorWindow = "window"
)

// Config is the poller's configuration. A zero field means its default,
// so that a Config built in code needs only the credentials.
type Config struct {
	// API is JST_API: jst.GatewayOpenAPI (default) or jst.GatewayQimen.
	API string

	BaseURL      string // JST_BASE_URL (open API)
	AppKey       string // JST_APP_KEY
	AppSecret    string // JST_APP_SECRET
	AccessToken  string // JST_ACCESS_TOKEN
	RefreshToken string // JST_REFRESH_TOKEN

	QimenURL          string // QIMEN_URL
	QimenAppKey       string // QIMEN_APP_KEY
	QimenAppSecret    string // QIMEN_APP_SECRET
	QimenTargetAppKey string // QIMEN_TARGET_APP_KEY (default 23060081)
	QimenCustomerID   string // QIMEN_CUSTOMER_ID

	// ShopIDs are JST_SHOP_IDS; empty polls every shop with one cursor
	// per kind.
	ShopIDs []string
	// Kinds are JST_KINDS: order, aftersale (default both).
	Kinds []jst.Kind
	// StartTime is JST_START_TIME (Beijing time): where a cursor with no
	// checkpoint begins (default 24 hours before New).
	StartTime time.Time

	// Cursor is POLL_CURSOR: CursorAuto (default), CursorTS or
	// CursorWindow.
	Cursor   string
	Interval time.Duration // POLL_INTERVAL (default 30s)
	Overlap  time.Duration // POLL_OVERLAP (default 2m)
	Lag      time.Duration // POLL_LAG (default 10s)
	// RescanMax is POLL_RESCAN_MAX: how many times a window that changed
	// while it was read is read again (default 3).
	RescanMax int

	// RatePerSec and RatePerMin are JST_RATE_PER_SEC and
	// JST_RATE_PER_MIN, the merchant-wide client limits; zero or less is
	// no limit (LoadConfig's defaults are JST's 5 and 100).
	RatePerSec int
	RatePerMin int

	// RetryDelay is POLL_RETRY_DELAY, the first pause after a failed
	// request (default 1s); the pauses double up to RetryMaxDelay
	// (POLL_RETRY_MAX, default 1m).
	RetryDelay    time.Duration
	RetryMaxDelay time.Duration
	// PauseRetry is POLL_PAUSE_RETRY: how long polling stops after a
	// fault of the app or merchant before it is tried again (default 5m).
	PauseRetry time.Duration
	// TokenRefreshBefore is JST_TOKEN_REFRESH_BEFORE: the access token is
	// refreshed when it has less than this left (default 24h).
	TokenRefreshBefore time.Duration

	// PageSize overrides the largest page JST allows for each kind.
	PageSize int
	// Gateway labels the documents; default API.
	Gateway string
}

// LoadConfig reads the poller's variables. It reports values that do not
// parse; New reports settings that are missing.
func LoadConfig(e *service.Env) (Config, error) {
	c := Config{
		API:               e.String("JST_API", jst.GatewayOpenAPI),
		BaseURL:           e.String("JST_BASE_URL", ""),
		AppKey:            e.String("JST_APP_KEY", ""),
		AppSecret:         e.Secret("JST_APP_SECRET"),
		AccessToken:       e.Secret("JST_ACCESS_TOKEN"),
		RefreshToken:      e.Secret("JST_REFRESH_TOKEN"),
		QimenURL:          e.String("QIMEN_URL", ""),
		QimenAppKey:       e.String("QIMEN_APP_KEY", ""),
		QimenAppSecret:    e.Secret("QIMEN_APP_SECRET"),
		QimenTargetAppKey: e.String("QIMEN_TARGET_APP_KEY", jst.DefaultQimenTargetAppKey),
		QimenCustomerID:   e.String("QIMEN_CUSTOMER_ID", ""),
		ShopIDs:           e.List("JST_SHOP_IDS", nil),
		StartTime: e.Time("JST_START_TIME", jst.TimeLayout, jst.Beijing,
			time.Now().Add(-24*time.Hour)),
		Cursor:             e.String("POLL_CURSOR", CursorAuto),
		Interval:           e.Duration("POLL_INTERVAL", 30*time.Second),
		Overlap:            e.Duration("POLL_OVERLAP", 2*time.Minute),
		Lag:                e.Duration("POLL_LAG", 10*time.Second),
		RescanMax:          e.Int("POLL_RESCAN_MAX", 3),
		RatePerSec:         e.Int("JST_RATE_PER_SEC", 5),
		RatePerMin:         e.Int("JST_RATE_PER_MIN", 100),
		RetryDelay:         e.Duration("POLL_RETRY_DELAY", time.Second),
		RetryMaxDelay:      e.Duration("POLL_RETRY_MAX", time.Minute),
		PauseRetry:         e.Duration("POLL_PAUSE_RETRY", 5*time.Minute),
		TokenRefreshBefore: e.Duration("JST_TOKEN_REFRESH_BEFORE", 24*time.Hour),
	}
	for _, k := range e.List("JST_KINDS", []string{"order", "aftersale"}) {
		c.Kinds = append(c.Kinds, jst.Kind(k))
	}
	return c, e.Err()
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults(now time.Time) Config {
	if c.API == "" {
		c.API = jst.GatewayOpenAPI
	}
	if c.QimenTargetAppKey == "" {
		c.QimenTargetAppKey = jst.DefaultQimenTargetAppKey
	}
	if len(c.Kinds) == 0 {
		c.Kinds = []jst.Kind{jst.KindOrder, jst.KindAfterSale}
	}
	if c.StartTime.IsZero() {
		c.StartTime = now.Add(-24 * time.Hour)
	}
	if c.Cursor == "" || c.Cursor == CursorAuto {
		c.Cursor = CursorTS
		if c.API == jst.GatewayQimen {
			c.Cursor = CursorWindow
		}
	}
	setDuration(&c.Interval, 30*time.Second)
	setDuration(&c.Overlap, 2*time.Minute)
	setDuration(&c.Lag, 10*time.Second)
	setDuration(&c.RetryDelay, time.Second)
	setDuration(&c.RetryMaxDelay, time.Minute)
	setDuration(&c.PauseRetry, 5*time.Minute)
	setDuration(&c.TokenRefreshBefore, 24*time.Hour)
	if c.RescanMax <= 0 {
		c.RescanMax = 3
	}
	if c.Gateway == "" {
		c.Gateway = c.API
	}
	return c
}

func setDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// Validate reports every missing or invalid setting of a Config whose
// defaults are filled in.
func (c *Config) Validate() error {
	var errs []error
	var required [][2]string
	switch c.API {
	case jst.GatewayOpenAPI:
		required = [][2]string{
			{"JST_BASE_URL", c.BaseURL}, {"JST_APP_KEY", c.AppKey},
			{"JST_APP_SECRET", c.AppSecret}, {"JST_ACCESS_TOKEN", c.AccessToken},
		}
	case jst.GatewayQimen:
		required = [][2]string{
			{"QIMEN_URL", c.QimenURL}, {"QIMEN_APP_KEY", c.QimenAppKey},
			{"QIMEN_APP_SECRET", c.QimenAppSecret},
			{"QIMEN_CUSTOMER_ID", c.QimenCustomerID},
		}
	default:
		errs = append(errs, fmt.Errorf("JST_API=%q: want openapi or qimen", c.API))
	}
	for _, r := range required {
		if r[1] == "" {
			errs = append(errs, fmt.Errorf("%s is required", r[0]))
		}
	}
	for _, k := range c.Kinds {
		if !k.Valid() {
			errs = append(errs, fmt.Errorf("JST_KINDS: %q is not order or aftersale", k))
		}
	}
	if c.Cursor != CursorTS && c.Cursor != CursorWindow {
		errs = append(errs, fmt.Errorf("POLL_CURSOR=%q: want auto, ts or window", c.Cursor))
	}
	if c.Overlap < time.Second {
		errs = append(errs, fmt.Errorf("POLL_OVERLAP=%s: want at least 1s", c.Overlap))
	}
	return errors.Join(errs...)
}
