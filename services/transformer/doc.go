// Package transformer consumes raw JST documents from JST_RAW, maps each one
// with the mapping rules, and publishes the canonical protobuf document on
// canon.<kind>.<shop_id> in CANON.
//
// A document the rules filter out is acknowledged and counted by the rule
// that filtered it. A document that cannot be mapped (a missing shop, a line
// with no SKU, an amount that is not a number) is dead-lettered with the
// mapping error as its reason: the error names the document, the field and
// the value. Publishing uses the message id <key>:<version>:<hash>, so a
// redelivery of a raw document that was already published is dropped by
// JetStream, while a replay after a change of rules (a new hash) goes through.
package transformer
