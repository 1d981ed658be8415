package writer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/ledger"
)

// conflictDelay is how soon a document whose entry changed under a claim
// comes again.
const conflictDelay = 250 * time.Millisecond

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

// claimExisting takes j's ledger entry when one exists already (a create
// in claimAll found it), or ends j when it needs no write (a duplicate or
// stale version), must wait for another writer's live claim, or may not be
// written (changed after audit).
func (w *Writer) claimExisting(ctx context.Context, j *job, now, expiry time.Time) {
	prev, rev, err := w.ledger.Get(ctx, j.key)
	if err != nil {
		w.retry(j, err)
		return
	}
	if rev == 0 {
		w.retry(j, bus.RetryAfter(conflictDelay,
			fmt.Errorf("writer: %s: ledger entry vanished", j.key)))
		return
	}
	j.prev = prev
	if w.settled(j, prev, now) {
		return
	}

	next := prev.Claim(w.id, expiry, j.version, j.hash)
	switch {
	case j.force:
		// Kingdee decides, not the ledger: the bill is looked up and
		// its steps are confirmed again.
		next.State, next.FID = ledger.Claimed, 0
	case prev.Holds(j.version, j.hash, ledger.Saved):
		next = prev.Resume(w.id, expiry)
	}
	next.Form, next.Updated = j.bill.FormID, now
	if next.BillNo == "" {
		next.BillNo = j.bill.BillNo
	}
	rev, err = w.ledger.Put(ctx, j.key, next, rev)
	if errors.Is(err, ledger.ErrConflict) {
		w.retry(j, bus.RetryAfter(conflictDelay, err))
		return
	}
	if err != nil {
		w.retry(j, err)
		return
	}
	w.m.ledger.WithLabelValues(string(ledger.Claimed)).Inc()
	j.cur, j.rev = next, rev
	if prev.Holds(j.version, j.hash, ledger.Saved) && !j.force {
		j.fid, j.number = prev.FID, prev.BillNo
	}
}

// settled decides from the entry alone, ending j and reporting true, when
// j needs no write or may not be written now.
func (w *Writer) settled(j *job, prev ledger.Entry, now time.Time) bool {
	form := j.bill.FormID
	newest := prev.PendingVersion
	if prev.State.Reached(ledger.Saved) {
		newest = max(newest, prev.Version)
	}

	switch {
	case newest > j.version:
		w.m.doc(form, "stale")
		j.finish(nil)
	case prev.Holds(j.version, j.hash, w.target()) && !j.force:
		w.m.doc(form, "duplicate")
		j.finish(nil)
	case prev.Live(now):
		w.retry(j, bus.RetryAfter(prev.Expiry.Sub(now)+time.Second,
			fmt.Errorf("writer: %s is claimed by %s until %s",
				j.key, prev.Owner, prev.Expiry.Format(time.RFC3339))))
	case prev.State.Reached(ledger.Audited) && !prev.Holds(j.version, j.hash, ledger.Saved):
		w.m.doc(form, "dead_letter")
		j.finish(changedAfterAudit(j, prev.BillNo))
	default:
		return false
	}
	return true
}

// changedAfterAudit is the dead letter of a version that would change an
// audited bill.
func changedAfterAudit(j *job, number string) error {
	return bus.Permanent("changed_after_audit", fmt.Errorf(
		"writer: %s: changed after audit: %s bill %s is audited in Kingdee; "+
			"version %d (content %s) changes it and is not posted",
		j.key, j.bill.FormID, number, j.version, j.hash))
}

// retry ends j with a transient error before it holds a claim.
func (w *Writer) retry(j *job, err error) {
	w.m.doc(j.bill.FormID, "retry")
	j.finish(err)
}
