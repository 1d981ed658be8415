// Package jst is a client for the Jushuitan (聚水潭, JST) ERP open API.
//
// # Signing
//
// JST has three signing schemes, one per gateway: [SignOpenAPI] for the
// open API (v2) that this package calls, [SignLegacy] for the older partner
// API and [SignQimen] for the Taobao Qimen gateway. All three are MD5 digests
// over the secret and the request parameters.
//
// # Querying
//
// A [Client] posts signed form requests to the open API. [Client.Query] asks
// for one page of orders ([KindOrder]) or after-sales ([KindAfterSale])
// changed in a window of modified times, or from a row-version cursor, and
// returns each document's JSON exactly as JST sent it, for the transformer
// to parse. [Client.RefreshToken] trades a refresh token for a new token
// pair.
//
// The response envelope is read tolerantly: page numbers and counts may be
// numbers or strings, and has_next a boolean or a string.
//
// # Errors
//
// A JST answer with a nonzero code comes back as an [*APIError], whose
// methods tell a rate limit from a bad token or a fault that stops the whole
// merchant. A non-2xx HTTP status is an [*HTTPError]; a body that is not the
// JSON envelope wraps [ErrMalformed]; a query the client will not send wraps
// [ErrBadQuery]. Transport errors come back wrapped.
//
// # Rate limits
//
// JST limits calls per merchant (app key): 5 a second and 100 a minute.
// A [Limiter], shared by every shop and kind of one merchant, keeps a client
// under both; pass it as [Config].Limiter.
//
// # Times
//
// JST writes every time in Beijing time without an offset. [ParseTime] and
// [FormatTime] convert, using the fixed zone [Beijing].
package jst
