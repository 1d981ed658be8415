package writer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/ledger"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
	"google.golang.org/protobuf/proto"
)

// job is one document on its way to Kingdee.
type job struct {
	key     string
	version int64
	hash    string
	bill    *bill.Bill
}

// handle decodes a canonical document, builds its bill and posts it.
func (w *Writer) handle(ctx context.Context, msg jetstream.Msg) error {
	key := msg.Headers().Get(bus.HeaderDocKey)
	var doc obv1.Document
	if err := proto.Unmarshal(msg.Data(), &doc); err != nil {
		return bus.Permanent("undecodable", fmt.Errorf("writer: decode %s: %w", key, err))
	}
	src := doc.GetSalesOrder().GetSource()
	if src == nil {
		src = doc.GetAfterSale().GetSource()
	}
	if src == nil {
		return bus.Permanent("undecodable", fmt.Errorf("writer: %s: document has no source", key))
	}

	b, err := bill.Build(&doc, w.settings)
	if err != nil {
		w.m.documents.WithLabelValues("none", "dead_letter").Inc()
		return bus.Permanent("invalid_bill", err)
	}
	j := &job{
		key:     src.GetKind() + "." + src.GetId(),
		version: src.GetVersion(),
		hash:    doc.GetContentHash(),
		bill:    b,
	}
	return w.post(ctx, j)
}

// target is the last state a document must reach.
func (w *Writer) target() ledger.State {
	switch {
	case w.cfg.Audit:
		return ledger.Audited
	case w.cfg.Submit:
		return ledger.Submitted
	}
	return ledger.Saved
}

// post brings the bill of j to the target state exactly once.
func (w *Writer) post(ctx context.Context, j *job) error {
	form := j.bill.FormID
	prev, rev, err := w.ledger.Get(ctx, j.key)
	if err != nil {
		return err
	}
	now := w.d.Now()

	switch {
	case rev != 0 && prev.State.Reached(ledger.Saved) && prev.Version > j.version:
		w.m.documents.WithLabelValues(form, "stale").Inc()
		return nil
	case rev != 0 && prev.Holds(j.version, j.hash, w.target()):
		w.m.documents.WithLabelValues(form, "duplicate").Inc()
		return nil
	case prev.LiveClaim(w.id, now):
		return bus.RetryAfter(prev.Expiry.Sub(now)+time.Second,
			fmt.Errorf("writer: %s is claimed by %s", j.key, prev.Owner))
	case prev.State.Reached(ledger.Audited) && !prev.Holds(j.version, j.hash, ledger.Saved):
		w.m.documents.WithLabelValues(form, "dead_letter").Inc()
		return bus.Permanent("changed_after_audit", fmt.Errorf(
			"writer: %s: bill %s is audited in Kingdee; version %d changes it and is not posted",
			j.key, prev.BillNo, j.version))
	}

	claim := prev.Claim(w.id, now.Add(w.cfg.ClaimTTL), j.version, j.hash)
	claim.Form, claim.BillNo, claim.Updated = form, j.bill.BillNo, now
	rev, err = w.ledger.Put(ctx, j.key, claim, rev)
	if errors.Is(err, ledger.ErrConflict) {
		return bus.RetryAfter(250*time.Millisecond, err)
	}
	if err != nil {
		return err
	}

	cur := prev.Released()
	if !prev.Holds(j.version, j.hash, ledger.Saved) {
		fid, outcome, err := w.save(ctx, j, prev)
		if err != nil {
			return w.failed(ctx, j, prev, rev, err)
		}
		cur = ledger.Entry{
			State: ledger.Saved, Form: form, BillNo: j.bill.BillNo, FID: fid,
			Version: j.version, Hash: j.hash,
		}
		if rev, err = w.record(ctx, j.key, cur, rev); err != nil {
			return err
		}
		w.m.documents.WithLabelValues(form, outcome).Inc()
	}
	return w.advance(ctx, j, cur, rev)
}

// record writes the entry with a fresh update time.
func (w *Writer) record(ctx context.Context, key string, e ledger.Entry, rev uint64) (uint64, error) {
	e.Updated = w.d.Now()
	return w.ledger.Put(ctx, key, e, rev)
}

// failed releases the claim after a failure. A permanent failure is
// recorded on the entry and dead-letters the document; a transient one
// leaves the claim in place, so that the next attempt looks the bill up
// before writing.
func (w *Writer) failed(ctx context.Context, j *job, prev ledger.Entry, rev uint64, cause error) error {
	var perm *bus.PermanentError
	if !errors.As(cause, &perm) {
		return cause
	}
	e := prev.Released()
	if !e.State.Reached(ledger.Saved) {
		e.State = ledger.Failed
	}
	e.Form, e.BillNo, e.Error = j.bill.FormID, j.bill.BillNo, cause.Error()
	if _, err := w.record(ctx, j.key, e, rev); err != nil {
		return err
	}
	w.m.documents.WithLabelValues(j.bill.FormID, "dead_letter").Inc()
	return cause
}

// save creates or updates the bill and returns its FID and the outcome
// for the documents metric.
func (w *Writer) save(ctx context.Context, j *job, prev ledger.Entry) (int64, string, error) {
	form, no := j.bill.FormID, j.bill.BillNo
	fid := prev.FID

	// An earlier attempt that left its claim behind may have created the
	// bill: look before writing.
	if prev.Claimed() && fid == 0 {
		kb, err := w.client.View(ctx, form, no)
		switch {
		case err == nil && prev.PendingVersion == j.version && prev.PendingHash == j.hash:
			return kb.ID, "verified", nil
		case err == nil:
			fid = kb.ID
		case !errors.Is(err, kingdee.ErrNotFound):
			return 0, "", err
		}
	}

	id, err := w.saveModel(ctx, form, j.bill.Model, fid)
	var kerr *kingdee.Error
	switch {
	case err == nil:
		if fid != 0 {
			return id, "updated", nil
		}
		return id, "posted", nil

	case fid == 0 && errors.Is(err, kingdee.ErrOutcomeUnknown),
		fid == 0 && errors.As(err, &kerr) && kerr.SessionLost():
		// The create may have committed. Never send it again blind.
		kb, verr := w.client.View(ctx, form, no)
		if verr == nil {
			return kb.ID, "verified", nil
		}
		return 0, "", err

	case errors.As(err, &kerr) && kerr.AlreadyExists():
		// Kingdee holds a bill with this number the ledger did not know
		// of: check it, then bring it to this content.
		kb, verr := w.client.View(ctx, form, no)
		if verr != nil {
			return 0, "", verr
		}
		if _, err := w.saveModel(ctx, form, j.bill.Model, kb.ID); err != nil {
			return 0, "", classify(err)
		}
		return kb.ID, "verified", nil
	}
	return 0, "", classify(err)
}

// saveModel sends one Save, as an update when fid is not 0.
func (w *Writer) saveModel(ctx context.Context, form string, model map[string]any, fid int64) (int64, error) {
	m := model
	if fid != 0 {
		m = maps.Clone(model)
		m["FID"] = fid
	}
	res, err := w.client.Save(ctx, form, kingdee.SaveRequest{
		Model:                 m,
		IsVerifyBaseDataField: w.cfg.VerifyBaseData,
	})
	if err != nil {
		return 0, err
	}
	return res.ID, nil
}

// advance submits and audits the saved bill as configured, recording each
// step, so that a crash resumes at the missing step.
func (w *Writer) advance(ctx context.Context, j *job, cur ledger.Entry, rev uint64) error {
	steps := []struct {
		on    bool
		state ledger.State
		call  func(context.Context, string, []string) (*kingdee.OpResult, error)
	}{
		{w.cfg.Submit || w.cfg.Audit, ledger.Submitted, w.client.Submit},
		{w.cfg.Audit, ledger.Audited, w.client.Audit},
	}
	for _, s := range steps {
		if !s.on || cur.State.Reached(s.state) {
			continue
		}
		_, err := s.call(ctx, cur.Form, []string{cur.BillNo})
		var kerr *kingdee.Error
		if err != nil && !(errors.As(err, &kerr) && kerr.AlreadyAudited()) {
			return w.failed(ctx, j, cur, rev, classify(err))
		}
		cur.State = s.state
		if rev, err = w.record(ctx, j.key, cur, rev); err != nil {
			return err
		}
	}
	return nil
}

// classify marks Kingdee's refusals that retrying cannot mend as
// permanent; everything else stays transient.
func classify(err error) error {
	var kerr *kingdee.Error
	if errors.As(err, &kerr) && kerr.Permanent() {
		return bus.Permanent("kingdee_rejected", err)
	}
	return err
}
