package test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
)

func rulesPath(t *testing.T) string {
	return filepath.Join(repoRoot(t), "deploy", "prometheus", "orderbridge.rules.yml")
}

// wantAlerts are the conditions the issue asks alerts for, each with one
// alert at least.
var wantAlerts = []string{
	"OrderbridgePipelineStalled", "OrderbridgeCheckpointLagHigh",
	"OrderbridgeDeadLettersGrowing", "OrderbridgeKingdeeErrorRate",
	"OrderbridgeKingdeeLoginFailing", "OrderbridgeJSTMerchantPaused",
	"OrderbridgeReconcileDifferences", "OrderbridgeConsumerPendingGrowing",
	"OrderbridgeStreamAgedOutUnprocessed",
}

func TestRulesParseAndUseKnownMetrics(t *testing.T) {
	data, err := os.ReadFile(rulesPath(t))
	if err != nil {
		t.Fatal(err)
	}
	groups, errs := rulefmt.Parse(data, false, model.UTF8Validation, promql, nil)
	for _, err := range errs {
		t.Errorf("rulefmt: %v", err)
	}
	if groups == nil {
		return
	}
	anchors := runbookAnchors(t)
	seen := map[string]bool{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			where := "rule " + r.Alert + r.Record
			seen[r.Alert] = true
			checkQuery(t, where, r.Expr)
			if r.Alert == "" {
				continue
			}
			if s := r.Labels["severity"]; s != "warning" && s != "critical" {
				t.Errorf("%s: severity %q, want warning or critical", where, s)
			}
			url := r.Annotations["runbook_url"]
			_, anchor, ok := strings.Cut(url, "docs/runbook.md#")
			if !ok || !anchors[anchor] {
				t.Errorf("%s: runbook_url %q does not point at a section of docs/runbook.md",
					where, url)
			}
			if r.Annotations["summary"] == "" {
				t.Errorf("%s: no summary", where)
			}
		}
	}
	for _, a := range wantAlerts {
		if !seen[a] {
			t.Errorf("no alert %s", a)
		}
	}
}

// runbookAnchors returns the anchors of docs/runbook.md's headings, as
// GitHub makes them.
func runbookAnchors(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "runbook.md"))
	if err != nil {
		t.Fatal(err)
	}
	drop := regexp.MustCompile(`[^a-z0-9 _-]`)
	out := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		out[strings.ReplaceAll(drop.ReplaceAllString(h, ""), " ", "-")] = true
	}
	return out
}

// The PrometheusRule of the production overlay carries the same groups as
// the rules file.
func TestPrometheusRuleMatchesRulesFile(t *testing.T) {
	var file, obj struct {
		Groups []any `json:"groups"`
		Spec   struct {
			Groups []any `json:"groups"`
		} `json:"spec"`
	}
	readYAML(t, rulesPath(t), &file)
	readYAML(t, filepath.Join(repoRoot(t), "k8s", "overlays", "production",
		"prometheusrule.yaml"), &obj)
	if len(file.Groups) == 0 || !reflect.DeepEqual(file.Groups, obj.Spec.Groups) {
		t.Error("k8s/overlays/production/prometheusrule.yaml: spec.groups differ from " +
			"deploy/prometheus/orderbridge.rules.yml; copy the groups over")
	}
}

// promtool runs check and test when it is on PATH (CI installs it).
func TestPromtool(t *testing.T) {
	bin, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not on PATH; CI installs it")
	}
	dir := filepath.Dir(rulesPath(t))
	for _, args := range [][]string{
		{"check", "rules", "orderbridge.rules.yml"},
		{"test", "rules", "orderbridge.rules.test.yml"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
	}
}
