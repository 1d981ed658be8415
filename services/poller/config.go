package poller

import (
	"errors"
	"fmt"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/service"
)

// Config is the poller's configuration.
type Config struct {
	API         string // JST_API: openapi (qimen is not served yet)
	BaseURL     string // JST_BASE_URL
	AppKey      string // JST_APP_KEY
	AppSecret   string // JST_APP_SECRET
	AccessToken string // JST_ACCESS_TOKEN
	// ShopIDs are JST_SHOP_IDS; empty polls every shop with one cursor
	// per kind.
	ShopIDs []string
	// Kinds are JST_KINDS: order, aftersale.
	Kinds []jst.Kind
	// StartTime is JST_START_TIME (Beijing time): where a cursor with no
	// checkpoint begins.
	StartTime  time.Time
	Interval   time.Duration // POLL_INTERVAL
	Overlap    time.Duration // POLL_OVERLAP
	Lag        time.Duration // POLL_LAG
	RatePerSec int           // JST_RATE_PER_SEC
	RatePerMin int           // JST_RATE_PER_MIN
	// PageSize overrides the largest page JST allows for each kind.
	PageSize int
	// Gateway labels the documents; "openapi".
	Gateway string
}

// LoadConfig reads the poller's variables. It reports values that do not
// parse; New reports settings that are missing.
func LoadConfig(e *service.Env) (Config, error) {
	c := Config{
		API:         e.String("JST_API", "openapi"),
		BaseURL:     e.String("JST_BASE_URL", ""),
		AppKey:      e.String("JST_APP_KEY", ""),
		AppSecret:   e.Secret("JST_APP_SECRET"),
		AccessToken: e.Secret("JST_ACCESS_TOKEN"),
		ShopIDs:     e.List("JST_SHOP_IDS", nil),
		StartTime: e.Time("JST_START_TIME", jst.TimeLayout, jst.Beijing,
			time.Now().Add(-24*time.Hour)),
		Interval:   e.Duration("POLL_INTERVAL", 30*time.Second),
		Overlap:    e.Duration("POLL_OVERLAP", 2*time.Minute),
		Lag:        e.Duration("POLL_LAG", 10*time.Second),
		RatePerSec: e.Int("JST_RATE_PER_SEC", 5),
		RatePerMin: e.Int("JST_RATE_PER_MIN", 100),
	}
	for _, k := range e.List("JST_KINDS", []string{"order", "aftersale"}) {
		c.Kinds = append(c.Kinds, jst.Kind(k))
	}
	return c, e.Err()
}

// Validate reports every missing or invalid setting.
func (c *Config) Validate() error {
	var errs []error
	if c.API != "openapi" {
		errs = append(errs, fmt.Errorf("JST_API=%q: only openapi is supported", c.API))
	}
	for name, v := range map[string]string{
		"JST_BASE_URL": c.BaseURL, "JST_APP_KEY": c.AppKey,
		"JST_APP_SECRET": c.AppSecret, "JST_ACCESS_TOKEN": c.AccessToken,
	} {
		if v == "" {
			errs = append(errs, fmt.Errorf("%s is required", name))
		}
	}
	for _, k := range c.Kinds {
		if !k.Valid() {
			errs = append(errs, fmt.Errorf("JST_KINDS: %q is not order or aftersale", k))
		}
	}
	if c.Gateway == "" {
		c.Gateway = c.API
	}
	return errors.Join(errs...)
}
