package jstsim_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/services/jstsim"
)

func TestPagingWindowReturnsEveryDocOnce(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 7})
	span := e.sim.Options().Span
	window := jst.Query{ModifiedBegin: t0.Add(-span), ModifiedEnd: t0}

	want := map[jst.Kind]map[int64]bool{jst.KindOrder: {}, jst.KindAfterSale: {}}
	for _, o := range e.sim.Orders() {
		want[jst.KindOrder][o.ID] = true
	}
	for _, a := range e.sim.AfterSales() {
		want[jst.KindAfterSale][a.ID] = true
	}

	tests := []struct {
		kind jst.Kind
		q    jst.Query
	}{
		{jst.KindOrder, withPageSize(window, 17)},
		{jst.KindOrder, withPageSize(window, 100)},
		{jst.KindAfterSale, withPageSize(window, 9)},
		{jst.KindAfterSale, jst.Query{StartTS: 1, PageSize: 50}},
		{jst.KindOrder, jst.Query{StartTS: 1, PageSize: 33}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			docs := collect(t, e.client, tt.kind, tt.q)
			seen := map[int64]bool{}
			for _, d := range docs {
				id := docID(t, tt.kind, d)
				if seen[id] {
					t.Errorf("%s %d served twice", tt.kind, id)
				}
				seen[id] = true
				if raw := e.sim.Raw(string(tt.kind), id); !bytes.Equal(raw, d) {
					t.Errorf("%s %d served differs from Raw", tt.kind, id)
				}
			}
			if len(seen) != len(want[tt.kind]) {
				t.Errorf("paged %d distinct %s docs, want %d",
					len(seen), tt.kind, len(want[tt.kind]))
			}
			for id := range want[tt.kind] {
				if !seen[id] {
					t.Errorf("%s %d never served", tt.kind, id)
				}
			}
		})
	}
}

func withPageSize(q jst.Query, n int) jst.Query {
	q.PageSize = n
	return q
}

func TestPageOrderAndCounts(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 3, Orders: 45})
	q := jst.Query{ModifiedBegin: t0.Add(-72 * time.Hour), ModifiedEnd: t0, PageSize: 20}
	p, err := e.client.Query(context.Background(), jst.KindOrder, q)
	if err != nil {
		t.Fatal(err)
	}
	if p.DataCount != 45 || p.PageCount != 3 || !p.HasNext || len(p.Docs) != 20 {
		t.Errorf("page 1 = count %d pages %d next %v docs %d, want 45 3 true 20",
			p.DataCount, p.PageCount, p.HasNext, len(p.Docs))
	}

	docs := collect(t, e.client, jst.KindOrder, q)
	var last time.Time
	var lastID int64
	for _, d := range docs {
		id := docID(t, jst.KindOrder, d)
		m := modifiedOf(t, e, id)
		if m.Before(last) || (m.Equal(last) && id < lastID) {
			t.Errorf("order %d (%s) after %d (%s): not sorted by modified, id",
				id, m, lastID, last)
		}
		last, lastID = m, id
	}

	p, err = e.client.Query(context.Background(), jst.KindOrder,
		jst.Query{StartTS: 1, PageSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	if p.DataCount != 0 || p.PageCount != 0 || !p.HasNext {
		t.Errorf("start_ts page = count %d pages %d next %v, want 0 0 true (no total)",
			p.DataCount, p.PageCount, p.HasNext)
	}
}

func modifiedOf(t *testing.T, e *env, id int64) time.Time {
	for _, o := range e.sim.Orders() {
		if o.ID == id {
			return o.Modified
		}
	}
	t.Fatalf("no order %d", id)
	return time.Time{}
}

func TestAuthErrors(t *testing.T) {
	tests := []struct {
		name     string
		mod      func(*jst.Config)
		advance  time.Duration
		wantCode int
	}{
		{"bad secret", func(c *jst.Config) { c.AppSecret = "wrong" }, 0, jst.CodeBadSign},
		{"unknown app key", func(c *jst.Config) { c.AppKey = "other" }, 0, jst.CodeBadSign},
		{"wrong token", func(c *jst.Config) { c.AccessToken = "stolen" }, 0,
			jst.CodeTokenInvalid},
		{"expired token", nil, 30*24*time.Hour + time.Second, jst.CodeTokenInvalid},
		{"token just alive", nil, 30*24*time.Hour - time.Second, 0},
		{"clock ahead", func(c *jst.Config) {
			c.Now = func() time.Time { return t0.Add(16 * time.Minute) }
		}, 0, jst.CodeClockSkew},
		{"clock behind", func(c *jst.Config) {
			c.Now = func() time.Time { return t0.Add(-16 * time.Minute) }
		}, 0, jst.CodeClockSkew},
		{"clock close", func(c *jst.Config) {
			c.Now = func() time.Time { return t0.Add(14 * time.Minute) }
		}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, AfterSales: 1})
			c := e.newClient(t, tt.mod)
			e.clock.Add(tt.advance)

			_, err := c.Query(context.Background(), jst.KindOrder, jst.Query{StartTS: 1})
			if tt.wantCode == 0 {
				if err != nil {
					t.Errorf("Query = %v, want no error", err)
				}
				return
			}
			if got := apiCode(err); got != tt.wantCode {
				t.Errorf("Query = %v, want code %d", err, tt.wantCode)
			}
		})
	}
}

func TestRateLimits(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, RatePerSecond: 5, RatePerMinute: 8})
	ctx := context.Background()
	query := func() int {
		_, err := e.client.Query(ctx, jst.KindAfterSale, jst.Query{StartTS: 1})
		if err == nil {
			return 0
		}
		return apiCode(err)
	}

	steps := []struct {
		advance time.Duration
		want    []int
	}{
		{0, []int{0, 0, 0, 0, 0, 199}},               // 5 a second
		{999 * time.Millisecond, []int{199}},         // still inside the second
		{time.Millisecond, []int{0, 0, 0, 200, 200}}, // 8 a minute
		{58 * time.Second, []int{200}},               // the first 5 are 59s old
		{time.Second, []int{0, 0, 0, 0, 0, 199}},     // they left the minute
	}
	for i, s := range steps {
		e.clock.Add(s.advance)
		for j, want := range s.want {
			if got := query(); got != want {
				t.Errorf("step %d call %d: code %d, want %d", i, j, got, want)
			}
		}
	}

	var apiErr *jst.APIError
	_, err := e.client.Query(ctx, jst.KindOrder, jst.Query{StartTS: 1})
	if !errors.As(err, &apiErr) || !apiErr.RateLimited() {
		t.Errorf("Query over the limit = %v, want a rate-limit APIError", err)
	}
}

func TestRefreshToken(t *testing.T) {
	e := newEnv(t, jstsim.Options{Seed: 1, Orders: 5, TokenTTL: time.Hour})
	ctx := context.Background()
	old := e.newClient(t, nil)

	tok, err := e.client.RefreshToken(ctx, "wrong-refresh")
	if apiCode(err) != jst.CodeTokenInvalid {
		t.Fatalf("RefreshToken(wrong) = %+v, %v, want code 100", tok, err)
	}

	tok, err = e.client.RefreshToken(ctx, jstsim.DefaultRefreshToken)
	if err != nil {
		t.Fatalf("RefreshToken: %v", err)
	}
	if tok.AccessToken == "" || tok.AccessToken == jstsim.DefaultAccessToken ||
		tok.RefreshToken == jstsim.DefaultRefreshToken || tok.ExpiresIn != time.Hour {
		t.Errorf("RefreshToken = %+v, want a new pair expiring in 1h", tok)
	}

	if _, err := e.client.Query(ctx, jst.KindOrder, jst.Query{StartTS: 1}); err != nil {
		t.Errorf("Query with the new token: %v", err)
	}
	if _, err := old.Query(ctx, jst.KindOrder, jst.Query{StartTS: 1}); apiCode(err) != 100 {
		t.Errorf("Query with the old token = %v, want code 100", err)
	}
	if _, err := e.client.RefreshToken(ctx, jstsim.DefaultRefreshToken); apiCode(err) != 100 {
		t.Errorf("RefreshToken(old refresh token) = %v, want code 100", err)
	}

	e.clock.Add(time.Hour)
	if _, err := e.client.Query(ctx, jst.KindOrder, jst.Query{StartTS: 1}); apiCode(err) != 100 {
		t.Errorf("Query after the new token's TTL = %v, want code 100", err)
	}
	if _, err := e.client.RefreshToken(ctx, tok.RefreshToken); err != nil {
		t.Errorf("RefreshToken(new refresh token) after expiry: %v", err)
	}
}
