// Package service is what every orderbridge process shares around its own
// work: configuration from environment variables (each secret also read from
// a file named by <NAME>_FILE), the connection to NATS, and an App that
// serves /metrics, /healthz and /readyz over HTTP and grpc.health.v1 over
// gRPC, runs the process's workers, and shuts all of it down in order on
// SIGTERM within a deadline.
//
// The order of shutdown is: stop the workers (they stop pulling and finish or
// hand back what is in flight), then close the HTTP and gRPC servers, then
// run the closers registered with OnStop in reverse order (draining NATS,
// flushing traces).
package service
