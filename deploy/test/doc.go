// Package test checks what deploy/ and k8s/ ship: the Dockerfiles, the
// Kustomize overlays decoded strictly against the Kubernetes and Prometheus
// operator types, the NATS Helm values, the Prometheus rules and the
// Grafana dashboards' queries, and the metrics the services export. It is a
// module of its own so that the services never depend on the Kubernetes
// types.
package test
