package poller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/jst"
)

// backfillLogEvery is the most time between two progress lines of a
// running backfill.
const backfillLogEvery = 10 * time.Second

// backfills are the backfills this poller has accepted while it held the
// lease. They run beside live polling and share its rate limiter, and
// never touch a checkpoint. They are kept in memory only: a backfill that
// a lost lease or a shutdown stops must be requested again.
type backfills struct {
	mu   sync.Mutex
	seq  int
	jobs []*backfillJob
	wg   sync.WaitGroup
}

// backfillJob is one backfill and its progress.
type backfillJob struct {
	mu      sync.Mutex
	st      control.BackfillStatus
	kinds   []jst.Kind
	shops   []string
	logged  time.Time
	started time.Time // wall clock, for the rate
}

// wait waits for the running backfills, once their context has ended: a
// backfill starts only under b.mu with its context alive.
func (b *backfills) wait() {
	b.mu.Lock()
	b.mu.Unlock() // every Add under b.mu is done; later calls see ctx ended
	b.wg.Wait()
}

func (j *backfillJob) status() control.BackfillStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.st
}

// subscribeControl answers the poller's control subjects until the
// subscription is dropped. Backfills started through it run under ctx.
func (p *Poller) subscribeControl(ctx context.Context) (*nats.Subscription, error) {
	sub, err := p.nc.Subscribe("ob.control.poller.>", func(m *nats.Msg) {
		var reply any
		switch m.Subject {
		case control.SubjectBackfill:
			var req control.BackfillRequest
			if err := json.Unmarshal(m.Data, &req); err != nil {
				reply = control.BackfillStatus{Error: "bad request: " + err.Error()}
				break
			}
			reply = p.startBackfill(ctx, req)
		case control.SubjectBackfillStatus:
			var q control.BackfillQuery
			_ = json.Unmarshal(m.Data, &q)
			reply = p.backfillStatus(q)
		default:
			return
		}
		b, _ := json.Marshal(reply)
		_ = m.Respond(b)
	})
	if err != nil {
		return nil, fmt.Errorf("poller: subscribe to control subjects: %w", err)
	}
	return sub, nil
}

// startBackfill checks req and starts it. The status returned has its ID
// set when accepted, and Error when not.
func (p *Poller) startBackfill(
	ctx context.Context,
	req control.BackfillRequest,
) control.BackfillStatus {
	st := control.BackfillStatus{
		Kind: req.Kind, ShopID: req.ShopID, From: req.From, To: req.To,
		Position: req.From, Started: p.now(), Updated: p.now(),
	}
	j := &backfillJob{started: time.Now()}
	if err := p.planBackfill(j, req); err != nil {
		st.Error = err.Error()
		return st
	}

	p.bf.mu.Lock()
	if ctx.Err() != nil {
		p.bf.mu.Unlock()
		st.Error = "this poller is stopping"
		return st
	}
	p.bf.seq++
	st.ID = "bf-" + strconv.FormatInt(p.now().Unix(), 10) + "-" + strconv.Itoa(p.bf.seq)
	j.st = st
	p.bf.jobs = append(p.bf.jobs, j)
	p.bf.wg.Add(1)
	p.bf.mu.Unlock()

	p.log.Info("backfill accepted", "backfill", st.ID, "kind", req.Kind,
		"shop_id", req.ShopID, "from", jst.FormatTime(req.From),
		"to", jst.FormatTime(req.To), "requested_by", req.RequestedBy)
	go func() {
		defer p.bf.wg.Done()
		p.runBackfill(ctx, j)
	}()
	return st
}

// planBackfill sets the kinds and shops of j from req, or reports why req
// is refused.
func (p *Poller) planBackfill(j *backfillJob, req control.BackfillRequest) error {
	switch {
	case req.From.IsZero() || req.To.IsZero():
		return errors.New("from and to are required")
	case !req.From.Before(req.To):
		return errors.New("from must be before to")
	case req.ShopID != "" && !jst.SafeToken(req.ShopID):
		return fmt.Errorf("shop_id %q is not a JST shop id", req.ShopID)
	}
	if req.Kind == "" {
		j.kinds = p.cfg.Kinds
	} else if k := jst.Kind(req.Kind); k.Valid() {
		j.kinds = []jst.Kind{k}
	} else {
		return fmt.Errorf("kind %q is not order or aftersale", req.Kind)
	}
	j.shops = []string{req.ShopID}
	if req.ShopID == "" && len(p.cfg.ShopIDs) > 0 {
		j.shops = p.cfg.ShopIDs
	}
	return nil
}

// runBackfill reads [From, To] in windows of at most seven days, every
// kind and shop of j in each, and records progress.
func (p *Poller) runBackfill(ctx context.Context, j *backfillJob) {
	p.m.backfills.Inc()
	defer p.m.backfills.Dec()
	st := j.status()

	for begin := st.From; ; {
		end := begin.Add(jst.MaxWindow)
		if end.After(st.To) {
			end = st.To
		}
		for _, kind := range j.kinds {
			for _, shop := range j.shops {
				_, err := p.readWindow(ctx, modeBackfill, kind, shop, begin, end, j.progress(p))
				if err != nil {
					p.finishBackfill(j, err)
					return
				}
			}
		}
		j.mu.Lock()
		j.st.Position = end
		j.mu.Unlock()
		p.logBackfill(j, "backfill progress")
		if !end.Before(st.To) {
			break
		}
		begin = end
	}
	p.finishBackfill(j, nil)
}

// progress returns the page callback of j's window reads.
func (j *backfillJob) progress(p *Poller) func(pages, docs int) {
	return func(pages, docs int) {
		j.mu.Lock()
		j.st.Pages += pages
		j.st.Documents += docs
		j.st.Updated = p.now()
		due := time.Since(j.logged) >= backfillLogEvery
		j.mu.Unlock()
		if due {
			p.logBackfill(j, "backfill progress")
		}
	}
}

func (p *Poller) logBackfill(j *backfillJob, msg string) {
	j.mu.Lock()
	j.logged = time.Now()
	st := j.st
	minutes := time.Since(j.started).Minutes()
	j.mu.Unlock()
	perMin := 0.0
	if minutes > 0 {
		perMin = float64(st.Pages) / minutes
	}
	p.log.Info(msg, "backfill", st.ID, "position", jst.FormatTime(st.Position),
		"pages", st.Pages, "documents", st.Documents,
		"pages_per_minute", strconv.FormatFloat(perMin, 'f', 1, 64))
}

func (p *Poller) finishBackfill(j *backfillJob, err error) {
	j.mu.Lock()
	j.st.Updated = p.now()
	if err != nil {
		j.st.Error = "stopped: " + err.Error()
	} else {
		j.st.Done = true
	}
	j.mu.Unlock()
	if err != nil {
		p.log.Warn("backfill stopped", "backfill", j.status().ID, "err", err)
		return
	}
	p.logBackfill(j, "backfill done")
}

// backfillStatus lists the backfills q selects.
func (p *Poller) backfillStatus(q control.BackfillQuery) []control.BackfillStatus {
	p.bf.mu.Lock()
	jobs := append([]*backfillJob(nil), p.bf.jobs...)
	p.bf.mu.Unlock()
	out := []control.BackfillStatus{}
	for _, j := range jobs {
		if st := j.status(); q.ID == "" || st.ID == q.ID {
			out = append(out, st)
		}
	}
	return out
}
