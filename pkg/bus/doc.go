// Package bus is orderbridge's use of NATS JetStream: the topology (streams,
// consumers and key-value buckets), publishing with message ids and trace
// context, and the consume loop that turns a handler's result into an ack, a
// delayed redelivery or a dead letter.
//
// # Topology
//
// EnsureTopology creates the streams JST_RAW, CANON, DLQ and OB_AUDIT (the
// admin API's audit trail), the durable consumers "transformer" and
// "writer", and the buckets ob-state, ob-leases and ob-ledger when they are
// missing. It never rewrites one that exists; it reports the drift between
// the existing and the wanted configuration, which an operator applies on
// purpose with ApplyTopology (obctl topology apply) after PlanTopology has
// shown it.
//
// # Retries and dead letters
//
// Every consumer follows one scheme. A handler returns nil when the message
// had its effect (or was filtered on purpose), an error made with Permanent
// when retrying cannot help, or any other error for a transient failure.
// Transient failures are redelivered with an exponential, jittered delay
// (NakWithDelay; the consumer has no BackOff list). When a message has been
// delivered MaxDeliver times, the consume loop dead-letters it itself rather
// than relying on the server's advisory. A dead letter is published to the
// DLQ stream on dlq.<stage>.<kind> with headers that say why, and only after
// that publish is acknowledged is the original message terminated, so nothing
// is lost between the two.
//
// While a handler runs, the loop sends InProgress well inside AckWait so that
// a long call to an ERP does not cause a second delivery.
//
// # Batches and gates
//
// ConsumeBatch hands a BatchHandler all the messages of one pull, for a
// stage that sends them to an ERP in one call, and settles each with its
// own result by the same scheme. ConsumeOptions.Gate, called before every
// pull by both loops, lets a stage stop pulling while its ERP is down (a
// circuit breaker) rather than spend delivery attempts.
package bus
