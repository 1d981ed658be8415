package jst

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParsePageTolerance(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		wantIndex int
		wantCount int
		wantNext  bool
		wantDocs  int
	}{
		{"numbers", `{"page_index":1,"page_count":2,"has_next":true,"datas":[{}]}`,
			1, 2, true, 1},
		{"strings", `{"page_index":"3","page_count":"3","has_next":"false","datas":[]}`,
			3, 3, false, 0},
		{"spaces in strings", `{"page_index":" 2 ","page_count":"","has_next":"TRUE"}`,
			2, 0, true, 0},
		{"null fields", `{"page_index":null,"page_count":null,"has_next":null,"datas":null}`,
			0, 0, false, 0},
		{"next from count", `{"page_index":1,"page_count":2}`, 1, 2, true, 0},
		{"last from count", `{"page_index":2,"page_count":2,"datas":[{},{}]}`, 2, 2, false, 2},
		{"numeric has_next", `{"has_next":1}`, 0, 0, true, 0},
		{"empty data", `{}`, 0, 0, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parsePage(json.RawMessage(tt.data), "datas")
			if err != nil {
				t.Fatalf("parsePage(%s) error = %v", tt.data, err)
			}
			if p.PageIndex != tt.wantIndex || p.PageCount != tt.wantCount ||
				p.HasNext != tt.wantNext || len(p.Docs) != tt.wantDocs {
				t.Errorf("parsePage(%s) = index %d count %d next %v docs %d, "+
					"want %d %d %v %d", tt.data, p.PageIndex, p.PageCount, p.HasNext,
					len(p.Docs), tt.wantIndex, tt.wantCount, tt.wantNext, tt.wantDocs)
			}
		})
	}
}

func TestParsePageMalformed(t *testing.T) {
	tests := []string{
		`[]`,
		`"text"`,
		`{"page_index":"one"}`,
		`{"page_index":1.5}`,
		`{"has_next":"maybe"}`,
		`{"datas":{"as_id":1}}`,
		`{"page_count":{}}`,
	}
	for _, data := range tests {
		t.Run(data, func(t *testing.T) {
			_, err := parsePage(json.RawMessage(data), "datas")
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("parsePage(%s) error = %v, want ErrMalformed", data, err)
			}
		})
	}
}

func TestDecodeEnvelope(t *testing.T) {
	tests := []struct {
		body     string
		wantCode int
		wantErr  bool
	}{
		{`{"code":0,"msg":"ok","data":{}}`, 0, false},
		{`{"code":"199","msg":"too fast"}`, 199, false},
		{`{"msg":"no code"}`, 0, true},
		{`{"code":"x"}`, 0, true},
		{`{"code":0,`, 0, true},
		{``, 0, true},
	}
	for _, tt := range tests {
		code, _, _, err := decodeEnvelope([]byte(tt.body))
		if (err != nil) != tt.wantErr || code != tt.wantCode {
			t.Errorf("decodeEnvelope(%s) = %d, %v, want %d, error %v",
				tt.body, code, err, tt.wantCode, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Errorf("decodeEnvelope(%s) error = %v, want ErrMalformed", tt.body, err)
		}
	}
}
