// Package poller asks JST for the documents that changed since its
// checkpoint and publishes each one, exactly as received, on
// jst.raw.<kind>.<shop_id> in the JST_RAW stream.
//
// There is one cursor per document kind and shop (or one per kind for all
// shops), stored in the ob-state bucket as checkpoint.<kind>.<shop>. A pass
// reads one modified-time window per cursor: it starts POLL_OVERLAP before the
// checkpoint, ends POLL_LAG before now (JST's times have one-second
// resolution and rows keep changing at the edge), and spans at most JST's
// seven days. Every page of the window is published, each publish waiting for
// the stream's ack, before the checkpoint moves to the window's end by
// compare-and-set; a restart therefore repeats at most one window, and the
// stream's duplicate window with the <kind>:<id>:<ts> message id drops what
// it already holds.
//
// A failed page is retried with growing delays, never skipped.
package poller
