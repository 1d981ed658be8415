// Package writer consumes canonical documents from CANON and posts each one
// to Kingdee as a bill, then submits and audits it when configured.
//
// Several writer replicas share the durable "writer" consumer. The ledger in
// ob-ledger makes the effect exactly-once: a writer claims a document's entry
// before it calls Kingdee, skips a document whose entry already holds the
// same version and content, never lets an older version overwrite a newer
// one, and, when an earlier write's outcome is unknown (a timeout, a dropped
// connection, a session lost mid-call, a crash), looks the bill up in Kingdee
// by its number before it sends anything again. Kingdee's "already exists"
// and "already audited" answers are checked against Kingdee, then taken as
// success.
package writer
