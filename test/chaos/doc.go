// Package chaos holds orderbridge's fault suite: the poller, the
// transformer, three writers, both simulators and the JetStream server run
// as separate processes (the built binaries) while the suite kills and
// restarts them and injects faults on both ERPs, then compares the JST
// simulator's final documents with the bills the Kingdee simulator holds
// and with the dead-letter stream.
//
// Without build tags the suite runs its short form (a few hundred
// documents, about a minute) inside make test; with the tag "chaos" (make
// chaos) it runs the full form.
package chaos
