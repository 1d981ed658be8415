package kingdee

import (
	"context"
	"encoding/json"
	"fmt"
)

// Bill is a bill as View returns it.
type Bill struct {
	ID     int64
	Number string
	// Status is FDocumentStatus: Z draft, A created, B submitted (auditing),
	// C audited, D re-audit.
	Status string
	// Raw is the whole bill as Kingdee sent it.
	Raw json.RawMessage
}

type viewData struct {
	CreateOrgID int    `json:"CreateOrgId"`
	Number      string `json:"Number"`
	ID          string `json:"Id"`
}

type wireBill struct {
	ID             flexInt `json:"Id"`
	BillNo         string
	Number         string
	DocumentStatus string
}

// View returns the bill of formID with the given number. It returns an
// error wrapping ErrNotFound when there is none, and an *Error for other
// refusals.
func (c *Client) View(ctx context.Context, formID, number string) (*Bill, error) {
	k := formCall("view", "View", formID, false, viewData{Number: number})

	a, err := c.do(ctx, k)
	if err != nil {
		return nil, err
	}
	var env wireResult
	if err := json.Unmarshal(a.body, &env); err != nil || env.Result == nil {
		return nil, fmt.Errorf("%s: answer is not a Kingdee result: %s",
			k.prefix(), describeBody(a.body))
	}

	if st := env.Result.ResponseStatus; st != nil && !st.IsSuccess {
		kerr := st.asError(k.op, formID)
		if kerr.MsgCode == MsgCodeNotFound {
			return nil, fmt.Errorf("%s %s: %w: %w", k.prefix(), number, ErrNotFound, kerr)
		}
		return nil, kerr
	}
	raw := env.Result.Result
	if len(raw) == 0 || string(raw) == "null" {
		return nil, fmt.Errorf("%s %s: %w", k.prefix(), number, ErrNotFound)
	}

	var wb wireBill
	if err := json.Unmarshal(raw, &wb); err != nil {
		return nil, fmt.Errorf("%s %s: decode bill: %w", k.prefix(), number, err)
	}
	b := &Bill{ID: int64(wb.ID), Number: wb.BillNo, Status: wb.DocumentStatus, Raw: raw}
	if b.Number == "" {
		b.Number = wb.Number
	}
	return b, nil
}
