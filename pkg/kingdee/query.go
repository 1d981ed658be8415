package kingdee

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// BillQuery is the data of an ExecuteBillQuery call.
type BillQuery struct {
	FormID string
	// FieldKeys are the columns, such as "FID", "FBillNo" or
	// "FMaterialId.FNumber".
	FieldKeys []string
	// FilterString is Kingdee's SQL-like filter, such as
	// "FBillNo in ('JST-1','JST-2')".
	FilterString string
	OrderString  string
	TopRowCount  int
	StartRow     int
	// Limit is the page size; 0 leaves Kingdee's.
	Limit int
}

type queryData struct {
	FormID       string `json:"FormId"`
	FieldKeys    string `json:"FieldKeys"`
	FilterString string `json:"FilterString"`
	OrderString  string `json:"OrderString"`
	TopRowCount  int    `json:"TopRowCount"`
	StartRow     int    `json:"StartRow"`
	Limit        int    `json:"Limit"`
}

// ExecuteBillQuery returns the rows that match q, one JSON value per field
// key. It returns an *Error when Kingdee refuses the query (an unknown form
// or field, an empty field list).
func (c *Client) ExecuteBillQuery(
	ctx context.Context,
	q BillQuery,
) ([][]json.RawMessage, error) {
	data := queryData{
		FormID:       q.FormID,
		FieldKeys:    strings.Join(q.FieldKeys, ","),
		FilterString: q.FilterString,
		OrderString:  q.OrderString,
		TopRowCount:  q.TopRowCount,
		StartRow:     q.StartRow,
		Limit:        q.Limit,
	}
	k := call{
		op:      "query",
		service: formService + "ExecuteBillQuery",
		formID:  q.FormID,
		body:    map[string]any{"data": data},
	}

	a, err := c.do(ctx, k)
	if err != nil {
		return nil, err
	}
	return parseRows(a, k)
}

func parseRows(a answer, k call) ([][]json.RawMessage, error) {
	if st, ok := a.status(); ok && !st.IsSuccess {
		return nil, st.asError(k.op, k.formID)
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(a.body, &rows); err != nil {
		return nil, fmt.Errorf("%s: decode rows: %w", k.prefix(), err)
	}
	return rows, nil
}
