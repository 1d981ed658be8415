// Package control is the contract between the admin API and the running
// services: the request/reply subjects under ob.control.> that the active
// poller answers, their JSON payloads, and pause flags kept in the ob-state
// bucket that every replica of a service watches.
//
// Requests that one process must act on (a backfill, which needs the
// merchant's rate budget and tokens) go by request/reply to the active
// poller. State that every replica must honour (polling of a shop paused,
// posting to a form paused) lives in ob-state under pause.<scope>.<target>,
// so that a replica started later sees it too.
package control
