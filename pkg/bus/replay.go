package bus

import (
	"strconv"

	"github.com/nats-io/nats.go"
)

// HeaderForce, set to "true" on a replayed canonical document, asks the
// writer to look the bill up in Kingdee even when its ledger says the
// document is posted, and to post it again only if Kingdee lacks it.
const HeaderForce = "Ob-Force"

// ReplayHeaders returns a copy of orig for a message published again by a
// replay or a redrive: without its message id and the dead-letter headers,
// with HeaderReplay set to id and, when force, HeaderForce set.
func ReplayHeaders(orig nats.Header, id string, force bool) nats.Header {
	hdr := nats.Header{}
	for k, v := range orig {
		switch k {
		case HeaderMsgID, HeaderStage, HeaderErrorClass, HeaderReason, HeaderError,
			HeaderAttempts, HeaderOriginStream, HeaderOriginSeq, HeaderOriginSubject,
			HeaderFailedAt, HeaderForce:
			continue
		}
		hdr[k] = append([]string(nil), v...)
	}
	hdr.Set(HeaderReplay, id)
	if force {
		hdr.Set(HeaderForce, "true")
	}
	return hdr
}

// ReplayMsgID returns a message id that JetStream's duplicate window does
// not know: the original id (or, without one, the origin stream and
// sequence) with ":replay:" and nanos appended.
func ReplayMsgID(orig, stream string, seq uint64, nanos int64) string {
	if orig == "" {
		orig = stream + ":" + strconv.FormatUint(seq, 10)
	}
	return orig + ":replay:" + strconv.FormatInt(nanos, 10)
}
