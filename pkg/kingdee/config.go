package kingdee

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Authentication modes for [Config.Auth].
const (
	AuthPassword  = "password"  // AuthService.ValidateUser
	AuthAppSecret = "appsecret" // AuthService.LoginByAppSecret
	AuthSign      = "sign"      // AuthService.LoginBySign
	AuthSignature = "signature" // signed headers on every call, no login
)

// Defaults applied by [New] to a zero field of [Config].
const (
	DefaultLCID    = 2052
	DefaultTimeout = 60 * time.Second
)

// Config says where Kingdee is and how to sign in.
type Config struct {
	// BaseURL is the service root and ends in /k3cloud/.
	BaseURL string
	// AcctID is the account set (数据中心) id.
	AcctID   string
	Username string
	// Auth is one of AuthPassword, AuthAppSecret, AuthSign, AuthSignature.
	Auth      string
	Password  string
	AppID     string
	AppSecret string
	// LCID is the language id; 0 means DefaultLCID (Simplified Chinese).
	LCID int
	// OrgNumber is the organisation named in the signature mode's
	// X-Kd-Appdata; "" means "0", as in Kingdee's own SDK.
	OrgNumber string
	// Timeout bounds one HTTP call; 0 means DefaultTimeout.
	Timeout time.Duration
	// HTTPClient, when set, is copied; the copy gets a cookie jar of its
	// own, so the caller's client is never changed.
	HTTPClient *http.Client
	// Now is the clock for signatures; nil means time.Now.
	Now func() time.Time
	// Observe, when set, is called after every HTTP call with the
	// operation ("login", "save", "query", ...), Kingdee's MsgCode (0 when
	// there was none), the call's duration and its error.
	Observe func(op string, msgCode int, d time.Duration, err error)
}

func (c *Config) setDefaults() {
	if c.LCID == 0 {
		c.LCID = DefaultLCID
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.OrgNumber == "" {
		c.OrgNumber = "0"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.BaseURL != "" && !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
}

// validate reports the first missing or malformed setting, wrapping
// ErrInvalidConfig.
func (c *Config) validate() error {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: base url %q is not an http(s) url", ErrInvalidConfig, c.BaseURL)
	}
	if c.AcctID == "" || c.Username == "" {
		return fmt.Errorf("%w: acct id and username are required", ErrInvalidConfig)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("%w: negative timeout", ErrInvalidConfig)
	}

	switch c.Auth {
	case AuthPassword:
		if c.Password == "" {
			return fmt.Errorf("%w: auth %q needs a password", ErrInvalidConfig, c.Auth)
		}
	case AuthAppSecret, AuthSign, AuthSignature:
		if c.AppID == "" || c.AppSecret == "" {
			return fmt.Errorf("%w: auth %q needs app id and app secret",
				ErrInvalidConfig, c.Auth)
		}
	default:
		return fmt.Errorf("%w: unknown auth %q", ErrInvalidConfig, c.Auth)
	}

	if c.Auth == AuthSignature {
		if _, err := ClientSecret(c.AppID); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
	}
	return nil
}
