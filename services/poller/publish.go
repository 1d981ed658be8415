package poller

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"go.opentelemetry.io/otel/trace"
)

// publishPage puts the raw documents of one page on
// jst.raw.<kind>.<shop_id>, all at once, and waits for every ack; a
// document the poller cannot identify, or one larger than the server takes
// in a message, is dead-lettered instead. It returns the meta of each
// identified document (published or dead-lettered as too large), in page
// order; an error means some may not be stored and the page must be read
// again.
func (p *Poller) publishPage(
	ctx context.Context,
	mode string,
	kind jst.Kind,
	docs []json.RawMessage,
) ([]jst.Meta, error) {
	metas := make([]jst.Meta, 0, len(docs))
	msgs := make([]bus.Outgoing, 0, len(docs))
	spans := make([]trace.Span, 0, len(docs))
	defer func() {
		for _, s := range spans {
			s.End()
		}
	}()
	limit := p.nc.MaxPayload() - headerRoom
	for _, raw := range docs {
		meta, err := jst.ParseMeta(kind, raw)
		if err != nil {
			key := ""
			if fe := (*jst.FieldError)(nil); errors.As(err, &fe) && fe.ID != "" {
				key = string(kind) + "." + fe.ID
			}
			err = p.deadLetter(ctx, mode, kind, raw, "malformed_document", key, err)
			if err != nil {
				return nil, err
			}
			continue
		}
		if int64(len(raw)) > limit {
			// Publishing it would fail on every read of this page, and no
			// later document would ever be published: keep an excerpt.
			err := p.deadLetter(ctx, mode, kind, excerpt(raw), "document_too_large",
				meta.Key(), tooLarge(meta, raw, limit))
			if err != nil {
				return nil, err
			}
			// Accounted for: the cursor may move past it.
			metas = append(metas, meta)
			continue
		}
		shop := meta.ShopID
		if shop == "" {
			shop = "none"
		}
		hdr := nats.Header{}
		hdr.Set(bus.HeaderDocKey, meta.Key())
		hdr.Set(bus.HeaderVersion, strconv.FormatInt(meta.Version, 10))
		hdr.Set(bus.HeaderGateway, p.cfg.Gateway)
		subject := "jst.raw." + string(kind) + "." + shop
		sctx, span := p.startPublish(ctx, subject, meta.Key())
		spans = append(spans, span)
		metas = append(metas, meta)
		msgs = append(msgs, bus.Outgoing{
			Ctx: sctx, Subject: subject, Data: raw, MsgID: meta.MsgID(), Header: hdr,
		})
	}
	acks, err := p.pub.PublishAll(ctx, msgs)
	if err != nil {
		return nil, err
	}
	for _, ack := range acks {
		outcome := "stored"
		if ack.Duplicate {
			outcome = "duplicate"
		}
		p.m.published.WithLabelValues(string(kind), mode, outcome).Inc()
	}
	return metas, nil
}

// deadLetter stores a document the poller cannot publish (raw, or an
// excerpt of it), so that it is not lost, with the reason naming the field
// and value, and counts it. key is the document's key when it is known.
// The dead letter has no origin subject: a redrive cannot mend it, the
// document must be fixed at JST.
func (p *Poller) deadLetter(
	ctx context.Context,
	mode string,
	kind jst.Kind,
	raw []byte,
	reason, key string,
	cause error,
) error {
	sum := sha256.Sum256(raw)
	var orig nats.Header
	if key != "" {
		orig = nats.Header{bus.HeaderDocKey: []string{key}}
	}
	hdr := bus.DeadLetterHeaders(orig, bus.DeadLetterInfo{
		Stage: "poller", Class: bus.ClassPermanent, Reason: reason,
		Err: cause.Error(), Attempts: 1,
	})
	subject := "dlq.poller." + string(kind)
	msgID := "dlq:poller:" + hex.EncodeToString(sum[:16])
	if _, err := p.pub.Publish(ctx, subject, raw, msgID, hdr); err != nil {
		return err
	}
	p.log.Warn("document dead-lettered", "kind", kind, "reason", reason, "key", key,
		"err", cause)
	p.m.published.WithLabelValues(string(kind), mode, "dead_letter").Inc()
	return nil
}

// headerRoom is what a raw document's message leaves of the server's max
// payload for its headers (doc key, version, gateway, message id, trace).
const headerRoom = 4 << 10

// excerptLen bounds the part of a too-large document its dead letter
// keeps.
const excerptLen = 64 << 10

// excerpt returns the first excerptLen bytes of raw, cut on a character
// boundary.
func excerpt(raw []byte) []byte {
	if len(raw) <= excerptLen {
		return raw
	}
	n := excerptLen
	for n > 0 && !utf8.RuneStart(raw[n]) {
		n--
	}
	return raw[:n]
}

// tooLarge is the error of a document larger than limit: it names the
// document, its size and its largest top-level field with that field's
// size (not its content, which may be a buyer's).
func tooLarge(meta jst.Meta, raw []byte, limit int64) error {
	msg := fmt.Sprintf("poller: %s: document of %d bytes is over the %d bytes a message may hold",
		meta.Key(), len(raw), limit)
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) == nil {
		name, size := "", 0
		for k, v := range fields {
			if len(v) > size || len(v) == size && k < name {
				name, size = k, len(v)
			}
		}
		if name != "" {
			msg += fmt.Sprintf("; largest field %s: value of %d bytes", name, size)
		}
	}
	return fmt.Errorf("%s; the dead letter keeps its first %d bytes", msg, min(len(raw), excerptLen))
}
