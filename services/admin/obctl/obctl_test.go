package obctl

import (
	"bytes"
	"context"
	"flag"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-03-01T08:00:00Z", time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)},
		{"2026-03-01 08:00", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-03-01", time.Date(2026, 2, 28, 16, 0, 0, 0, time.UTC)},
		{"2h", now.Add(-2 * time.Hour)},
		{"-90m", now.Add(-90 * time.Minute)},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in, now)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if _, err := parseTime("yesterday", now); err == nil || !strings.Contains(err.Error(), "RFC 3339") {
		t.Errorf("parseTime(yesterday) = %v, want an error saying what to give", err)
	}
}

func TestInterleaveMovesPositionalsLast(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Bool("reveal", false, "")
	fs.String("o", "", "")
	got := interleave(fs, []string{"12", "--reveal", "-o", "json", "13"})
	want := []string{"--reveal", "-o", "json", "12", "13"}
	if !slices.Equal(got, want) {
		t.Errorf("interleave = %v, want %v", got, want)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "name a command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"replay", "--stream", "CANON"}, "replay needs --stream and --from-seq"},
		{[]string{"dlq"}, "dlq needs list, show, redrive or purge"},
		{[]string{"dlq", "show"}, "dlq show needs one sequence"},
		{[]string{"dlq", "purge"}, "--all"},
		{[]string{"status", "-o", "yaml"}, `-o "yaml": want table or json`},
		{[]string{"reconcile", "--date", "March"}, "want a day such as"},
		{[]string{"backfill", "--from", "2h"}, "backfill needs --from and --to"},
		{[]string{"pause", "writer"}, "pause needs a scope and a target"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), tt.args, IO{
			Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
		})
		if code != ExitUsage || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("obctl %v = exit %d, %q; want %d, %q", tt.args, code, errOut.String(),
				ExitUsage, tt.want)
		}
	}
}

func TestUnreachableServerSaysWhatToDo(t *testing.T) {
	var errOut bytes.Buffer
	code := Run(context.Background(), []string{"status", "--timeout", "2s"}, IO{
		Stdout: &bytes.Buffer{}, Stderr: &errOut,
		Getenv: func(k string) string { return map[string]string{"OBCTL_ADDR": "127.0.0.1:1"}[k] },
	})
	if code != ExitError || !strings.Contains(errOut.String(), "set --addr or OBCTL_ADDR") {
		t.Errorf("status against a closed port = exit %d, %q", code, errOut.String())
	}
}
