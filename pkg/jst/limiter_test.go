package jst

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLimiterSpacing(t *testing.T) {
	tests := []struct {
		name       string
		perSecond  int
		perMinute  int
		calls      int
		minElapsed time.Duration
	}{
		{"per second", 50, 0, 6, 100 * time.Millisecond},
		{"per minute", 0, 1800, 4, 100 * time.Millisecond},
		{"both, minute tighter", 100, 1200, 3, 100 * time.Millisecond},
		{"no limits", 0, 0, 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLimiter(tt.perSecond, tt.perMinute)
			start := time.Now()
			for range tt.calls {
				if err := l.Wait(context.Background()); err != nil {
					t.Fatalf("Wait: %v", err)
				}
			}
			elapsed := time.Since(start)
			if elapsed < tt.minElapsed-5*time.Millisecond {
				t.Errorf("%d calls took %s, want at least %s", tt.calls, elapsed, tt.minElapsed)
			}
			if tt.minElapsed == 0 && l.WaitSeconds() != 0 {
				t.Errorf("WaitSeconds() = %g, want 0", l.WaitSeconds())
			}
			if tt.minElapsed > 0 && l.WaitSeconds() < (tt.minElapsed/2).Seconds() {
				t.Errorf("WaitSeconds() = %g, want about %g",
					l.WaitSeconds(), tt.minElapsed.Seconds())
			}
		})
	}
}

func TestLimiterContext(t *testing.T) {
	l := NewLimiter(1, 0)
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := l.Wait(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait(short deadline) = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Wait(short deadline) took %s, want an early return", d)
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait(canceled) = %v, want Canceled", err)
	}
}

// TestLimiterWithClient checks that a client waits on its limiter and that
// a limiter error stops the request.
func TestLimiterWithClient(t *testing.T) {
	l := NewLimiter(1, 0)
	f, c := newFake(t, "orders_no_list.json", func(c *Config) { c.Limiter = l })
	if _, err := c.Query(context.Background(), KindOrder, Query{StartTS: 1}); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Query(ctx, KindOrder, Query{StartTS: 1})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Query over the limit = %v, want DeadlineExceeded", err)
	}
	if n := f.count(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}
