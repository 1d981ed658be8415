package jst

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestQueryErrors(t *testing.T) {
	tests := []struct {
		name     string
		fixture  string
		status   int
		wantCode int // APIError code; 0 when no APIError is wanted
		wantHTTP int // HTTPError status; 0 when none is wanted
		wantBad  bool
	}{
		{name: "bad sign", fixture: "bad_sign.json", wantCode: 10},
		{name: "token as string code", fixture: "code_string.json", wantCode: 100},
		{name: "server error", fixture: "bad_sign.json", status: 500, wantHTTP: 500},
		{name: "gateway error page", fixture: "not_envelope.json", status: 502, wantHTTP: 502},
		{name: "truncated", fixture: "truncated.json", wantBad: true},
		{name: "html body", fixture: "not_envelope.json", wantBad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFake(t, tt.fixture)
			f.set(tt.status, readFixture(t, tt.fixture))
			_, err := c.Query(context.Background(), KindOrder, Query{StartTS: 1})
			if err == nil {
				t.Fatal("Query = nil error, want an error")
			}
			if !strings.Contains(err.Error(), PathOrders) {
				t.Errorf("error %q does not name the endpoint", err)
			}

			var apiErr *APIError
			if got := errors.As(err, &apiErr); got != (tt.wantCode != 0) {
				t.Errorf("errors.As(%v, *APIError) = %v, want %v", err, got, !got)
			} else if got && apiErr.Code != tt.wantCode {
				t.Errorf("APIError.Code = %d, want %d", apiErr.Code, tt.wantCode)
			}

			var httpErr *HTTPError
			if got := errors.As(err, &httpErr); got != (tt.wantHTTP != 0) {
				t.Errorf("errors.As(%v, *HTTPError) = %v, want %v", err, got, !got)
			} else if got && httpErr.Status != tt.wantHTTP {
				t.Errorf("HTTPError.Status = %d, want %d", httpErr.Status, tt.wantHTTP)
			}

			if got := errors.Is(err, ErrMalformed); got != tt.wantBad {
				t.Errorf("errors.Is(%v, ErrMalformed) = %v, want %v", err, got, tt.wantBad)
			}
		})
	}
}

func TestQueryTransportError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()

	c, err := NewClient(Config{BaseURL: url, AppKey: "k", AppSecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Query(context.Background(), KindAfterSale, Query{StartTS: 1})
	if err == nil || !strings.Contains(err.Error(), PathAfterSales) {
		t.Fatalf("Query on a closed server = %v, want an error naming %s", err, PathAfterSales)
	}
	var apiErr *APIError
	var httpErr *HTTPError
	if errors.As(err, &apiErr) || errors.As(err, &httpErr) || errors.Is(err, ErrMalformed) {
		t.Errorf("transport error %v classified as a JST or HTTP answer", err)
	}
}

func TestObserve(t *testing.T) {
	type call struct {
		endpoint string
		code     int
	}
	var mu sync.Mutex
	var calls []call
	observe := func(c *Config) {
		c.Observe = func(endpoint string, code int, d time.Duration) {
			mu.Lock()
			calls = append(calls, call{endpoint, code})
			mu.Unlock()
		}
	}

	f, c := newFake(t, "orders_no_list.json", observe)
	steps := []struct {
		fixture string
		status  int
		want    call
	}{
		{"orders_no_list.json", 0, call{PathOrders, 0}},
		{"bad_sign.json", 0, call{PathOrders, 10}},
		{"bad_sign.json", 503, call{PathOrders, -1}},
		{"truncated.json", 0, call{PathOrders, -1}},
	}
	for i, s := range steps {
		f.set(s.status, readFixture(t, s.fixture))
		_, _ = c.Query(context.Background(), KindOrder, Query{StartTS: 1})

		mu.Lock()
		got := calls[len(calls)-1]
		n := len(calls)
		mu.Unlock()
		if n != i+1 || got != s.want {
			t.Errorf("step %d (%s): observed %d calls, last %+v, want %+v",
				i, s.fixture, n, got, s.want)
		}
	}
}

func TestAPIErrorClasses(t *testing.T) {
	tests := []struct {
		code                          int
		rateLimited, token, merchWide bool
	}{
		{10, false, false, true},
		{100, false, true, false},
		{110, false, false, true},
		{140, false, false, true},
		{150, false, false, true},
		{190, false, false, true},
		{199, true, false, false},
		{200, true, false, false},
		{120, false, false, false},
	}
	for _, tt := range tests {
		e := &APIError{Code: tt.code, Endpoint: PathOrders}
		if got := e.RateLimited(); got != tt.rateLimited {
			t.Errorf("APIError{%d}.RateLimited() = %v, want %v", tt.code, got, tt.rateLimited)
		}
		if got := e.TokenInvalid(); got != tt.token {
			t.Errorf("APIError{%d}.TokenInvalid() = %v, want %v", tt.code, got, tt.token)
		}
		if got := e.MerchantWide(); got != tt.merchWide {
			t.Errorf("APIError{%d}.MerchantWide() = %v, want %v", tt.code, got, tt.merchWide)
		}
	}
}
