package jst

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readDoc(tb testing.TB, name string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "docs", name))
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func TestParseAfterSaleSeed(t *testing.T) {
	for _, name := range []string{"aftersale_seed.json", "aftersale_numbers.json"} {
		t.Run(name, func(t *testing.T) {
			a, err := ParseAfterSale(readDoc(t, name))
			if err != nil {
				t.Fatalf("ParseAfterSale(%s) error: %v", name, err)
			}
			checks := []struct{ field, got, want string }{
				{"as_id", string(a.ASID), "4404852"},
				{"o_id", string(a.OID), "8295815"},
				{"shop_id", string(a.ShopID), "13046812"},
				{"type", string(a.Type), "普通退货"},
				{"status", string(a.Status), "Confirmed"},
				{"good_status", string(a.GoodStatus), "SELLER_RECEIVED"},
				{"refund", a.Refund.String(), "594"},
				{"freight", a.Freight.String(), "0"},
				{"wms_co_id", string(a.WmsCoID), "11322398"},
				{"wh_id", string(a.WhID), "2"},
				{"items.sku_id", string(a.Items[0].SkuID), "X20142466F90195215"},
				{"items.asi_id", string(a.Items[0].ASIID), "30955105"},
				{"items.price", a.Items[0].Price.String(), "594"},
				{"items.amount", a.Items[0].Amount.String(), "594"},
				{"items.qty", a.Items[0].Qty.String(), "1"},
				{"items.r_qty", a.Items[0].RQty.String(), "1"},
				{"items.defective_qty", a.Items[0].DefectiveQty.String(), "1"},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("ParseAfterSale(%s).%s = %q, want %q", name, c.field, c.got, c.want)
				}
			}
			if !a.Ts.Valid || a.Ts.Value != 4933993380 {
				t.Errorf("ParseAfterSale(%s).ts = %+v, want 4933993380", name, a.Ts)
			}
			want := time.Date(2023, 1, 9, 21, 4, 36, 0, Beijing)
			if !a.Modified.Equal(want) {
				t.Errorf("ParseAfterSale(%s).modified = %v, want %v", name, a.Modified.Time, want)
			}
		})
	}
}

func TestParseOrder(t *testing.T) {
	o, err := ParseOrder(readDoc(t, "order_sent.json"))
	if err != nil {
		t.Fatalf("ParseOrder(order_sent.json) error: %v", err)
	}
	if o.OID != "12345678" || o.Status != "Sent" || len(o.Items) != 3 {
		t.Fatalf("ParseOrder(order_sent.json) = o_id %q status %q %d items, "+
			"want 12345678 Sent 3", o.OID, o.Status, len(o.Items))
	}
	checks := []struct{ field, got, want string }{
		{"pay_amount", o.PayAmount.String(), "371.5"},
		{"freight", o.Freight.String(), "10"},
		{"free_amount", o.FreeAmount.String(), ""},
		{"wms_co_id", string(o.WmsCoID), "11322398"},
		{"items[1].oi_id", string(o.Items[1].OIID), "90000002"},
		{"items[1].price", o.Items[1].Price.String(), "81.5"},
		{"items[0].qty", o.Items[0].Qty.String(), "2"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("ParseOrder(order_sent.json).%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if o.Items[0].IsGift || o.Items[1].IsGift || !o.Items[2].IsGift {
		t.Errorf("ParseOrder(order_sent.json) is_gift = %v %v %v, want false false true",
			o.Items[0].IsGift, o.Items[1].IsGift, o.Items[2].IsGift)
	}
	if o.FreeAmount.Valid {
		t.Errorf("ParseOrder(order_sent.json).free_amount valid, want absent")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name      string
		kind      Kind
		raw       string
		id, field string
		value     string
	}{
		{
			name: "bad qty", kind: KindOrder,
			raw: `{"o_id":7,"items":[{"sku_id":"a","qty":"two"}]}`,
			id:  "7", field: "items[0].qty", value: `"two"`,
		},
		{
			name: "bad amount", kind: KindAfterSale,
			raw: `{"as_id":"9","items":[{"amount":"1,5"}]}`,
			id:  "9", field: "items[0].amount", value: `"1,5"`,
		},
		{
			name: "bad time", kind: KindOrder,
			raw: `{"o_id":7,"modified":"2024/05/01"}`,
			id:  "7", field: "modified", value: `"2024/05/01"`,
		},
		{
			name: "items not a list", kind: KindAfterSale,
			raw: `{"as_id":9,"items":"none"}`,
			id:  "9", field: "items", value: `"none"`,
		},
		{
			name: "not json", kind: KindOrder,
			raw: `{"o_id":`,
		},
		{
			name: "not an object", kind: KindAfterSale,
			raw: `[1,2]`, value: "array",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.kind == KindOrder {
				_, err = ParseOrder([]byte(tt.raw))
			} else {
				_, err = ParseAfterSale([]byte(tt.raw))
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Parse(%s) error = %v, want *FieldError", tt.raw, err)
			}
			if fe.Kind != tt.kind || fe.ID != tt.id || fe.Field != tt.field ||
				fe.Value != tt.value {
				t.Errorf("Parse(%s) error = %+v, want kind %s id %q field %q value %q",
					tt.raw, fe, tt.kind, tt.id, tt.field, tt.value)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "jst: "+string(tt.kind)) ||
				!strings.Contains(msg, tt.field) || !strings.Contains(msg, tt.value) {
				t.Errorf("Parse(%s) error text = %q, want kind, field and value", tt.raw, msg)
			}
		})
	}
}

// TestParseOrderSkipsBuyerFields makes sure buyer data never reaches a
// decoded document, so nothing downstream can print it by accident.
func TestParseOrderSkipsBuyerFields(t *testing.T) {
	o, err := ParseOrder(readDoc(t, "order_sent.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"do not log me", "do-not-log-me", "13800000000"} {
		if dump := strings.Join(flatten(o), "|"); strings.Contains(dump, s) {
			t.Errorf("ParseOrder kept buyer value %q", s)
		}
	}
}

func flatten(o *Order) []string {
	out := []string{string(o.OID), string(o.SoID), string(o.ShopName), string(o.LID)}
	for _, it := range o.Items {
		out = append(out, string(it.Name), string(it.PropertiesValue))
	}
	return out
}

// TestParseMatchesEncodingJSON checks the reader against encoding/json,
// which decodes the same structs through their tags and the loose types.
func TestParseMatchesEncodingJSON(t *testing.T) {
	for _, name := range []string{"order_sent.json", "everything_order.json"} {
		raw := readDoc(t, name)
		got, err := ParseOrder(raw)
		if err != nil {
			t.Fatalf("ParseOrder(%s) error: %v", name, err)
		}
		var want Order
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("json.Unmarshal(%s) error: %v", name, err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("ParseOrder(%s) = %+v, want %+v", name, *got, want)
		}
	}
	for _, name := range []string{
		"aftersale_seed.json", "aftersale_numbers.json", "everything_aftersale.json",
	} {
		raw := readDoc(t, name)
		got, err := ParseAfterSale(raw)
		if err != nil {
			t.Fatalf("ParseAfterSale(%s) error: %v", name, err)
		}
		var want AfterSale
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("json.Unmarshal(%s) error: %v", name, err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("ParseAfterSale(%s) = %+v, want %+v", name, *got, want)
		}
	}
}

// TestParseReadsEveryField checks that the reader fills every tagged field:
// the "everything" fixtures set each one.
func TestParseReadsEveryField(t *testing.T) {
	o, err := ParseOrder(readDoc(t, "everything_order.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAfterSale(readDoc(t, "everything_aftersale.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{*o, o.Items[1], *a, a.Items[0]} {
		rv := reflect.ValueOf(v)
		for i := range rv.NumField() {
			if rv.Field(i).IsZero() {
				t.Errorf("Parse left %s.%s zero, want it read",
					rv.Type().Name(), rv.Type().Field(i).Name)
			}
		}
	}
}

func TestParseMalformed(t *testing.T) {
	for _, raw := range []string{
		``, `{`, `{"o_id":1,}`, `{"o_id":1}x`, `{"o_id" 1}`, `{"o_id":01}`,
		`{"a":[1,]}`, `{"a":"\x"}`, `{"a":"` + "\x01" + `"}`, `{"a":tru}`,
		`{"a":{"b":1]}`, `{"a":-}`, `{"a":1.}`, `{"a":1e}`, `{'a':1}`,
		"{\"a\":\"\x01\"}",
	} {
		_, err := ParseOrder([]byte(raw))
		if !errors.Is(err, errSyntax) {
			t.Errorf("ParseOrder(%q) error = %v, want malformed JSON", raw, err)
		}
		if json.Valid([]byte(raw)) {
			t.Errorf("json.Valid(%q) = true; the test case is wrong", raw)
		}
	}
}

// fuzzDecode checks a decoder against encoding/json: it must never accept
// what is not JSON, nor reject what encoding/json decodes into the same
// struct.
func fuzzDecode[T any](t *testing.T, raw []byte, parse func([]byte) (*T, error)) {
	got, err := parse(raw)
	if err == nil && !json.Valid(raw) {
		t.Fatalf("Parse(%q) accepted malformed JSON", raw)
	}
	var ref T
	if err != nil && json.Unmarshal(raw, &ref) == nil {
		t.Fatalf("Parse(%q) error = %v, want what encoding/json accepts", raw, err)
	}
	if err != nil {
		_ = err.Error()
		return
	}
	if got == nil {
		t.Fatalf("Parse(%q) = nil, nil", raw)
	}
}

func FuzzParseOrder(f *testing.F) {
	f.Add(readDoc(f, "order_sent.json"))
	f.Add(readDoc(f, "everything_order.json"))
	f.Add([]byte(`{"o_id":"1","items":[{"qty":"1e40","price":1}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fuzzDecode(t, raw, ParseOrder)
		if o, err := ParseOrder(raw); err == nil {
			for _, it := range o.Items {
				_ = it.Qty.String() + it.Price.String() + it.Amount.String()
			}
			fromDoc, errDoc := o.Meta()
			fromRaw, errRaw := ParseMeta(KindOrder, raw)
			if (errDoc == nil) != (errRaw == nil) || fromDoc != fromRaw {
				t.Fatalf("Order.Meta() = %+v, %v; ParseMeta = %+v, %v; want equal",
					fromDoc, errDoc, fromRaw, errRaw)
			}
		}
	})
}

func FuzzParseAfterSale(f *testing.F) {
	f.Add(readDoc(f, "aftersale_seed.json"))
	f.Add(readDoc(f, "aftersale_numbers.json"))
	f.Add(readDoc(f, "everything_aftersale.json"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fuzzDecode(t, raw, ParseAfterSale)
		if a, err := ParseAfterSale(raw); err == nil {
			for _, it := range a.Items {
				_ = it.RQty.String() + it.Price.String() + it.Amount.String()
			}
			_, _ = a.Meta()
		}
	})
}
