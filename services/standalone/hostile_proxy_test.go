package standalone_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// field is one key of a JST document with its raw JSON value.
type field struct {
	key string
	raw []byte
}

// docFields splits a well-formed JSON object into its fields, in order.
func docFields(t *testing.T, raw []byte) []field {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("document is not an object: %.60s", raw)
	}
	var out []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("document key: %v", err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("document value: %v", err)
		}
		out = append(out, field{key: tok.(string), raw: v})
	}
	return out
}

// joinFields writes fields as a JSON object without checking the values,
// which may be anything the test wants JST to send.
func joinFields(fields []field) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:", f.key)
		b.Write(f.raw)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// setField replaces the value of key, or adds key at the end.
func setField(fields []field, key string, raw []byte) []field {
	for i := range fields {
		if fields[i].key == key {
			fields[i].raw = raw
			return fields
		}
	}
	return append(fields, field{key: key, raw: raw})
}

// rewriteItem0 applies edit to the fields of the first entry of items.
func rewriteItem0(t *testing.T, fields []field, edit func([]field) []field) []field {
	t.Helper()
	for i := range fields {
		if fields[i].key != "items" {
			continue
		}
		var items []json.RawMessage
		if err := json.Unmarshal(fields[i].raw, &items); err != nil || len(items) == 0 {
			t.Fatalf("items of the document: %v", err)
		}
		first := joinFields(edit(docFields(t, items[0])))
		parts := [][]byte{first}
		for _, it := range items[1:] {
			parts = append(parts, it)
		}
		fields[i].raw = append(append([]byte{'['}, bytes.Join(parts, []byte{','})...), ']')
		return fields
	}
	t.Fatal("document has no items")
	return nil
}

// jstProxy stands in front of jstsim and rewrites its query answers: the
// documents named in rewrite are replaced by their hostile versions every
// time JST serves them, the page holding cloneAfter gets clones appended,
// and the requests numbered in badBodies get a body that is not JSON
// instead of an answer.
type jstProxy struct {
	t        *testing.T
	target   string
	rewrite  map[string][]byte // doc key -> hostile raw document
	cloneAt  string            // doc key whose page gets the clones
	clones   [][]byte
	badBody  map[int][]byte // query number (from 1) -> body served instead
	mu       sync.Mutex
	queries  int
	served   map[string]bool // doc keys served, hostile and clones included
	clonesIn int             // pages the clones were appended to
}

func (p *jstProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	kind := jst.Kind("")
	switch r.URL.Path {
	case jst.PathOrders:
		kind = jst.KindOrder
	case jst.PathAfterSales:
		kind = jst.KindAfterSale
	}
	if kind != "" {
		p.mu.Lock()
		p.queries++
		bad, ok := p.badBody[p.queries]
		p.mu.Unlock()
		if ok {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write(bad)
			return
		}
	}

	resp, err := forward(r, p.target, body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if kind != "" && resp.StatusCode == http.StatusOK {
		answer = p.rewritePage(kind, answer)
	}
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(answer)
}

// rewritePage swaps hostile documents into a query answer and writes the
// answer again by hand, since encoding/json refuses what it must carry.
func (p *jstProxy) rewritePage(kind jst.Kind, answer []byte) []byte {
	var env map[string]json.RawMessage
	if json.Unmarshal(answer, &env) != nil || string(env["code"]) != "0" {
		return answer
	}
	var data map[string]json.RawMessage
	if json.Unmarshal(env["data"], &data) != nil {
		return answer
	}
	listKey := "orders"
	if kind == jst.KindAfterSale {
		listKey = "datas"
	}
	var docs []json.RawMessage
	_ = json.Unmarshal(data[listKey], &docs)

	out := make([][]byte, 0, len(docs))
	p.mu.Lock()
	for _, d := range docs {
		meta, err := jst.ParseMeta(kind, d)
		if err != nil {
			p.t.Errorf("jstsim served a document the proxy cannot read: %v", err)
			continue
		}
		p.served[meta.Key()] = true
		if h, ok := p.rewrite[meta.Key()]; ok {
			out = append(out, h)
			continue
		}
		out = append(out, d)
		if meta.Key() == p.cloneAt {
			out = append(out, p.clones...)
			p.clonesIn++
		}
	}
	p.mu.Unlock()

	keys := make([]string, 0, len(data))
	for k := range data {
		if k != listKey {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"code":0,"msg":%s,"data":{`, env["msg"])
	for _, k := range keys {
		fmt.Fprintf(&b, "%q:%s,", k, data[k])
	}
	fmt.Fprintf(&b, "%q:[", listKey)
	b.Write(bytes.Join(out, []byte{','}))
	b.WriteString("]}}")
	return b.Bytes()
}

// kingdeeAnswer is how the Kingdee proxy answers one call.
type kingdeeAnswer struct {
	forward bool   // send the call on to kingdeesim first (it may commit)
	body    string // "html", "empty" or "huge"
}

// kingdeeProxy stands in front of kingdeesim and answers the calls of
// script (method -> call number from 1 -> answer) with a body that is not
// a Kingdee answer, after or without passing the call on.
type kingdeeProxy struct {
	target  string
	script  map[string]map[int]kingdeeAnswer
	mu      sync.Mutex
	calls   map[string]int
	spoiled []string // "BatchSave#2 forwarded html", in order
}

// hugeAnswer is the size of the oversized Kingdee answer: over the
// client's 64 MiB limit.
const hugeAnswer = 80 << 20

const badGatewayPage = "<html><head><title>502 Bad Gateway</title></head>" +
	"<body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"

func (p *kingdeeProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "Service.")+len("Service."):]
	method = strings.TrimSuffix(method, ".common.kdsvc")
	p.mu.Lock()
	p.calls[method]++
	ans, spoil := p.script[method][p.calls[method]]
	if spoil {
		how := "not forwarded"
		if ans.forward {
			how = "forwarded"
		}
		p.spoiled = append(p.spoiled,
			fmt.Sprintf("%s#%d %s %s", method, p.calls[method], how, ans.body))
	}
	p.mu.Unlock()

	if !spoil || ans.forward {
		resp, err := forward(r, p.target, body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		if !spoil {
			for _, c := range resp.Cookies() {
				http.SetCookie(w, c)
			}
			w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
			w.WriteHeader(resp.StatusCode)
			_, _ = io.Copy(w, resp.Body)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
	}

	switch ans.body {
	case "html":
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, badGatewayPage)
	case "empty":
		w.Header().Set("Content-Type", "application/json")
	case "huge":
		// The start of a success answer that never ends within the limit.
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"Result":{"ResponseStatus":{"IsSuccess":true,"Remark":"`)
		chunk := bytes.Repeat([]byte{'x'}, 1<<20)
		for n := 0; n < hugeAnswer; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `"}}}`)
	}
}

func newProxy(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// forward sends r, with body, to the same path at target.
func forward(r *http.Request, target string, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(),
		bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = r.Header.Clone()
	return http.DefaultClient.Do(req)
}
