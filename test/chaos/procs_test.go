package chaos

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binaries are the paths of the built commands, by name.
var binaries = map[string]string{}

// buildAll builds every command the suite runs into dir.
func buildAll(dir string) error {
	root, err := filepath.Abs("../..")
	if err != nil {
		return err
	}
	builds := []struct{ name, module, pkg string }{
		{"nats-server", "pkg", "github.com/nats-io/nats-server/v2"},
		{"jstsim", "services/jstsim", "./cmd/jstsim"},
		{"kingdeesim", "services/kingdeesim", "./cmd/kingdeesim"},
		{"poller", "services/poller", "./cmd/poller"},
		{"transformer", "services/transformer", "./cmd/transformer"},
		{"writer", "services/writer", "./cmd/writer"},
	}
	for _, b := range builds {
		out := filepath.Join(dir, b.name)
		cmd := exec.Command("go", "build", "-o", out, b.pkg)
		cmd.Dir = filepath.Join(root, b.module)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %w\n%s", b.name, err, msg)
		}
		binaries[b.name] = out
	}
	return nil
}

// freePort returns a loopback port nothing listens on now.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// proc is a restartable process: a binary with its arguments and
// environment, and the log of every run.
type proc struct {
	name string
	bin  string
	args []string
	env  []string

	mu    sync.Mutex
	log   bytes.Buffer
	cmd   *exec.Cmd
	done  chan struct{}
	runs  int
	exits []string
}

func newProc(name string, args, env []string) *proc {
	return &proc{name: name, bin: binaries[strings.Fields(name)[0]], args: args, env: env}
}

func (p *proc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.log.Len() < 4<<20 {
		p.log.Write(b)
	}
	return len(b), nil
}

// start runs the process once more.
func (p *proc) start(t testing.TB) {
	t.Helper()
	if p.running() {
		t.Fatalf("start %s: already running", p.name)
	}
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.SysProcAttr = dieWithParent()
	cmd.Stdout, cmd.Stderr = p, p
	p.mu.Lock()
	p.runs++
	fmt.Fprintf(&p.log, "--- %s run %d at %s\n", p.name, p.runs, time.Now().Format(time.StampMilli))
	p.mu.Unlock()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
	done := make(chan struct{})
	p.mu.Lock()
	p.cmd, p.done = cmd, done
	p.mu.Unlock()
	go func() {
		err := cmd.Wait()
		p.mu.Lock()
		p.exits = append(p.exits, fmt.Sprint(err))
		p.mu.Unlock()
		close(done)
	}()
}

// signal sends sig and waits for the process to end; after SIGTERM it
// sends SIGKILL when the process is still running 20 s later.
func (p *proc) signal(sig syscall.Signal) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	select {
	case <-done:
		return
	default:
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// restart ends the process with sig and starts it again.
func (p *proc) restart(t testing.TB, sig syscall.Signal) {
	t.Helper()
	p.signal(sig)
	p.start(t)
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// running reports whether the last run has not ended.
func (p *proc) running() bool {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	if done == nil {
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}
