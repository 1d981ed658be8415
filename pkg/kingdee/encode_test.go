package kingdee

import (
	"bytes"
	"encoding/json"
	"testing"
)

// encodeCases are bodies as the writer sends them, and strings with every
// character encoding/json escapes.
func encodeCases() map[string]any {
	model := func(note string) map[string]any {
		return map[string]any{
			"FBillNo":     "JST-O-1001",
			"FBillTypeID": map[string]any{"FNUMBER": "XSDD01_SYS"},
			"FDate":       "2026-11-30",
			"FNote":       note,
			"FSaleOrderEntry": []map[string]any{{
				"FMaterialId": map[string]any{"FNumber": "SKU-1"},
				"FQty":        json.Number("2"),
				"FTaxPrice":   json.Number("-12.3400"),
				"FIsFree":     false,
				"FEntryNote":  "运费 <b>&</b>",
			}},
		}
	}
	return map[string]any{
		"batch save": map[string]any{"formid": "SAL_SaleOrder", "data": saveData{
			Model:                 []any{model("first"), model("second")},
			NeedUpDateFields:      []string{"FNote", "FSaleOrderEntry"},
			NeedReturnFields:      []string{"FBillNo"},
			IsDeleteEntry:         true,
			IsVerifyBaseDataField: true,
			BatchCount:            4,
		}},
		"save, empty options": map[string]any{"formid": "SAL_OUTSTOCK",
			"data": saveData{Model: model("")}},
		"nil values": map[string]any{"a": nil, "b": []any(nil),
			"c": []map[string]any(nil), "d": map[string]any(nil), "e": []string{}},
		"escapes": []any{
			"quote \" backslash \\ slash /", "\b\f\n\r\t\x00\x01\x1f\x7f",
			"<script>&amp;</script>", "line\u2028para\u2029end",
			"bad \xff\xfe utf-8 \xe4\xb8", "中文 ✓ 𝄞", "",
		},
		"numbers":                         []any{json.Number(""), json.Number("0"), json.Number("1e-7"), 42, int64(-7), 1.5, true},
		"other types go to encoding/json": map[string]any{"q": queryData{FormID: "BD_MATERIAL", Limit: 5}},
	}
}

// TestAppendJSONMatchesEncodingJSON: the writer's own encoder writes what
// encoding/json writes, so Kingdee sees the same request either way.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for name, v := range encodeCases() {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: encoding/json: %v", name, err)
		}
		got, err := appendJSON(nil, v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

// TestAppendJSONRefusesBadNumbers: a number that is not a JSON number is
// an error, as with encoding/json, never text Kingdee cannot read.
func TestAppendJSONRefusesBadNumbers(t *testing.T) {
	for _, n := range []string{"1.", "+1", "01", "0x10", "1 ", " 1", "NaN", "1e", "--1", "true"} {
		if b, err := appendJSON(nil, map[string]any{"FQty": json.Number(n)}); err == nil {
			t.Errorf("number %q encoded as %s, want an error", n, b)
		}
	}
}

func BenchmarkEncodeBatchSave(b *testing.B) {
	body := encodeCases()["batch save"]
	b.Run("own", func(b *testing.B) {
		for b.Loop() {
			if _, err := appendJSON(nil, body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
