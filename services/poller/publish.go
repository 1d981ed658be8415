package poller

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"go.opentelemetry.io/otel/trace"
)

// publishPage puts the raw documents of one page on
// jst.raw.<kind>.<shop_id>, all at once, and waits for every ack; a
// document the poller cannot identify is dead-lettered instead. It returns
// the meta of each identified document, in page order; an error means some
// may not be stored and the page must be read again.
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
	for _, raw := range docs {
		meta, err := jst.ParseMeta(kind, raw)
		if err != nil {
			if err := p.deadLetter(ctx, mode, kind, raw, err); err != nil {
				return nil, err
			}
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

// deadLetter stores a document the poller cannot identify, so that it is
// not lost, with the reason naming the field and value, and counts it.
func (p *Poller) deadLetter(
	ctx context.Context,
	mode string,
	kind jst.Kind,
	raw []byte,
	cause error,
) error {
	sum := sha256.Sum256(raw)
	hdr := bus.DeadLetterHeaders(nil, bus.DeadLetterInfo{
		Stage: "poller", Class: bus.ClassPermanent, Reason: "malformed_document",
		Err: cause.Error(), Attempts: 1,
	})
	subject := "dlq.poller." + string(kind)
	msgID := "dlq:poller:" + hex.EncodeToString(sum[:16])
	if _, err := p.pub.Publish(ctx, subject, raw, msgID, hdr); err != nil {
		return err
	}
	p.log.Warn("document dead-lettered", "kind", kind, "reason", "malformed_document",
		"err", cause)
	p.m.published.WithLabelValues(string(kind), mode, "dead_letter").Inc()
	return nil
}
