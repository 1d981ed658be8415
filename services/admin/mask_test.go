package admin

import "testing"

func TestMaskJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"buyer fields of an order",
			`{"o_id":1,"receiver_name":"张三","receiver_mobile":"13800000000",` +
				`"shop_buyer_id":12345,"buyer_message":"<quick>","shop_id":7}`,
			`{"o_id":1,"receiver_name":"***","receiver_mobile":"***",` +
				`"shop_buyer_id":"***","buyer_message":"***","shop_id":7}`},
		{"any receiver_ field and nested buyer objects",
			`{"receiver_town":"x","items":[{"sku_id":"A","buyer_info":{"nick":"n","age":3}}]}`,
			`{"receiver_town":"***","items":[{"sku_id":"A","buyer_info":{"nick":"***","age":"***"}}]}`},
		{"protojson names", `{"receiverName":"n","buyerId":"b","billNo":"JST-1"}`,
			`{"receiverName":"***","buyerId":"***","billNo":"JST-1"}`},
		{"null stays null", `{"receiver_name":null,"a":[1,true,null]}`,
			`{"receiver_name":null,"a":[1,true,null]}`},
		{"not JSON is left alone", `{"receiver_name":`, `{"receiver_name":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(maskJSON([]byte(tt.in))); got != tt.want {
				t.Errorf("maskJSON(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
