package jst

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Meta is what the pipeline needs to know of a document before mapping it:
// which document it is, which version, and which shop it belongs to.
type Meta struct {
	Kind Kind
	// ID is the o_id of an order or the as_id of an after-sale.
	ID string
	// Version is JST's row version ts or, where ts is absent or 0, the
	// modified time in Unix seconds.
	Version int64
	// ShopID is JST's shop id; it may be empty.
	ShopID   string
	Modified time.Time
}

// Key returns the document key used across the pipeline, "order.<o_id>" or
// "aftersale.<as_id>".
func (m Meta) Key() string {
	return string(m.Kind) + "." + m.ID
}

// MsgID returns the message id of the raw document, "<kind>:<id>:<version>".
func (m Meta) MsgID() string {
	return string(m.Kind) + ":" + m.ID + ":" + strconv.FormatInt(m.Version, 10)
}

// head holds the few fields ParseMeta reads.
type head struct {
	ID       String
	ShopID   String
	Modified Time
	Ts       Int
}

// readHead reads the head fields of a document, validating and skipping
// everything else. On error, the fields read so far are kept.
func readHead(kind Kind, raw []byte, h *head) error {
	idKey := idField(kind)
	r := jsonReader{b: raw}
	err := r.object(func(key []byte) error {
		var u json.Unmarshaler
		switch string(key) {
		case idKey:
			u = &h.ID
		case "shop_id":
			u = &h.ShopID
		case "modified":
			u = &h.Modified
		case "ts":
			u = &h.Ts
		}
		return r.loose(u, key)
	})
	if err == nil {
		err = r.end()
	}
	return err
}

// ParseMeta reads the id, version, shop id and modified time of one raw JST
// document of the given kind, building nothing else. It returns a
// *FieldError when the document is malformed, when the id is missing or is
// not safe as a key token, when the shop id is not safe as a subject token,
// or when neither ts nor modified gives a version; an unknown kind is an
// error too.
func ParseMeta(kind Kind, raw []byte) (Meta, error) {
	if !kind.Valid() {
		return Meta{}, fmt.Errorf("jst: parse meta: unknown kind %q", kind)
	}
	var h head
	if err := readHead(kind, raw, &h); err != nil {
		return Meta{}, docError(kind, raw, err)
	}
	return newMeta(kind, idField(kind), h.ID, h.ShopID, h.Modified, h.Ts)
}

func idField(kind Kind) string {
	if kind == KindAfterSale {
		return "as_id"
	}
	return "o_id"
}

// Meta returns the order's Meta, with the errors ParseMeta gives.
func (o *Order) Meta() (Meta, error) {
	return newMeta(KindOrder, idField(KindOrder), o.OID, o.ShopID, o.Modified, o.Ts)
}

// Meta returns the after-sale's Meta, with the errors ParseMeta gives.
func (a *AfterSale) Meta() (Meta, error) {
	return newMeta(KindAfterSale, idField(KindAfterSale), a.ASID, a.ShopID, a.Modified, a.Ts)
}

var (
	errUnsafeToken = errors.New("want letters, digits, '-' or '_' (at most 64)")
	errNegative    = errors.New("want a positive row version")
)

func newMeta(kind Kind, idField string, id, shop String, mod Time, ts Int) (Meta, error) {
	m := Meta{Kind: kind, ID: string(id), ShopID: string(shop), Modified: mod.Time}
	fail := func(field, value string, err error) (Meta, error) {
		fe := &FieldError{Kind: kind, Field: field, Value: value, Err: err}
		if field != idField {
			fe.ID = m.ID
		}
		return Meta{}, fe
	}

	if m.ID == "" {
		return fail(idField, "", errMissing)
	}
	if !SafeToken(m.ID) {
		return fail(idField, strconv.Quote(truncate(m.ID, maxValueLen)), errUnsafeToken)
	}
	if m.ShopID != "" && !SafeToken(m.ShopID) {
		v := strconv.Quote(truncate(m.ShopID, maxValueLen))
		return fail("shop_id", v, errUnsafeToken)
	}

	switch {
	case ts.Valid && ts.Value < 0:
		return fail("ts", strconv.FormatInt(ts.Value, 10), errNegative)
	case ts.Valid && ts.Value > 0:
		m.Version = ts.Value
	case !mod.IsZero():
		m.Version = mod.Unix()
	default:
		return fail("ts", "", fmt.Errorf("%w: no ts and no modified time", errMissing))
	}
	return m, nil
}

// SafeToken reports whether s can stand as one token of a NATS subject or
// KV key: 1 to 64 ASCII letters, digits, '-' or '_'.
func SafeToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' || c == '_':
		default:
			return false
		}
	}
	return true
}

// peekID reads the id of a document for an error message. It returns ""
// when no id can be read or the id is not a safe token.
func peekID(kind Kind, raw []byte) string {
	var h head
	_ = readHead(kind, raw, &h)
	if !SafeToken(string(h.ID)) {
		return ""
	}
	return string(h.ID)
}
