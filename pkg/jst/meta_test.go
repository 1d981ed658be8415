package jst

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseMeta(t *testing.T) {
	mod := time.Date(2024, 5, 2, 9, 0, 1, 0, Beijing)
	tests := []struct {
		name    string
		kind    Kind
		raw     string
		want    Meta
		key     string
		msgID   string
		fileRaw string
	}{
		{
			name: "seed after-sale, ts string", kind: KindAfterSale,
			fileRaw: "aftersale_seed.json",
			want: Meta{
				Kind: KindAfterSale, ID: "4404852", Version: 4933993380,
				ShopID:   "13046812",
				Modified: time.Date(2023, 1, 9, 21, 4, 36, 0, Beijing),
			},
			key: "aftersale.4404852", msgID: "aftersale:4404852:4933993380",
		},
		{
			name: "after-sale numbers", kind: KindAfterSale,
			fileRaw: "aftersale_numbers.json",
			want: Meta{
				Kind: KindAfterSale, ID: "4404852", Version: 4933993380,
				ShopID:   "13046812",
				Modified: time.Date(2023, 1, 9, 21, 4, 36, 0, Beijing),
			},
			key: "aftersale.4404852", msgID: "aftersale:4404852:4933993380",
		},
		{
			name: "order", kind: KindOrder, fileRaw: "order_sent.json",
			want: Meta{
				Kind: KindOrder, ID: "12345678", Version: 5000000001,
				ShopID: "13046812", Modified: mod,
			},
			key: "order.12345678", msgID: "order:12345678:5000000001",
		},
		{
			name: "no ts: modified stands in", kind: KindOrder,
			raw: `{"o_id":"5","shop_id":1,"modified":"2024-05-02 09:00:01"}`,
			want: Meta{
				Kind: KindOrder, ID: "5", Version: mod.Unix(), ShopID: "1",
				Modified: mod,
			},
			key: "order.5", msgID: "order:5:1714611601",
		},
		{
			name: "ts zero: modified stands in", kind: KindAfterSale,
			raw: `{"as_id":6,"ts":"0","modified":"2024-05-02 09:00:01"}`,
			want: Meta{
				Kind: KindAfterSale, ID: "6", Version: mod.Unix(), Modified: mod,
			},
			key: "aftersale.6", msgID: "aftersale:6:1714611601",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(tt.raw)
			if tt.fileRaw != "" {
				raw = readDoc(t, tt.fileRaw)
			}
			got, err := ParseMeta(tt.kind, raw)
			if err != nil {
				t.Fatalf("ParseMeta(%s) error: %v", tt.name, err)
			}
			if got.Kind != tt.want.Kind || got.ID != tt.want.ID ||
				got.Version != tt.want.Version || got.ShopID != tt.want.ShopID ||
				!got.Modified.Equal(tt.want.Modified) {
				t.Errorf("ParseMeta(%s) = %+v, want %+v", tt.name, got, tt.want)
			}
			if got.Key() != tt.key || got.MsgID() != tt.msgID {
				t.Errorf("ParseMeta(%s) key, msg id = %q, %q, want %q, %q",
					tt.name, got.Key(), got.MsgID(), tt.key, tt.msgID)
			}
		})
	}
}

func TestParseMetaMatchesDocumentMeta(t *testing.T) {
	raw := readDoc(t, "aftersale_seed.json")
	a, err := ParseAfterSale(raw)
	if err != nil {
		t.Fatal(err)
	}
	fromDoc, err := a.Meta()
	if err != nil {
		t.Fatal(err)
	}
	fromRaw, err := ParseMeta(KindAfterSale, raw)
	if err != nil {
		t.Fatal(err)
	}
	if fromDoc != fromRaw {
		t.Errorf("AfterSale.Meta() = %+v, want ParseMeta's %+v", fromDoc, fromRaw)
	}
}

func TestParseMetaErrors(t *testing.T) {
	tests := []struct {
		name         string
		kind         Kind
		raw          string
		id, field    string
		valueContain string
	}{
		{"missing id", KindOrder, `{"ts":5}`, "", "o_id", ""},
		{"empty id", KindAfterSale, `{"as_id":"","ts":5}`, "", "as_id", ""},
		{"unsafe id", KindOrder, `{"o_id":"1.2","ts":5}`, "", "o_id", `"1.2"`},
		{"id object", KindOrder, `{"o_id":{},"ts":5}`, "", "o_id", "object"},
		{"unsafe shop", KindOrder, `{"o_id":3,"shop_id":"a b","ts":5}`, "3", "shop_id", `"a b"`},
		{"bad ts", KindAfterSale, `{"as_id":3,"ts":"soon"}`, "3", "ts", `"soon"`},
		{"negative ts", KindAfterSale, `{"as_id":3,"ts":-4}`, "3", "ts", "-4"},
		{"no version", KindOrder, `{"o_id":3}`, "3", "ts", ""},
		{"bad modified", KindOrder, `{"o_id":3,"modified":"x"}`, "3", "modified", `"x"`},
		{"not json", KindOrder, `{`, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMeta(tt.kind, []byte(tt.raw))
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("ParseMeta(%s) error = %v, want *FieldError", tt.raw, err)
			}
			if fe.Kind != tt.kind || fe.ID != tt.id || fe.Field != tt.field ||
				!strings.Contains(fe.Value, tt.valueContain) {
				t.Errorf("ParseMeta(%s) error = %+v, want id %q field %q value ~%q",
					tt.raw, fe, tt.id, tt.field, tt.valueContain)
			}
		})
	}

	if _, err := ParseMeta("refund", []byte(`{}`)); err == nil {
		t.Errorf("ParseMeta(refund) error = nil, want unknown kind")
	}
}

func TestSafeToken(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"4404852", true},
		{"AS-1_b", true},
		{"", false},
		{"a.b", false},
		{"a*", false},
		{">", false},
		{"a b", false},
		{"单号", false},
		{strings.Repeat("1", 65), false},
	}
	for _, tt := range tests {
		if got := SafeToken(tt.in); got != tt.want {
			t.Errorf("SafeToken(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func BenchmarkParseMeta(b *testing.B) {
	raw := readDoc(b, "order_sent.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseMeta(KindOrder, raw); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseMeta(f *testing.F) {
	f.Add("order", readDoc(f, "order_sent.json"))
	f.Add("aftersale", readDoc(f, "aftersale_seed.json"))
	f.Add("aftersale", []byte(`{"as_id":"1","ts":"0","modified":""}`))
	f.Fuzz(func(t *testing.T, kind string, raw []byte) {
		m, err := ParseMeta(Kind(kind), raw)
		if err != nil {
			_ = err.Error()
			return
		}
		if !json.Valid(raw) {
			t.Fatalf("ParseMeta(%q) accepted malformed JSON", raw)
		}
		if !SafeToken(m.ID) || m.Version <= 0 {
			t.Errorf("ParseMeta(%q) = %+v, want a safe id and a positive version", raw, m)
		}
		_ = m.Key() + m.MsgID()
	})
}
