package kingdee

import (
	"context"
	"fmt"
	"slices"
	"strconv"
)

// SaveRequest is the data of a Save call.
type SaveRequest struct {
	// Model is the bill: a value that encodes to a JSON object, such as a
	// map[string]any or a json.RawMessage. With FID set it updates.
	Model any
	// NeedUpDateFields limits an update to these field keys.
	NeedUpDateFields []string
	// NeedReturnFields asks for these fields in the answer.
	NeedReturnFields []string
	// KeepEntries sends IsDeleteEntry false: entries absent from Model
	// survive an update. By default they are deleted.
	KeepEntries bool
	// IsVerifyBaseDataField asks Kingdee to check every base-data number.
	IsVerifyBaseDataField bool
	// IsAutoSubmitAndAudit submits and audits in the same call. Separate
	// Submit and Audit calls are easier to recover.
	IsAutoSubmitAndAudit bool
}

// BatchSaveRequest is the data of a BatchSave call.
type BatchSaveRequest struct {
	// Models are the bills; answers refer to them by index (DIndex).
	Models                []any
	NeedUpDateFields      []string
	NeedReturnFields      []string
	KeepEntries           bool
	IsVerifyBaseDataField bool
	IsAutoSubmitAndAudit  bool
	// BatchCount is the number of server threads; 0 leaves Kingdee's.
	BatchCount int
}

// SaveResult is the bill a Save created or updated.
type SaveResult struct {
	ID     int64
	Number string
}

// BatchItem is the outcome of one model of a BatchSave.
type BatchItem struct {
	DIndex int
	ID     int64
	Number string
	// Err is Kingdee's error for this model; nil when it was saved.
	Err *Error
}

// BatchResult holds one item per model, in the order of the models.
type BatchResult struct {
	Items []BatchItem
}

type saveData struct {
	Model                 any      `json:"Model"`
	NeedUpDateFields      []string `json:"NeedUpDateFields,omitempty"`
	NeedReturnFields      []string `json:"NeedReturnFields,omitempty"`
	IsDeleteEntry         bool     `json:"IsDeleteEntry"`
	IsVerifyBaseDataField bool     `json:"IsVerifyBaseDataField"`
	IsAutoSubmitAndAudit  bool     `json:"IsAutoSubmitAndAudit"`
	BatchCount            int      `json:"BatchCount,omitempty"`
}

// appendJSON writes d as encoding/json would from its tags, so that the
// models inside go through the package's own encoder.
func (d saveData) appendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"Model":`...)
	dst, err := appendJSON(dst, d.Model)
	if err != nil {
		return dst, err
	}
	if len(d.NeedUpDateFields) > 0 {
		dst = append(dst, `,"NeedUpDateFields":`...)
		dst, _ = appendArray(dst, d.NeedUpDateFields)
	}
	if len(d.NeedReturnFields) > 0 {
		dst = append(dst, `,"NeedReturnFields":`...)
		dst, _ = appendArray(dst, d.NeedReturnFields)
	}
	dst = append(dst, `,"IsDeleteEntry":`...)
	dst = strconv.AppendBool(dst, d.IsDeleteEntry)
	dst = append(dst, `,"IsVerifyBaseDataField":`...)
	dst = strconv.AppendBool(dst, d.IsVerifyBaseDataField)
	dst = append(dst, `,"IsAutoSubmitAndAudit":`...)
	dst = strconv.AppendBool(dst, d.IsAutoSubmitAndAudit)
	if d.BatchCount != 0 {
		dst = append(dst, `,"BatchCount":`...)
		dst = strconv.AppendInt(dst, int64(d.BatchCount), 10)
	}
	return append(dst, '}'), nil
}

// Save creates or updates one bill of formID. It returns an *Error when
// Kingdee refuses it, and an error wrapping ErrOutcomeUnknown when no
// answer was read.
func (c *Client) Save(
	ctx context.Context,
	formID string,
	req SaveRequest,
) (*SaveResult, error) {
	data := saveData{
		Model:                 req.Model,
		NeedUpDateFields:      req.NeedUpDateFields,
		NeedReturnFields:      req.NeedReturnFields,
		IsDeleteEntry:         !req.KeepEntries,
		IsVerifyBaseDataField: req.IsVerifyBaseDataField,
		IsAutoSubmitAndAudit:  req.IsAutoSubmitAndAudit,
	}
	k := formCall("save", "Save", formID, true, data)

	st, res, err := c.write(ctx, k)
	if err != nil {
		return nil, err
	}
	if !st.IsSuccess {
		return nil, st.asError(k.op, formID)
	}

	out := &SaveResult{ID: int64(res.ID), Number: res.Number}
	if len(st.SuccessEntitys) > 0 && out.ID == 0 {
		out.ID = int64(st.SuccessEntitys[0].ID)
		out.Number = st.SuccessEntitys[0].Number
	}
	return out, nil
}

// BatchSave saves several bills of formID in one call. Kingdee may save
// some and refuse others: each BatchItem carries its own outcome. An error
// is returned only when the call as a whole failed: an *Error (session
// lost, call limit, ...) or an error wrapping ErrOutcomeUnknown.
func (c *Client) BatchSave(
	ctx context.Context,
	formID string,
	req BatchSaveRequest,
) (*BatchResult, error) {
	if len(req.Models) == 0 {
		return &BatchResult{}, nil
	}
	data := saveData{
		Model:                 req.Models,
		NeedUpDateFields:      req.NeedUpDateFields,
		NeedReturnFields:      req.NeedReturnFields,
		IsDeleteEntry:         !req.KeepEntries,
		IsVerifyBaseDataField: req.IsVerifyBaseDataField,
		IsAutoSubmitAndAudit:  req.IsAutoSubmitAndAudit,
		BatchCount:            req.BatchCount,
	}
	k := formCall("batchsave", "BatchSave", formID, true, data)

	st, _, err := c.write(ctx, k)
	if err != nil {
		return nil, err
	}
	if !st.IsSuccess && wholeCallFailed(st) {
		return nil, st.asError(k.op, formID)
	}
	return batchItems(st, len(req.Models), formID), nil
}

// wholeCallFailed reports a failed BatchSave answer that is about the call
// rather than its models: nothing saved, and a MsgCode other than the
// per-model ones (9 unknown value, 11 validation, 12 not operable).
func wholeCallFailed(st *wireStatus) bool {
	if len(st.SuccessEntitys) > 0 {
		return false
	}
	perModel := []flexInt{0, 9, MsgCodeValidation, MsgCodeNotOperable}
	return !slices.Contains(perModel, st.MsgCode)
}

func batchItems(st *wireStatus, n int, formID string) *BatchResult {
	items := make([]BatchItem, n)
	for i := range items {
		items[i].DIndex = i
	}
	for _, e := range st.SuccessEntitys {
		if i := int(e.DIndex); i >= 0 && i < n {
			items[i].ID = int64(e.ID)
			items[i].Number = e.Number
		}
	}
	for _, m := range st.Errors {
		i := int(m.DIndex)
		if i < 0 || i >= n {
			continue
		}
		if items[i].Err == nil {
			items[i].Err = &Error{Op: "batchsave", FormID: formID, MsgCode: int(st.MsgCode)}
		}
		items[i].Err.Items = append(items[i].Err.Items, ErrorItem{
			FieldName: m.FieldName, Message: m.Message, DIndex: i,
		})
	}
	for i := range items {
		if items[i].ID == 0 && items[i].Err == nil {
			items[i].Err = &Error{
				Op: "batchsave", FormID: formID, MsgCode: int(st.MsgCode),
				Items: []ErrorItem{{Message: "no outcome reported for this model", DIndex: i}},
			}
		}
	}
	return &BatchResult{Items: items}
}

// formCall builds a DynamicFormService call with a {"formid","data"} body.
func formCall(op, method, formID string, write bool, data any) call {
	return call{
		op:      op,
		service: formService + method,
		formID:  formID,
		write:   write,
		body:    map[string]any{"formid": formID, "data": data},
	}
}

// writeResult is Result of a write answer without its status.
type writeResult struct {
	ID     flexInt
	Number string
}

// write runs a write call and returns its status. A body that is not a
// Kingdee answer wraps ErrOutcomeUnknown.
func (c *Client) write(ctx context.Context, k call) (*wireStatus, writeResult, error) {
	a, err := c.do(ctx, k)
	if err != nil {
		return nil, writeResult{}, err
	}
	env := a.env
	if env == nil {
		return nil, writeResult{}, fmt.Errorf("%s: %w: answer is not a Kingdee status: %s",
			k.prefix(), ErrOutcomeUnknown, describeBody(a.body))
	}
	res := writeResult{ID: env.Result.ID, Number: env.Result.Number}
	return env.Result.ResponseStatus, res, nil
}
