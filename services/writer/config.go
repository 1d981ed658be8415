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
	}
	return c, e.Err()
}
