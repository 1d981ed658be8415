// Package standalone runs the whole of orderbridge in one process: an
// embedded JetStream server (unless NATS_URL names one), the poller, the
// transformer and the writer, behind one HTTP and one gRPC address, and,
// unless JST_BASE_URL and KINGDEE_BASE_URL point at the real systems, both
// ERP simulators seeded with deterministic data.
//
// Simulators and Pipeline are separate so that a test can stop the pipeline
// and its JetStream server mid-run and start them again on the same store
// while the simulators keep their state.
package standalone
