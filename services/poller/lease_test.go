package poller

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestLeaseOnePollerAtATime runs two pollers on one store: only the lease
// holder polls; when it dies without giving the lease up, the other takes
// over once the lease ages out and polls what changed meanwhile.
func TestLeaseOnePollerAtATime(t *testing.T) {
	r := newRig(t, smallOptions(), time.Second)
	cfg := r.config()
	a, _ := r.newPoller(cfg)
	b, _ := r.newPoller(cfg)

	stopA := run(a)
	defer stopA()
	if !waitFor(5*time.Second, func() bool { return held(a) }) {
		t.Fatal("first poller never took the lease")
	}
	stopB := run(b)
	defer stopB()
	r.settle(a, cfg)
	time.Sleep(1500 * time.Millisecond) // past the lease TTL: a renews

	if got := testutil.ToFloat64(b.m.leaseHeld); got != 0 {
		t.Errorf("standby lease_held = %v, want 0", got)
	}
	if got := testutil.CollectAndCount(b.m.requests); got != 0 {
		t.Errorf("standby made requests (%d series), want none", got)
	}

	a.keepLease = true // a crash: the lease stays until it ages out
	stopA()
	r.sim.Step(25)
	r.clock.Advance(10 * time.Second)
	if !waitFor(10*time.Second, func() bool { return held(b) }) {
		t.Fatal("standby never took the lease over")
	}
	r.settle(b, cfg)
	stopB()
	r.checkComplete()
}

func held(p *Poller) bool {
	return testutil.ToFloat64(p.m.leaseHeld) == 1
}
