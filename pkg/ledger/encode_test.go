package ledger

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// TestAppendJSONMatchesEncodingJSON compares the hand-written encoding
// with encoding/json's, byte for byte, for entries in every state.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2026, 12, 3, 17, 4, 5, 123456789, time.FixedZone("CST", 8*3600))
	tests := []Entry{
		{},
		{State: Claimed, Owner: "writer-7f3c", Expiry: at, PendingVersion: 4933001234,
			PendingHash: "9f2c", Form: "SAL_SaleOrder", BillNo: "JST-123", Updated: at},
		{State: Saved, Form: "SAL_RETURNSTOCK", BillNo: "JST-AS-9", FID: 100234,
			Version: 12, Hash: "ab12", Updated: at.UTC()},
		{State: Failed, Error: "writer: order.1: MsgCode 11 \"物料编码\" 不存在\n\tline 2\\x",
			Updated: at},
		{State: Audited, BillNo: "单据-\u2028-\x01", FID: -1, Updated: time.Unix(0, 0)},
	}
	for _, e := range tests {
		want, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.appendJSON(nil); !bytes.Equal(got, want) {
			t.Errorf("appendJSON(%+v) =\n%s\nwant\n%s", e, got, want)
		}
	}
}

// FuzzAppendJSON checks, for any strings and numbers, that the encoding
// is encoding/json's, byte for byte.
func FuzzAppendJSON(f *testing.F) {
	f.Add("JST-1", "writer-1", "boom", int64(7))
	f.Add("<&>\u2028", "\xff\xfe", "\"\\\x00\x7f", int64(-3))
	f.Fuzz(func(t *testing.T, billNo, owner, errText string, n int64) {
		e := Entry{State: State(owner), BillNo: billNo, Owner: owner, Error: errText,
			FID: n, Version: -n, PendingHash: errText,
			Expiry: time.Unix(n%1e9, n%1e9), Updated: time.Unix(0, n%1e9).UTC()}
		want, err := json.Marshal(e)
		if err != nil {
			t.Skip(err)
		}
		if got := e.appendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("appendJSON(%+v) =\n%s\nwant\n%s", e, got, want)
		}
	})
}
