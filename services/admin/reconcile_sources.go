package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/mapping"
)

// expectedBill is the bill the rules in force make of a JST document, or
// why they cannot.
type expectedBill struct {
	version      int64
	form, billNo string
	err          string
}

// heldBill is a bill Kingdee holds.
type heldBill struct {
	form string
	fid  int64
}

// kingdeePage is the page size of the bill queries.
const kingdeePage = 2000

// inChunk is how many numbers one "FBillNo in (...)" query names.
const inChunk = 100

// expectedBills reads every JST document modified in [from, to] and maps
// it, keeping the newest version of each and only those the rules sync.
func (s *Server) expectedBills(
	ctx context.Context,
	from, to time.Time,
) (map[string]expectedBill, error) {
	out := map[string]expectedBill{}
	for _, kind := range []jst.Kind{jst.KindOrder, jst.KindAfterSale} {
		for b := from.Truncate(time.Second); !b.After(to); {
			e := b.Add(jst.MaxWindow - time.Second)
			if e.After(to) {
				e = to
			}
			if err := s.readWindow(ctx, kind, b, e, out); err != nil {
				return nil, err
			}
			b = e.Truncate(time.Second).Add(time.Second)
		}
	}
	return out, nil
}

// readWindow reads every page of one window of one kind into out.
func (s *Server) readWindow(
	ctx context.Context,
	kind jst.Kind,
	begin, end time.Time,
	out map[string]expectedBill,
) error {
	for page := 1; ; page++ {
		q := jst.Query{ModifiedBegin: begin, ModifiedEnd: end, PageIndex: page}
		p, err := s.queryJST(ctx, kind, q)
		if err != nil {
			return fmt.Errorf("jst %s %s..%s page %d: %w", kind,
				jst.FormatTime(begin), jst.FormatTime(end), page, err)
		}
		for _, raw := range p.Docs {
			s.expect(kind, raw, out)
		}
		if !p.HasNext || len(p.Docs) == 0 {
			return nil
		}
	}
}

// queryJST asks for one page, waiting and asking again while JST says the
// merchant is over its rate limit.
func (s *Server) queryJST(ctx context.Context, kind jst.Kind, q jst.Query) (*jst.Page, error) {
	for attempt := 1; ; attempt++ {
		p, err := s.d.JST.Query(ctx, kind, q)
		var apiErr *jst.APIError
		if err == nil || attempt == 5 || !errors.As(err, &apiErr) || !apiErr.RateLimited() {
			return p, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Second):
		}
	}
}

// expect maps one document into out, unless out holds a newer version.
func (s *Server) expect(kind jst.Kind, raw []byte, out map[string]expectedBill) {
	meta, err := jst.ParseMeta(kind, raw)
	if err != nil {
		return // the poller dead-letters it too; it never reaches a key
	}
	key := meta.Key()
	if old, ok := out[key]; ok && old.version > meta.Version {
		return
	}
	x := expectedBill{version: meta.Version}
	res, err := mapping.Preview(s.d.Mapper, s.d.Settings, kind, raw)
	switch {
	case err != nil:
		x.err = err.Error()
	case res.Decision != mapping.Sync:
		delete(out, key) // filtered now, whatever an older version said
		return
	default:
		x.form, x.billNo = res.FormID, res.BillNo
	}
	out[key] = x
}

// kingdeeBills returns the bills of every configured form that carry the
// bill prefix and a date in [from, to], and those of the expected numbers
// whatever their date, by number.
func (s *Server) kingdeeBills(
	ctx context.Context,
	from, to time.Time,
	expected map[string]expectedBill,
) (map[string][]heldBill, error) {
	held := map[string][]heldBill{}
	seen := map[string]bool{} // form + FID
	add := func(form string, rows [][]json.RawMessage) {
		for _, r := range rows {
			fid, no := rowFID(r[0]), rowText(r[1])
			if no == "" || seen[form+"/"+strconv.FormatInt(fid, 10)] {
				continue
			}
			seen[form+"/"+strconv.FormatInt(fid, 10)] = true
			held[no] = append(held[no], heldBill{form: form, fid: fid})
		}
	}

	wanted := map[string][]string{} // form -> expected numbers
	for _, x := range expected {
		if x.err == "" {
			wanted[x.form] = append(wanted[x.form], x.billNo)
		}
	}
	for _, form := range sortedMapKeys(s.d.Settings) {
		field := s.numberField(form)
		filter := fmt.Sprintf("%s like '%s%%' and FDate >= '%s' and FDate <= '%s'",
			field, s.billPrefix(), kingdee.FormatTime(from), kingdee.FormatTime(to))
		rows, err := s.queryBills(ctx, form, field, filter)
		if err != nil {
			return nil, err
		}
		add(form, rows)

		nos := wanted[form]
		for len(nos) > 0 {
			n := min(len(nos), inChunk)
			rows, err := s.queryBills(ctx, form, field, field+" in ("+quoteList(nos[:n])+")")
			if err != nil {
				return nil, err
			}
			add(form, rows)
			nos = nos[n:]
		}
	}
	return held, nil
}

// queryBills reads FID and the number field of every bill passing filter.
func (s *Server) queryBills(
	ctx context.Context,
	form, field, filter string,
) ([][]json.RawMessage, error) {
	var all [][]json.RawMessage
	for start := 0; ; start += kingdeePage {
		rows, err := s.d.Kingdee.ExecuteBillQuery(ctx, kingdee.BillQuery{
			FormID: form, FieldKeys: []string{"FID", field},
			FilterString: filter, OrderString: "FID", StartRow: start, Limit: kingdeePage,
		})
		if err != nil {
			return nil, fmt.Errorf("kingdee %s: %w", form, err)
		}
		for _, r := range rows {
			if len(r) >= 2 {
				all = append(all, r)
			}
		}
		if len(rows) < kingdeePage {
			return all, nil
		}
	}
}

// numberField is the field a form's bills carry the JST number in.
func (s *Server) numberField(form string) string {
	if f := s.d.Settings[form].SourceNoField; f != "" {
		return f
	}
	return "FBillNo"
}

// billPrefix is the common start of every bill number orderbridge makes.
func (s *Server) billPrefix() string {
	if s.d.BillPrefix != "" {
		return s.d.BillPrefix
	}
	return "JST-"
}

func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return strings.Join(q, ",")
}

func rowFID(raw json.RawMessage) int64 {
	n, err := strconv.ParseInt(strings.Trim(string(raw), `"`), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func rowText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.Trim(string(raw), `"`)
}
