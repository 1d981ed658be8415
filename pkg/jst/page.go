package jst

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Query selects one page of documents. Leave both ends of the window zero
// to query by StartTS (or by JST's defaults) alone.
type Query struct {
	// ShopID limits the query to one shop; empty means every shop.
	ShopID string

	// ModifiedBegin and ModifiedEnd bound the modified times, both ends
	// included. Both or neither must be set; they are sent in Beijing time,
	// to the second, and may be at most MaxWindow apart.
	ModifiedBegin time.Time
	ModifiedEnd   time.Time

	// StartTS, when not 0, asks only for rows whose version (ts) is at
	// least StartTS. JST then skips counting the total.
	StartTS int64

	// PageIndex counts from 1; 0 means 1.
	PageIndex int

	// PageSize is the number of documents a page; 0 means the most the
	// endpoint allows (MaxPageSize).
	PageSize int
}

// biz is the business parameter object of a query. Its field order is the
// order of the keys in the JSON that is signed and sent.
type biz struct {
	ModifiedBegin string     `json:"modified_begin,omitempty"`
	ModifiedEnd   string     `json:"modified_end,omitempty"`
	PageIndex     int        `json:"page_index"`
	PageSize      int        `json:"page_size"`
	ShopID        json.Token `json:"shop_id,omitempty"`
	StartTS       int64      `json:"start_ts,omitempty"`
	IsGetTotal    *bool      `json:"is_get_total,omitempty"`
}

// Query asks JST for one page of documents of kind. Each document in the
// page is its JSON exactly as received.
//
// A query the client refuses to send (unknown kind, half a window, a
// reversed or too-long window, a page size over the cap) returns an error
// wrapping ErrBadQuery. A JST code other than 0 returns an *APIError, a
// non-2xx status an *HTTPError, a body that is not the envelope an error
// wrapping ErrMalformed; transport and limiter errors come back wrapped.
func (c *Client) Query(ctx context.Context, kind Kind, q Query) (*Page, error) {
	ep, ok := endpoints[kind]
	if !ok {
		return nil, fmt.Errorf("jst: query: %w: unknown kind %q", ErrBadQuery, kind)
	}
	b, err := bizFor(q, ep.maxPage)
	if err != nil {
		return nil, fmt.Errorf("jst: %s: %w", ep.path, err)
	}
	bizJSON, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("jst: %s: marshal biz: %w", ep.path, err)
	}

	form := c.baseForm()
	form.Set("access_token", c.accessToken())
	form.Set("version", "2")
	form.Set("biz", string(bizJSON))

	data, err := c.post(ctx, ep.path, form)
	if err != nil {
		return nil, err
	}
	page, err := parsePage(data, ep.listKey)
	if err != nil {
		return nil, fmt.Errorf("jst: %s: %w", ep.path, err)
	}
	return page, nil
}

// bizFor checks q and builds its biz object. An error wraps ErrBadQuery.
func bizFor(q Query, maxPage int) (biz, error) {
	b := biz{PageIndex: q.PageIndex, PageSize: q.PageSize, StartTS: q.StartTS}
	if b.PageIndex == 0 {
		b.PageIndex = 1
	}
	if b.PageSize == 0 {
		b.PageSize = maxPage
	}
	switch {
	case b.PageIndex < 0:
		return b, fmt.Errorf("%w: page index %d", ErrBadQuery, q.PageIndex)
	case b.PageSize < 0 || b.PageSize > maxPage:
		return b, fmt.Errorf("%w: page size %d not in 1..%d",
			ErrBadQuery, q.PageSize, maxPage)
	case q.StartTS < 0:
		return b, fmt.Errorf("%w: start ts %d", ErrBadQuery, q.StartTS)
	}

	begin, end := q.ModifiedBegin, q.ModifiedEnd
	switch {
	case begin.IsZero() != end.IsZero():
		return b, fmt.Errorf("%w: window needs both ends", ErrBadQuery)
	case end.Before(begin):
		return b, fmt.Errorf("%w: window ends before it begins", ErrBadQuery)
	case end.Sub(begin) > MaxWindow:
		return b, fmt.Errorf("%w: window over %s", ErrBadQuery, MaxWindow)
	}
	if !begin.IsZero() {
		b.ModifiedBegin = FormatTime(begin)
		b.ModifiedEnd = FormatTime(end)
	}

	if q.ShopID != "" {
		b.ShopID = shopIDToken(q.ShopID)
	}
	if q.StartTS > 0 {
		no := false
		b.IsGetTotal = &no
	}
	return b, nil
}

// shopIDToken returns id as a JSON number when it is a plain decimal
// integer, as JST's own shop ids are, and as a string otherwise.
func shopIDToken(id string) json.Token {
	if _, err := strconv.ParseUint(id, 10, 63); err == nil && (id == "0" || id[0] != '0') {
		return json.Number(id)
	}
	return id
}

// Page is one page of documents from a query.
type Page struct {
	PageIndex, PageSize, PageCount, DataCount int

	// HasNext reports whether a later page exists. Where JST leaves has_next
	// out, it is derived from the page count or, failing that, from a full
	// page.
	HasNext bool

	// Docs holds each document's JSON exactly as received.
	Docs []json.RawMessage
}

// parsePage reads the data object of a query answer, whose documents are
// listed under listKey. Absent or null data, or an absent list, is an empty
// page. An error wraps ErrMalformed.
func parsePage(data json.RawMessage, listKey string) (*Page, error) {
	p := &Page{}
	if isNull(data) {
		return p, nil
	}

	fields, err := splitObject(data)
	if err != nil {
		return nil, fmt.Errorf("%w: data: %v", ErrMalformed, err)
	}

	ints := []struct {
		key string
		dst *int
	}{
		{"page_index", &p.PageIndex},
		{"page_size", &p.PageSize},
		{"page_count", &p.PageCount},
		{"data_count", &p.DataCount},
	}
	for _, f := range ints {
		n, _, err := pageInt(fields[f.key])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrMalformed, f.key, err)
		}
		*f.dst = n
	}

	if list := fields[listKey]; !isNull(list) {
		if p.Docs, err = splitArray(list); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrMalformed, listKey, err)
		}
	}

	hasNext, ok, err := pageBool(fields["has_next"])
	if err != nil {
		return nil, fmt.Errorf("%w: has_next: %v", ErrMalformed, err)
	}
	switch {
	case ok:
		p.HasNext = hasNext
	case p.PageCount > 0:
		p.HasNext = p.PageIndex < p.PageCount
	default:
		p.HasNext = p.PageSize > 0 && len(p.Docs) >= p.PageSize
	}
	return p, nil
}

// pageInt reads an integer written as a number or a string. It reports
// false, and no error, for an absent value, null or an empty string.
func pageInt(raw json.RawMessage) (int, bool, error) {
	s, ok, err := scalar(raw)
	if err != nil || !ok {
		return 0, false, err
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, false, fmt.Errorf("not an integer: %s", raw)
	}
	return n, true, nil
}

// pageBool reads a boolean written as true/false, "true"/"false", or 1/0.
// It reports false, and no error, for an absent value, null or an empty
// string.
func pageBool(raw json.RawMessage) (bool, bool, error) {
	s, ok, err := scalar(raw)
	if err != nil || !ok {
		return false, false, err
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, false, fmt.Errorf("not a boolean: %s", raw)
	}
	return b, true, nil
}

// scalar returns the text of a JSON number, boolean or string (unquoted).
// It reports false for an absent value, null or an empty string.
func scalar(raw json.RawMessage) (string, bool, error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return "", false, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, err
		}
		s = string(bytes.TrimSpace([]byte(s)))
		return s, s != "", nil
	}
	if raw[0] == '{' || raw[0] == '[' {
		return "", false, fmt.Errorf("not a scalar: %.40s", raw)
	}
	return string(raw), true, nil
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}
