// Package ledger is the writer's record of what it has done in Kingdee, one
// entry per document in the ob-ledger bucket, changed only by
// compare-and-set.
//
// Before a call to Kingdee a writer claims the document's entry, naming
// itself, an expiry, and the version and content hash it is about to write;
// another writer leaves a live claim alone and may take over an expired one.
// After each step (saved, submitted, audited) the entry records the bill's
// FID and number with the version and hash it holds. A claim that still
// names pending content (Uncertain), whether left by a writer that stopped
// or abandoned after a call without an answer, means a save whose outcome
// is unknown: the writer looks the bill up in Kingdee before it saves
// again. The ledger, not JetStream's duplicate window, is what keeps a
// document from being posted twice.
package ledger
