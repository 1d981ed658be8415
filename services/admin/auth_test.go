package admin_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
	"github.com/orderbridge/orderbridge/services/admin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// newBareAdmin serves an admin API on an embedded JetStream server with
// the given gRPC options, without ERP clients.
func newBareAdmin(t *testing.T, opts ...grpc.ServerOption) string {
	t.Helper()
	env := bustest.New(t, bus.Config{})
	nc, err := nats.Connect(env.Server.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	srv, err := admin.New(admin.Deps{
		JS: env.JS, Conn: nc, Publisher: bus.NewPublisher(env.JS, bus.NewMetrics(nil)),
		Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return serveGRPC(t, srv, opts...)
}

func TestCallsWithoutAValidTokenAreRefused(t *testing.T) {
	addr := newBareAdmin(t, admin.Auth{Token: testToken}.ServerOptions(nil)...)

	tests := []struct {
		name     string
		token    string
		wantCode int
		wantErr  string
	}{
		{"no token", "", 1, "missing or invalid credentials: set OBCTL_TOKEN"},
		{"wrong token", "guess", 1, "missing or invalid credentials"},
		{"token of another length", testToken + "x", 1, "missing or invalid credentials"},
		{"right token", testToken, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"OBCTL_ADDR": addr, "OBCTL_TOKEN": tt.token}
			for _, args := range [][]string{
				{"status", "--skip-ledger"}, // unary
				{"dlq", "redrive", "--all"}, // server stream
				{"pause", "writer", "all"},  // a change
				{"audit"},
			} {
				_, errOut, code := runObctl(env, "", args...)
				if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
					t.Errorf("obctl %v with %s = exit %d, %q; want %d, %q",
						args, tt.name, code, errOut, tt.wantCode, tt.wantErr)
				}
			}
		})
	}

	// Refused calls leave no trace: the audit holds only the right
	// token's pause and redrive.
	env := map[string]string{"OBCTL_ADDR": addr, "OBCTL_TOKEN": testToken}
	out, _, _ := runObctl(env, "", "audit")
	if n := strings.Count(out, "token"); n != 2 {
		t.Errorf("audit after refusals = %d records, want 2:\n%s", n, out)
	}
}

func TestHealthStaysOpenWithoutToken(t *testing.T) {
	addr := newBareAdmin(t, admin.Auth{Token: testToken}.ServerOptions(nil)...)
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || res.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health Check without token = %v, %v; want SERVING", res, err)
	}
}

func TestClientCertificateStandsForTheToken(t *testing.T) {
	dir := t.TempDir()
	ca := newCA(t)
	serverCert := ca.issue(t, "admin", false)
	clientCert := ca.issue(t, "sre-alice", true)
	strangerCert := newCA(t).issue(t, "mallory", true)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := admin.Config{
		TLSCert:     write("server.pem", serverCert.certPEM),
		TLSKey:      write("server.key", serverCert.keyPEM),
		TLSClientCA: write("ca.pem", ca.certPEM),
	}
	tlsCfg, err := admin.ServerTLS(cfg)
	if err != nil {
		t.Fatal(err)
	}
	addr := newBareAdmin(t, admin.Auth{}.ServerOptions(tlsCfg)...)

	tests := []struct {
		name       string
		cert, key  string
		wantCode   int
		wantOutput string
	}{
		{"signed client certificate", write("c.pem", clientCert.certPEM),
			write("c.key", clientCert.keyPEM), 0, "cert:CN=sre-alice"},
		{"no certificate", "", "", 1, "missing or invalid credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{
				"OBCTL_ADDR": addr, "OBCTL_TLS_CA": cfg.TLSClientCA,
				"OBCTL_TLS_CERT": tt.cert, "OBCTL_TLS_KEY": tt.key, "OBCTL_ACTOR": "alice",
			}
			if _, errOut, code := runObctl(env, "", "pause", "poller", "all"); code != tt.wantCode {
				t.Fatalf("pause with %s = exit %d, %q", tt.name, code, errOut)
			}
			if tt.wantCode == 0 {
				out, _, _ := runObctl(env, "", "audit")
				if !strings.Contains(out, tt.wantOutput) {
					t.Errorf("audit = %q, want %q", out, tt.wantOutput)
				}
			}
		})
	}

	// A certificate from another CA fails the handshake.
	pair, err := tls.X509KeyPair(strangerCert.certPEM, strangerCert.keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.certPEM)
	conn, err := tls.Dial("tcp", addr, &tls.Config{
		RootCAs: pool, Certificates: []tls.Certificate{pair}, ServerName: "127.0.0.1",
		NextProtos: []string{"h2"},
	})
	if err == nil {
		// TLS 1.3 reports a refused client certificate on the first read.
		_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, err = conn.Read(make([]byte, 1))
		conn.Close()
	}
	if err == nil {
		t.Error("a client certificate of another CA was accepted")
	}
}

type certPair struct{ certPEM, keyPEM []byte }

type testCA struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM []byte
}

func newCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "orderbridge test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

func (ca *testCA) issue(t *testing.T, cn string, client bool) certPair {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	if client {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		tmpl.IPAddresses = nil
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return certPair{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}),
	}
}
