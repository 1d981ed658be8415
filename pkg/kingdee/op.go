package kingdee

import (
	"context"
	"fmt"
)

// Entity is a bill an operation succeeded on.
type Entity struct {
	ID     int64
	Number string
	DIndex int
}

// OpResult is the outcome of Submit, Audit, UnAudit or Delete.
type OpResult struct {
	// Entities are the bills the operation succeeded on.
	Entities []Entity
	// Messages are Kingdee's success messages, for people to read.
	Messages []string
}

type opData struct {
	CreateOrgID int      `json:"CreateOrgId"`
	Numbers     []string `json:"Numbers"`
	Ids         string   `json:"Ids"`
}

// Submit submits the bills of formID with the given numbers (status A or D
// to B). See Audit for the errors.
func (c *Client) Submit(
	ctx context.Context,
	formID string,
	numbers []string,
) (*OpResult, error) {
	return c.operate(ctx, "submit", "Submit", formID, numbers)
}

// Audit audits the bills of formID with the given numbers (B to C). When
// Kingdee refuses some of them it returns both the OpResult of those that
// succeeded and an *Error; an already audited bill gives an *Error whose
// AlreadyAudited is true. A write without an answer wraps
// ErrOutcomeUnknown.
func (c *Client) Audit(
	ctx context.Context,
	formID string,
	numbers []string,
) (*OpResult, error) {
	return c.operate(ctx, "audit", "Audit", formID, numbers)
}

// UnAudit withdraws the audit of the bills of formID (C to D). See Audit
// for the errors.
func (c *Client) UnAudit(
	ctx context.Context,
	formID string,
	numbers []string,
) (*OpResult, error) {
	return c.operate(ctx, "unaudit", "UnAudit", formID, numbers)
}

// CancelAssign withdraws the submission of the bills of formID (B back to
// A), so that they can be saved again. See Audit for the errors.
func (c *Client) CancelAssign(
	ctx context.Context,
	formID string,
	numbers []string,
) (*OpResult, error) {
	return c.operate(ctx, "cancelassign", "CancelAssign", formID, numbers)
}

// Delete deletes the bills of formID with the given numbers; Kingdee
// deletes only bills that are not submitted or audited. See Audit for the
// errors.
func (c *Client) Delete(
	ctx context.Context,
	formID string,
	numbers []string,
) (*OpResult, error) {
	return c.operate(ctx, "delete", "Delete", formID, numbers)
}

func (c *Client) operate(
	ctx context.Context,
	op, method, formID string,
	numbers []string,
) (*OpResult, error) {
	if len(numbers) == 0 {
		return nil, fmt.Errorf("kingdee: %s %s: no bill numbers", op, formID)
	}
	k := formCall(op, method, formID, true, opData{Numbers: numbers})

	st, _, err := c.write(ctx, k)
	if err != nil {
		return nil, err
	}

	res := &OpResult{Entities: entities(st)}
	for _, m := range st.SuccessMessages {
		res.Messages = append(res.Messages, m.Message)
	}
	if !st.IsSuccess {
		return res, st.asError(op, formID)
	}
	return res, nil
}
