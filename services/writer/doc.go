// Package writer consumes canonical documents from CANON and posts them to
// Kingdee as bills, in batches, then submits and audits them when
// configured, with an exactly-once effect.
//
// # Batches
//
// Run pulls up to Config.BatchSize documents at a time (bus.ConsumeBatch)
// and handles twice Config.Concurrency batches at once, while no more than
// Config.Concurrency calls to Kingdee are in flight, so that one batch's
// ledger work overlaps another's call. Of several versions of one document
// in a batch only the newest is posted; the others are acked as stale. The
// documents of a batch are claimed together (one create each, sent at once;
// an entry that exists is read and claimed on its own), saved with one
// BatchSave per form (each model's outcome read by DIndex), recorded
// together, then submitted and audited with one call per form and step, by
// Numbers.
//
// # Exactly once
//
// Several writer replicas share the durable "writer" consumer. The ledger
// in ob-ledger makes the effect exactly-once. Before any call a writer
// claims a document's entry by compare-and-set, naming itself, an expiry
// and the content it is about to save; it leaves a live claim alone, acks
// a document whose entry already holds the same version and content, and
// never lets an older version overwrite a newer one. After each step it
// records FID, FBillNo, version and content hash, and the step reached, so
// that a crash resumes at the missing step.
//
// A claim that names pending content (left by a crash, or abandoned after
// a call without an answer: a timeout, a dropped connection, HTTP 5xx, a
// session lost mid-call) means a save may have reached Kingdee. The next
// writer looks the bills up with one ExecuteBillQuery on FBillNo (or the
// form's source-number field) before it ever sends a save again; a bill
// found with that very content is recorded as saved ("verified"). Kingdee's
// "already exists", "already submitted" and "already audited" answers are
// checked the same way, never assumed.
//
// # Updates
//
// A later version with other content updates the bill by its FID while it
// is a draft or created; a submitted bill has its submission withdrawn
// first (CancelAssign). An audited bill is never changed: the version is
// dead-lettered with the reason changed_after_audit.
//
// # Back-pressure
//
// Transient failures (no answer, HTTP 5xx, MsgCode 1, 13, 14) are
// redelivered with growing delays. A circuit breaker counts consecutive
// failed calls; once open it stops pulling (the consume loop's gate) for an
// interval that doubles at each failed probe, instead of spending delivery
// attempts while Kingdee is down. Pausing the writer's scope "all" stops
// pulling too; a paused form's documents come again after
// Config.PauseDelay, each time a delivery.
package writer
