package test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dashboard is what the test reads of a Grafana dashboard.
type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	Title   string  `json:"title"`
	Type    string  `json:"type"`
	Panels  []panel `json:"panels"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
}

// wantDashboards are the dashboards deploy/grafana must hold.
var wantDashboards = []string{"overview", "poller", "transformer", "writer", "admin"}

var labelValues = regexp.MustCompile(`^label_values\((.+),\s*[a-zA-Z_]+\)$`)

func TestDashboardQueries(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "deploy", "grafana")
	uids := map[string]bool{}
	for _, name := range wantDashboards {
		path := filepath.Join(dir, "orderbridge-"+name+".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var d dashboard
			dec := json.NewDecoder(strings.NewReader(string(data)))
			if err := dec.Decode(&d); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if d.UID == "" || uids[d.UID] {
				t.Errorf("%s: uid %q empty or used twice", path, d.UID)
			}
			uids[d.UID] = true
			n := 0
			var walk func(ps []panel)
			walk = func(ps []panel) {
				for _, p := range ps {
					walk(p.Panels)
					if p.Type == "row" {
						continue
					}
					if len(p.Targets) == 0 {
						t.Errorf("%s: panel %q has no query", path, p.Title)
					}
					for _, tg := range p.Targets {
						n++
						checkQuery(t, path+": panel "+strconvQuote(p.Title), tg.Expr)
					}
				}
			}
			walk(d.Panels)
			if n == 0 {
				t.Errorf("%s: no queries", path)
			}
			for _, v := range d.Templating.List {
				if v.Type != "query" {
					continue
				}
				q := v.Query
				if m, ok := q.(map[string]any); ok {
					q = m["query"]
				}
				s, _ := q.(string)
				if m := labelValues.FindStringSubmatch(s); m != nil {
					s = m[1]
				}
				checkQuery(t, path+": variable "+v.Name, s)
			}
		})
	}
}

// The overview shows what the issue lists.
func TestOverviewPanels(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "grafana",
		"orderbridge-overview.json"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, metric := range []string{
		"orderbridge_poller_documents_published_total", "orderbridge_transformer_documents_total",
		"orderbridge_writer_documents_total", "orderbridge_poller_checkpoint_lag_seconds",
		"orderbridge_bus_dead_letters_total", "orderbridge_poller_jst_requests_total",
		"orderbridge_writer_kingdee_errors_total",
		"orderbridge_writer_kingdee_call_duration_seconds_bucket",
		"kube_deployment_status_replicas_available",
	} {
		if !strings.Contains(text, metric) {
			t.Errorf("overview dashboard does not show %s", metric)
		}
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }
