package kingdee

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeKingdee answers each service method with scripted testdata files
// over real HTTP. A script entry is a file name in testdata, or one of
// "!500" (HTTP 500), "!drop" (close the connection), "!text" (a body that
// is not JSON) and "!slow" (answer after 300ms).
type fakeKingdee struct {
	t  *testing.T
	mu sync.Mutex
	// scripts by method name; the last entry repeats.
	scripts map[string][]string
	calls   map[string]int
	bodies  map[string][]byte
	headers map[string]http.Header
	cookies []string
}

func newFake(t *testing.T, scripts map[string][]string) (*fakeKingdee, *httptest.Server) {
	f := &fakeKingdee{
		t: t, scripts: scripts, calls: map[string]int{},
		bodies: map[string][]byte{}, headers: map[string]http.Header{},
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeKingdee) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(r.URL.Path, ".common.kdsvc")
	method := name[strings.LastIndex(name, ".")+1:]
	body, _ := io.ReadAll(r.Body)

	f.mu.Lock()
	f.calls[method]++
	n := f.calls[method]
	f.bodies[method] = body
	f.headers[method] = r.Header.Clone()
	if ck, err := r.Cookie(SessionCookie); err == nil {
		f.cookies = append(f.cookies, method+"="+ck.Value)
	}
	script := f.scripts[method]
	f.mu.Unlock()

	if len(script) == 0 {
		script = []string{"login_success.json"}
	}
	entry := script[min(n, len(script))-1]
	if strings.HasPrefix(method, "Login") || method == "ValidateUser" {
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: fmt.Sprintf("sid-%d", n)})
	}

	switch entry {
	case "!500":
		http.Error(w, "internal error", http.StatusInternalServerError)
	case "!drop":
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	case "!text":
		io.WriteString(w, "<html>gateway</html>")
	case "!slow":
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "{}")
	default:
		data, err := os.ReadFile(filepath.Join("testdata", entry))
		if err != nil {
			f.t.Errorf("read fixture: %v", err)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(data)
	}
}

func (f *fakeKingdee) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func (f *fakeKingdee) body(method string) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	var m map[string]any
	if err := json.Unmarshal(f.bodies[method], &m); err != nil {
		f.t.Fatalf("body of %s: %v", method, err)
	}
	return m
}

func newTestClient(t *testing.T, url string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL: url + "/k3cloud/", AcctID: vecAcct, Username: vecUser,
		Auth: AuthPassword, Password: "ob-password", AppID: vecAppID,
		AppSecret: vecAppSecret, Timeout: 2 * time.Second,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New() error %v", err)
	}
	return c
}
