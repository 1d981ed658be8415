// Package poller asks JST for the documents that changed since its
// checkpoint and publishes each one, exactly as received, on
// jst.raw.<kind>.<shop_id> in the JST_RAW stream, with the message id
// <kind>:<id>:<ts>. It is built so that no document is ever missed.
//
// # Cursors
//
// There is one cursor per document kind and shop (or one per kind for all
// shops), stored in ob-state as checkpoint.<kind>.<shop> and moved only by
// compare-and-set, after every publish up to it has been acked. A restart
// resumes from it; the stream's duplicate window and the message id drop
// what is read twice.
//
//   - Row version (POLL_CURSOR=ts, the default on the open API): one page
//     from start_ts a pass; the checkpoint moves to the largest ts among
//     the rows known complete after each page (cursor.go explains which).
//     A new cursor first reads time windows from JST_START_TIME, then
//     takes over from the largest ts it saw.
//   - Time windows (POLL_CURSOR=window, the default on Qimen): from
//     POLL_OVERLAP before the checkpoint to POLL_LAG before now, at most
//     seven days; a window that changed while it was read is read again,
//     backwards (window.go explains why that finds every row), at most
//     POLL_RESCAN_MAX times. The checkpoint moves after a whole window.
//
// # One poller per merchant
//
// Only the holder of the lease "poller" in ob-leases polls, refreshes the
// merchant's JST tokens (kept in ob-state as "token") and answers the
// control subjects ob.control.poller.>; others stand by and take over when
// it lapses. One rate limiter serves every shop, kind and backfill.
//
// # Failures
//
// A failed page is asked again, never skipped (fetch.go): rate limits back
// off, a refused token is refreshed once, faults of the app or merchant
// pause every request for POLL_PAUSE_RETRY with a gauge to alert on, and
// the rest are retried with doubling delays.
//
// # Backfill
//
// A request on ob.control.poller.backfill reads a past range again in
// windows, beside live polling and under the same limiter, without moving
// a checkpoint (backfill.go).
package poller
