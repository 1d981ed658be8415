package bus

import (
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamAudit is the stream of the admin API's audit trail: one message per
// replay, redrive, purge, forced post or revealed dead letter, on
// ob.audit.<action>.
const StreamAudit = "OB_AUDIT"

// AuditSubjectPrefix starts the subject of every audit record.
const AuditSubjectPrefix = "ob.audit."

// auditMaxBytes bounds the audit stream, which refuses new records when
// full rather than dropping old ones; the admin API refuses an action it
// cannot record.
const auditMaxBytes = 256 << 20

// auditStream is the wanted configuration of the audit stream.
func (c Config) auditStream() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        StreamAudit,
		Description: "who replayed, redrove, purged, forced or revealed what, and when",
		Subjects:    []string{AuditSubjectPrefix + ">"},
		Retention:   jetstream.LimitsPolicy,
		Storage:     jetstream.FileStorage,
		Discard:     jetstream.DiscardNew,
		MaxBytes:    auditMaxBytes,
		Duplicates:  2 * time.Minute,
		Replicas:    c.Replicas,
	}
}
