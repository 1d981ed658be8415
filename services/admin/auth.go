package admin

import (
	"context"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"
	"unicode"

	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
)

// Metadata keys a caller sends.
const (
	// MDAuthorization carries "Bearer <token>".
	MDAuthorization = "authorization"
	// MDActor names the person or tool behind the call, for the audit.
	MDActor = "ob-actor"
)

// servicePrefix starts the full method name of every admin API method.
var servicePrefix = "/" + adminv1.AdminService_ServiceDesc.ServiceName + "/"

// Auth decides who may call the admin API: a caller presenting Token, or
// one whose TLS client certificate the server verified. Methods of other
// services on the same server (grpc.health.v1) are left open.
type Auth struct {
	Token string
}

// Caller is who made a call, as the audit records it.
type Caller struct {
	// Actor is the name the caller gave in MDActor ("unknown" without one).
	Actor string
	// Principal is how the caller proved itself: "token", or "cert:" and
	// the certificate's subject.
	Principal string
}

type callerKey struct{}

// CallerOf returns the caller of the call ctx belongs to.
func CallerOf(ctx context.Context) Caller {
	if c, ok := ctx.Value(callerKey{}).(Caller); ok {
		return c
	}
	return Caller{Actor: "unknown", Principal: "none"}
}

// ServerOptions returns the interceptors that enforce a, and the TLS
// credentials of tlsCfg when it is not nil.
func (a Auth) ServerOptions(tlsCfg *tls.Config) []grpc.ServerOption {
	opts := []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(a.unary),
		grpc.ChainStreamInterceptor(a.stream),
	}
	if tlsCfg != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(tlsCfg)))
	}
	return opts
}

func (a Auth) unary(
	ctx context.Context,
	req any,
	info *grpc.UnaryServerInfo,
	h grpc.UnaryHandler,
) (any, error) {
	if !strings.HasPrefix(info.FullMethod, servicePrefix) {
		return h(ctx, req)
	}
	ctx, err := a.authenticate(ctx)
	if err != nil {
		return nil, err
	}
	return h(ctx, req)
}

func (a Auth) stream(
	srv any,
	ss grpc.ServerStream,
	info *grpc.StreamServerInfo,
	h grpc.StreamHandler,
) error {
	if !strings.HasPrefix(info.FullMethod, servicePrefix) {
		return h(srv, ss)
	}
	ctx, err := a.authenticate(ss.Context())
	if err != nil {
		return err
	}
	return h(srv, &authedStream{ServerStream: ss, ctx: ctx})
}

type authedStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *authedStream) Context() context.Context { return s.ctx }

// authenticate returns ctx carrying the caller, or an Unauthenticated
// status that says how to get in.
func (a Auth) authenticate(ctx context.Context) (context.Context, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	c := Caller{Actor: actorName(first(md, MDActor))}

	if subject, ok := verifiedCert(ctx); ok {
		c.Principal = "cert:" + subject
		return context.WithValue(ctx, callerKey{}, c), nil
	}
	if a.Token != "" {
		got, ok := strings.CutPrefix(first(md, MDAuthorization), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(got), []byte(a.Token)) == 1 {
			c.Principal = "token"
			return context.WithValue(ctx, callerKey{}, c), nil
		}
	}
	return nil, status.Error(codes.Unauthenticated,
		"missing or invalid credentials: set OBCTL_TOKEN (or --token) to the "+
			"server's ADMIN_TOKEN, or present a client certificate signed by "+
			"its ADMIN_TLS_CLIENT_CA")
}

// verifiedCert returns the subject of the client certificate the TLS
// handshake verified, if any.
func verifiedCert(ctx context.Context) (string, bool) {
	p, ok := peer.FromContext(ctx)
	if !ok {
		return "", false
	}
	info, ok := p.AuthInfo.(credentials.TLSInfo)
	if !ok || len(info.State.VerifiedChains) == 0 || len(info.State.VerifiedChains[0]) == 0 {
		return "", false
	}
	return info.State.VerifiedChains[0][0].Subject.String(), true
}

func first(md metadata.MD, key string) string {
	if v := md.Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

// actorName keeps a caller-given name printable and short.
func actorName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, strings.TrimSpace(s))
	if len(s) > 64 {
		s = strings.ToValidUTF8(s[:64], "")
	}
	if s == "" {
		return "unknown"
	}
	return s
}

// ServerTLS returns the TLS configuration of cfg, or nil when it serves
// plain gRPC. With a client CA, client certificates are verified when
// presented (health probes present none) and a verified one is accepted
// in place of the token.
func ServerTLS(cfg Config) (*tls.Config, error) {
	if cfg.TLSCert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("admin: ADMIN_TLS_CERT/ADMIN_TLS_KEY: %w", err)
	}
	t := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if cfg.TLSClientCA == "" {
		return t, nil
	}
	pem, err := os.ReadFile(cfg.TLSClientCA)
	if err != nil {
		return nil, fmt.Errorf("admin: ADMIN_TLS_CLIENT_CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("admin: ADMIN_TLS_CLIENT_CA %s holds no PEM certificate",
			cfg.TLSClientCA)
	}
	t.ClientCAs = pool
	t.ClientAuth = tls.VerifyClientCertIfGiven
	return t, nil
}
