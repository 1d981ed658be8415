package writer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
)

// found is a bill as a lookup finds it in Kingdee.
type found struct {
	fid    int64
	number string // FBillNo
	status string // FDocumentStatus
}

// lookupChunk bounds the numbers of one query's filter.
const lookupChunk = 200

// lookupTries is how many times a query that got no answer is sent; a
// read is safe to repeat.
const lookupTries = 3

// refused reports an answer of Kingdee's that a repeat will not change.
func refused(err error) bool {
	var kerr *kingdee.Error
	return errors.As(err, &kerr) && kerr.Permanent()
}

// lookup asks Kingdee, in one ExecuteBillQuery per lookupChunk numbers,
// for the bills of form whose document number (FBillNo, or the form's
// source-number field) is one of numbers, and returns them by that
// number. It returns the query's error; a missing number is not one.
func (w *Writer) lookup(ctx context.Context, form string, numbers []string) (map[string]found, error) {
	field := w.settings[form].SourceNoField
	keys := []string{"FID", "FBillNo", "FDocumentStatus"}
	if field == "" {
		field = "FBillNo"
	} else {
		keys = append(keys, field)
	}

	out := make(map[string]found, len(numbers))
	for start := 0; start < len(numbers); start += lookupChunk {
		part := numbers[start:min(start+lookupChunk, len(numbers))]
		q := kingdee.BillQuery{
			FormID:       form,
			FieldKeys:    keys,
			FilterString: field + " in (" + quoteList(part) + ")",
		}
		rows, err := w.client.ExecuteBillQuery(ctx, q)
		for try := 1; try < lookupTries && err != nil && !refused(err); try++ {
			rows, err = w.client.ExecuteBillQuery(ctx, q)
		}
		if err != nil {
			return nil, fmt.Errorf("writer: look up %d %s bills: %w", len(part), form, err)
		}
		for _, row := range rows {
			if len(row) < len(keys) {
				continue
			}
			f := found{fid: rawInt(row[0]), number: rawText(row[1]), status: rawText(row[2])}
			no := f.number
			if len(keys) > 3 {
				no = rawText(row[3])
			}
			// Several bills under one source number would be a
			// duplicate made outside the writer; keep the first.
			if _, seen := out[no]; !seen {
				out[no] = f
			}
		}
	}
	return out, nil
}

// quoteList writes numbers as a filter's list of SQL strings.
func quoteList(numbers []string) string {
	var b strings.Builder
	for i, n := range numbers {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\'')
		b.WriteString(strings.ReplaceAll(n, "'", "''"))
		b.WriteByte('\'')
	}
	return b.String()
}

// rawText reads a query value that is a string or a number.
func rawText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if bytes.Equal(raw, []byte("null")) {
		return ""
	}
	return string(raw)
}

func rawInt(raw json.RawMessage) int64 {
	n, _ := strconv.ParseInt(rawText(raw), 10, 64)
	return n
}
