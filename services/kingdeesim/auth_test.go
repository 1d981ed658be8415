package kingdeesim_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

func TestLoginStyles(t *testing.T) {
	for _, auth := range []string{
		kingdee.AuthPassword, kingdee.AuthAppSecret, kingdee.AuthSign, kingdee.AuthSignature,
	} {
		t.Run(auth, func(t *testing.T) {
			sim, srv := startSim(t, kingdeesim.Options{})
			c := newClient(t, srv.URL, func(cfg *kingdee.Config) { cfg.Auth = auth })

			res, err := save(t, c, orderBill(t, "JST-1", "SKU-A"))
			if err != nil || res.Number != "JST-1" {
				t.Fatalf("Save() = %+v, %v, want JST-1", res, err)
			}
			if _, err := c.View(context.Background(), "SAL_SaleOrder", "JST-1"); err != nil {
				t.Errorf("View() error %v", err)
			}
			logins := 0
			for _, m := range []string{"ValidateUser", "LoginByAppSecret", "LoginBySign"} {
				logins += sim.Stats()[m]["ok"]
			}
			want := 1
			if auth == kingdee.AuthSignature {
				want = 0
			}
			if logins != want {
				t.Errorf("logins = %d, want %d", logins, want)
			}
		})
	}
}

func TestLoginRefused(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*kingdee.Config)
	}{
		{"password", func(c *kingdee.Config) { c.Password = "wrong" }},
		{"account", func(c *kingdee.Config) { c.AcctID = "other" }},
		{"appsecret", func(c *kingdee.Config) {
			c.Auth, c.AppSecret = kingdee.AuthAppSecret, "wrong"
		}},
		{"sign", func(c *kingdee.Config) { c.Auth, c.AppSecret = kingdee.AuthSign, "wrong" }},
		{"sign clock", func(c *kingdee.Config) {
			c.Auth = kingdee.AuthSign
			c.Now = func() time.Time { return time.Now().Add(-time.Hour) }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := startSim(t, kingdeesim.Options{})
			c := newClient(t, srv.URL, tt.mod)
			if err := c.Login(context.Background()); !errors.Is(err, kingdee.ErrLoginRejected) {
				t.Errorf("Login() error %v, want ErrLoginRejected", err)
			}
		})
	}
}

func TestSignatureRefused(t *testing.T) {
	_, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, func(cfg *kingdee.Config) {
		cfg.Auth, cfg.AppSecret = kingdee.AuthSignature, "wrong"
	})

	_, err := save(t, c, orderBill(t, "JST-1", "SKU-A"))
	var kerr *kingdee.Error
	if !errors.As(err, &kerr) || !kerr.SessionLost() {
		t.Errorf("Save() with a bad signature error %v, want SessionLost", err)
	}
}

// post sends a raw WebAPI body and returns the answer and the response.
func post(t *testing.T, url, service, body string, cookies ...*http.Cookie) (string, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/k3cloud/"+service+".common.kdsvc",
		strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post %s: %v", service, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return strings.TrimSpace(string(data)), resp
}

const (
	validateUser = "Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser"
	saveService  = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save"
)

func TestRawBodyForms(t *testing.T) {
	_, srv := startSim(t, kingdeesim.Options{})

	body, resp := post(t, srv.URL, validateUser,
		`{"parameters":["ob-acct","integration","ob-password",2052]}`)
	if !strings.Contains(body, `"LoginResultType":1`) {
		t.Fatalf("ValidateUser(parameters) = %s, want LoginResultType 1", body)
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == kingdee.SessionCookie {
			session = ck
		}
	}
	if session == nil {
		t.Fatalf("ValidateUser set no %s cookie", kingdee.SessionCookie)
	}

	model := `{\"Model\":{\"FBillTypeID\":{\"FNUMBER\":\"XSDD01_SYS\"},` +
		`\"FBillNo\":\"so-api-002\",\"FDate\":\"2022-04-16 00:00:00\",` +
		`\"FSaleOrgId\":{\"FNumber\":\"100\"},\"FCustId\":{\"FNumber\":\"CUST0001\"},` +
		`\"FSaleOrderFinance\":{\"FSettleCurrId\":{\"FNumber\":\"PRE001\"}},` +
		`\"FSaleOrderEntry\":[{\"FMaterialId\":{\"FNumber\":\"MAT001\"},` +
		`\"FUnitID\":{\"FNumber\":\"carton\"},\"FQty\":200.0,\"FTaxPrice\":500.0}]}}`
	body, _ = post(t, srv.URL, saveService,
		`{"parameters":["SAL_SaleOrder","`+model+`"]}`, session)
	want := `{"Result":{"ResponseStatus":{"IsSuccess":true,"Errors":[],` +
		`"SuccessEntitys":[{"Id":100001,"Number":"so-api-002","DIndex":0}],` +
		`"SuccessMessages":[],"MsgCode":0},"Id":100001,"Number":"so-api-002",` +
		`"NeedReturnData":[{}]}}`
	if body != want {
		t.Errorf("Save(parameters) =\n%s\nwant\n%s", body, want)
	}
}

func TestSessionLostAnswerExact(t *testing.T) {
	_, srv := startSim(t, kingdeesim.Options{})
	body, resp := post(t, srv.URL, saveService, `{"formid":"SAL_SaleOrder","data":{}}`)
	want := `{"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,` +
		`"Errors":[{"FieldName":null,"Message":"会话信息已丢失，请重新登录","DIndex":0}],` +
		`"SuccessEntitys":[],"SuccessMessages":[],"MsgCode":1}}}`
	if resp.StatusCode != http.StatusOK || body != want {
		t.Errorf("Save without session = %d %s, want 200 %s", resp.StatusCode, body, want)
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	clk := &clock{t: time.Now()}
	sim, srv := startSim(t, kingdeesim.Options{Now: clk.Now, SessionIdle: 20 * time.Minute})
	c := newClient(t, srv.URL, nil)
	ctx := context.Background()

	if _, err := save(t, c, orderBill(t, "JST-1", "SKU-A")); err != nil {
		t.Fatalf("Save() error %v", err)
	}
	clk.Add(21 * time.Minute)

	if _, err := c.View(ctx, "SAL_SaleOrder", "JST-1"); err != nil {
		t.Fatalf("View() after idle expiry error %v, want a silent re-login", err)
	}
	clk.Add(21 * time.Minute)

	_, err := save(t, c, orderBill(t, "JST-2", "SKU-A"))
	var kerr *kingdee.Error
	if !errors.As(err, &kerr) || !kerr.SessionLost() {
		t.Fatalf("Save() after idle expiry error %v, want SessionLost", err)
	}
	if n := len(sim.Bills("SAL_SaleOrder")); n != 1 {
		t.Errorf("bills = %d, want 1 (the refused save stored nothing)", n)
	}
	if _, err := save(t, c, orderBill(t, "JST-2", "SKU-A")); err != nil {
		t.Errorf("Save() after re-login error %v", err)
	}
	if n := sim.Stats()["ValidateUser"]["ok"]; n != 3 {
		t.Errorf("logins = %d, want 3", n)
	}
}
