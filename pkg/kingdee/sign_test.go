package kingdee

import (
	"encoding/base64"
	"net/http"
	"testing"
)

// Vector inputs, computed with the algorithm of Kingdee's official SDK.
const (
	vecAcct      = "5f0a1b2c3d4e5f"
	vecUser      = "integration"
	vecAppID     = "287654_T3JkZXJCcmlkZ2VTZWNyZXRLZXk5ODc2"
	vecAppSecret = "9b2e4d6f8a1c3e5f7a9b0c2d4e6f8a1b"
	vecTS        = "1767225600"
	vecPath      = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc"
)

func TestSigningVectors(t *testing.T) {
	secret, err := ClientSecret(vecAppID)
	if err != nil {
		t.Fatalf("ClientSecret(%q) error %v", vecAppID, err)
	}
	appData := AppData(vecAcct, vecUser, 2052, "100")

	tests := []struct {
		name, got, want string
	}{
		{"ClientID", ClientID(vecAppID), "287654"},
		{"ClientSecret", secret, "f0JRURRxS14HUVdgUVBFXRZ7XBpYD1MF"},
		{
			"APISignature",
			APISignature(secret, vecPath, vecTS, vecTS),
			"NzMyMTEzOTgwMjg4OTk0YmFjZmE4MGQ4MjI5Y2U1ZWJjNDA3NDQyZDhkMDYxOTkwZDA2MWM0ZGM2MDAwYzQ3NA==",
		},
		{"AppData", appData, "5f0a1b2c3d4e5f,integration,2052,100"},
		{
			"AppDataSignature",
			AppDataSignature(vecAppID, vecAppSecret, appData),
			"MzE2ZDE0ODY2Mzk4YTIxZWNjNzM2NzE5N2U4NmFiZWU3NDQyZjU5MzY0ZWYyMDkyMjI1MGFiZmQ4OTNkYTUyZA==",
		},
		{
			"LoginSign",
			LoginSign(vecAcct, vecUser, vecAppID, vecAppSecret, vecTS),
			"ae8fc52bf7a7da82d03941c01341172f47593610aeb7cfb11ad2e675ad467150",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
			}
		})
	}
}

func TestSignHeaders(t *testing.T) {
	c, err := New(Config{
		BaseURL: "http://kingdee.test/k3cloud/", AcctID: vecAcct, Username: vecUser,
		Auth: AuthSignature, AppID: vecAppID, AppSecret: vecAppSecret, OrgNumber: "100",
	})
	if err != nil {
		t.Fatalf("New() error %v", err)
	}
	h := http.Header{}
	c.signHeaders(h, vecPath, vecTS, vecTS)

	want := map[string]string{
		"X-Api-ClientID":     "287654",
		"X-Api-Auth-Version": "2.0",
		"x-api-timestamp":    vecTS,
		"x-api-nonce":        vecTS,
		"x-api-signheaders":  "x-api-timestamp,x-api-nonce",
		"X-Api-Signature":    "NzMyMTEzOTgwMjg4OTk0YmFjZmE4MGQ4MjI5Y2U1ZWJjNDA3NDQyZDhkMDYxOTkwZDA2MWM0ZGM2MDAwYzQ3NA==",
		"X-Kd-Appkey":        vecAppID,
		"X-Kd-Appdata": base64.StdEncoding.EncodeToString(
			[]byte("5f0a1b2c3d4e5f,integration,2052,100")),
		"X-Kd-Signature": "MzE2ZDE0ODY2Mzk4YTIxZWNjNzM2NzE5N2U4NmFiZWU3NDQyZjU5MzY0ZWYyMDkyMjI1MGFiZmQ4OTNkYTUyZA==",
	}
	for name, v := range want {
		if got := h.Get(name); got != v {
			t.Errorf("header %s = %q, want %q", name, got, v)
		}
	}
}

func TestClientSecretInvalid(t *testing.T) {
	for _, id := range []string{"287654", "287654_!!!notbase64", "1_" +
		base64.StdEncoding.EncodeToString(make([]byte, 40))} {
		if _, err := ClientSecret(id); err == nil {
			t.Errorf("ClientSecret(%q) error nil, want an error", id)
		}
	}
}
