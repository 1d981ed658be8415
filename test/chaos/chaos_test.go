package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "orderbridge-chaos-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	err = buildAll(filepath.Join(dir, "bin"))
	code := 1
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// TestChaos runs the pipeline as processes under the fault schedule, then
// lets it drain and fails on any document posted twice, missing or posted
// with the wrong content.
func TestChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every service as a process")
	}
	sc := chaosScale
	seed := int64(7)
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	c := startCluster(t, sc, chaosOptions(seed))
	rng := rand.New(rand.NewPCG(uint64(seed), 99))

	// Faults on both ERPs for the whole schedule.
	mustPost(t, c.jstURL+"/sim/faults", map[string]any{
		"server_error_rate": 0.05, "malformed_rate": 0.03})
	mustPost(t, c.kingdeeURL+"/sim/faults", map[string]any{
		"server_error_rate": 0.03, "call_limit_rate": 0.03, "session_loss_rate": 0.05,
		"commit_no_answer_rate": 0.08, "no_answer_hold": "200ms"})

	// Live changes while the faults run.
	ctx, stopLive := context.WithCancel(context.Background())
	var live sync.WaitGroup
	live.Add(1)
	go func() {
		defer live.Done()
		tick := time.NewTicker(300 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				_ = postJSON(c.jstURL+"/sim/step", map[string]int{"n": 3})
			}
		}
	}()

	for i := range sc.events {
		jitter := time.Duration(rng.Int64N(int64(sc.eventEvery)))
		time.Sleep(sc.eventEvery/2 + jitter)
		what := applyFault(t, c, i, rng)
		t.Logf("%s fault %d: %s", time.Now().Format("15:04:05.000"), i, what)
	}

	// Stop every fault and live change, then drain.
	stopLive()
	live.Wait()
	mustPost(t, c.jstURL+"/sim/churn", map[string]any{"churn": 0, "docs": 3})
	mustPost(t, c.jstURL+"/sim/faults", map[string]any{})
	mustPost(t, c.kingdeeURL+"/sim/faults", map[string]any{})
	_ = postJSON(c.jstURL+"/sim/inject", map[string]int{"code": 0, "n": 0})
	for _, p := range c.all() {
		if !p.running() {
			p.start(t)
		}
	}

	o := drain(t, c, sc.drain)
	logStats(t, c)
	fmt.Printf("chaos: %s\n", o)
	t.Logf("chaos: %s", o)
	for no, why := range o.deadLetter {
		t.Logf("dead letter %s: %s", no, why)
	}
	for _, w := range head(o.wrongContent, 20) {
		t.Errorf("wrong content: %s", w)
	}
	for _, e := range o.extra {
		t.Logf("bill with no document asking for it now: %s", e)
	}
	if o.twice != 0 || len(o.missing) != 0 {
		t.Errorf("posted twice %d, missing %d: %v", o.twice, len(o.missing), head(o.missing, 20))
	}
}

// applyFault applies the i-th fault of the schedule and says which.
func applyFault(t testing.TB, c *cluster, i int, rng *rand.Rand) string {
	t.Helper()
	w := c.writers[rng.IntN(len(c.writers))]
	switch i % 9 {
	case 0:
		c.poller.restart(t, syscall.SIGKILL)
		return "poller killed (SIGKILL) and restarted"
	case 1:
		w.restart(t, syscall.SIGKILL)
		return w.name + " killed (SIGKILL) and restarted"
	case 2:
		_ = postJSON(c.jstURL+"/sim/inject", map[string]int{"code": 199, "n": 3})
		_ = postJSON(c.jstURL+"/sim/inject", map[string]int{"code": 200, "n": 2})
		return "JST rate limits injected (199 x3, 200 x2)"
	case 3:
		c.transform.restart(t, syscall.SIGKILL)
		return "transformer killed (SIGKILL) and restarted"
	case 4:
		c.nats.restart(t, syscall.SIGTERM)
		return "nats-server stopped (SIGTERM) and restarted on the same store"
	case 5:
		w.restart(t, syscall.SIGTERM)
		return w.name + " stopped (SIGTERM) and restarted"
	case 6:
		c.poller.restart(t, syscall.SIGTERM)
		return "poller stopped (SIGTERM) and restarted"
	case 7:
		c.transform.restart(t, syscall.SIGTERM)
		return "transformer stopped (SIGTERM) and restarted"
	default:
		c.nats.restart(t, syscall.SIGKILL)
		return "nats-server killed (SIGKILL) and restarted on the same store"
	}
}

// drain waits until every expected bill is in Kingdee or dead-lettered and
// both consumers have nothing pending, then a little longer to see late
// duplicates, and returns the comparison.
func drain(t testing.TB, c *cluster, within time.Duration) outcome {
	t.Helper()
	var last outcome
	settled := func() bool {
		want, err := expectedBills(c.jstURL)
		if err != nil {
			return false
		}
		got, err := postedBills(c.kingdeeURL)
		if err != nil {
			return false
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		dl, err := deadLetters(ctx, c.js)
		if err != nil {
			return false
		}
		last = compare(want, got, dl)
		return len(last.missing) == 0 && consumersIdle(ctx, c)
	}
	deadline := time.Now().Add(within)
	for !settled() && time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
	}
	time.Sleep(3 * time.Second)
	settled()
	return last
}

func consumersIdle(ctx context.Context, c *cluster) bool {
	return bustest.Settled(ctx, c.js, bus.StreamRaw, bus.ConsumerTransformer) &&
		bustest.Settled(ctx, c.js, bus.StreamCanon, bus.ConsumerWriter)
}

// logStats logs what the simulators answered, to show the faults happened.
func logStats(t testing.TB, c *cluster) {
	var js map[string]map[string]int
	if err := getJSON(c.jstURL+"/sim/stats", &js); err == nil {
		t.Logf("jstsim answers by path and code (-500: HTTP 500, -1: truncated): %v", js)
	}
	var ks map[string]any
	if err := getJSON(c.kingdeeURL+"/sim/stats", &ks); err == nil {
		t.Logf("kingdeesim calls: %v", ks)
	}
	for _, p := range c.all() {
		t.Logf("%s: %d runs, exits %v", p.name, p.runs, p.exits)
	}
}

func mustPost(t testing.TB, url string, v any) {
	t.Helper()
	if err := postJSON(url, v); err != nil {
		t.Fatal(err)
	}
}

func head(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
