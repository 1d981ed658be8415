package writer

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/ledger"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
	"google.golang.org/protobuf/proto"
)

// job is one document of a batch on its way to Kingdee.
type job struct {
	idx     int // the message's index in the batch
	seq     uint64
	key     string
	version int64
	hash    string
	bill    *bill.Bill

	// prev is the ledger entry as found before the claim; cur is the
	// entry as last written, at revision rev.
	prev ledger.Entry
	cur  ledger.Entry
	rev  uint64

	// What Kingdee holds, once saved or looked up: FID, its FBillNo and
	// FDocumentStatus ("" when not known).
	fid    int64
	number string
	status string
	// force marks a forced replay: the ledger is not trusted, Kingdee is
	// asked whether the bill exists and it is posted again only if not.
	force bool
	// verified marks a bill found in Kingdee with this content already.
	verified bool
	outcome  string // posted, updated or verified

	done bool
	err  error
}

// finish ends j with err (nil: its effect is in Kingdee and the ledger).
func (j *job) finish(err error) {
	j.done, j.err = true, err
}

// handleBatch is the bus.BatchHandler: it brings every document of msgs
// to the configured state in Kingdee, exactly once.
func (w *Writer) handleBatch(ctx context.Context, msgs []jetstream.Msg) []error {
	errs := make([]error, len(msgs))
	spans := startDocSpans(ctx, msgs)
	defer func() { endDocSpans(spans, errs) }()
	jobs := w.decode(msgs, errs)
	w.collapse(jobs)
	w.claimAll(ctx, jobs)

	byForm := map[string][]*job{}
	var forms []string
	for _, j := range jobs {
		if j.done {
			continue
		}
		f := j.bill.FormID
		if byForm[f] == nil {
			forms = append(forms, f)
		}
		byForm[f] = append(byForm[f], j)
	}
	for _, f := range forms {
		w.postForm(ctx, f, byForm[f])
	}

	for _, j := range jobs {
		errs[j.idx] = j.err
	}
	return errs
}

// decode turns each message into a job, setting errs for those that
// cannot become a bill.
func (w *Writer) decode(msgs []jetstream.Msg, errs []error) []*job {
	jobs := make([]*job, 0, len(msgs))
	for i, msg := range msgs {
		j, err := w.decodeOne(msg)
		if err != nil {
			w.m.doc("none", "dead_letter")
			errs[i] = err
			continue
		}
		j.idx = i
		if meta, err := msg.Metadata(); err == nil {
			j.seq = meta.Sequence.Stream
		}
		jobs = append(jobs, j)
	}
	return jobs
}

func (w *Writer) decodeOne(msg jetstream.Msg) (*job, error) {
	key := msg.Headers().Get(bus.HeaderDocKey)
	var doc obv1.Document
	if err := proto.Unmarshal(msg.Data(), &doc); err != nil {
		return nil, bus.Permanent("undecodable", fmt.Errorf("writer: decode %s: %w", key, err))
	}
	src := doc.GetSalesOrder().GetSource()
	if src == nil {
		src = doc.GetAfterSale().GetSource()
	}
	if src == nil {
		return nil, bus.Permanent("undecodable",
			fmt.Errorf("writer: %s: document has no source", key))
	}
	b, err := bill.Build(&doc, w.settings)
	if err != nil {
		return nil, bus.Permanent("invalid_bill", fmt.Errorf("writer: %s: %w", key, err))
	}
	return &job{
		key:     src.GetKind() + "." + src.GetId(),
		version: src.GetVersion(),
		hash:    doc.GetContentHash(),
		bill:    b,
		force:   msg.Headers().Get(bus.HeaderForce) == "true",
	}, nil
}

// collapse keeps, of several versions of one document in the batch, the
// newest (the highest version; of equal versions the latest message). The
// others end at once, to be acked as stale.
func (w *Writer) collapse(jobs []*job) {
	newest := make(map[string]*job, len(jobs))
	for _, j := range jobs {
		n := newest[j.key]
		if n == nil || j.version > n.version || (j.version == n.version && j.seq > n.seq) {
			newest[j.key] = j
		}
	}
	for _, j := range jobs {
		if newest[j.key] != j {
			w.m.doc(j.bill.FormID, "stale")
			j.finish(nil)
		}
	}
}

// claimAll claims the ledger entries of jobs, ending those that need no
// write, wait for another writer, or may not be written. A document with
// no entry yet, the common case, is claimed by one create sent with the
// others of the batch; the rest are read and claimed one by one,
// concurrently.
func (w *Writer) claimAll(ctx context.Context, jobs []*job) {
	now := w.d.Now()
	expiry := now.Add(w.cfg.ClaimTTL)
	var todo []*job
	var ws []ledger.Write
	for _, j := range jobs {
		if j.done {
			continue
		}
		form := j.bill.FormID
		if w.pauses != nil && w.pauses.Paused(control.ScopeWriter, form) {
			w.m.doc(form, "paused")
			j.finish(bus.RetryAfter(w.cfg.PauseDelay,
				fmt.Errorf("writer: %s: form %s is paused", j.key, form)))
			continue
		}
		fresh := ledger.Entry{}.Claim(w.id, expiry, j.version, j.hash)
		fresh.Form, fresh.BillNo, fresh.Updated = form, j.bill.BillNo, now
		todo = append(todo, j)
		ws = append(ws, ledger.Write{Key: j.key, Entry: fresh})
	}
	revs, errs := w.ledger.PutAll(ctx, ws)

	var wg sync.WaitGroup
	for i, j := range todo {
		switch err := errs[i]; {
		case err == nil:
			w.m.ledger.WithLabelValues(string(ledger.Claimed)).Inc()
			j.cur, j.rev = ws[i].Entry, revs[i]
		case errors.Is(err, ledger.ErrConflict):
			wg.Go(func() { w.claimExisting(ctx, j, now, expiry) })
		default:
			w.retry(j, err)
		}
	}
	wg.Wait()
}
