package poller

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
)

// publish puts one raw document on jst.raw.<kind>.<shop_id> and waits for
// the stream's ack, or dead-letters a document the poller cannot identify.
// It returns the document's meta and whether it was identified; an error
// means nothing was stored.
func (p *Poller) publish(
	ctx context.Context,
	mode string,
	kind jst.Kind,
	raw []byte,
) (jst.Meta, bool, error) {
	meta, err := jst.ParseMeta(kind, raw)
	if err != nil {
		return jst.Meta{}, false, p.deadLetter(ctx, mode, kind, raw, err)
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
	ctx, span := p.startPublish(ctx, subject, meta.Key())
	defer span.End()
	ack, err := p.pub.Publish(ctx, subject, raw, meta.MsgID(), hdr)
	if err != nil {
		return meta, true, err
	}
	outcome := "stored"
	if ack.Duplicate {
		outcome = "duplicate"
	}
	p.m.published.WithLabelValues(string(kind), mode, outcome).Inc()
	return meta, true, nil
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
