package test

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/standalone"
)

// TestNATSHelmValues checks the values production installs the NATS chart
// with: JetStream on three clustered replicas with persistent volumes.
func TestNATSHelmValues(t *testing.T) {
	var v struct {
		Config struct {
			Cluster struct {
				Enabled  bool `json:"enabled"`
				Replicas int  `json:"replicas"`
			} `json:"cluster"`
			JetStream struct {
				Enabled   bool `json:"enabled"`
				FileStore struct {
					Enabled bool `json:"enabled"`
					PVC     struct {
						Enabled bool   `json:"enabled"`
						Size    string `json:"size"`
					} `json:"pvc"`
				} `json:"fileStore"`
			} `json:"jetstream"`
			NATS struct {
				TLS struct {
					Enabled bool `json:"enabled"`
				} `json:"tls"`
			} `json:"nats"`
		} `json:"config"`
	}
	readYAML(t, filepath.Join(repoRoot(t), "deploy", "nats", "values.yaml"), &v)
	c := v.Config
	if !c.Cluster.Enabled || c.Cluster.Replicas != 3 {
		t.Errorf("cluster = %+v, want enabled with 3 replicas", c.Cluster)
	}
	js := c.JetStream
	if !js.Enabled || !js.FileStore.Enabled || !js.FileStore.PVC.Enabled || js.FileStore.PVC.Size == "" {
		t.Errorf("jetstream = %+v, want enabled with a file store on persistent volumes", js)
	}
	if !c.NATS.TLS.Enabled {
		t.Error("config.nats.tls is not enabled")
	}
}

// TestStagingRunsOnTheSimulators checks that the staging overlay wires the
// services to its simulators and that the Kingdee simulator knows every
// SKU, customer and warehouse the JST simulator's data (seed 1) and the
// staging mapping file need.
func TestStagingRunsOnTheSimulators(t *testing.T) {
	b := build(t, "staging")
	var env map[string]string
	for name, o := range b.byKind["ConfigMap"] {
		if strings.HasPrefix(name, "orderbridge-env") {
			env = o.(*corev1.ConfigMap).Data
		}
	}
	for k, want := range map[string]string{
		"NATS_URL": "nats://nats:4222", "JST_BASE_URL": "http://jstsim:8080",
		"KINGDEE_BASE_URL": "http://kingdeesim:8080/k3cloud/",
	} {
		if env[k] != want {
			t.Errorf("staging %s = %q, want %q", k, env[k], want)
		}
	}
	if _, ok := b.get("StatefulSet", "nats").(*appsv1.StatefulSet); !ok {
		t.Error("staging has no NATS StatefulSet")
	}

	args := func(name string) map[string]string {
		d := b.get("Deployment", name).(*appsv1.Deployment)
		out := map[string]string{}
		for _, a := range d.Spec.Template.Spec.Containers[0].Args {
			k, v, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
			out[k] = v
		}
		return out
	}
	j := args("jstsim")
	if j["seed"] != "1" || j["shops"] != "3" {
		t.Fatalf("jstsim args %v, want -seed=1 -shops=3 (the data this test checks)", j)
	}
	sim := jstsim.New(jstsim.Options{Seed: 1, Shops: 3})
	k := args("kingdeesim")
	set := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, x := range strings.Split(s, ",") {
			m[x] = true
		}
		return m
	}
	materials, customers, stocks := set(k["materials"]), set(k["customers"]), set(k["stocks"])
	var missing []string
	for _, sku := range sim.SKUs() {
		if !materials[sku.ID] {
			missing = append(missing, sku.ID)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("kingdeesim -materials lacks the JST simulator's SKUs %v", missing)
	}
	mapping := b.get("ConfigMap", "orderbridge-mapping").(*corev1.ConfigMap).Data["mapping.yaml"]
	for _, shop := range sim.Shops() {
		cust := standalone.DemoCustomer(shop.ID)
		if !customers[cust] {
			t.Errorf("kingdeesim -customers lacks %s for shop %s", cust, shop.ID)
		}
		if !strings.Contains(mapping, `"`+shop.ID+`": {customer: `+cust) {
			t.Errorf("staging mapping file does not map shop %s to %s", shop.ID, cust)
		}
	}
	if !stocks[standalone.DemoStock] || !strings.Contains(mapping, "default_stock: "+standalone.DemoStock) {
		t.Errorf("staging: stock %s must be in kingdeesim -stocks and the mapping file",
			standalone.DemoStock)
	}
}
