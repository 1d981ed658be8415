package writer

import (
	"time"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/service"
)

// Config is the writer's configuration.
type Config struct {
	Kingdee kingdee.Config
	// BatchSize is WRITER_BATCH_SIZE: how many documents one pull asks for.
	BatchSize int
	// Concurrency is WRITER_CONCURRENCY: Kingdee calls in flight.
	Concurrency int
	// Submit and Audit are WRITER_SUBMIT and WRITER_AUDIT.
	Submit bool
	Audit  bool
	// ClaimTTL is WRITER_CLAIM_TTL: how long a claim keeps other writers
	// away (default three Kingdee timeouts).
	ClaimTTL time.Duration
	// VerifyBaseData sends IsVerifyBaseDataField with every save.
	VerifyBaseData bool
	// PauseDelay is WRITER_PAUSE_DELAY: how long a document of a paused
	// form waits before it comes again (default 5m). Each wait is a
	// delivery: a form paused for longer than about MaxDeliver waits has
	// its documents dead-lettered as retries_exhausted, to be redriven.
	// Pausing "all" stops pulling instead and has no such limit.
	PauseDelay time.Duration
	// BreakerFailures is WRITER_BREAKER_FAILURES: consecutive transport,
	// HTTP 5xx and call-limit failures that open the circuit (default 5).
	BreakerFailures int
	// BreakerOpen is WRITER_BREAKER_OPEN: how long the circuit first stays
	// open (default 2s); it doubles at each failed probe, up to BreakerMax
	// (WRITER_BREAKER_MAX, default 1m).
	BreakerOpen time.Duration
	BreakerMax  time.Duration
	// RetryMax is WRITER_RETRY_MAX: the longest delay before a document
	// whose post failed transiently comes again (default 5m); the delay
	// starts at 1s and doubles per delivery.
	RetryMax time.Duration
}

func (c *Config) setDefaults() {
	if c.BatchSize <= 0 {
		c.BatchSize = 50
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	if c.ClaimTTL <= 0 {
		c.ClaimTTL = 3 * kingdee.DefaultTimeout
		if c.Kingdee.Timeout > 0 {
			c.ClaimTTL = 3 * c.Kingdee.Timeout
		}
	}
	if c.PauseDelay <= 0 {
		c.PauseDelay = 5 * time.Minute
	}
	if c.BreakerFailures <= 0 {
		c.BreakerFailures = 5
	}
	if c.BreakerOpen <= 0 {
		c.BreakerOpen = 2 * time.Second
	}
	if c.RetryMax <= 0 {
		c.RetryMax = 5 * time.Minute
	}
	if c.BreakerMax < c.BreakerOpen {
		c.BreakerMax = max(time.Minute, c.BreakerOpen)
	}
}

// LoadConfig reads the writer's variables.
func LoadConfig(e *service.Env) (Config, error) {
	timeout := e.Duration("KINGDEE_TIMEOUT", kingdee.DefaultTimeout)
	c := Config{
		Kingdee: kingdee.Config{
			BaseURL:   e.String("KINGDEE_BASE_URL", ""),
			AcctID:    e.String("KINGDEE_ACCT_ID", ""),
			Username:  e.String("KINGDEE_USERNAME", ""),
			Auth:      e.String("KINGDEE_AUTH", "password"),
			Password:  e.Secret("KINGDEE_PASSWORD"),
			AppID:     e.String("KINGDEE_APP_ID", ""),
			AppSecret: e.Secret("KINGDEE_APP_SECRET"),
			LCID:      e.Int("KINGDEE_LCID", kingdee.DefaultLCID),
			OrgNumber: e.String("KINGDEE_ORG_NUMBER", ""),
			Timeout:   timeout,
		},
		BatchSize:      e.Int("WRITER_BATCH_SIZE", 50),
		Concurrency:    e.Int("WRITER_CONCURRENCY", 8),
		Submit:         e.Bool("WRITER_SUBMIT", false),
		Audit:          e.Bool("WRITER_AUDIT", false),
		ClaimTTL:       e.Duration("WRITER_CLAIM_TTL", 3*timeout),
		VerifyBaseData: e.Bool("WRITER_VERIFY_BASE_DATA", true),

		PauseDelay:      e.Duration("WRITER_PAUSE_DELAY", 5*time.Minute),
		BreakerFailures: e.Int("WRITER_BREAKER_FAILURES", 5),
		BreakerOpen:     e.Duration("WRITER_BREAKER_OPEN", 2*time.Second),
		BreakerMax:      e.Duration("WRITER_BREAKER_MAX", time.Minute),
		RetryMax:        e.Duration("WRITER_RETRY_MAX", 5*time.Minute),
	}
	return c, e.Err()
}
