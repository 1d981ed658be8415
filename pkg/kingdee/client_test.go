package kingdee

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSave(t *testing.T) {
	tests := []struct {
		file   string
		want   *SaveResult
		exists bool
		perm   bool
	}{
		{file: "save_success.json", want: &SaveResult{ID: 100029, Number: "FKSQ000004"}},
		{file: "save_duplicate.json", exists: true},
		{file: "save_required.json", perm: true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, srv := newFake(t, map[string][]string{"Save": {tt.file}})
			c := newTestClient(t, srv.URL, nil)

			got, err := c.Save(context.Background(), "SAL_SaleOrder",
				SaveRequest{Model: map[string]any{"FBillNo": "JST-1001"}})
			if tt.want != nil {
				if err != nil || *got != *tt.want {
					t.Fatalf("Save() = %+v, %v, want %+v", got, err, tt.want)
				}
				return
			}
			var kerr *Error
			if !errors.As(err, &kerr) {
				t.Fatalf("Save() error %v, want *Error", err)
			}
			if kerr.AlreadyExists() != tt.exists || kerr.Permanent() != tt.perm {
				t.Errorf("Save() error %v: exists %v permanent %v, want %v %v",
					kerr, kerr.AlreadyExists(), kerr.Permanent(), tt.exists, tt.perm)
			}
		})
	}
}

func TestSaveRequestBody(t *testing.T) {
	f, srv := newFake(t, map[string][]string{"Save": {"save_success.json"}})
	c := newTestClient(t, srv.URL, nil)

	_, err := c.Save(context.Background(), "SAL_SaleOrder", SaveRequest{
		Model:                 map[string]any{"FBillNo": "JST-1001"},
		IsVerifyBaseDataField: true,
	})
	if err != nil {
		t.Fatalf("Save() error %v", err)
	}
	body := f.body("Save")
	data, _ := body["data"].(map[string]any)
	if body["formid"] != "SAL_SaleOrder" || data["IsDeleteEntry"] != true ||
		data["IsVerifyBaseDataField"] != true || data["Model"] == nil {
		t.Errorf("Save() sent %v, want formid, data.Model and the flags", body)
	}
}

func TestBatchSavePartial(t *testing.T) {
	_, srv := newFake(t, map[string][]string{"BatchSave": {"batchsave_partial.json"}})
	c := newTestClient(t, srv.URL, nil)

	res, err := c.BatchSave(context.Background(), "SAL_SaleOrder", BatchSaveRequest{
		Models: []any{map[string]any{}, map[string]any{}, map[string]any{}},
	})
	if err != nil {
		t.Fatalf("BatchSave() error %v", err)
	}
	if len(res.Items) != 3 {
		t.Fatalf("BatchSave() items = %d, want 3", len(res.Items))
	}
	if it := res.Items[0]; it.ID != 100031 || it.Number != "JST-1" || it.Err != nil {
		t.Errorf("BatchSave() item 0 = %+v, want saved JST-1", it)
	}
	if it := res.Items[1]; it.Err == nil || !it.Err.AlreadyExists() || it.ID != 0 {
		t.Errorf("BatchSave() item 1 = %+v, want AlreadyExists", it)
	}
	if it := res.Items[2]; it.ID != 100032 || it.Err != nil {
		t.Errorf("BatchSave() item 2 = %+v, want saved JST-3", it)
	}
}

func TestBatchSaveWholeCallError(t *testing.T) {
	_, srv := newFake(t, map[string][]string{"BatchSave": {"call_limit.json"}})
	c := newTestClient(t, srv.URL, nil)

	_, err := c.BatchSave(context.Background(), "SAL_SaleOrder",
		BatchSaveRequest{Models: []any{map[string]any{}}})
	var kerr *Error
	if !errors.As(err, &kerr) || !kerr.Transient() {
		t.Errorf("BatchSave() error %v, want a transient *Error", err)
	}
}

func TestAudit(t *testing.T) {
	f, srv := newFake(t, map[string][]string{
		"Audit": {"audit_success.json", "audit_already.json"},
	})
	c := newTestClient(t, srv.URL, nil)
	ctx := context.Background()

	res, err := c.Audit(ctx, "SAL_RETURNSTOCK", []string{"TK202504030001"})
	if err != nil || len(res.Entities) != 1 || res.Entities[0].ID != 105016 ||
		len(res.Messages) != 1 {
		t.Fatalf("Audit() = %+v, %v, want entity 105016 and a message", res, err)
	}
	data, _ := f.body("Audit")["data"].(map[string]any)
	if nums, _ := data["Numbers"].([]any); len(nums) != 1 || nums[0] != "TK202504030001" {
		t.Errorf("Audit() sent data %v, want Numbers [TK202504030001]", data)
	}

	_, err = c.Audit(ctx, "SAL_RETURNSTOCK", []string{"TK202504030001"})
	var kerr *Error
	if !errors.As(err, &kerr) || !kerr.AlreadyAudited() {
		t.Errorf("Audit() twice error %v, want AlreadyAudited", err)
	}
}

func TestCancelAssign(t *testing.T) {
	f, srv := newFake(t, map[string][]string{"CancelAssign": {"audit_success.json"}})
	c := newTestClient(t, srv.URL, nil)

	res, err := c.CancelAssign(context.Background(), "SAL_SaleOrder", []string{"JST-1"})
	if err != nil || len(res.Entities) != 1 {
		t.Fatalf("CancelAssign() = %+v, %v, want one entity", res, err)
	}
	data, _ := f.body("CancelAssign")["data"].(map[string]any)
	if nums, _ := data["Numbers"].([]any); len(nums) != 1 || nums[0] != "JST-1" {
		t.Errorf("CancelAssign() sent data %v, want Numbers [JST-1]", data)
	}
}

func TestView(t *testing.T) {
	_, srv := newFake(t, map[string][]string{"View": {"view_success.json"}})
	c := newTestClient(t, srv.URL, nil)

	b, err := c.View(context.Background(), "SAL_SaleOrder", "JST-1001")
	if err != nil || b.ID != 100029 || b.Number != "JST-1001" || b.Status != "C" {
		t.Fatalf("View() = %+v, %v, want 100029 JST-1001 C", b, err)
	}
}

func TestExecuteBillQuery(t *testing.T) {
	_, srv := newFake(t, map[string][]string{
		"ExecuteBillQuery": {"query_success.json", "query_error.json"},
	})
	c := newTestClient(t, srv.URL, nil)
	q := BillQuery{FormID: "BD_MATERIAL", FieldKeys: []string{"FNumber", "FName"}}

	rows, err := c.ExecuteBillQuery(context.Background(), q)
	if err != nil || len(rows) != 1 || string(rows[0][0]) != `"MAT001"` {
		t.Fatalf("ExecuteBillQuery() = %s, %v, want [[MAT001 ..]]", rows, err)
	}

	_, err = c.ExecuteBillQuery(context.Background(), q)
	var kerr *Error
	if !errors.As(err, &kerr) || kerr.MsgCode != 9 {
		t.Errorf("ExecuteBillQuery() error %v, want *Error msgcode 9", err)
	}
}

func TestLazyLoginOnce(t *testing.T) {
	f, srv := newFake(t, map[string][]string{"View": {"view_success.json"}})
	c := newTestClient(t, srv.URL, nil)

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.View(context.Background(), "SAL_SaleOrder", "JST-1001"); err != nil {
				t.Errorf("View() error %v", err)
			}
		})
	}
	wg.Wait()

	if n := f.count("ValidateUser"); n != 1 {
		t.Errorf("logins = %d, want 1", n)
	}
	for _, ck := range f.cookies {
		if ck != "View=sid-1" {
			t.Errorf("cookie %q, want View=sid-1", ck)
		}
	}
}

func TestSessionLostRead(t *testing.T) {
	f, srv := newFake(t, map[string][]string{
		"View": {"session_lost.json", "view_success.json"},
	})
	c := newTestClient(t, srv.URL, nil)

	if _, err := c.View(context.Background(), "SAL_SaleOrder", "JST-1001"); err != nil {
		t.Fatalf("View() error %v, want success after re-login", err)
	}
	if n := f.count("ValidateUser"); n != 2 {
		t.Errorf("logins = %d, want 2", n)
	}
}

func TestSessionLostWrite(t *testing.T) {
	f, srv := newFake(t, map[string][]string{
		"Save": {"session_lost.json", "save_success.json"},
	})
	c := newTestClient(t, srv.URL, nil)

	_, err := c.Save(context.Background(), "SAL_SaleOrder", SaveRequest{Model: map[string]any{}})
	var kerr *Error
	if !errors.As(err, &kerr) || !kerr.SessionLost() {
		t.Fatalf("Save() error %v, want SessionLost", err)
	}
	if n := f.count("Save"); n != 1 {
		t.Errorf("Save calls = %d, want 1 (never replayed)", n)
	}
	if n := f.count("ValidateUser"); n != 2 {
		t.Errorf("logins = %d, want 2", n)
	}
}

func TestOutcomeUnknown(t *testing.T) {
	tests := []struct {
		entry   string
		unknown bool // for a write
		status  int
	}{
		{"!500", true, 500},
		{"!drop", true, 0},
		{"!text", true, 0},
		{"!slow", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			_, srv := newFake(t, map[string][]string{"Save": {tt.entry}, "View": {tt.entry}})
			c := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.Timeout = 100 * time.Millisecond
			})
			ctx := context.Background()

			_, err := c.Save(ctx, "SAL_SaleOrder", SaveRequest{Model: map[string]any{}})
			if got := errors.Is(err, ErrOutcomeUnknown); got != tt.unknown {
				t.Errorf("Save() error %v: outcome unknown %v, want %v", err, got, tt.unknown)
			}
			var herr *HTTPError
			if tt.status != 0 && (!errors.As(err, &herr) || herr.Status != tt.status) {
				t.Errorf("Save() error %v, want *HTTPError %d", err, tt.status)
			}

			_, err = c.View(ctx, "SAL_SaleOrder", "JST-1")
			if err == nil || errors.Is(err, ErrOutcomeUnknown) {
				t.Errorf("View() error %v, want an error that is not ErrOutcomeUnknown", err)
			}
		})
	}
}

func TestDialFailureIsNotUnknown(t *testing.T) {
	_, srv := newFake(t, nil)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = AuthSignature })
	srv.Close()

	_, err := c.Save(context.Background(), "SAL_SaleOrder", SaveRequest{Model: map[string]any{}})
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("Save() to a closed port error %v, want a plain error", err)
	}
}

func TestLoginModes(t *testing.T) {
	now := func() time.Time { return time.Unix(1767225600, 0) }
	tests := []struct {
		auth, method string
		check        func(map[string]any) bool
	}{
		{AuthPassword, "ValidateUser", func(b map[string]any) bool {
			return b["acctid"] == vecAcct && b["password"] == "ob-password" &&
				b["lcid"] == float64(2052)
		}},
		{AuthAppSecret, "LoginByAppSecret", func(b map[string]any) bool {
			return b["appid"] == vecAppID && b["appsecret"] == vecAppSecret
		}},
		{AuthSign, "LoginBySign", func(b map[string]any) bool {
			p, _ := b["parameters"].([]any)
			return len(p) == 6 && p[3] == "1767225600" &&
				p[4] == "ae8fc52bf7a7da82d03941c01341172f47593610aeb7cfb11ad2e675ad467150"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.auth, func(t *testing.T) {
			f, srv := newFake(t, map[string][]string{"View": {"view_success.json"}})
			c := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.Auth = tt.auth
				cfg.Now = now
			})
			if err := c.Login(context.Background()); err != nil {
				t.Fatalf("Login() error %v", err)
			}
			if body := f.body(tt.method); !tt.check(body) {
				t.Errorf("Login() sent %v to %s", body, tt.method)
			}
		})
	}
}

func TestSignatureModeSkipsLogin(t *testing.T) {
	f, srv := newFake(t, map[string][]string{"View": {"view_success.json"}})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Auth = AuthSignature })

	if _, err := c.View(context.Background(), "SAL_SaleOrder", "JST-1001"); err != nil {
		t.Fatalf("View() error %v", err)
	}
	if n := f.count("ValidateUser"); n != 0 {
		t.Errorf("logins = %d, want 0", n)
	}
	f.mu.Lock()
	h := f.headers["View"]
	f.mu.Unlock()
	for _, name := range []string{HeaderSignature, HeaderKdSignature, HeaderAppData} {
		if h.Get(name) == "" {
			t.Errorf("header %s missing", name)
		}
	}
}

func TestLoginRejected(t *testing.T) {
	_, srv := newFake(t, map[string][]string{"ValidateUser": {"login_rejected.json"}})
	c := newTestClient(t, srv.URL, nil)

	_, err := c.View(context.Background(), "SAL_SaleOrder", "JST-1")
	if !errors.Is(err, ErrLoginRejected) || !strings.Contains(err.Error(), "用户名或密码错误") {
		t.Errorf("View() error %v, want ErrLoginRejected with Kingdee's message", err)
	}
}

func TestNewInvalidConfig(t *testing.T) {
	tests := []Config{
		{},
		{BaseURL: "ftp://x/k3cloud/", AcctID: "a", Username: "u", Auth: AuthPassword, Password: "p"},
		{BaseURL: "http://x/k3cloud/", AcctID: "a", Username: "u", Auth: "oauth"},
		{BaseURL: "http://x/k3cloud/", AcctID: "a", Username: "u", Auth: AuthPassword},
		{BaseURL: "http://x/k3cloud/", AcctID: "a", Username: "u", Auth: AuthSignature,
			AppID: "noseparator", AppSecret: "s"},
	}
	for i, cfg := range tests {
		if _, err := New(cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("New(case %d) error %v, want ErrInvalidConfig", i, err)
		}
	}
}

func TestObserve(t *testing.T) {
	_, srv := newFake(t, map[string][]string{"Save": {"save_duplicate.json"}})
	var mu sync.Mutex
	var seen []string
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Observe = func(op string, code int, _ time.Duration, err error) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, fmt.Sprintf("%s:%d:%v", op, code, err != nil))
		}
	})

	c.Save(context.Background(), "SAL_SaleOrder", SaveRequest{Model: map[string]any{}})
	want := []string{"login:0:false", "save:11:false"}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Errorf("Observe calls = %v, want %v", seen, want)
	}
}
