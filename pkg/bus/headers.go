package bus

// Header names orderbridge sets on its messages. Nats-Msg-Id is JetStream's
// own; the others are orderbridge's.
const (
	HeaderMsgID         = "Nats-Msg-Id"
	HeaderDocKey        = "Ob-Doc-Key"
	HeaderVersion       = "Ob-Version"
	HeaderRulesVersion  = "Ob-Rules-Version"
	HeaderGateway       = "Ob-Gateway"
	HeaderReason        = "Ob-Reason"
	HeaderError         = "Ob-Error"
	HeaderErrorClass    = "Ob-Error-Class"
	HeaderAttempts      = "Ob-Attempts"
	HeaderStage         = "Ob-Stage"
	HeaderOriginStream  = "Ob-Origin-Stream"
	HeaderOriginSeq     = "Ob-Origin-Seq"
	HeaderOriginSubject = "Ob-Origin-Subject"
	HeaderFailedAt      = "Ob-Failed-At"
	HeaderReplay        = "Ob-Replay"
)

// Error classes written to HeaderErrorClass on a dead letter.
const (
	// ClassPermanent marks a failure that retrying cannot mend.
	ClassPermanent = "permanent"
	// ClassExhausted marks a transient failure that lasted through every
	// delivery attempt.
	ClassExhausted = "exhausted"
)
