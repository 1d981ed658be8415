package jstsim

import "time"

// Options configures a Sim. Zero values mean the defaults given.
type Options struct {
	// Seed makes the data set: the same seed and clock give the same data.
	Seed int64

	// Orders and AfterSales are the numbers of documents generated
	// (default 300 and 100); Shops the number of shops (default 3).
	Orders, AfterSales, Shops int

	// AppKey, AppSecret, AccessToken and RefreshToken are the credentials
	// the simulator accepts (defaults "ob-app", "ob-secret", "ob-token",
	// "ob-refresh").
	AppKey, AppSecret, AccessToken, RefreshToken string

	// Now is the simulator's clock (default time.Now). It dates the
	// generated data, checks timestamps and tokens, and counts rate limits.
	Now func() time.Time

	// Span is how far back modified times of generated documents reach:
	// they fall in [Now-Span, Now-1m] (default 72h).
	Span time.Duration

	// RatePerSecond and RatePerMinute limit requests per app key across all
	// endpoints. Zero means JST's 5 and 100; a negative value turns the
	// limit off.
	RatePerSecond, RatePerMinute int

	// TokenTTL is the lifetime of an access token (default 30 days).
	TokenTTL time.Duration
}

// Defaults.
const (
	DefaultOrders        = 300
	DefaultAfterSales    = 100
	DefaultShops         = 3
	DefaultAppKey        = "ob-app"
	DefaultAppSecret     = "ob-secret"
	DefaultAccessToken   = "ob-token"
	DefaultRefreshToken  = "ob-refresh"
	DefaultSpan          = 72 * time.Hour
	DefaultRatePerSecond = 5
	DefaultRatePerMinute = 100
	DefaultTokenTTL      = 30 * 24 * time.Hour
)

// withDefaults returns o with every zero value replaced by its default.
func (o Options) withDefaults() Options {
	setInt(&o.Orders, DefaultOrders)
	setInt(&o.AfterSales, DefaultAfterSales)
	setInt(&o.Shops, DefaultShops)
	setInt(&o.RatePerSecond, DefaultRatePerSecond)
	setInt(&o.RatePerMinute, DefaultRatePerMinute)
	setString(&o.AppKey, DefaultAppKey)
	setString(&o.AppSecret, DefaultAppSecret)
	setString(&o.AccessToken, DefaultAccessToken)
	setString(&o.RefreshToken, DefaultRefreshToken)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Span <= 0 {
		o.Span = DefaultSpan
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = DefaultTokenTTL
	}
	return o
}

func setInt(v *int, def int) {
	if *v == 0 {
		*v = def
	}
}

func setString(v *string, def string) {
	if *v == "" {
		*v = def
	}
}
