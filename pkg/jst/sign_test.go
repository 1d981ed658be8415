package jst

import "testing"

func TestSignOpenAPI(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		params map[string]string
		want   string
	}{
		{
			name:   "minimal",
			secret: "secret",
			params: map[string]string{
				"timestamp": "100",
				"app_key":   "app",
				"charset":   "utf-8",
			},
			want: "706427ca94e342781ac36d501151cb10",
		},
		{
			name:   "minimal ignores sign and empty values",
			secret: "secret",
			params: map[string]string{
				"timestamp":    "100",
				"app_key":      "app",
				"charset":      "utf-8",
				"sign":         "whatever",
				"access_token": "",
			},
			want: "706427ca94e342781ac36d501151cb10",
		},
		{
			name:   "query with biz",
			secret: "sec123",
			params: map[string]string{
				"access_token": "tok123",
				"app_key":      "key123",
				"charset":      "utf-8",
				"timestamp":    "1714500000",
				"version":      "2",
				"biz": `{"page_index":1,"page_size":50,` +
					`"modified_begin":"2024-05-01 00:00:00",` +
					`"modified_end":"2024-05-01 01:00:00"}`,
			},
			want: "2757159de044f90a516b41f2a06faca5",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SignOpenAPI(tt.secret, tt.params)
			if got != tt.want {
				t.Errorf("SignOpenAPI(%q, %v) = %s, want %s",
					tt.secret, tt.params, got, tt.want)
			}
		})
	}
}

func TestSignLegacy(t *testing.T) {
	got := SignLegacy("orders.single.query", "pid123", "tok123", "1714500000", "pkey123")
	want := "3145ee00f48e765373d89ad145e0ab67"
	if got != want {
		t.Errorf("SignLegacy(orders.single.query, ...) = %s, want %s", got, want)
	}
}

func TestSignQimen(t *testing.T) {
	params := map[string]string{
		"app_key":        "qk",
		"method":         "jushuitan.order.list.query",
		"timestamp":      "2024-05-01 12:00:00",
		"format":         "json",
		"v":              "2.0",
		"sign_method":    "md5",
		"target_app_key": "23060081",
		"customer_id":    "c1",
		"page_index":     "1",
		"page_size":      "50",
	}
	want := "4BDDB32E48245B95973DB928A4271F06"
	if got := SignQimen("qs", params); got != want {
		t.Errorf("SignQimen(qs, %v) = %s, want %s", params, got, want)
	}

	params["sign"] = want
	params["session"] = ""
	if got := SignQimen("qs", params); got != want {
		t.Errorf("SignQimen(qs, with sign and empty) = %s, want %s", got, want)
	}
}
