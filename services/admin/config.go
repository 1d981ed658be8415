package admin

import (
	"errors"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/service"
)

// Config is the admin server's configuration.
type Config struct {
	// Token is ADMIN_TOKEN, the bearer token callers present.
	Token string
	// TLSCert and TLSKey (ADMIN_TLS_CERT, ADMIN_TLS_KEY) serve the API over
	// TLS; TLSClientCA (ADMIN_TLS_CLIENT_CA) accepts client certificates it
	// signed in place of the token.
	TLSCert, TLSKey, TLSClientCA string

	// MappingFile is MAPPING_FILE, the rules preview and reconcile apply;
	// empty means the built-in rules.
	MappingFile string

	// JST holds the poller's JST_* settings, for reconcile; an empty
	// BaseURL leaves reconcile without JST.
	JST jst.Config
	// JSTRatePerSec is ADMIN_JST_RATE_PER_SEC (default 1): reconcile shares
	// the merchant's JST budget with the poller, so it asks slowly.
	JSTRatePerSec int
	// Kingdee holds the writer's KINGDEE_* settings, for reconcile; an
	// empty BaseURL leaves reconcile without Kingdee.
	Kingdee kingdee.Config

	// ReconcileEvery is RECONCILE_INTERVAL: how often the scheduled
	// reconcile runs (default 1h; 0 turns it off).
	ReconcileEvery time.Duration
	// ReconcileWindow is RECONCILE_WINDOW: the range each scheduled run
	// covers, ending RECONCILE_DELAY before now (defaults 24h and 10m).
	ReconcileWindow time.Duration
	ReconcileDelay  time.Duration
}

// LoadConfig reads the admin's variables. It reports values that do not
// parse and a server that would accept nobody (neither ADMIN_TOKEN nor
// ADMIN_TLS_CLIENT_CA set).
func LoadConfig(e *service.Env) (Config, error) {
	c := Config{
		Token:       e.Secret("ADMIN_TOKEN"),
		TLSCert:     e.String("ADMIN_TLS_CERT", ""),
		TLSKey:      e.String("ADMIN_TLS_KEY", ""),
		TLSClientCA: e.String("ADMIN_TLS_CLIENT_CA", ""),
		MappingFile: e.String("MAPPING_FILE", ""),
		JST: jst.Config{
			BaseURL:     e.String("JST_BASE_URL", ""),
			AppKey:      e.String("JST_APP_KEY", ""),
			AppSecret:   e.Secret("JST_APP_SECRET"),
			AccessToken: e.Secret("JST_ACCESS_TOKEN"),
		},
		JSTRatePerSec: e.Int("ADMIN_JST_RATE_PER_SEC", 1),
		Kingdee: kingdee.Config{
			BaseURL:   e.String("KINGDEE_BASE_URL", ""),
			AcctID:    e.String("KINGDEE_ACCT_ID", ""),
			Username:  e.String("KINGDEE_USERNAME", ""),
			Auth:      e.String("KINGDEE_AUTH", kingdee.AuthPassword),
			Password:  e.Secret("KINGDEE_PASSWORD"),
			AppID:     e.String("KINGDEE_APP_ID", ""),
			AppSecret: e.Secret("KINGDEE_APP_SECRET"),
			LCID:      e.Int("KINGDEE_LCID", kingdee.DefaultLCID),
			OrgNumber: e.String("KINGDEE_ORG_NUMBER", ""),
			Timeout:   e.Duration("KINGDEE_TIMEOUT", kingdee.DefaultTimeout),
		},
		ReconcileEvery:  e.Duration("RECONCILE_INTERVAL", time.Hour),
		ReconcileWindow: e.Duration("RECONCILE_WINDOW", 24*time.Hour),
		ReconcileDelay:  e.Duration("RECONCILE_DELAY", 10*time.Minute),
	}
	if err := e.Err(); err != nil {
		return c, err
	}
	if c.Token == "" && c.TLSClientCA == "" {
		return c, errors.New("admin: set ADMIN_TOKEN or ADMIN_TLS_CLIENT_CA: " +
			"the admin API accepts no caller without one")
	}
	if c.TLSClientCA != "" && (c.TLSCert == "" || c.TLSKey == "") {
		return c, errors.New("admin: ADMIN_TLS_CLIENT_CA needs ADMIN_TLS_CERT and ADMIN_TLS_KEY")
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return c, errors.New("admin: set both ADMIN_TLS_CERT and ADMIN_TLS_KEY, or neither")
	}
	return c, nil
}
