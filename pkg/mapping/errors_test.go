package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

func TestMapErrors(t *testing.T) {
	const head = `"shop_id":"13046812","status":"Sent","ts":1`
	strict := testRules()
	strict.StrictSKUs = true
	tests := []struct {
		name   string
		rules  Rules
		kind   jst.Kind
		raw    string
		key    string
		field  string
		value  string
		reason string
	}{
		{
			name: "not json", kind: jst.KindOrder, raw: `{"o_id":`,
			key: "order", reason: ReasonInvalidDocument,
		},
		{
			name: "not an object", kind: jst.KindAfterSale, raw: `"x"`,
			key: "aftersale", reason: ReasonInvalidDocument, value: `"x"`,
		},
		{
			name: "missing id", kind: jst.KindOrder, raw: `{` + head + `}`,
			key: "order", field: "o_id", reason: ReasonMissingField,
		},
		{
			name: "unsafe id", kind: jst.KindOrder, raw: `{"o_id":"a.b",` + head + `}`,
			key: "order", field: "o_id", value: `"a.b"`, reason: ReasonInvalidField,
		},
		{
			name: "no version", kind: jst.KindAfterSale, raw: `{"as_id":9}`,
			key: "aftersale.9", field: "ts", reason: ReasonMissingField,
		},
		{
			name: "non-numeric qty", kind: jst.KindOrder,
			raw: `{"o_id":1,` + head + `,"items":[{"sku_id":"A","qty":"two","price":1}]}`,
			key: "order.1", field: "items[0].qty", value: `"two"`, reason: ReasonInvalidField,
		},
		{
			name: "amount not a number", kind: jst.KindAfterSale,
			raw: `{"as_id":2,"items":[{"amount":"¥5"}]}`,
			key: "aftersale.2", field: "items[0].amount", value: `"¥5"`,
			reason: ReasonInvalidField,
		},
		{
			name: "negative qty", kind: jst.KindOrder,
			raw: `{"o_id":1,` + head + `,"items":[{"sku_id":"A","qty":"-1","price":1}]}`,
			key: "order.1", field: "items[0].qty", value: "-1", reason: ReasonInvalidField,
		},
		{
			name: "negative r_qty", kind: jst.KindAfterSale,
			raw: `{"as_id":2,"shop_id":"13046812","ts":1,"type":"普通退货",
				"status":"Confirmed","good_status":"SELLER_RECEIVED",
				"items":[{"sku_id":"A","qty":1,"r_qty":-1,"price":1}]}`,
			key: "aftersale.2", field: "items[0].r_qty", value: "-1",
			reason: ReasonInvalidField,
		},
		{
			name: "negative price", kind: jst.KindOrder,
			raw: `{"o_id":1,` + head + `,"items":[{"sku_id":"A","qty":1,"price":-2}]}`,
			key: "order.1", field: "items[0].price", value: "-2", reason: ReasonInvalidField,
		},
		{
			name: "missing price", kind: jst.KindOrder,
			raw: `{"o_id":1,` + head + `,"items":[{"sku_id":"A","qty":1,"price":""}]}`,
			key: "order.1", field: "items[0].price", reason: ReasonMissingField,
		},
		{
			name: "missing qty", kind: jst.KindOrder,
			raw: `{"o_id":1,` + head + `,"items":[{"sku_id":"A","price":1}]}`,
			key: "order.1", field: "items[0].qty", reason: ReasonMissingField,
		},
		{
			name: "line with no sku", kind: jst.KindOrder,
			raw: `{"o_id":1,` + head + `,"items":[
				{"sku_id":"A","qty":1,"price":1},{"sku_id":"","qty":1,"price":1}]}`,
			key: "order.1", field: "items[1].sku_id", reason: ReasonMissingField,
		},
		{
			name: "unknown shop", kind: jst.KindOrder,
			raw: `{"o_id":1,"shop_id":77,"status":"Sent","ts":1}`,
			key: "order.1", field: "shop_id", value: `"77"`, reason: ReasonUnknownShop,
		},
		{
			name: "no shop", kind: jst.KindOrder,
			raw: `{"o_id":1,"status":"Sent","ts":1}`,
			key: "order.1", field: "shop_id", reason: ReasonMissingField,
		},
		{
			name: "unknown sku, strict", rules: strict, kind: jst.KindOrder,
			raw: `{"o_id":1,` + head + `,"items":[{"sku_id":"NOPE","qty":1,"price":1}]}`,
			key: "order.1", field: "items[0].sku_id", value: `"NOPE"`,
			reason: ReasonUnknownSKU,
		},
		{
			name: "order without lines", kind: jst.KindOrder,
			raw: `{"o_id":1,` + head + `,"items":[]}`,
			key: "order.1", field: "items", reason: ReasonNoLines,
		},
		{
			name: "return with nothing received", kind: jst.KindAfterSale,
			raw: `{"as_id":2,"shop_id":"13046812","ts":1,"type":"拒收退货",
				"status":"Confirmed","good_status":"SELLER_RECEIVED",
				"items":[{"sku_id":"A","qty":1,"r_qty":0,"price":1}]}`,
			key: "aftersale.2", field: "items.r_qty", reason: ReasonNoLines,
		},
		{
			name: "unknown kind", kind: "invoice", raw: `{}`,
			key: "invoice", field: "kind", value: `"invoice"`, reason: ReasonUnknownKind,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rules
			if r.Version == "" {
				r = testRules()
			}
			_, err := newMapper(t, r).Map(tt.kind, []byte(tt.raw), Source{})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Map(%s) error = %v, want *Error", tt.raw, err)
			}
			if e.Key != tt.key || e.Field != tt.field || e.Value != tt.value ||
				e.Reason != tt.reason {
				t.Errorf("Map(%s) error = %+v, want key %q field %q value %q reason %q",
					tt.raw, e, tt.key, tt.field, tt.value, tt.reason)
			}
			msg := err.Error()
			for _, part := range []string{tt.key, tt.field, tt.value, tt.reason} {
				if !strings.Contains(msg, part) {
					t.Errorf("Map(%s) error text %q does not name %q", tt.raw, msg, part)
				}
			}
		})
	}
}
