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
// The documents of one pull are published together and their acks awaited
// before any raw message is acknowledged.
//
// # Hot reload
//
// With a mapping file (MAPPING_FILE), the transformer reads it again every
// MAPPING_RELOAD_INTERVAL and compares content, not modification times or
// inotify events, since a Kubernetes ConfigMap update swaps a symlink. A
// changed, valid file replaces the rules in force at once; a changed,
// invalid one is refused with one log line listing its problems, and the
// rules in force stay. rules_reload_total counts both, and rules_info
// shows the version in force, which every canonical document records.
package transformer
