package jst

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// pageBody is a code-0 orders answer listing docs.
func pageBody(docs ...[]byte) []byte {
	var b bytes.Buffer
	b.WriteString(`{"code":0,"msg":"执行成功","data":{"page_index":1,"page_size":100,` +
		`"has_next":false,"orders":[`)
	b.Write(bytes.Join(docs, []byte{','}))
	b.WriteString("]}}")
	return b.Bytes()
}

// compactOrder is the order_sent fixture on one line with o_id id.
func compactOrder(t *testing.T, id int) []byte {
	t.Helper()
	var b bytes.Buffer
	doc := readFixture(t, "docs/order_sent.json")
	if err := json.Compact(&b, doc); err != nil {
		t.Fatal(err)
	}
	return bytes.Replace(b.Bytes(), []byte(`"o_id":12345678`),
		[]byte(`"o_id":`+strconv.Itoa(id)), 1)
}

func TestQueryHugePage(t *testing.T) {
	small := []byte(`{"o_id":1,"ts":7,"shop_id":"13046812","modified":"2024-05-02 09:00:01",` +
		`"status":"Sent","items":[{"sku_id":"SKU-1","qty":"2","price":"9.90"}]}`)
	big := compactOrder(t, 1) // 1.4 KB, the size of a real order
	tests := []struct {
		name    string
		doc     []byte
		rows    int
		wantErr bool
	}{
		{"50,000 rows under the body limit", small, 50_000, false},
		{"50,000 rows over the body limit", big, 50_000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := make([][]byte, tt.rows)
			for i := range docs {
				docs[i] = bytes.Replace(tt.doc, []byte(`"o_id":1,`),
					[]byte(`"o_id":`+strconv.Itoa(i+1)+`,`), 1)
			}
			body := pageBody(docs...)
			f, c := newFake(t, "orders_strings.json")
			f.set(0, body)
			pg, err := c.Query(context.Background(), KindOrder, Query{StartTS: 1})
			if tt.wantErr {
				// Never a page cut short: an error the poller retries.
				if !errors.Is(err, ErrMalformed) ||
					!strings.Contains(err.Error(), "over the 64 MiB limit") ||
					!strings.Contains(err.Error(), PathOrders) {
					t.Fatalf("Query(%d bytes) error = %v, want ErrMalformed naming the "+
						"endpoint and the limit", len(body), err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Query(%d rows, %d bytes) error = %v", tt.rows, len(body), err)
			}
			if len(pg.Docs) != tt.rows {
				t.Fatalf("Query = %d docs, want %d", len(pg.Docs), tt.rows)
			}
			for _, i := range []int{0, tt.rows / 2, tt.rows - 1} {
				if !bytes.Equal(pg.Docs[i], docs[i]) {
					t.Errorf("doc %d = %.80s, want the bytes served", i, pg.Docs[i])
				}
			}
		})
	}
}

func TestQueryPageWithHostileDocuments(t *testing.T) {
	deep := []byte(`{"o_id":2,"ts":5,"extra":` + strings.Repeat("[", 100_000) +
		strings.Repeat("]", 100_000) + `}`)
	badUTF8 := bytes.Replace(compactOrder(t, 3), []byte(`"so_id":"3401234567890123456"`),
		[]byte("\"so_id\":\"34\xff\xfe01\""), 1)
	body := pageBody(compactOrder(t, 1), deep, badUTF8, compactOrder(t, 4))

	f, c := newFake(t, "orders_strings.json")
	f.set(0, body)
	pg, err := c.Query(context.Background(), KindOrder, Query{StartTS: 1})
	if err != nil {
		t.Fatalf("Query(page with a document 100,000 levels deep) error = %v, "+
			"want the page, whose other documents are fine", err)
	}
	if len(pg.Docs) != 4 || !bytes.Equal(pg.Docs[1], deep) || !bytes.Equal(pg.Docs[2], badUTF8) {
		t.Fatalf("Query = %d docs, want 4 kept byte for byte", len(pg.Docs))
	}

	// The deep one fails alone, naming its id and field.
	_, err = ParseMeta(KindOrder, pg.Docs[1])
	var fe *FieldError
	if !errors.As(err, &fe) || fe.ID != "2" || fe.Field != "extra" ||
		!strings.Contains(err.Error(), "nested too deep") {
		t.Errorf("ParseMeta(deep) error = %v, want a FieldError for order 2, field extra, "+
			"nested too deep", err)
	}
	for _, i := range []int{0, 2, 3} {
		if _, err := ParseMeta(KindOrder, pg.Docs[i]); err != nil {
			t.Errorf("ParseMeta(doc %d) error = %v", i, err)
		}
	}

	// Invalid UTF-8 is repaired to U+FFFD, the same way every time.
	o, err := ParseOrder(pg.Docs[2])
	if err != nil {
		t.Fatalf("ParseOrder(invalid UTF-8) error = %v", err)
	}
	if got, want := string(o.SoID), "34\uFFFD\uFFFD01"; got != want || !utf8.ValidString(got) {
		t.Errorf("ParseOrder(invalid UTF-8).SoID = %q, want %q", got, want)
	}
}

func TestQueryBodiesThatAreNotPages(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "malformed response"},
		{"html with status 200", "<html><body>502 Bad Gateway</body></html>", "malformed response"},
		{"cut short", `{"code":0,"data":{"orders":[{"o_id":1`, "malformed response"},
		{"unclosed nesting", `{"code":0,"data":{"orders":[` + strings.Repeat("[", 100_000),
			"malformed response"},
		{"orders not a list", `{"code":0,"data":{"orders":"none"}}`, `"none": want a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFake(t, "orders_strings.json")
			f.set(0, []byte(tt.body))
			_, err := c.Query(context.Background(), KindOrder, Query{StartTS: 1})
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.want) ||
				!strings.HasPrefix(err.Error(), "jst: "+PathOrders) {
				t.Errorf("Query(%.40q) error = %v, want ErrMalformed naming the endpoint "+
					"and saying %q", tt.body, err, tt.want)
			}
		})
	}
}
