package writer_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/pkg/embeddednats"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

// faultScale multiplies the documents of the fault test; the build tag
// "faults" (make faults) raises it.
var faultScale = 1

// TestFaultsThreeWriterProcesses runs three writer processes against a
// kingdeesim that commits 20% of writes without answering, answers 10%
// of calls with HTTP 500 and loses sessions at random, kills one writer
// with SIGKILL while it works and starts it again, and checks through the
// simulator that every document's newest version is in Kingdee exactly
// once, submitted, with its content, and nothing is dead-lettered.
//
// The writers submit but do not audit: an update of an audited bill is a
// dead letter by design, so which of two versions is audited would depend
// on the order in which they happen to be handled.
func TestFaultsThreeWriterProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs writer processes")
	}
	bin := buildWriter(t)

	srv, err := embeddednats.Start(embeddednats.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	_, js := bustest.Connect(t, srv.ClientURL())
	topo := bus.Config{AckWait: 10 * time.Second, MaxDeliver: 10}
	if _, err := bus.EnsureTopology(context.Background(), js, topo); err != nil {
		t.Fatal(err)
	}

	sim := kingdeesim.New(kingdeesim.Options{Seed: 11, Faults: kingdeesim.Faults{
		CommitNoAnswerRate: 0.2, ServerErrorRate: 0.1, SessionLossRate: 0.05,
		NoAnswerHold: 100 * time.Millisecond,
	}})
	kd := httptest.NewServer(sim)
	t.Cleanup(kd.Close)

	want := publishFaultDocs(t, bus.NewPublisher(js, bus.NewMetrics(nil)), 300*faultScale)

	env := append(os.Environ(),
		"NATS_URL="+srv.ClientURL(),
		"KINGDEE_BASE_URL="+kd.URL+"/k3cloud/",
		"KINGDEE_ACCT_ID="+kingdeesim.DefaultAcctID,
		"KINGDEE_USERNAME="+kingdeesim.DefaultUsername,
		"KINGDEE_PASSWORD="+kingdeesim.DefaultPassword,
		"KINGDEE_TIMEOUT=1s",
		"WRITER_BATCH_SIZE=20",
		"WRITER_CONCURRENCY=3",
		"WRITER_CLAIM_TTL=4s",
		"WRITER_SUBMIT=true",
		"WRITER_BREAKER_OPEN=200ms",
		"WRITER_RETRY_MAX=2s",
		"HTTP_ADDR=127.0.0.1:0",
		"GRPC_ADDR=127.0.0.1:0",
		"LOG_LEVEL=warn",
		"LOG_FORMAT=text",
	)
	procs := make([]*proc, 3)
	for i := range procs {
		procs[i] = startProc(t, bin, env)
	}
	defer func() {
		for _, p := range procs {
			p.stop()
		}
		if t.Failed() {
			for i, p := range procs {
				t.Logf("writer %d log:\n%s", i, p.log())
			}
		}
	}()

	// Kill one writer while the others work, then start it again.
	waitUntil(t, "a fifth of the bills", time.Duration(faultScale)*60*time.Second, func() bool {
		return len(sim.Bills(bill.FormSaleOrder)) >= len(want)/5
	})
	procs[0].kill()
	time.Sleep(500 * time.Millisecond)
	procs[0] = startProc(t, bin, env)

	if !waitDrained(js, time.Duration(faultScale)*80*time.Second) {
		t.Errorf("writer consumer not drained: %s", unfinished(t, js))
	}
	for _, p := range procs {
		p.stop()
	}

	if dl := deadLetters(t, js); len(dl) != 0 {
		for k, h := range dl {
			t.Errorf("dead letter %s: %s: %s", k, h.Get(bus.HeaderReason), h.Get(bus.HeaderError))
		}
	}
	got := sim.Bills(bill.FormSaleOrder)
	seen := map[string]int{}
	saves := map[int]int{}
	for _, b := range got {
		seen[b.BillNo]++
		saves[b.Saves]++
		exp, ok := want[b.BillNo]
		switch {
		case !ok:
			t.Errorf("bill %s was never published", b.BillNo)
		case qtyOf(t, b) != exp.qty || b.Status != "B":
			t.Errorf("bill %s = qty %s status %s, want qty %s status B",
				b.BillNo, qtyOf(t, b), b.Status, exp.qty)
		case exp.versions == 1 && b.Saves != 1:
			// A create is never sent again once it may have committed;
			// an update by FID may be, after a call without an answer.
			t.Errorf("bill %s of one version saved %d times, want 1", b.BillNo, b.Saves)
		}
	}
	for no := range want {
		if seen[no] != 1 {
			t.Errorf("bill %s exists %d times, want 1", no, seen[no])
		}
	}
	st := sim.Stats()
	t.Logf("%d bills; saves per bill %v; BatchSave %v; ExecuteBillQuery %v; Submit %v; "+
		"CancelAssign %v", len(got), saves, st["BatchSave"], st["ExecuteBillQuery"],
		st["Submit"], st["CancelAssign"])
}

type expected struct {
	qty      string
	versions int
}

// publishFaultDocs publishes n orders, a fifth of them in two versions
// (in half of those the newer one first), and returns the newest content
// by bill number.
func publishFaultDocs(t *testing.T, pub *bus.Publisher, n int) map[string]expected {
	rng := rand.New(rand.NewPCG(5, 6))
	want := map[string]expected{}
	var late []*obv1.Document
	for i := range n {
		id := fmt.Sprint(1000 + i)
		qty := fmt.Sprint(1 + rng.IntN(9))
		want["JST-"+id] = expected{qty: qty, versions: 1}
		switch i % 10 {
		case 0:
			publishDoc(t, pub, order(id, 2, qty))
			late = append(late, order(id, 1, "99"))
		case 5:
			publishDoc(t, pub, order(id, 1, "99"))
			late = append(late, order(id, 2, qty))
		default:
			publishDoc(t, pub, order(id, 2, qty))
			continue
		}
		want["JST-"+id] = expected{qty: qty, versions: 2}
	}
	for _, d := range late {
		publishDoc(t, pub, d)
	}
	return want
}

func buildWriter(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "writer")
	out, err := exec.Command("go", "build", "-o", bin, "./cmd/writer").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ./cmd/writer: %v\n%s", err, out)
	}
	return bin
}

// proc is a writer process with its log.
type proc struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	buf  bytes.Buffer
	done chan struct{}
}

func startProc(t *testing.T, bin string, env []string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin), done: make(chan struct{})}
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p, p
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start writer: %v", err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	return p
}

func (p *proc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.Write(b)
}

func (p *proc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

func (p *proc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop ends the process with SIGTERM, or SIGKILL after 15s.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

// waitDrained reports whether the writer consumer has nothing pending or
// unacked within the time given.
func waitDrained(js jetstream.JetStream, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if bustest.Settled(context.Background(), js, bus.StreamCanon, bus.ConsumerWriter) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// unfinished describes the consumer and the ledger entries not released
// in state submitted, for a failure message.
func unfinished(t *testing.T, js jetstream.JetStream) string {
	ctx := context.Background()
	var b bytes.Buffer
	if c, err := js.Consumer(ctx, bus.StreamCanon, bus.ConsumerWriter); err == nil {
		if info, err := c.Info(ctx); err == nil {
			fmt.Fprintf(&b, "pending %d, ack pending %d, redelivered %d; ",
				info.NumPending, info.NumAckPending, info.NumRedelivered)
		}
	}
	kv, err := js.KeyValue(ctx, bus.BucketLedger)
	if err != nil {
		return b.String()
	}
	keys, _ := kv.Keys(ctx)
	for _, k := range keys {
		e, err := kv.Get(ctx, k)
		if err == nil && !bytes.Contains(e.Value(), []byte(`"state":"submitted"`)) {
			fmt.Fprintf(&b, "\n%s: %s", k, e.Value())
		}
	}
	return b.String()
}

func waitUntil(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
