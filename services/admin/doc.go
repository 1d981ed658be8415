// Package admin is orderbridge's admin API: a gRPC service
// (orderbridge.admin.v1.AdminService) through which SREs watch and steer
// the pipeline, and which obctl calls.
//
// # What it does
//
// The server acts on JetStream directly. Status reads stream and consumer
// state, poller cursors in ob-state, ledger entries and dead-letter
// headers. Replay and redrive publish messages again with fresh message
// ids and the Ob-Replay header, so that the next stage handles them while
// live traffic goes on; the writer's ledger keeps already-posted documents
// from being posted twice. Pauses are flags in ob-state (package control),
// backfills are requests to the active poller on ob.control.>, and
// topology apply brings streams, consumers and buckets to the configured
// settings (bus.ApplyTopology). Reconcile compares what JST holds, what the
// ledger says and what Kingdee holds over a date range, on demand and on a
// schedule. Preview maps a raw JST document with the rules in force.
//
// # Access and audit
//
// Every method of the admin API requires a bearer token (ADMIN_TOKEN) or a
// client certificate verified against ADMIN_TLS_CLIENT_CA; grpc.health.v1
// stays open. Actions that change or reveal something (replay, forced
// replay, redrive, purge, pause, topology apply, reveal) are recorded in
// the OB_AUDIT stream before they run, naming the caller; an action that
// cannot be recorded is refused.
//
// # Metrics
//
// A collector exports every stream's and consumer's figures on each scrape
// (orderbridge_admin_stream_*, orderbridge_admin_consumer_*), and reconcile
// sets orderbridge_admin_reconcile_differences{kind}.
package admin
