package kingdeesim

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// Fields any form accepts in a query besides those of its spec, when the
// model carries them.
var (
	moreHeader = []string{"FNote", "FSalerId", "FSaleDeptId", "FSalesManID",
		"FSaleDeptID", "FRECTUNIT", "FSALEORGID", "FPAYORGID"}
	moreEntry = []string{"FTaxPrice", "FPrice", "FEntryTaxRate", "FIsFree",
		"FDiscount", "FEntryNote", "FDeliveryDate"}
)

// column reads one field of a query row: a bill and, for entry fields,
// one of its entries.
type column struct {
	entry bool
	get   func(r *record, e map[string]any) any
}

// resolve finds the column of a field key such as FBillNo or
// FMaterialId.FNumber; ok is false for a field the form lacks.
func resolve(spec *formSpec, key string) (column, bool) {
	switch strings.ToUpper(key) {
	case "FID":
		return column{get: func(r *record, _ map[string]any) any { return r.fid }}, true
	case "FBILLNO":
		return column{get: func(r *record, _ map[string]any) any { return r.billNo }}, true
	case "FDOCUMENTSTATUS":
		return column{get: func(r *record, _ map[string]any) any { return r.status }}, true
	case "FDATE":
		return column{get: func(r *record, _ map[string]any) any {
			return r.date.Format("2006-01-02T15:04:05")
		}}, true
	}

	name, sub, _ := strings.Cut(key, ".")
	if sub != "" && !strings.EqualFold(sub, "FNumber") {
		return column{}, false
	}
	read := func(m map[string]any) any {
		v, _ := lookup(m, name)
		if _, isRef := v.(map[string]any); isRef {
			return refNumber(v)
		}
		return v
	}

	if known(name, spec.header, moreHeader) || strings.HasPrefix(name, "F_") {
		return column{get: func(r *record, _ map[string]any) any { return read(r.model) }}, true
	}
	if known(name, spec.entry, moreEntry) {
		return column{entry: true, get: func(_ *record, e map[string]any) any {
			return read(e)
		}}, true
	}
	return column{}, false
}

func known(name string, fields []field, more []string) bool {
	for _, f := range fields {
		if strings.EqualFold(f.key, name) {
			return true
		}
	}
	return slices.ContainsFunc(more, func(k string) bool { return strings.EqualFold(k, name) })
}

// queryRow is one row before projection.
type queryRow struct {
	rec   *record
	entry map[string]any
}

// query answers ExecuteBillQuery.
func (s *Sim) query(data map[string]any) (any, bool) {
	fail := func(code int, text string) (any, bool) {
		return [][]any{{wrapStatus(failure(code, msg(nil, text, 0)))}}, false
	}
	formID := scalarKey(data, "FormId")
	spec := forms[formID]
	if spec == nil {
		return fail(codeException, "业务对象“"+formID+"”不存在")
	}
	keys := splitList(scalarKey(data, "FieldKeys"))
	if len(keys) == 0 {
		return fail(codeBadParam, "FieldKeys不能为空")
	}

	cols := make([]column, len(keys))
	entryLevel := false
	for i, k := range keys {
		c, ok := resolve(spec, k)
		if !ok {
			e := noField(k)
			return fail(e.code, e.text)
		}
		cols[i], entryLevel = c, entryLevel || c.entry
	}
	if v, _ := lookup(data, "FilterString"); v != nil {
		if list, ok := v.([]any); ok && len(list) > 0 {
			return fail(codeBadParam, "模拟器只支持字符串形式的FilterString")
		}
	}
	filter, err := parseFilter(scalarKey(data, "FilterString"), spec)
	if err != nil {
		return fail(err.code, err.text)
	}
	order, err := parseOrder(scalarKey(data, "OrderString"), spec)
	if err != nil {
		return fail(err.code, err.text)
	}
	entryLevel = entryLevel || filter.entry() || order.entry()

	s.mu.Lock()
	rows := s.rows(spec, entryLevel, filter)
	order.sort(rows)
	out := make([][]any, 0, len(rows))
	for _, r := range page(rows, data) {
		vals := make([]any, len(cols))
		for i, c := range cols {
			vals[i] = c.get(r.rec, r.entry)
		}
		out = append(out, vals)
	}
	s.mu.Unlock()
	return out, true
}

// rows lists the bills (or their entries) that pass the filter, by FID;
// the caller holds s.mu.
func (s *Sim) rows(spec *formSpec, entryLevel bool, f filter) []queryRow {
	var out []queryRow
	for _, rec := range s.stores[spec.id].sorted() {
		if !entryLevel {
			if f.match(queryRow{rec: rec}) {
				out = append(out, queryRow{rec: rec})
			}
			continue
		}
		for _, e := range spec.entries(rec.model) {
			if r := (queryRow{rec: rec, entry: e}); f.match(r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// page applies StartRow, Limit and TopRowCount.
func page(rows []queryRow, data map[string]any) []queryRow {
	num := func(k string) int {
		n, _ := strconv.Atoi(scalarKey(data, k))
		return max(n, 0)
	}
	start, limit, top := num("StartRow"), num("Limit"), num("TopRowCount")
	if start >= len(rows) {
		return nil
	}
	rows = rows[start:]
	if top > 0 && (limit == 0 || top < limit) {
		limit = top
	}
	if limit > 0 && limit < len(rows) {
		rows = rows[:limit]
	}
	return rows
}

func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// compare orders two values: as numbers when both are, then as dates,
// then as text without regard to case.
func compare(a, b any) int {
	ta, tb := scalar(a), scalar(b)
	if ra, ok := new(big.Rat).SetString(ta); ok {
		if rb, ok := new(big.Rat).SetString(tb); ok {
			return ra.Cmp(rb)
		}
	}
	if da, err := parseDate(ta); err == nil {
		if db, err := parseDate(tb); err == nil {
			return da.Compare(db)
		}
	}
	return strings.Compare(strings.ToLower(ta), strings.ToLower(tb))
}
