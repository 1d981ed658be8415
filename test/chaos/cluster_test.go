package chaos

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

// scale sizes one run of the suite.
type scale struct {
	orders, aftersales int
	// events is the number of faults the schedule applies, one every
	// eventEvery (with jitter).
	events     int
	eventEvery time.Duration
	drain      time.Duration
}

// options shape a cluster beyond its scale.
type options struct {
	seed    int64
	writers int
	// jstArgs and kingdeeArgs are added to the simulators' flags;
	// pollerEnv and writerEnv to the services' environment (later
	// entries win).
	jstArgs, kingdeeArgs []string
	pollerEnv, writerEnv []string
	// idleWriters leaves the writers stopped: startWriters starts them;
	// idle leaves every service stopped: startServices starts them.
	idleWriters, idle bool
}

// chaosOptions are the fault suite's settings.
func chaosOptions(seed int64) options {
	return options{
		seed: seed, writers: 3,
		jstArgs: []string{"-churn", "0.05"},
		writerEnv: []string{
			"KINGDEE_TIMEOUT=1s", "WRITER_CLAIM_TTL=4s",
			"WRITER_BATCH_SIZE=20", "WRITER_CONCURRENCY=3",
			"WRITER_BREAKER_OPEN=200ms", "WRITER_BREAKER_MAX=2s",
		},
	}
}

// cluster is every process of one run and the clients the suite uses.
type cluster struct {
	dir        string
	natsURL    string
	monitorURL string // the server's monitoring endpoint (/varz, /jsz)
	jstURL     string
	kingdeeURL string
	nats       *proc
	jstsim     *proc
	kingdee    *proc
	poller     *proc
	transform  *proc
	writers    []*proc
	nc         *nats.Conn
	js         jetstream.JetStream
}

func (c *cluster) services() []*proc {
	return append([]*proc{c.poller, c.transform}, c.writers...)
}

func (c *cluster) all() []*proc {
	return append([]*proc{c.nats, c.jstsim, c.kingdee}, c.services()...)
}

// startCluster starts the JetStream server, both simulators and the
// services, and stops them all when the test ends (logging every
// process's output when it failed).
func startCluster(t testing.TB, sc scale, o options) *cluster {
	t.Helper()
	c := &cluster{dir: t.TempDir()}
	t.Cleanup(func() {
		for _, p := range c.services() {
			if p != nil {
				p.signal(syscall.SIGTERM)
			}
		}
		for _, p := range []*proc{c.jstsim, c.kingdee, c.nats} {
			if p != nil {
				p.signal(syscall.SIGTERM)
			}
		}
		if c.nc != nil {
			c.nc.Close()
		}
		if t.Failed() || os.Getenv("CHAOS_LOGS") != "" {
			for _, p := range c.all() {
				if p != nil {
					t.Logf("=== %s output (tail):\n%s", p.name, tail(p.output(), 6000))
				}
			}
		}
	})

	np := freePort(t)
	c.natsURL = fmt.Sprintf("nats://127.0.0.1:%d", np)
	mp := freePort(t)
	c.monitorURL = fmt.Sprintf("http://127.0.0.1:%d", mp)
	c.nats = newProc("nats-server", []string{"-js", "-sd", filepath.Join(c.dir, "js"),
		"-p", strconv.Itoa(np), "-a", "127.0.0.1", "-m", strconv.Itoa(mp)}, nil)
	c.nats.start(t)
	c.connect(t)

	jp := freePort(t)
	c.jstURL = fmt.Sprintf("http://127.0.0.1:%d", jp)
	c.jstsim = newProc("jstsim", append([]string{"-addr", fmt.Sprintf("127.0.0.1:%d", jp),
		"-seed", strconv.FormatInt(o.seed, 10), "-orders", strconv.Itoa(sc.orders),
		"-aftersales", strconv.Itoa(sc.aftersales),
		"-rate-per-sec", "-1", "-rate-per-min", "-1"}, o.jstArgs...), nil)
	c.jstsim.start(t)
	var shops []jstsim.Shop
	waitFor(t, "jstsim", 20*time.Second, func() bool {
		return getJSON(c.jstURL+"/sim/shops", &shops) == nil
	})
	var skus []jstsim.SKU
	if err := getJSON(c.jstURL+"/sim/skus", &skus); err != nil {
		t.Fatal(err)
	}

	kp := freePort(t)
	c.kingdeeURL = fmt.Sprintf("http://127.0.0.1:%d", kp)
	var materials, customers []string
	for _, s := range skus {
		materials = append(materials, s.ID)
	}
	for _, s := range shops {
		customers = append(customers, "CUST-"+s.ID)
	}
	c.kingdee = newProc("kingdeesim", append([]string{"-addr", fmt.Sprintf("127.0.0.1:%d", kp),
		"-materials", strings.Join(materials, ","), "-customers", strings.Join(customers, ","),
		"-stocks", "CK001", "-seed", strconv.FormatInt(o.seed, 10)}, o.kingdeeArgs...), nil)
	c.kingdee.start(t)
	waitFor(t, "kingdeesim", 20*time.Second, func() bool {
		var f map[string]any
		return getJSON(c.kingdeeURL+"/sim/faults", &f) == nil
	})

	mappingFile := filepath.Join(c.dir, "mapping.yaml")
	var m strings.Builder
	m.WriteString("version: \"chaos-1\"\norder_form: SAL_SaleOrder\ndefault_stock: CK001\nshops:\n")
	for _, s := range shops {
		fmt.Fprintf(&m, "  %q: {customer: CUST-%s, sale_org: \"100\"}\n", s.ID, s.ID)
	}
	if err := os.WriteFile(mappingFile, []byte(m.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	common := []string{
		"NATS_URL=" + c.natsURL, "HTTP_ADDR=127.0.0.1:0", "GRPC_ADDR=127.0.0.1:0",
		"LOG_LEVEL=warn", "LOG_FORMAT=text", "SHUTDOWN_TIMEOUT=10s",
		"MAPPING_FILE=" + mappingFile,
	}
	start := time.Now().Add(-jstsim.DefaultSpan - time.Hour).In(jst.Beijing)
	c.poller = newProc("poller", nil, append(append([]string(nil), common...),
		"JST_BASE_URL="+c.jstURL,
		"JST_APP_KEY="+jstsim.DefaultAppKey,
		"JST_APP_SECRET="+jstsim.DefaultAppSecret,
		"JST_ACCESS_TOKEN="+jstsim.DefaultAccessToken,
		"JST_START_TIME="+start.Format(jst.TimeLayout),
		"JST_RATE_PER_SEC=50", "JST_RATE_PER_MIN=3000",
		"POLL_INTERVAL=500ms", "POLL_LAG=2s",
		"POLL_RETRY_DELAY=200ms", "POLL_RETRY_MAX=2s", "POLL_PAUSE_RETRY=2s",
	))
	c.poller.env = append(c.poller.env, o.pollerEnv...)
	c.transform = newProc("transformer", nil, common)
	for i := range o.writers {
		env := append([]string(nil), common...)
		c.writers = append(c.writers, newProc(fmt.Sprintf("writer %d", i), nil, append(env,
			"KINGDEE_BASE_URL="+c.kingdeeURL+"/k3cloud/",
			"KINGDEE_ACCT_ID="+kingdeesim.DefaultAcctID,
			"KINGDEE_USERNAME="+kingdeesim.DefaultUsername,
			"KINGDEE_PASSWORD="+kingdeesim.DefaultPassword,
		)))
		c.writers[i].env = append(c.writers[i].env, o.writerEnv...)
	}
	if !o.idle {
		c.startServices(t, !o.idleWriters)
	}
	return c
}

// startServices starts the poller and the transformer, and the writers
// when writers is true.
func (c *cluster) startServices(t testing.TB, writers bool) {
	t.Helper()
	c.poller.start(t)
	c.transform.start(t)
	if writers {
		c.startWriters(t)
	}
}

// startWriters starts every writer process.
func (c *cluster) startWriters(t testing.TB) {
	t.Helper()
	for _, w := range c.writers {
		w.start(t)
	}
}

// connect connects the suite to the JetStream server and creates the
// topology with an ack wait short enough that a killed service's messages
// come again within the run (services keep what exists).
func (c *cluster) connect(t testing.TB) {
	t.Helper()
	var err error
	waitFor(t, "nats-server", 20*time.Second, func() bool {
		c.nc, err = nats.Connect(c.natsURL, nats.MaxReconnects(-1),
			nats.ReconnectWait(200*time.Millisecond))
		return err == nil
	})
	c.js, err = jetstream.New(c.nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	topo := bus.Config{AckWait: 15 * time.Second, MaxDeliver: 20}
	if _, err := bus.EnsureTopology(ctx, c.js, topo); err != nil {
		t.Fatalf("topology: %v", err)
	}
}

func getJSON(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func postJSON(url string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("POST %s: %s: %s", url, resp.Status, msg)
	}
	return nil
}

func waitFor(t testing.TB, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
