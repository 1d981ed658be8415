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

	// QimenAppKey and QimenAppSecret are the Qimen app credentials the
	// gateway at /router/qm accepts (defaults "ob-qimen",
	// "ob-qimen-secret"); QimenCustomerID is the merchant's customer_id
	// there (default "ob-customer").
	QimenAppKey, QimenAppSecret, QimenCustomerID string

	// Churn is the probability, per page request of a window or start_ts
	// query, that documents change just before the page is cut: ChurnDocs
	// of them (default 3), drawn from the pages up to the one requested,
	// get modified = now, the next ts and a small content change. It is
	// the hazard that makes a pager by page index skip documents.
	Churn     float64
	ChurnDocs int

	// Live, LiveEvery (default 1s) and LivePerTick (default 5) are read
	// by the jstsim binary, which calls RunLive when Live is set. New
	// never starts goroutines.
	Live        bool
	LiveEvery   time.Duration
	LivePerTick int
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

	DefaultQimenAppKey     = "ob-qimen"
	DefaultQimenAppSecret  = "ob-qimen-secret"
	DefaultQimenCustomerID = "ob-customer"
	DefaultChurnDocs       = 3
	DefaultLiveEvery       = time.Second
	DefaultLivePerTick     = 5
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
	setString(&o.QimenAppKey, DefaultQimenAppKey)
	setString(&o.QimenAppSecret, DefaultQimenAppSecret)
	setString(&o.QimenCustomerID, DefaultQimenCustomerID)
	setInt(&o.ChurnDocs, DefaultChurnDocs)
	setInt(&o.LivePerTick, DefaultLivePerTick)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Span <= 0 {
		o.Span = DefaultSpan
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = DefaultTokenTTL
	}
	if o.LiveEvery <= 0 {
		o.LiveEvery = DefaultLiveEvery
	}
	o.Churn = min(max(o.Churn, 0), 1)
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
