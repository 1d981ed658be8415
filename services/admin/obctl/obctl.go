package obctl

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// DefaultAddr is the admin API's address when neither --addr nor
// OBCTL_ADDR is set.
const DefaultAddr = "127.0.0.1:9090"

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// IO is where a run reads and writes, and how it sees the environment.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
}

// usageError is a mistake in the command line; Run prints the usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// globals are the flags every command takes.
type globals struct {
	addr, token, actor string
	tlsOn              bool
	tlsCA, tlsCert     string
	tlsKey, output     string
	timeout            time.Duration
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.addr, "addr", g.addr, "admin API address (OBCTL_ADDR)")
	fs.StringVar(&g.token, "token", g.token, "bearer token (OBCTL_TOKEN)")
	fs.StringVar(&g.actor, "as", g.actor, "your name in the audit trail (OBCTL_ACTOR, $USER)")
	fs.BoolVar(&g.tlsOn, "tls", g.tlsOn, "use TLS with the system's roots")
	fs.StringVar(&g.tlsCA, "tls-ca", g.tlsCA, "CA file of the server's certificate (OBCTL_TLS_CA)")
	fs.StringVar(&g.tlsCert, "tls-cert", g.tlsCert, "client certificate (OBCTL_TLS_CERT)")
	fs.StringVar(&g.tlsKey, "tls-key", g.tlsKey, "client key (OBCTL_TLS_KEY)")
	fs.StringVar(&g.output, "o", g.output, "output: table or json")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "bound on a short command")
}

// cli is one run of obctl.
type cli struct {
	io     IO
	g      globals
	now    time.Time
	client adminv1.AdminServiceClient
}

// Run runs obctl with args (the program name left out) and returns the
// exit code: ExitOK, ExitError after an error it explained on Stderr, or
// ExitUsage for a command line it could not understand.
func Run(ctx context.Context, args []string, o IO) int {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Stdin == nil {
		o.Stdin = strings.NewReader("")
	}
	c := &cli{io: o, g: defaults(o.Getenv), now: time.Now()}

	err := c.run(ctx, args)
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(o.Stderr, "obctl: %s\n\n", ue.msg)
		fmt.Fprint(o.Stderr, usage)
		return ExitUsage
	}
	fmt.Fprintln(o.Stderr, "obctl:", explain(err, c.g.addr))
	return ExitError
}

func defaults(getenv func(string) string) globals {
	g := globals{
		addr: getenv("OBCTL_ADDR"), token: getenv("OBCTL_TOKEN"),
		actor: getenv("OBCTL_ACTOR"), tlsCA: getenv("OBCTL_TLS_CA"),
		tlsCert: getenv("OBCTL_TLS_CERT"), tlsKey: getenv("OBCTL_TLS_KEY"),
		output: "table", timeout: 30 * time.Second,
	}
	if g.addr == "" {
		g.addr = DefaultAddr
	}
	if g.token == "" {
		if f := getenv("OBCTL_TOKEN_FILE"); f != "" {
			if b, err := os.ReadFile(f); err == nil {
				g.token = strings.TrimSpace(string(b))
			}
		}
	}
	if g.actor == "" {
		g.actor = getenv("USER")
	}
	return g
}

func (c *cli) run(ctx context.Context, args []string) error {
	top := flag.NewFlagSet("obctl", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	c.g.register(top)
	if err := top.Parse(args); err != nil {
		return usagef("%v", err)
	}
	args = top.Args()
	if len(args) == 0 {
		return usagef("name a command")
	}
	cmd, ok := commands[args[0]]
	if !ok {
		if args[0] == "help" {
			fmt.Fprint(c.io.Stdout, usage)
			return nil
		}
		return usagef("unknown command %q", args[0])
	}
	return cmd(c, ctx, args[1:])
}

// flags returns a FlagSet for a command that also takes the globals.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("obctl "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.g.register(fs)
	return fs
}

// parse parses args into fs, turning its complaints into usage errors.
func (c *cli) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(interleave(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(c.io.Stdout)
			fs.PrintDefaults()
			return err
		}
		return usagef("%s: %v", fs.Name(), err)
	}
	if c.g.output != "table" && c.g.output != "json" {
		return usagef("-o %q: want table or json", c.g.output)
	}
	return nil
}

// interleave moves positional arguments after the flags, so that
// "dlq show 12 --reveal" parses like "dlq show --reveal 12".
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// connect dials the admin API.
func (c *cli) connect() (func(), error) {
	creds, err := c.transport()
	if err != nil {
		return nil, err
	}
	md := metadata.Pairs("ob-actor", c.g.actor)
	if c.g.token != "" {
		md.Append("authorization", "Bearer "+c.g.token)
	}
	conn, err := grpc.NewClient(c.g.addr,
		grpc.WithTransportCredentials(creds),
		grpc.WithChainUnaryInterceptor(func(ctx context.Context, method string, req, reply any,
			cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
			return invoker(metadata.NewOutgoingContext(ctx, md), method, req, reply, cc, opts...)
		}),
		grpc.WithChainStreamInterceptor(func(ctx context.Context, desc *grpc.StreamDesc,
			cc *grpc.ClientConn, method string, streamer grpc.Streamer,
			opts ...grpc.CallOption) (grpc.ClientStream, error) {
			return streamer(metadata.NewOutgoingContext(ctx, md), desc, cc, method, opts...)
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("--addr %q: %w", c.g.addr, err)
	}
	c.client = adminv1.NewAdminServiceClient(conn)
	return func() { _ = conn.Close() }, nil
}

func (c *cli) transport() (credentials.TransportCredentials, error) {
	if !c.g.tlsOn && c.g.tlsCA == "" && c.g.tlsCert == "" {
		return insecure.NewCredentials(), nil
	}
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.g.tlsCA != "" {
		pem, err := os.ReadFile(c.g.tlsCA)
		if err != nil {
			return nil, fmt.Errorf("--tls-ca: %w", err)
		}
		t.RootCAs = x509.NewCertPool()
		if !t.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--tls-ca %s holds no PEM certificate", c.g.tlsCA)
		}
	}
	if c.g.tlsCert != "" || c.g.tlsKey != "" {
		cert, err := tls.LoadX509KeyPair(c.g.tlsCert, c.g.tlsKey)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		t.Certificates = []tls.Certificate{cert}
	}
	return credentials.NewTLS(t), nil
}

// open connects to the admin API for one command and returns ctx bounded
// by --timeout, and the function that releases both.
func (c *cli) open(ctx context.Context) (context.Context, func(), error) {
	closeConn, err := c.connect()
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.g.timeout)
	return ctx, func() { cancel(); closeConn() }, nil
}

// explain turns an error into a message that says what to do next.
func explain(err error, addr string) string {
	st, ok := status.FromError(err)
	if !ok {
		return err.Error()
	}
	msg := st.Message()
	switch st.Code() {
	case codes.Unavailable:
		if strings.Contains(msg, "connection") || strings.Contains(msg, "dial") ||
			strings.Contains(msg, "transport") {
			return fmt.Sprintf("cannot reach the admin API at %s (%s): check that admin "+
				"runs there, and set --addr or OBCTL_ADDR", addr, msg)
		}
		return msg
	case codes.DeadlineExceeded:
		return msg + ": the server took too long; try a larger --timeout"
	case codes.Unimplemented:
		return msg + ": the admin server is older than this obctl; upgrade it"
	}
	return msg
}
