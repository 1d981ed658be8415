package writer

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
)

func TestBreakerOpensProbesAndCloses(t *testing.T) {
	var states []int
	b := newBreaker(3, 20*time.Millisecond, 80*time.Millisecond, time.Now,
		func(s int) { states = append(states, s) })
	blocked := func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		defer cancel()
		return b.Wait(ctx) != nil
	}

	b.Record(true)
	b.Record(true)
	b.Record(false)
	b.Record(true)
	if b.Open() || blocked() {
		t.Fatal("breaker open after failures broken by a success, want closed")
	}
	b.Record(true)
	b.Record(true)
	if !b.Open() || !blocked() {
		t.Fatal("breaker closed after 3 consecutive failures, want open")
	}

	if err := b.Wait(context.Background()); err != nil {
		t.Fatalf("Wait() = %v, want a probe once the interval passed", err)
	}
	if !blocked() {
		t.Error("a second caller passed while the probe runs, want it held")
	}
	b.Record(true)
	if !b.Open() || !blocked() {
		t.Fatal("breaker closed after a failed probe, want open again")
	}
	if err := b.Wait(context.Background()); err != nil {
		t.Fatalf("Wait() = %v, want the next probe", err)
	}
	b.Record(false)
	if b.Open() || blocked() {
		t.Fatal("breaker open after a good probe, want closed")
	}
	want := []int{circuitClosed, circuitOpen, circuitHalfOpen, circuitOpen, circuitHalfOpen,
		circuitClosed}
	if fmt.Sprint(states) != fmt.Sprint(want) {
		t.Errorf("states = %v, want %v", states, want)
	}
}

func TestCallFailed(t *testing.T) {
	tests := []struct {
		name string
		code int
		err  error
		want bool
	}{
		{"answer", 0, nil, false},
		{"validation refusal", 11, nil, false},
		{"network-control conflict", 13, nil, true},
		{"call limit", 14, nil, true},
		{"http 500", 0, &kingdee.HTTPError{Status: 500}, true},
		{"http 404", 0, &kingdee.HTTPError{Status: 404}, false},
		{"timeout", 0, context.DeadlineExceeded, true},
		{"connection refused", 0, errors.New("dial tcp: connection refused"), true},
		{"cancelled by shutdown", 0, context.Canceled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := callFailed(tt.code, tt.err); got != tt.want {
				t.Errorf("callFailed(%d, %v) = %v, want %v", tt.code, tt.err, got, tt.want)
			}
		})
	}
}
