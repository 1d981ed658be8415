// Package jstsim simulates the Jushuitan (聚水潭, JST) open API, so that
// orderbridge runs and is tested with no JST account.
//
// A [Sim] is an http.Handler. It serves the order query, the after-sale
// query and the token refresh of the open API (v2) over a deterministic,
// generated store of shops, SKUs, orders and after-sales, and checks what
// JST checks: the signature, the app key, the access token and its expiry,
// the timestamp's skew, the per-app rate limits and the query parameters.
// Answers use JST's envelope and codes. The same store is also served
// through a Qimen gateway (POST /router/qm), with its own credentials and
// the rate limits shared with the open API.
//
// Beyond a fixed data set, the simulator can make documents change: churn
// changes documents of earlier pages just before a page is answered (the
// hazard that makes paging by index skip rows), and [Sim.Step] or
// [Sim.RunLive] make a live stream of new orders, status moves and
// after-sales. Tests can also queue JST error codes ([Sim.InjectCode]),
// expire the access token and refuse refreshes.
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
//   - qimen.go: the Qimen gateway's checks and answers.
//   - churn.go: documents changing while a client pages.
//   - lifecycle.go, live.go: content changes and live mode (Step).
//   - faults.go: injected latency, HTTP 500s and truncated bodies.
//   - inject.go: injected JST codes, token expiry, refused refreshes.
//   - inspect.go, control.go: test access and controls, in Go and as JSON
//     under /sim/.
//
// The simulator keeps its own clock ([Options].Now), so tests can move time
// to expire tokens or to cross rate-limit windows without sleeping.
package jstsim
