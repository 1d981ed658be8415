// Package telemetry sets up what every orderbridge process reports: slog
// logs (JSON in production, text on a terminal), a Prometheus registry of
// its own, and OpenTelemetry tracing with W3C trace-context propagation.
//
// Tracing exports spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, honouring the other OTEL_*
// variables of the OTLP exporter; with neither set, or OTEL_TRACES_EXPORTER
// set to "none", spans are created for propagation but not exported.
// Transport wraps an HTTP client's calls to an ERP in client spans.
package telemetry
