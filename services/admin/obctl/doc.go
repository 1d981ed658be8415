// Package obctl is the command-line client of orderbridge's admin API.
// cmd/obctl is a thin main around Run, so that tests drive every command
// in-process against a real server.
//
// Every command reads the server's address and credentials from flags or
// the environment (OBCTL_ADDR, OBCTL_TOKEN, OBCTL_TLS_CA, OBCTL_TLS_CERT,
// OBCTL_TLS_KEY), names the person in OBCTL_ACTOR (default $USER) for the
// audit trail, prints tables or, with -o json, JSON, and shows a progress
// line on standard error for long commands. Errors say what to do next.
package obctl
