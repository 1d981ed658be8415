package test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// overlays are the Kustomize overlays shipped in k8s/overlays.
var overlays = []string{"production", "staging"}

// newObject returns an empty object of the Go type for apiVersion and
// kind, or nil for a kind the manifests are not expected to hold.
func newObject(apiVersion, kind string) any {
	switch apiVersion + "/" + kind {
	case "v1/Namespace":
		return &corev1.Namespace{}
	case "v1/ServiceAccount":
		return &corev1.ServiceAccount{}
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}
	case "v1/Secret":
		return &corev1.Secret{}
	case "v1/Service":
		return &corev1.Service{}
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}
	case "apps/v1/StatefulSet":
		return &appsv1.StatefulSet{}
	case "policy/v1/PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}
	case "networking.k8s.io/v1/NetworkPolicy":
		return &networkingv1.NetworkPolicy{}
	case "autoscaling/v2/HorizontalPodAutoscaler":
		return &autoscalingv2.HorizontalPodAutoscaler{}
	case "monitoring.coreos.com/v1/ServiceMonitor":
		return &monitoringv1.ServiceMonitor{}
	case "monitoring.coreos.com/v1/PrometheusRule":
		return &monitoringv1.PrometheusRule{}
	}
	return nil
}

// built is an overlay's output, decoded.
type built struct {
	name    string
	objects []any
	byKind  map[string]map[string]any // kind -> name -> object
}

func (b *built) get(kind, name string) any { return b.byKind[kind][name] }

// build runs kustomize on k8s/overlays/<name>, as kubectl kustomize does,
// and decodes every object strictly: an unknown or misspelt field fails.
func build(t *testing.T, name string) *built {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "k8s", "overlays", name)
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	rm, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	b := &built{name: name, byKind: map[string]map[string]any{}}
	for _, r := range rm.Resources() {
		data, err := r.AsYAML()
		if err != nil {
			t.Fatalf("%s: %s: %v", name, r.CurId(), err)
		}
		where := fmt.Sprintf("%s: %s %s", name, r.GetKind(), r.GetName())
		obj := newObject(r.GetApiVersion(), r.GetKind())
		if obj == nil {
			t.Errorf("%s: unexpected apiVersion %s", where, r.GetApiVersion())
			continue
		}
		if err := yaml.UnmarshalStrict(data, obj); err != nil {
			t.Errorf("%s: strict decode: %v", where, err)
			continue
		}
		b.objects = append(b.objects, obj)
		if b.byKind[r.GetKind()] == nil {
			b.byKind[r.GetKind()] = map[string]any{}
		}
		b.byKind[r.GetKind()][r.GetName()] = obj
	}
	return b
}

func TestOverlaysBuildAndDecodeStrictly(t *testing.T) {
	for _, name := range overlays {
		t.Run(name, func(t *testing.T) {
			b := build(t, name)
			for _, kind := range []string{"Deployment", "Service", "ServiceAccount",
				"PodDisruptionBudget", "NetworkPolicy", "ConfigMap"} {
				if len(b.byKind[kind]) == 0 {
					t.Errorf("%s: no %s", name, kind)
				}
			}
			for _, svc := range []string{"poller", "transformer", "writer", "admin"} {
				if b.get("Deployment", svc) == nil {
					t.Errorf("%s: no Deployment %s", name, svc)
				}
			}
		})
	}
}

// workloads are the pod templates of an overlay's Deployments and
// StatefulSets, by name.
func workloads(b *built) map[string]*corev1.PodTemplateSpec {
	out := map[string]*corev1.PodTemplateSpec{}
	for name, o := range b.byKind["Deployment"] {
		out[name] = &o.(*appsv1.Deployment).Spec.Template
	}
	for name, o := range b.byKind["StatefulSet"] {
		out[name] = &o.(*appsv1.StatefulSet).Spec.Template
	}
	return out
}

func TestWorkloadsAreLockedDown(t *testing.T) {
	for _, name := range overlays {
		b := build(t, name)
		for wname, tmpl := range workloads(b) {
			t.Run(name+"/"+wname, func(t *testing.T) {
				checkPod(t, b, wname, tmpl)
			})
		}
	}
}

func checkPod(t *testing.T, b *built, name string, tmpl *corev1.PodTemplateSpec) {
	spec := tmpl.Spec
	psc := spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		t.Errorf("%s: pod does not set runAsNonRoot", name)
	}
	if psc != nil && psc.RunAsUser != nil && *psc.RunAsUser == 0 {
		t.Errorf("%s: pod runs as uid 0", name)
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		t.Errorf("%s: the service account token is mounted; none of these pods needs it", name)
	}
	if sa := spec.ServiceAccountName; sa == "" || b.get("ServiceAccount", sa) == nil {
		t.Errorf("%s: service account %q is not in the overlay", name, sa)
	}
	for _, c := range spec.Containers {
		sc := c.SecurityContext
		switch {
		case sc == nil:
			t.Errorf("%s/%s: no securityContext", name, c.Name)
			continue
		case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
			t.Errorf("%s/%s: root filesystem is writable", name, c.Name)
		case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
			t.Errorf("%s/%s: allows privilege escalation", name, c.Name)
		case sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 ||
			sc.Capabilities.Drop[0] != "ALL" || len(sc.Capabilities.Add) != 0:
			t.Errorf("%s/%s: capabilities %v, want drop [ALL] and add none",
				name, c.Name, sc.Capabilities)
		}
		for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			if _, ok := c.Resources.Requests[res]; !ok {
				t.Errorf("%s/%s: no %s request", name, c.Name, res)
			}
		}
		if _, ok := c.Resources.Limits[corev1.ResourceMemory]; !ok {
			t.Errorf("%s/%s: no memory limit", name, c.Name)
		}
		if c.ReadinessProbe == nil || c.LivenessProbe == nil {
			t.Errorf("%s/%s: readiness and liveness probes are required", name, c.Name)
		}
		if strings.HasSuffix(c.Image, ":latest") || strings.HasSuffix(c.Image, ":dev") ||
			!strings.Contains(c.Image, ":") {
			t.Errorf("%s/%s: image %s has no release tag", name, c.Name, c.Image)
		}
	}
	checkReferences(t, b, name, spec)
	checkSelected(t, b, name, tmpl)
}

// orderbridge services probe /readyz over HTTP and keep gRPC health open.
func TestServicesProbeReadyzAndGRPCHealth(t *testing.T) {
	for _, name := range overlays {
		b := build(t, name)
		for _, svc := range []string{"poller", "transformer", "writer", "admin"} {
			d := b.get("Deployment", svc).(*appsv1.Deployment)
			c := d.Spec.Template.Spec.Containers[0]
			if g := c.ReadinessProbe.HTTPGet; g == nil || g.Path != "/readyz" {
				t.Errorf("%s/%s: readiness probe %+v, want HTTP GET /readyz", name, svc,
					c.ReadinessProbe.ProbeHandler)
			}
			l := c.LivenessProbe
			if svc != "admin" && (l.GRPC == nil || l.GRPC.Port != 9090) {
				t.Errorf("%s/%s: liveness probe %+v, want grpc.health.v1 on 9090",
					name, svc, l.ProbeHandler)
			}
			if svc == "admin" && (l.HTTPGet == nil || l.HTTPGet.Path != "/healthz") {
				t.Errorf("%s/admin: liveness probe %+v, want HTTP GET /healthz (the admin "+
					"API may serve TLS, which the kubelet's gRPC probe does not speak)",
					name, l.ProbeHandler)
			}
		}
	}
}

// The services collect garbage lazily (GOGC=400), so each must tell Go its
// memory budget: GOMEMLIMIT between half and all of the container's limit.
func TestServicesBoundTheirHeapBelowTheMemoryLimit(t *testing.T) {
	for _, name := range overlays {
		b := build(t, name)
		for _, svc := range []string{"poller", "transformer", "writer", "admin"} {
			c := b.get("Deployment", svc).(*appsv1.Deployment).Spec.Template.Spec.Containers[0]
			limit := c.Resources.Limits.Memory().Value()
			var heap int64 = -1
			for _, e := range c.Env {
				if e.Name == "GOMEMLIMIT" {
					heap = goMemLimit(e.Value)
				}
			}
			if heap < limit/2 || heap >= limit {
				t.Errorf("%s/%s: GOMEMLIMIT is %d bytes, want between half and all of "+
					"the memory limit (%d bytes)", name, svc, heap, limit)
			}
		}
	}
}

// goMemLimit reads a GOMEMLIMIT value (bytes, or a number with a B, KiB,
// MiB or GiB suffix), or returns -1.
func goMemLimit(v string) int64 {
	unit := int64(1)
	for _, u := range []struct {
		suffix string
		bytes  int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}} {
		if n, ok := strings.CutSuffix(v, u.suffix); ok {
			v, unit = n, u.bytes
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1
	}
	return n * unit
}

// externalSecrets are the Secrets production expects to exist in the
// cluster; the runbook says how to create each.
var externalSecrets = map[string]bool{
	"orderbridge-jst": true, "orderbridge-kingdee": true, "orderbridge-admin": true,
	"orderbridge-nats-poller": true, "orderbridge-nats-transformer": true,
	"orderbridge-nats-writer": true, "orderbridge-nats-admin": true, "nats-ca": true,
}

// checkReferences checks that every ConfigMap and Secret a pod uses is
// in the overlay, or, in production only, one of externalSecrets.
func checkReferences(t *testing.T, b *built, name string, spec corev1.PodSpec) {
	secret := func(s string) {
		if b.get("Secret", s) != nil || b.name == "production" && externalSecrets[s] {
			return
		}
		t.Errorf("%s: Secret %s is neither in the overlay nor a documented external one",
			name, s)
	}
	cm := func(s string) {
		if b.get("ConfigMap", s) == nil {
			t.Errorf("%s: ConfigMap %s is not in the overlay", name, s)
		}
	}
	for _, v := range spec.Volumes {
		if v.Secret != nil {
			secret(v.Secret.SecretName)
		}
		if v.ConfigMap != nil {
			cm(v.ConfigMap.Name)
		}
	}
	for _, c := range spec.Containers {
		for _, e := range c.EnvFrom {
			if e.ConfigMapRef != nil {
				cm(e.ConfigMapRef.Name)
			}
		}
		for _, e := range c.Env {
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				secret(e.ValueFrom.SecretKeyRef.Name)
			}
			if strings.HasSuffix(e.Name, "_FILE") && !mounted(c, e.Value) {
				t.Errorf("%s/%s: %s=%s is not under a mounted volume", name, c.Name,
					e.Name, e.Value)
			}
		}
	}
}

func mounted(c corev1.Container, path string) bool {
	for _, m := range c.VolumeMounts {
		if strings.HasPrefix(path, m.MountPath+"/") {
			return true
		}
	}
	return false
}

// checkSelected checks that a Service, a PodDisruptionBudget and a
// NetworkPolicy of the workload's own select its pods.
func checkSelected(t *testing.T, b *built, name string, tmpl *corev1.PodTemplateSpec) {
	set := labels.Set(tmpl.Labels)
	var pdb, np, svc bool
	for _, o := range b.byKind["PodDisruptionBudget"] {
		sel := o.(*policyv1.PodDisruptionBudget).Spec.Selector
		pdb = pdb || sel != nil && labels.SelectorFromSet(sel.MatchLabels).Matches(set)
	}
	for _, o := range b.byKind["NetworkPolicy"] {
		ml := o.(*networkingv1.NetworkPolicy).Spec.PodSelector.MatchLabels
		np = np || len(ml) > 0 && labels.SelectorFromSet(ml).Matches(set)
	}
	for _, o := range b.byKind["Service"] {
		sel := o.(*corev1.Service).Spec.Selector
		svc = svc || len(sel) > 0 && labels.SelectorFromSet(sel).Matches(set)
	}
	if !pdb || !np || !svc {
		t.Errorf("%s: PodDisruptionBudget %v, NetworkPolicy %v, Service %v: want all",
			name, pdb, np, svc)
	}
}

func TestDefaultDenyNetworkPolicy(t *testing.T) {
	for _, name := range overlays {
		b := build(t, name)
		np, ok := b.get("NetworkPolicy", "orderbridge-default-deny").(*networkingv1.NetworkPolicy)
		if !ok {
			t.Fatalf("%s: no orderbridge-default-deny NetworkPolicy", name)
		}
		if len(np.Spec.PodSelector.MatchLabels) != 0 || len(np.Spec.Ingress) != 0 ||
			len(np.Spec.Egress) != 0 || len(np.Spec.PolicyTypes) != 2 {
			t.Errorf("%s: orderbridge-default-deny = %+v, want every pod, both ways, "+
				"no rule", name, np.Spec)
		}
		// The transformer needs NATS only: no rule of its own goes past it.
		tp := b.get("NetworkPolicy", "transformer").(*networkingv1.NetworkPolicy)
		for _, e := range tp.Spec.Egress {
			for _, to := range e.To {
				if to.IPBlock != nil {
					t.Errorf("%s: transformer may reach %s; it needs NATS only", name,
						to.IPBlock.CIDR)
				}
			}
		}
	}
}

func TestProductionScalesWritersOnPending(t *testing.T) {
	b := build(t, "production")
	hpa, ok := b.get("HorizontalPodAutoscaler", "writer").(*autoscalingv2.HorizontalPodAutoscaler)
	if !ok {
		t.Fatal("production: no HorizontalPodAutoscaler writer")
	}
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != "writer" {
		t.Errorf("HPA targets %+v, want Deployment writer", hpa.Spec.ScaleTargetRef)
	}
	if len(hpa.Spec.Metrics) != 1 || hpa.Spec.Metrics[0].External == nil {
		t.Fatalf("HPA metrics %+v, want one external metric", hpa.Spec.Metrics)
	}
	ext := hpa.Spec.Metrics[0].External.Metric

	var adapter struct {
		Rules struct {
			External []struct {
				SeriesQuery string `json:"seriesQuery"`
				Name        struct {
					As string `json:"as"`
				} `json:"name"`
				MetricsQuery string `json:"metricsQuery"`
			} `json:"external"`
		} `json:"rules"`
	}
	readYAML(t, filepath.Join(repoRoot(t), "deploy", "prometheus-adapter", "values.yaml"), &adapter)
	found := false
	for _, r := range adapter.Rules.External {
		if r.Name.As != ext.Name {
			continue
		}
		found = true
		if !strings.Contains(r.SeriesQuery, "orderbridge_admin_consumer_pending_messages") {
			t.Errorf("adapter rule %s reads %s, want the writer consumer's pending count",
				r.Name.As, r.SeriesQuery)
		}
		checkQuery(t, "adapter seriesQuery", r.SeriesQuery)
	}
	if !found {
		t.Errorf("no prometheus-adapter external rule serves %s", ext.Name)
	}
	if ext.Selector == nil || ext.Selector.MatchLabels["consumer"] != "writer" {
		t.Errorf("HPA metric selector %v, want consumer=writer", ext.Selector)
	}
}

func TestProductionMonitoring(t *testing.T) {
	b := build(t, "production")
	if len(b.byKind["ServiceMonitor"]) == 0 {
		t.Error("production: no ServiceMonitor")
	}
	for _, o := range b.byKind["ServiceMonitor"] {
		sm := o.(*monitoringv1.ServiceMonitor)
		sel := labels.SelectorFromSet(sm.Spec.Selector.MatchLabels)
		var names []string
		for n, s := range b.byKind["Service"] {
			if sel.Matches(labels.Set(s.(*corev1.Service).Labels)) {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		if strings.Join(names, ",") != "admin,poller,transformer,writer" {
			t.Errorf("ServiceMonitor %s selects Services %v, want every orderbridge one",
				sm.Name, names)
		}
	}
	if b.get("PrometheusRule", "orderbridge") == nil {
		t.Error("production: no PrometheusRule orderbridge")
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
