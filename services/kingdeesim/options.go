package kingdeesim

import "time"

// Default credentials; the app id and secret are those of Kingdee's
// published signing examples.
const (
	DefaultAcctID    = "ob-acct"
	DefaultUsername  = "integration"
	DefaultPassword  = "ob-password"
	DefaultAppID     = "287654_T3JkZXJCcmlkZ2VTZWNyZXRLZXk5ODc2"
	DefaultAppSecret = "9b2e4d6f8a1c3e5f7a9b0c2d4e6f8a1b"
	// DefaultSessionIdle is how long an unused session lives.
	DefaultSessionIdle = 20 * time.Minute
	// DefaultClockSkew is how far a signed timestamp may be from Now.
	DefaultClockSkew = 15 * time.Minute
)

// Options configure a Sim. Zero fields take the defaults.
type Options struct {
	AcctID, Username, Password, AppID, AppSecret string

	// Latency is added to every call; PerDocLatency to every model or bill
	// number a call handles.
	Latency       time.Duration
	PerDocLatency time.Duration
	// SessionIdle is the idle expiry of a login session.
	SessionIdle time.Duration
	// ClockSkew bounds the age of LoginBySign and signed-header timestamps.
	ClockSkew time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Seed seeds the fault draws; the same seed gives the same faults.
	Seed int64
	// Faults are the faults in force from the start.
	Faults Faults

	// Base data, by number. A nil list takes the default.
	Orgs          []string
	Customers     []string
	Materials     []string
	Units         []string
	Stocks        []string
	StockStatuses []string
	Currencies    []string
	BillTypes     []string
	SettleTypes   []string
}

func (o *Options) setDefaults() {
	str := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	str(&o.AcctID, DefaultAcctID)
	str(&o.Username, DefaultUsername)
	str(&o.Password, DefaultPassword)
	str(&o.AppID, DefaultAppID)
	str(&o.AppSecret, DefaultAppSecret)
	if o.SessionIdle == 0 {
		o.SessionIdle = DefaultSessionIdle
	}
	if o.ClockSkew == 0 {
		o.ClockSkew = DefaultClockSkew
	}
	if o.Now == nil {
		o.Now = time.Now
	}

	list := func(p *[]string, v ...string) {
		if *p == nil {
			*p = v
		}
	}
	list(&o.Orgs, "100")
	list(&o.Customers, "CUST0001")
	list(&o.Materials, "MAT001")
	list(&o.Units, "Pcs", "box", "carton")
	list(&o.Stocks, "CK001")
	list(&o.StockStatuses, "KCZT01_SYS", "KCZT07_SYS")
	list(&o.Currencies, "PRE001")
	list(&o.BillTypes, "XSDD01_SYS", "XSCKD01_SYS", "XSTHD01_SYS", "SKTKDLX01_SYS")
	list(&o.SettleTypes, "JSFS01_SYS", "JSFS04_SYS")
}

// Faults are the faults the Sim injects. Each rate is a probability per
// call, from 0 to 1.
type Faults struct {
	// Latency is added to every call, on top of Options.Latency.
	Latency time.Duration
	// ServerErrorRate answers HTTP 500.
	ServerErrorRate float64
	// CallLimitRate answers MsgCode 14 (call limit).
	CallLimitRate float64
	// SessionLossRate drops the caller's session and answers MsgCode 1;
	// calls signed with headers have no session to lose.
	SessionLossRate float64
	// CommitNoAnswerRate commits a write, then closes the connection with
	// no answer after NoAnswerHold, or sooner if the client gives up.
	CommitNoAnswerRate float64
	NoAnswerHold       time.Duration
}
