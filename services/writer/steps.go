package writer

import (
	"context"
	"errors"
	"fmt"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/ledger"
)

// opFunc is a Kingdee operation on bills by number: Submit, Audit,
// CancelAssign.
type opFunc func(ctx context.Context, form string, numbers []string) (*kingdee.OpResult, error)

// advance submits and audits the saved bills of jobs as configured, each
// step one call for the whole batch by Numbers, and records each step, so
// that a crash resumes at the step that was missing.
func (w *Writer) advance(ctx context.Context, form string, jobs []*job) {
	steps := []struct {
		on      bool
		state   ledger.State
		call    opFunc
		reached func(status string) bool
	}{
		{w.cfg.Submit || w.cfg.Audit, ledger.Submitted, w.client.Submit, func(s string) bool {
			return s == statusSubmitted || s == statusAudited
		}},
		{w.cfg.Audit, ledger.Audited, w.client.Audit, func(s string) bool {
			return s == statusAudited
		}},
	}
	for _, s := range steps {
		if !s.on {
			continue
		}
		var todo []*job
		for _, j := range live(jobs) {
			if !j.cur.State.Reached(s.state) {
				todo = append(todo, j)
			}
		}
		done := w.operate(ctx, form, todo, s.call, s.reached)
		w.recordAll(ctx, done, s.state, nil)
	}
	for _, j := range live(jobs) {
		// Every job reaches the target or fails above; this is a guard.
		w.fail(ctx, j, fmt.Errorf("writer: %s: stopped in state %s", j.key, j.cur.State))
	}
}

// withdraw withdraws the submission of the bills of jobs (CancelAssign),
// and returns the jobs whose bill can be saved again.
func (w *Writer) withdraw(ctx context.Context, form string, jobs []*job) []*job {
	return w.operate(ctx, form, jobs, w.client.CancelAssign, func(s string) bool {
		return s != statusSubmitted && s != statusAudited
	})
}

// operate runs call on the bills of jobs by number and returns the jobs
// whose bill reached the state it leads to. Kingdee's refusals, "already
// done" answers included, and calls without an answer are checked, not
// assumed: the bills not reported done are looked up, and those found in
// a state reached count as done. Those that failed transiently are sent
// once more, which is safe for these operations since the outcome is
// checked; the others fail with their own error or the call's.
func (w *Writer) operate(
	ctx context.Context,
	form string,
	jobs []*job,
	call opFunc,
	reached func(status string) bool,
) []*job {
	ok, again := w.operateOnce(ctx, form, jobs, call, reached, true)
	more, _ := w.operateOnce(ctx, form, again, call, reached, false)
	return append(ok, more...)
}

// operateOnce is one round of operate; with retry, the jobs that failed
// transiently are returned rather than failed.
func (w *Writer) operateOnce(
	ctx context.Context,
	form string,
	jobs []*job,
	call opFunc,
	reached func(status string) bool,
	retry bool,
) (ok, again []*job) {
	if len(jobs) == 0 {
		return nil, nil
	}
	numbers := make([]string, len(jobs))
	for i, j := range jobs {
		numbers[i] = firstOf(j.number, j.bill.BillNo)
	}
	res, err := call(ctx, form, numbers)
	if err == nil {
		return jobs, nil
	}

	succeeded := map[int]bool{}
	if res != nil {
		for _, e := range res.Entities {
			succeeded[e.DIndex] = true
		}
	}
	itemErr := map[int]error{}
	var kerr *kingdee.Error
	if errors.As(err, &kerr) && !kerr.SessionLost() && !kerr.Transient() {
		for _, it := range kerr.Items {
			itemErr[it.DIndex] = &kingdee.Error{
				Op: kerr.Op, FormID: kerr.FormID, MsgCode: kerr.MsgCode,
				Items: []kingdee.ErrorItem{it},
			}
		}
	}

	var check []*job
	var causes []error
	for i, j := range jobs {
		if succeeded[i] {
			ok = append(ok, j)
			continue
		}
		check = append(check, j)
		cause := err
		if ie, found := itemErr[i]; found {
			cause = ie
		}
		causes = append(causes, w.rejected(j, cause))
	}
	bills, lerr := w.lookup(ctx, form, numbersOf(check))
	for i, j := range check {
		if f, found := bills[j.bill.BillNo]; lerr == nil && found && reached(f.status) {
			j.status = f.status
			ok = append(ok, j)
			continue
		}
		var perm *bus.PermanentError
		if retry && !errors.As(causes[i], &perm) {
			again = append(again, j)
			continue
		}
		w.fail(ctx, j, causes[i])
	}
	return ok, again
}

// recordAll records the bills of jobs in state with the content each job
// holds, all entries sent at once (ledger.PutAll). The claim is kept while
// steps follow and released with the last; a job whose record fails ends
// with that error, its claim left to expire. onOK runs for each job
// recorded.
func (w *Writer) recordAll(ctx context.Context, jobs []*job, state ledger.State, onOK func(*job)) {
	last := state == w.target()
	now := w.d.Now()
	var todo []*job
	var ws []ledger.Write
	for _, j := range jobs {
		if j.done {
			continue
		}
		e := ledger.Entry{
			State: state, Form: j.bill.FormID, BillNo: firstOf(j.number, j.bill.BillNo),
			FID: j.fid, Version: j.version, Hash: j.hash, Updated: now,
		}
		if !last {
			e.Owner, e.Expiry = w.id, now.Add(w.cfg.ClaimTTL)
		}
		todo = append(todo, j)
		ws = append(ws, ledger.Write{Key: j.key, Entry: e, Rev: j.rev})
	}
	revs, errs := w.ledger.PutAll(ctx, ws)

	for i, j := range todo {
		err := errs[i]
		if errors.Is(err, ledger.ErrConflict) {
			err = bus.RetryAfter(conflictDelay, err)
		}
		if err != nil {
			w.m.doc(j.bill.FormID, "retry")
			j.finish(err)
			continue
		}
		w.m.ledger.WithLabelValues(string(state)).Inc()
		j.cur, j.rev = ws[i].Entry, revs[i]
		if onOK != nil {
			onOK(j)
		}
		if last {
			j.finish(nil)
		}
	}
}

// fail ends a claimed job with err. A permanent failure is recorded on
// the entry, which is released, and dead-letters the document; after a
// transient one the entry is abandoned with its pending content, so that
// any writer may take it at once and looks the bill up before saving.
func (w *Writer) fail(ctx context.Context, j *job, err error) {
	var perm *bus.PermanentError
	var e ledger.Entry
	state, outcome := "abandoned", "retry"
	if errors.As(err, &perm) {
		e = j.cur.Released()
		if !e.State.Reached(ledger.Saved) {
			e.State = ledger.Failed
		}
		e.Error = err.Error()
		state, outcome = string(ledger.Failed), "dead_letter"
	} else {
		e = j.cur.Abandoned()
	}
	e.Updated = w.d.Now()

	if rev, perr := w.ledger.Put(ctx, j.key, e, j.rev); perr == nil {
		j.cur, j.rev = e, rev
		w.m.ledger.WithLabelValues(state).Inc()
	} else if outcome == "dead_letter" {
		// Without the record the document must come again, not be
		// dead-lettered: the ledger would still show the claim.
		err, outcome = perr, "retry"
	}
	w.m.doc(j.bill.FormID, outcome)
	j.finish(err)
}
