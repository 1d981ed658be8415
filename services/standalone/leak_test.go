package standalone_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/pkg/embeddednats"
	"github.com/orderbridge/orderbridge/pkg/service"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/standalone"
)

// Secrets of the leak test's ERPs: long and unlike anything else, so that
// any appearance in the logs is a leak.
const (
	leakAppSecret    = "leak-app-secret-5d0e81c4"
	leakAccessToken  = "leak-access-token-a93f2b17"
	leakRefreshToken = "leak-refresh-token-77c1e0d9"
	leakKingdeePass  = "leak-kingdee-password-3b6a"
)

// TestLogsHoldNoSecretOrBuyerData runs the pipeline at debug level with
// faults that make every stage log (a JST refusal and token refresh,
// Kingdee call limits and lost sessions, an unknown shop's dead letters),
// then greps everything it logged for every configured secret and for the
// buyers' names, phones, addresses and buyer ids in the documents JST
// served.
func TestLogsHoldNoSecretOrBuyerData(t *testing.T) {
	sims, err := standalone.StartSimulators(jstsim.Options{
		Seed: 5, Orders: 60, AfterSales: 20, Shops: 3,
		AppSecret: leakAppSecret, AccessToken: leakAccessToken, RefreshToken: leakRefreshToken,
	}, kingdeesim.Options{
		Password: leakKingdeePass,
		Faults:   kingdeesim.Faults{CallLimitRate: 0.05, SessionLossRate: 0.05},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sims.Close)
	sims.JST.InjectCode(199, 2)
	sims.JST.InjectCode(100, 1) // the token refused once: the poller refreshes it

	natsSrv, err := embeddednats.Start(embeddednats.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(natsSrv.Shutdown)

	cfg := pipelineConfig(sims, "")
	cfg.Env = service.NewEnv(func(k string) (string, bool) {
		v, ok := map[string]string{
			"HTTP_ADDR": "127.0.0.1:0", "GRPC_ADDR": "127.0.0.1:0",
			"LOG_LEVEL": "debug", "LOG_FORMAT": "json", "SHUTDOWN_TIMEOUT": "20s",
			"NATS_URL": natsSrv.ClientURL(),
		}[k]
		return v, ok
	})
	cfg.Poller.RefreshToken = leakRefreshToken
	cfg.Poller.RetryDelay, cfg.Poller.RetryMaxDelay = 10*time.Millisecond, 50*time.Millisecond
	cfg.Writer.Kingdee.Password = leakKingdeePass
	for id := range cfg.Rules.Shops { // one unknown shop: dead letters naming documents
		delete(cfg.Rules.Shops, id)
		break
	}

	logs := captureStderr(t, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		s := runPipeline(t, ctx, cfg)
		if s.Posted == 0 || s.DeadLettered == 0 {
			t.Errorf("run %v: want posted and dead-lettered documents", s)
		}
	})
	if len(logs) == 0 {
		t.Fatal("the pipeline logged nothing: the capture is broken")
	}
	t.Logf("%d bytes of logs, %d lines", len(logs), bytes.Count(logs, []byte("\n")))

	secrets := map[string]string{
		"JST_APP_SECRET": leakAppSecret, "JST_ACCESS_TOKEN": leakAccessToken,
		"JST_REFRESH_TOKEN": leakRefreshToken, "KINGDEE_PASSWORD": leakKingdeePass,
	}
	for name, v := range secrets {
		if bytes.Contains(logs, []byte(v)) {
			t.Errorf("the logs hold %s", name)
		}
	}
	buyer := buyerValues(t, natsSrv.ClientURL())
	if len(buyer) < 50 {
		t.Fatalf("only %d buyer values found in JST_RAW: the check would prove little", len(buyer))
	}
	leaked := 0
	for v, field := range buyer {
		if bytes.Contains(logs, []byte(v)) {
			leaked++
			if leaked <= 5 {
				t.Errorf("the logs hold a buyer's %s", field)
			}
		}
	}
	if leaked > 5 {
		t.Errorf("... and %d more buyer values", leaked-5)
	}
}

// buyerFields are the fields of JST's documents that identify a buyer.
var buyerFields = []string{"receiver_name", "receiver_mobile", "receiver_phone",
	"receiver_address", "shop_buyer_id", "buyer_id", "buyer_message"}

// buyerValues reads every raw document of JST_RAW and returns the values
// of its buyer fields, each with the field's name.
func buyerValues(t *testing.T, url string) map[string]string {
	t.Helper()
	_, js := bustest.Connect(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cons, err := js.OrderedConsumer(ctx, bus.StreamRaw, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for n := info.NumPending; n > 0; n-- {
		msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatalf("reading JST_RAW: %v", err)
		}
		var doc map[string]any
		if json.Unmarshal(msg.Data(), &doc) != nil {
			continue
		}
		for _, f := range buyerFields {
			if s, ok := doc[f].(string); ok && utf8.RuneCountInString(strings.TrimSpace(s)) >= 2 {
				out[s] = f
			}
		}
	}
	return out
}

// captureStderr runs fn with os.Stderr sent to a file, where the
// services' loggers write, and returns what was written.
func captureStderr(t *testing.T, fn func()) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stderr.log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	orig := os.Stderr
	os.Stderr = f
	func() {
		defer func() { os.Stderr = orig }()
		fn()
	}()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
