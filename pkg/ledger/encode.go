package ledger

import (
	"strconv"
	"time"

	"github.com/orderbridge/orderbridge/pkg/internal/jsonenc"
)

// appendJSON appends e as the JSON object encoding/json would make of it
// (the same keys, in the same order, with the same omissions) without
// reflection: a writer stores two entries a document, and encoding/json
// made a tenth of its CPU. Get reads entries back with encoding/json.
func (e Entry) appendJSON(b []byte) []byte {
	b = append(b, `{"state":`...)
	b = jsonenc.AppendString(b, string(e.State))
	b = appendStringField(b, "form", e.Form)
	b = appendStringField(b, "bill_no", e.BillNo)
	b = appendIntField(b, "fid", e.FID)
	b = appendIntField(b, "version", e.Version)
	b = appendStringField(b, "hash", e.Hash)
	b = appendStringField(b, "owner", e.Owner)
	if !e.Expiry.IsZero() {
		b = append(b, `,"expiry":`...)
		b = appendTime(b, e.Expiry)
	}
	b = appendIntField(b, "pending_version", e.PendingVersion)
	b = appendStringField(b, "pending_hash", e.PendingHash)
	b = appendStringField(b, "error", e.Error)
	b = append(b, `,"updated":`...)
	b = appendTime(b, e.Updated)
	return append(b, '}')
}

// appendStringField appends ,"key":s unless s is empty (omitempty).
func appendStringField(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, `,"`...)
	b = append(b, key...)
	b = append(b, `":`...)
	return jsonenc.AppendString(b, s)
}

// appendIntField appends ,"key":n unless n is 0 (omitempty).
func appendIntField(b []byte, key string, n int64) []byte {
	if n == 0 {
		return b
	}
	b = append(b, `,"`...)
	b = append(b, key...)
	b = append(b, `":`...)
	return strconv.AppendInt(b, n, 10)
}

// appendTime appends t as a JSON string in RFC 3339 with nanoseconds, as
// time.Time's MarshalJSON writes it.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}
