package test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
)

var promql = parser.NewParser(parser.Options{})

// loadKnownMetrics returns the names a query may use: those of the README's
// metrics table (with a histogram's _bucket, _sum and _count series) and
// those of deploy/grafana/kube-state-metrics.txt.
func loadKnownMetrics(t *testing.T) map[string]bool {
	t.Helper()
	known := map[string]bool{}
	for name, typ := range readMetricsTable(t) {
		known[name] = true
		if typ == "histogram" || typ == "summary" {
			known[name+"_sum"], known[name+"_count"] = true, true
		}
		if typ == "histogram" {
			known[name+"_bucket"] = true
		}
	}
	path := filepath.Join(repoRoot(t), "deploy", "grafana", "kube-state-metrics.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			known[line] = true
		}
	}
	return known
}

// grafanaVars are Grafana's template variables with a stand-in value each,
// so that a panel's query parses as Prometheus would receive it.
var grafanaVars = regexp.MustCompile(`\$\{?(__rate_interval|__interval|__range|[A-Za-z_]+)(:[a-z]+)?\}?`)

func substituteVars(q string) string {
	return grafanaVars.ReplaceAllStringFunc(q, func(v string) string {
		name := strings.Trim(v, "${}")
		name, _, _ = strings.Cut(name, ":")
		switch name {
		case "__rate_interval", "__interval", "__range":
			return "5m"
		}
		return "x"
	})
}

// checkQuery parses q and checks that every metric it selects is known.
func checkQuery(t *testing.T, where, q string) {
	t.Helper()
	for _, p := range queryProblems(q, loadKnownMetrics(t)) {
		t.Errorf("%s: %s", where, p)
	}
}

// queryProblems returns what is wrong with q: a parse error, a selector
// without a metric name, a metric not in known.
func queryProblems(q string, known map[string]bool) []string {
	expr, err := promql.ParseExpr(substituteVars(q))
	if err != nil {
		return []string{"query " + strconv.Quote(q) + " does not parse: " + err.Error()}
	}
	var out []string
	n := 0
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		vs, ok := node.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		n++
		switch {
		case vs.Name == "":
			out = append(out, "query "+strconv.Quote(q)+" selects series without a metric name")
		case !known[vs.Name]:
			out = append(out, "query "+strconv.Quote(q)+" uses "+vs.Name+
				", which neither orderbridge nor the listed kube-state-metrics export")
		}
		return nil
	})
	if n == 0 {
		out = append(out, "query "+strconv.Quote(q)+" selects no series")
	}
	return out
}

func TestQueryProblems(t *testing.T) {
	known := map[string]bool{"orderbridge_poller_failing": true}
	tests := []struct {
		q    string
		want int
	}{
		{`max(orderbridge_poller_failing{namespace="$namespace"})`, 0},
		{`rate(orderbridge_poller_failing[$__rate_interval])`, 0},
		{`sum(rate(orderbridge_poller_failing{pod=~"${pod:regex}"}[5m]))`, 0},
		{`max(orderbridge_poller_failng)`, 1},
		{`max(orderbridge_poller_failing`, 1},
		{`{job="x"}`, 1},
		{`vector(1)`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			if got := queryProblems(tt.q, known); len(got) != tt.want {
				t.Errorf("queryProblems(%q) = %q, want %d problems", tt.q, got, tt.want)
			}
		})
	}
}
