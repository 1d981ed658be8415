// Package jstsim simulates the Jushuitan (聚水潭, JST) open API, so that
// orderbridge runs and is tested with no JST account.
//
// A [Sim] is an http.Handler. It serves the order query, the after-sale
// query and the token refresh of the open API (v2) over a deterministic,
// generated store of shops, SKUs, orders and after-sales, and checks what
// JST checks: the signature, the app key, the access token and its expiry,
// the timestamp's skew, the per-app rate limits and the query parameters.
// Answers use JST's envelope and codes.
//
// # Parts
//
//   - options.go: [Options] and their defaults.
//   - model.go: the documents as served (wire types) and the typed
//     snapshots tests read ([Order], [AfterSale], [Shop], [SKU]).
//   - store.go: the stored documents, their rendering and Touch.
//   - generate.go, gen_order.go, gen_aftersale.go, words.go: the
//     deterministic data set.
//   - auth.go, ratelimit.go: signature, token, clock and rate checks.
//   - query.go: biz parsing, filtering and paging.
//   - faults.go: injected latency, HTTP 500s and truncated bodies.
//   - inspect.go: test access, in Go and as JSON under /sim/.
//
// The simulator keeps its own clock ([Options].Now), so tests can move time
// to expire tokens or to cross rate-limit windows without sleeping.
package jstsim
