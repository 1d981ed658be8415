package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/pkg/embeddednats"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/mapping"
	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/admin"
	"github.com/orderbridge/orderbridge/services/admin/obctl"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/poller"
	"github.com/orderbridge/orderbridge/services/standalone"
	"github.com/orderbridge/orderbridge/services/transformer"
	"github.com/orderbridge/orderbridge/services/writer"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

const testToken = "s3cret-admin-token"

// stack is a JetStream server, both ERP simulators and an admin server on
// loopback; the pipeline runs against it on demand.
type stack struct {
	t       *testing.T
	url     string
	js      jetstream.JetStream
	nc      *nats.Conn
	sims    *standalone.Simulators
	admin   *admin.Server
	reg     *prometheus.Registry
	addr    string
	kingdee *kingdee.Client
}

func newStack(t *testing.T, jopts jstsim.Options) *stack {
	t.Helper()
	srv, err := embeddednats.Start(embeddednats.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatalf("embedded NATS: %v", err)
	}
	t.Cleanup(srv.Shutdown)
	nc, js := bustest.Connect(t, srv.ClientURL())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := bus.EnsureTopology(ctx, js, bus.Config{}); err != nil {
		t.Fatalf("EnsureTopology: %v", err)
	}

	sims, err := standalone.StartSimulators(jopts, kingdeesim.Options{})
	if err != nil {
		t.Fatalf("StartSimulators: %v", err)
	}
	t.Cleanup(sims.Close)
	s := &stack{t: t, url: srv.ClientURL(), js: js, nc: nc, sims: sims}
	s.startAdmin(ctx)
	return s
}

// startAdmin serves the admin API with the demo rules and clients of both
// simulators, and grpc.health.v1, on a loopback port.
func (s *stack) startAdmin(ctx context.Context) {
	t := s.t
	jo := s.sims.JST.Options()
	jc, err := jst.NewClient(jst.Config{
		BaseURL: s.sims.JSTURL, AppKey: jo.AppKey, AppSecret: jo.AppSecret,
		AccessToken: jo.AccessToken, Limiter: jst.NewLimiter(50, 3000),
	})
	if err != nil {
		t.Fatal(err)
	}
	s.kingdee, err = kingdee.New(kingdee.Config{
		BaseURL: s.sims.KingdeeURL, Auth: kingdee.AuthPassword,
		AcctID: kingdeesim.DefaultAcctID, Username: kingdeesim.DefaultUsername,
		Password: kingdeesim.DefaultPassword,
	})
	if err != nil {
		t.Fatal(err)
	}
	mapper, err := mapping.New(s.sims.DemoRules())
	if err != nil {
		t.Fatal(err)
	}
	s.reg = prometheus.NewRegistry()
	s.admin, err = admin.New(admin.Deps{
		JS: s.js, Conn: s.nc, Publisher: bus.NewPublisher(s.js, bus.NewMetrics(s.reg)),
		Mapper: mapper, JST: jc, Kingdee: s.kingdee, Registry: s.reg,
		Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("admin.New: %v", err)
	}
	s.addr = serveGRPC(t, s.admin, admin.Auth{Token: testToken}.ServerOptions(nil)...)
}

// serveGRPC serves the admin API and grpc.health.v1 on a loopback port.
func serveGRPC(t *testing.T, srv *admin.Server, opts ...grpc.ServerOption) string {
	t.Helper()
	g := grpc.NewServer(opts...)
	healthpb.RegisterHealthServer(g, health.NewServer())
	srv.Register(g)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = g.Serve(ln) }()
	t.Cleanup(g.Stop)
	return ln.Addr().String()
}

// obctl runs obctl in-process against the stack's admin with the token.
func (s *stack) obctl(args ...string) (string, string, int) {
	return s.obctlIn("", args...)
}

// obctlIn is obctl with stdin.
func (s *stack) obctlIn(stdin string, args ...string) (string, string, int) {
	env := map[string]string{
		"OBCTL_ADDR": s.addr, "OBCTL_TOKEN": testToken, "OBCTL_ACTOR": "tester",
	}
	return runObctl(env, stdin, args...)
}

func runObctl(env map[string]string, stdin string, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := obctl.Run(ctx, args, obctl.IO{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return out.String(), errb.String(), code
}

// mustObctl runs obctl and fails the test unless it succeeds.
func (s *stack) mustObctl(args ...string) string {
	s.t.Helper()
	out, errOut, code := s.obctl(args...)
	if code != 0 {
		s.t.Fatalf("obctl %s = exit %d\nstdout: %s\nstderr: %s",
			strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// obctlJSON runs obctl with -o json and decodes its output into m.
func (s *stack) obctlJSON(m proto.Message, args ...string) {
	s.t.Helper()
	out := s.mustObctl(append(args, "-o", "json")...)
	if err := protojson.Unmarshal([]byte(out), m); err != nil {
		s.t.Fatalf("obctl %s -o json: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// runPipeline runs the poller, transformer and writer with rules on the
// stack's JetStream until every document found is handled.
func (s *stack) runPipeline(rules mapping.Rules) standalone.Summary {
	s.t.Helper()
	cfg := s.pipelineConfig(rules)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	p, err := standalone.NewPipeline(ctx, cfg)
	if err != nil {
		s.t.Fatalf("NewPipeline: %v", err)
	}
	sum, err := p.Run(ctx)
	if err != nil || ctx.Err() != nil {
		s.t.Fatalf("pipeline Run = %v, %v (ctx %v)", sum, err, ctx.Err())
	}
	return sum
}

// startPipeline runs the pipeline with rules until the returned function
// is called, which waits for it to stop.
func (s *stack) startPipeline(rules mapping.Rules) (stop func()) {
	s.t.Helper()
	cfg := s.pipelineConfig(rules)
	cfg.Follow = true
	ctx, cancel := context.WithCancel(context.Background())
	p, err := standalone.NewPipeline(ctx, cfg)
	if err != nil {
		cancel()
		s.t.Fatalf("NewPipeline: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := p.Run(ctx)
		done <- err
	}()
	return func() {
		cancel()
		if err := <-done; err != nil {
			s.t.Errorf("pipeline Run: %v", err)
		}
	}
}

// pipelineConfig is a fast pipeline configuration on the stack.
func (s *stack) pipelineConfig(rules mapping.Rules) standalone.Config {
	env := service.NewEnv(func(k string) (string, bool) {
		v, ok := map[string]string{
			"HTTP_ADDR": "127.0.0.1:0", "GRPC_ADDR": "127.0.0.1:0",
			"LOG_LEVEL": "error", "SHUTDOWN_TIMEOUT": "20s", "NATS_URL": s.url,
		}[k]
		return v, ok
	})
	cfg := standalone.Config{
		Env: env,
		Poller: poller.Config{
			Kinds:    []jst.Kind{jst.KindOrder, jst.KindAfterSale},
			Interval: 200 * time.Millisecond, Overlap: 2 * time.Minute, Lag: time.Second,
			RatePerSec: 4, RatePerMin: 90,
		},
		Transformer:   transformer.Config{Concurrency: 4, Batch: 64},
		Writer:        writer.Config{BatchSize: 50, Concurrency: 8, ClaimTTL: 30 * time.Second},
		Rules:         rules,
		ProgressEvery: 100 * time.Millisecond,
	}
	s.sims.PointAt(&cfg.Poller, &cfg.Writer)
	return cfg
}

// billsByNo returns every bill of the Kingdee simulator by number.
func (s *stack) billsByNo() map[string][]kingdeesim.StoredBill {
	out := map[string][]kingdeesim.StoredBill{}
	for _, form := range []string{"SAL_SaleOrder", "SAL_OUTSTOCK", "SAL_RETURNSTOCK", "AR_REFUNDBILL"} {
		for _, b := range s.sims.Kingdee.Bills(form) {
			out[b.BillNo] = append(out[b.BillNo], b)
		}
	}
	return out
}

// customerOf reads the customer number of a stored sales order.
func customerOf(t *testing.T, b kingdeesim.StoredBill) string {
	t.Helper()
	var m struct {
		FCustID struct {
			FNumber string `json:"FNumber"`
		} `json:"FCustId"`
	}
	if err := json.Unmarshal(b.Model, &m); err != nil {
		t.Fatalf("model of %s: %v", b.BillNo, err)
	}
	return m.FCustID.FNumber
}
