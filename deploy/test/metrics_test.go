package test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
)

// runtimeMetric tells the families of the Go runtime and process
// collectors and of the /metrics handler, which every process exports and
// the README mentions without a row each.
func runtimeMetric(name string) bool {
	return strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_") ||
		strings.HasPrefix(name, "promhttp_")
}

func TestMetricsPassPromlint(t *testing.T) {
	fams := requireExported(t)
	var list []*dto.MetricFamily
	for _, f := range fams {
		if !runtimeMetric(f.GetName()) {
			list = append(list, f)
		}
	}
	problems, err := promlint.NewWithMetricFamilies(list).Lint()
	if err != nil {
		t.Fatalf("promlint: %v", err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	if len(list) < 20 {
		t.Errorf("only %d orderbridge families exported: the stack exercised too little", len(list))
	}
}

// documented are the rows of the README's metrics table: name -> type.
type documented map[string]string

var metricRow = regexp.MustCompile("^\\| `(orderbridge_[a-z0-9_]+)` \\| (counter|gauge|histogram|summary) \\|")

func readMetricsTable(t *testing.T) documented {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc := documented{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = line == "## Metrics"
			continue
		}
		if m := metricRow.FindStringSubmatch(line); in && m != nil {
			if _, dup := doc[m[1]]; dup {
				t.Errorf("README metrics table: %s appears twice", m[1])
			}
			doc[m[1]] = m[2]
		}
	}
	if len(doc) == 0 {
		t.Fatal("README.md has no \"## Metrics\" table of orderbridge_ metrics")
	}
	return doc
}

func TestEveryMetricIsDocumented(t *testing.T) {
	fams := requireExported(t)
	doc := readMetricsTable(t)
	var names []string
	for name := range fams {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if runtimeMetric(name) {
			continue
		}
		typ := strings.ToLower(fams[name].GetType().String())
		got, ok := doc[name]
		switch {
		case !ok:
			t.Errorf("metric %s (%s) is exported but not in the README metrics table", name, typ)
		case got != typ:
			t.Errorf("README metrics table: %s is a %s, want %s", name, got, typ)
		}
	}
	// A documented metric the run did not show must still be defined in
	// the code (a vector with no series yet is not exported).
	src := sourceText(t)
	for name := range doc {
		if _, ok := fams[name]; ok {
			continue
		}
		suffix := name[strings.Index(name[len("orderbridge_"):], "_")+len("orderbridge_")+1:]
		if !strings.Contains(src, `"`+suffix+`"`) {
			t.Errorf("README metrics table: %s is neither exported nor defined in the code", name)
		}
	}
}

// sourceText is the non-test Go source of pkg and services, joined.
func sourceText(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	root := repoRoot(t)
	for _, dir := range []string{"pkg", "services"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") ||
				strings.HasSuffix(p, "_test.go") {
				return err
			}
			data, err := os.ReadFile(p)
			b.Write(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}
