// Package kingdeesim simulates the WebAPI of Kingdee Cloud Galaxy
// (K3Cloud) closely enough that orderbridge's writer, admin and tests run
// against it with no Kingdee account.
//
// A [Sim] is an http.Handler serving /k3cloud/{ServiceName}.common.kdsvc:
// the four login styles (ValidateUser, LoginByAppSecret, LoginBySign and
// signed headers), cookie sessions that expire when idle, and Save,
// BatchSave, Submit, Audit, UnAudit, Delete, View and ExecuteBillQuery on
// SAL_SaleOrder, SAL_OUTSTOCK, SAL_RETURNSTOCK and AR_REFUNDBILL. Bills
// follow Kingdee's status machine (Z draft, A created, B submitted, C
// audited, D re-audit); answers have the shapes and texts of real Kingdee
// answers.
//
// Faults (latency, HTTP 500, call limits, lost sessions, writes that
// commit but never answer) are drawn from a seeded random source and can
// be changed at run time with [Sim.SetFaults] or POST /sim/faults. Tests
// read the stored bills with [Sim.Bills] or GET /sim/bills?form=, and the
// call counts with [Sim.Stats] or GET /sim/stats.
package kingdeesim
