package poller

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// syncBuffer is a bytes.Buffer safe for the logger's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// request sends v on subject and decodes the reply into out.
func request(t testing.TB, r *rig, subject string, v, out any) {
	t.Helper()
	b, _ := json.Marshal(v)
	msg, err := r.bus.Conn.Request(subject, b, 5*time.Second)
	if err != nil {
		t.Fatalf("request %s: %v", subject, err)
	}
	if err := json.Unmarshal(msg.Data, out); err != nil {
		t.Fatalf("reply to %s: %v", subject, err)
	}
}

// TestBackfillOverControlSubject asks the running poller for a backfill of
// the whole data set over ob.control.poller.backfill, follows it to the
// end over the status subject, and checks that it read every document,
// logged its progress and left the live checkpoints alone.
func TestBackfillOverControlSubject(t *testing.T) {
	r := newRig(t, smallOptions(), 0)
	cfg := r.config()
	logs := &syncBuffer{}
	p, err := New(context.Background(), cfg, Deps{
		JS: r.bus.JS, Publisher: r.pub, Registry: prometheus.NewRegistry(),
		Log: slog.New(slog.NewTextHandler(logs, nil)), Now: r.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := run(p)
	defer stop()
	r.settle(p, cfg)
	before := checkpointsOf(t, p)

	var refused control.BackfillStatus
	request(t, r, control.SubjectBackfill,
		control.BackfillRequest{From: r.now(), To: r.now().Add(-time.Hour)}, &refused)
	if refused.ID != "" || refused.Error == "" {
		t.Errorf("reversed range: status %+v, want an error and no id", refused)
	}

	var st control.BackfillStatus
	request(t, r, control.SubjectBackfill, control.BackfillRequest{
		From: cfg.StartTime, To: r.now(), RequestedBy: "test",
	}, &st)
	if st.ID == "" || st.Error != "" {
		t.Fatalf("backfill refused: %+v", st)
	}
	done := waitFor(10*time.Second, func() bool {
		var list []control.BackfillStatus
		request(t, r, control.SubjectBackfillStatus, control.BackfillQuery{ID: st.ID}, &list)
		if len(list) == 1 {
			st = list[0]
		}
		return st.Done || st.Error != ""
	})
	if !done || st.Error != "" {
		t.Fatalf("backfill status %+v, want done", st)
	}

	docs := len(r.sim.Versions())
	if st.Documents != docs || st.Pages < 2 {
		t.Errorf("backfill read %d documents in %d pages, want %d in 2 or more",
			st.Documents, st.Pages, docs)
	}
	dup := func(kind string) float64 {
		return testutil.ToFloat64(p.m.published.WithLabelValues(kind, modeBackfill, "duplicate"))
	}
	dups := dup("order") + dup("aftersale")
	if int(dups) != docs {
		t.Errorf("backfill duplicates dropped = %v, want %d (all already stored)", dups, docs)
	}
	if !strings.Contains(logs.String(), "backfill done") {
		t.Error("no \"backfill done\" log line")
	}
	if after := checkpointsOf(t, p); !equalCheckpoints(before, after) {
		t.Errorf("live checkpoints moved: before %+v, after %+v", before, after)
	}
}

func checkpointsOf(t *testing.T, p *Poller) map[string]Checkpoint {
	t.Helper()
	out := map[string]Checkpoint{}
	for _, c := range p.cursors {
		cp, _, err := p.cps.load(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		out[c.key()] = cp
	}
	return out
}

func equalCheckpoints(a, b map[string]Checkpoint) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y := b[k]
		if x.TS != y.TS || !x.Modified.Equal(y.Modified) || !x.Updated.Equal(y.Updated) {
			return false
		}
	}
	return true
}
