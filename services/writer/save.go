package writer

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/ledger"
)

// postForm brings the claimed jobs of one form to the target state: it
// looks up the bills that may exist, withdraws submissions that block an
// update, saves the rest in one BatchSave, records each save, then
// submits and audits them by number.
func (w *Writer) postForm(ctx context.Context, form string, jobs []*job) {
	var save, look []*job
	for _, j := range jobs {
		switch {
		case j.force:
			look = append(look, j)
		case j.cur.Holds(j.version, j.hash, ledger.Saved):
			// Saved before; only steps are missing.
		case j.prev.Uncertain() || j.prev.FID != 0:
			look = append(look, j)
		default:
			save = append(save, j)
		}
	}
	save = append(save, w.prepare(ctx, form, look, false)...)
	w.saveRound(ctx, form, save, 0)
	w.advance(ctx, form, live(jobs))
}

// prepare looks up jobs in Kingdee and returns those that still need a
// save: an update of a bill found (its submission withdrawn first), or a
// create of one not found. A bill found with the job's content from an
// earlier write whose answer was lost is recorded as saved (verified),
// never sent again; an audited one that would change is dead-lettered.
// With anyFound, a bill found is never taken for verified, as after
// Kingdee said the number exists.
func (w *Writer) prepare(ctx context.Context, form string, jobs []*job, anyFound bool) []*job {
	if len(jobs) == 0 {
		return nil
	}
	bills, err := w.lookup(ctx, form, numbersOf(jobs))
	if err != nil {
		for _, j := range jobs {
			w.fail(ctx, j, err)
		}
		return nil
	}

	var save, withdraw, verified []*job
	for _, j := range jobs {
		f, ok := bills[j.bill.BillNo]
		if !ok {
			j.fid, j.number, j.status = 0, "", ""
			save = append(save, j)
			continue
		}
		j.fid, j.number, j.status = f.fid, f.number, f.status
		switch {
		case j.force && !anyFound:
			// A forced replay posts only what Kingdee lacks.
			j.verified, j.outcome = true, "verified"
			verified = append(verified, j)
		case !anyFound && j.prev.FID == 0 &&
			j.prev.PendingVersion == j.version && j.prev.PendingHash == j.hash:
			j.verified, j.outcome = true, "verified"
			verified = append(verified, j)
		case f.status == statusAudited:
			w.fail(ctx, j, changedAfterAudit(j, f.number))
		case f.status == statusSubmitted:
			withdraw = append(withdraw, j)
		default:
			save = append(save, j)
		}
	}
	w.recordSaved(ctx, verified)
	return append(save, w.withdraw(ctx, form, withdraw)...)
}

// Kingdee's FDocumentStatus values the writer acts on.
const (
	statusSubmitted = "B"
	statusAudited   = "C"
)

// saveRound sends one BatchSave for jobs and records the bills saved.
// Round 0 looks up the numbers Kingdee says exist and saves them again as
// updates in round 1.
func (w *Writer) saveRound(ctx context.Context, form string, jobs []*job, round int) {
	if len(jobs) == 0 {
		return
	}
	models := make([]any, len(jobs))
	for i, j := range jobs {
		models[i] = j.bill.Model
		if j.fid != 0 {
			m := maps.Clone(j.bill.Model)
			m["FID"] = j.fid
			models[i] = m
		}
	}
	w.m.batches.Observe(float64(len(jobs)))
	res, err := w.client.BatchSave(ctx, form, kingdee.BatchSaveRequest{
		Models:                models,
		IsVerifyBaseDataField: w.cfg.VerifyBaseData,
	})
	if err != nil {
		w.recordSaved(ctx, w.saveFailed(ctx, form, jobs, err))
		return
	}

	var saved, exists []*job
	for i, it := range res.Items {
		j := jobs[i]
		switch {
		case it.Err == nil:
			j.outcome = "posted"
			if j.fid != 0 {
				j.outcome = "updated"
			}
			if round > 0 {
				j.outcome = "verified"
			}
			j.fid, j.number = it.ID, firstOf(it.Number, j.number, j.bill.BillNo)
			saved = append(saved, j)
		case it.Err.AlreadyExists() && round == 0:
			exists = append(exists, j)
		default:
			w.fail(ctx, j, w.rejected(j, it.Err))
		}
	}
	w.recordSaved(ctx, saved)
	w.saveRound(ctx, form, w.prepare(ctx, form, exists, true), round+1)
}

// saveFailed settles the jobs of a BatchSave that failed as a whole and
// returns those found saved. When the outcome is unknown, creates are
// looked up: one found was written by this call and counts as saved.
func (w *Writer) saveFailed(ctx context.Context, form string, jobs []*job, err error) []*job {
	var kerr *kingdee.Error
	isKerr := errors.As(err, &kerr)
	unknown := errors.Is(err, kingdee.ErrOutcomeUnknown) || (isKerr && kerr.SessionLost())
	if !unknown {
		for _, j := range jobs {
			w.fail(ctx, j, w.rejected(j, err))
		}
		return nil
	}

	var creates []*job
	for _, j := range jobs {
		if j.fid == 0 {
			creates = append(creates, j)
			continue
		}
		// An update may be sent again as it is: it names its FID.
		w.fail(ctx, j, err)
	}
	if len(creates) == 0 {
		return nil
	}
	bills, lerr := w.lookup(ctx, form, numbersOf(creates))
	var saved []*job
	for _, j := range creates {
		f, ok := bills[j.bill.BillNo]
		if lerr != nil || !ok {
			w.fail(ctx, j, err)
			continue
		}
		j.fid, j.number, j.status = f.fid, f.number, f.status
		j.verified, j.outcome = true, "verified"
		saved = append(saved, j)
	}
	return saved
}

// rejected wraps Kingdee's refusal of j: permanent for a refusal a retry
// cannot mend, naming the document, the bill and Kingdee's messages (field
// and value), transient otherwise.
func (w *Writer) rejected(j *job, err error) error {
	var kerr *kingdee.Error
	if errors.As(err, &kerr) && kerr.Permanent() {
		return bus.Permanent("kingdee_rejected", fmt.Errorf("writer: %s: %s bill %s: %w",
			j.key, j.bill.FormID, j.bill.BillNo, err))
	}
	return err
}

// recordSaved records the bills of jobs as saved with their content,
// keeping the claim when steps follow.
func (w *Writer) recordSaved(ctx context.Context, jobs []*job) {
	w.recordAll(ctx, jobs, ledger.Saved, func(j *job) {
		w.m.doc(j.bill.FormID, j.outcome)
	})
}

func numbersOf(jobs []*job) []string {
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = j.bill.BillNo
	}
	return out
}

func live(jobs []*job) []*job {
	var out []*job
	for _, j := range jobs {
		if !j.done {
			out = append(out, j)
		}
	}
	return out
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
