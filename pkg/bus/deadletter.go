package bus

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// maxErrorHeader bounds the error text kept in a dead letter's header.
const maxErrorHeader = 2048

// deadLetter publishes msg to dlq.<stage>.<kind> with headers saying why,
// and terminates the original only once the dead letter is stored. When the
// dead letter cannot be stored, the original is redelivered later.
func (l *loop) deadLetter(
	ctx context.Context,
	msg jetstream.Msg,
	meta *jetstream.MsgMetadata,
	class, reason string,
	cause error,
	log *slog.Logger,
) {
	kind := KindOf(msg.Subject())
	hdr := DeadLetterHeaders(msg.Headers(), DeadLetterInfo{
		Stage:         l.o.Stage,
		Class:         class,
		Reason:        reason,
		Err:           cause.Error(),
		Attempts:      meta.NumDelivered,
		OriginStream:  meta.Stream,
		OriginSeq:     meta.Sequence.Stream,
		OriginSubject: msg.Subject(),
	})
	subject := "dlq." + l.o.Stage + "." + kind
	msgID := "dlq:" + meta.Stream + ":" + strconv.FormatUint(meta.Sequence.Stream, 10)

	if _, err := l.o.Publisher.Publish(ctx, subject, msg.Data(), msgID, hdr); err != nil {
		log.Error("dead letter not stored; will retry", "err", err, "reason", reason)
		_ = msg.NakWithDelay(l.o.Backoff.Delay(1))
		l.o.Metrics.handled.WithLabelValues(l.o.Consumer, "retry").Inc()
		return
	}
	log.Warn("dead-lettered", "class", class, "reason", reason, "err", cause)
	if err := msg.TermWithReason(reason); err != nil {
		log.Warn("term failed; a redelivery will find the dead letter's id taken", "err", err)
	}
	l.o.Metrics.deadLetters.WithLabelValues(l.o.Stage, kind, reason).Inc()
	l.o.Metrics.handled.WithLabelValues(l.o.Consumer, "dead_letter").Inc()
}

// DeadLetterInfo is what a dead letter's headers record.
type DeadLetterInfo struct {
	Stage, Class, Reason, Err string
	Attempts                  uint64
	OriginStream              string
	OriginSeq                 uint64
	OriginSubject             string
}

// DeadLetterHeaders returns a copy of orig (without its message id) with the
// dead-letter headers of info added.
func DeadLetterHeaders(orig nats.Header, info DeadLetterInfo) nats.Header {
	hdr := nats.Header{}
	for k, v := range orig {
		if k == HeaderMsgID {
			continue
		}
		hdr[k] = append([]string(nil), v...)
	}
	errText := info.Err
	if len(errText) > maxErrorHeader {
		errText = strings.ToValidUTF8(errText[:maxErrorHeader], "")
	}
	hdr.Set(HeaderStage, info.Stage)
	hdr.Set(HeaderErrorClass, info.Class)
	hdr.Set(HeaderReason, info.Reason)
	hdr.Set(HeaderError, errText)
	hdr.Set(HeaderAttempts, strconv.FormatUint(info.Attempts, 10))
	hdr.Set(HeaderOriginStream, info.OriginStream)
	hdr.Set(HeaderOriginSeq, strconv.FormatUint(info.OriginSeq, 10))
	hdr.Set(HeaderOriginSubject, info.OriginSubject)
	hdr.Set(HeaderFailedAt, time.Now().UTC().Format(time.RFC3339))
	return hdr
}
