package kingdee

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileKingdee logs in like Kingdee and answers every other call with
// body: an HTML error page, nothing, or more than the client reads.
func hostileKingdee(t *testing.T, body string) *httptest.Server {
	t.Helper()
	login, err := os.ReadFile(filepath.Join("testdata", "login_success.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if strings.Contains(r.URL.Path, "AuthService") {
			http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "sid"})
			_, _ = w.Write(login)
			return
		}
		switch body {
		case "html":
			_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head></html>")
		case "empty":
		case "huge": // the start of a success answer, 80 MiB long
			_, _ = io.WriteString(w, `{"Result":{"ResponseStatus":{"IsSuccess":true,"x":"`)
			chunk := bytes.Repeat([]byte{'x'}, 1<<20)
			for range 80 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			_, _ = io.WriteString(w, `"}}}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAnswersThatAreNotKingdees(t *testing.T) {
	tests := []struct {
		body string
		text string // what the error must say of the answer
	}{
		{"html", `starting "<html><head><title>502 Bad Gateway`},
		{"empty", "empty body"},
		{"huge", "answer over the 64 MiB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			c := newTestClient(t, hostileKingdee(t, tt.body).URL, nil)
			ctx := context.Background()
			writes := map[string]func() error{
				"save": func() error {
					_, err := c.Save(ctx, "SAL_SaleOrder", SaveRequest{Model: map[string]any{}})
					return err
				},
				"batchsave": func() error {
					_, err := c.BatchSave(ctx, "SAL_SaleOrder",
						BatchSaveRequest{Models: []any{map[string]any{}}})
					return err
				},
				"submit": func() error {
					_, err := c.Submit(ctx, "SAL_SaleOrder", []string{"JST-1"})
					return err
				},
			}
			// A write's answer may hide a commit: the writer must look the
			// bill up before it sends the write again.
			for op, call := range writes {
				err := call()
				if !errors.Is(err, ErrOutcomeUnknown) {
					t.Errorf("%s with a %s answer: error %v, want ErrOutcomeUnknown", op, tt.body, err)
				}
				if err != nil && (!strings.Contains(err.Error(), tt.text) ||
					!strings.HasPrefix(err.Error(), "kingdee: "+op+" SAL_SaleOrder")) {
					t.Errorf("%s with a %s answer: error %q, want it to name the call and say %q",
						op, tt.body, err, tt.text)
				}
			}
			// A read changes nothing: a plain error.
			_, err := c.View(ctx, "SAL_SaleOrder", "JST-1")
			if err == nil || errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrNotFound) {
				t.Errorf("View with a %s answer: error %v, want one that is neither "+
					"ErrOutcomeUnknown nor ErrNotFound", tt.body, err)
			}
			if err != nil && !strings.Contains(err.Error(), tt.text) {
				t.Errorf("View with a %s answer: error %q, want it to say %q", tt.body, err, tt.text)
			}
		})
	}
}
