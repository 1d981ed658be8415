package jstsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// defaultPageSize is the page size when biz gives none.
const defaultPageSize = 30

// maxSOIDs is the most so_ids one query may name.
const maxSOIDs = 20

// bizQuery is a parsed biz parameter of a query.
type bizQuery struct {
	begin, end time.Time // zero: no window
	pageIndex  int
	pageSize   int
	shopID     string
	startTS    int64
	oIDs       map[string]bool
	soIDs      map[string]bool
	status     string
	getTotal   bool
}

// pageData is the data object of a query answer.
type pageData struct {
	PageIndex int                `json:"page_index"`
	PageSize  int                `json:"page_size"`
	DataCount int                `json:"data_count"`
	PageCount int                `json:"page_count"`
	HasNext   bool               `json:"has_next"`
	Orders    *[]json.RawMessage `json:"orders,omitempty"`
	Datas     *[]json.RawMessage `json:"datas,omitempty"`
}

// head returns p without its documents.
func (p pageData) head() pageData {
	p.Orders, p.Datas = nil, nil
	return p
}

// appendJSON appends to b the JSON object of head (p.head(), or a value
// embedding it), closed by p's documents as stored. The documents are
// compact JSON already, rendered once when they change: encoding/json
// would check and compact every one of them again for every page.
func (p pageData) appendJSON(b []byte, head any) []byte {
	docs, field := p.Orders, "orders"
	if docs == nil {
		docs, field = p.Datas, "datas"
	}
	h, err := json.Marshal(head)
	if err != nil || len(h) < 2 {
		panic(fmt.Sprintf("jstsim: encode page head: %v", err))
	}
	b = append(b, h[:len(h)-1]...)
	if len(h) > 2 {
		b = append(b, ',')
	}
	b = append(b, `"`+field+`":[`...)
	if docs != nil {
		for i, d := range *docs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, d...)
		}
	}
	return append(b, "]}"...)
}

func (s *Sim) queryHandler(kind jst.Kind) handler {
	return func(form url.Values, now time.Time) reply {
		if rep := s.takeInjected(); rep.code != 0 {
			return rep
		}
		if rep := s.authorize(form, now, true); rep.code != 0 {
			return rep
		}
		q, err := parseBiz(form.Get("biz"), jst.MaxPageSize(kind))
		if err != nil {
			return fail(CodeBadParam, "参数错误: "+err.Error())
		}
		return reply{msg: "执行成功", data: s.page(kind, q, now)}
	}
}

// page selects, sorts and cuts the documents q asks for, after any churn.
// It runs with s.mu held.
func (s *Sim) page(kind jst.Kind, q bizQuery, now time.Time) pageData {
	hits := s.st.matches(kind, q)
	if s.churnDue(q) && s.churnPages(hits, q, now.In(jst.Beijing)) {
		hits = s.st.matches(kind, q)
	}

	docs := []json.RawMessage{}
	from := (q.pageIndex - 1) * q.pageSize
	for i := from; i < len(hits) && i < from+q.pageSize; i++ {
		docs = append(docs, json.RawMessage(hits[i].raw))
	}
	p := pageData{
		PageIndex: q.pageIndex,
		PageSize:  q.pageSize,
		HasNext:   from+q.pageSize < len(hits),
	}
	if q.getTotal {
		p.DataCount = len(hits)
		p.PageCount = (len(hits) + q.pageSize - 1) / q.pageSize
	}
	if kind == jst.KindOrder {
		p.Orders = &docs
	} else {
		p.Datas = &docs
	}
	return p
}

func (q bizQuery) match(d *doc) bool {
	switch {
	case !q.begin.IsZero() && (d.modified.Before(q.begin) || d.modified.After(q.end)):
		return false
	case q.shopID != "" && d.shopID != q.shopID:
		return false
	case d.ts < q.startTS:
		return false
	case q.oIDs != nil && !q.oIDs[strconv.FormatInt(d.oid, 10)]:
		return false
	case q.soIDs != nil && !q.soIDs[d.soID]:
		return false
	case q.status != "" && d.status != q.status:
		return false
	}
	return true
}

// parseBiz reads and checks the biz JSON of a query. Numbers may be sent as
// strings. The error text is the message JST would give.
func parseBiz(biz string, maxPage int) (bizQuery, error) {
	var f map[string]json.RawMessage
	if strings.TrimSpace(biz) == "" {
		f = map[string]json.RawMessage{}
	} else if err := json.Unmarshal([]byte(biz), &f); err != nil || f == nil {
		return bizQuery{}, fmt.Errorf("biz不是有效的JSON对象")
	}
	return parseBizFields(f, maxPage)
}

// parseBizFields reads and checks the business parameters of a query,
// each a raw JSON value.
func parseBizFields(f map[string]json.RawMessage, maxPage int) (bizQuery, error) {
	q := bizQuery{pageIndex: 1, pageSize: defaultPageSize, getTotal: true}
	var err error
	if err = bizInt(f, "page_index", &q.pageIndex); err == nil {
		err = bizInt(f, "page_size", &q.pageSize)
	}
	if err != nil {
		return q, err
	}
	if q.pageIndex < 1 {
		return q, fmt.Errorf("page_index必须从1开始")
	}
	if q.pageSize < 1 || q.pageSize > maxPage {
		return q, fmt.Errorf("page_size必须在1到%d之间", maxPage)
	}

	if err := q.parseWindow(f); err != nil {
		return q, err
	}
	if err := q.parseFilters(f); err != nil {
		return q, err
	}
	if q.begin.IsZero() && q.startTS == 0 && q.oIDs == nil && q.soIDs == nil {
		return q, fmt.Errorf("modified_begin/modified_end, start_ts, o_ids, so_ids不能同时为空")
	}
	return q, nil
}

func (q *bizQuery) parseWindow(f map[string]json.RawMessage) error {
	b, _ := scalarText(f["modified_begin"])
	e, _ := scalarText(f["modified_end"])
	if (b == "") != (e == "") {
		return fmt.Errorf("modified_begin和modified_end必须同时存在")
	}
	if b == "" {
		return nil
	}

	begin, err := jst.ParseTime(b)
	if err != nil {
		return fmt.Errorf("modified_begin格式错误")
	}
	end, err := jst.ParseTime(e)
	if err != nil {
		return fmt.Errorf("modified_end格式错误")
	}
	if begin.After(end) {
		return fmt.Errorf("modified_begin不能晚于modified_end")
	}
	if end.Sub(begin) > jst.MaxWindow {
		return fmt.Errorf("modified_begin和modified_end间隔不能超过七天")
	}
	q.begin, q.end = begin, end
	return nil
}

func (q *bizQuery) parseFilters(f map[string]json.RawMessage) error {
	q.shopID, _ = scalarText(f["shop_id"])
	q.status, _ = scalarText(f["status"])
	if err := bizInt64(f, "start_ts", &q.startTS); err != nil {
		return err
	}
	if s, ok := scalarText(f["is_get_total"]); ok {
		v, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("is_get_total格式错误")
		}
		q.getTotal = v
	}

	var err error
	if q.oIDs, err = bizList(f, "o_ids"); err != nil {
		return err
	}
	if q.soIDs, err = bizList(f, "so_ids"); err != nil {
		return err
	}
	if len(q.soIDs) > maxSOIDs {
		return fmt.Errorf("so_ids不能超过%d个", maxSOIDs)
	}
	return nil
}

func bizInt(f map[string]json.RawMessage, key string, dst *int) error {
	var n int64 = int64(*dst)
	if err := bizInt64(f, key, &n); err != nil {
		return err
	}
	*dst = int(n)
	return nil
}

func bizInt64(f map[string]json.RawMessage, key string, dst *int64) error {
	s, ok := scalarText(f[key])
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%s必须为整数", key)
	}
	*dst = n
	return nil
}

// bizList reads a list of ids given as a JSON array of numbers or strings,
// or as one comma-separated string. It returns nil when key is absent or
// empty.
func bizList(f map[string]json.RawMessage, key string) (map[string]bool, error) {
	raw := bytes.TrimSpace(f[key])
	var items []string
	if len(raw) > 0 && raw[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("%s格式错误", key)
		}
		for _, r := range list {
			s, ok := scalarText(r)
			if !ok {
				return nil, fmt.Errorf("%s格式错误", key)
			}
			items = append(items, s)
		}
	} else if s, ok := scalarText(raw); ok {
		items = strings.Split(s, ",")
	}

	var set map[string]bool
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			if set == nil {
				set = map[string]bool{}
			}
			set[it] = true
		}
	}
	return set, nil
}

// scalarText returns a JSON string's text or a number's digits. It reports
// false for an absent value, null, an empty string or an object or array.
func scalarText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || raw[0] == '{' || raw[0] == '[' {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		s = strings.TrimSpace(s)
		return s, s != ""
	}
	return string(raw), true
}
