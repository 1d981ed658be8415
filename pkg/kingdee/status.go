package kingdee

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// flexInt reads a JSON number, a quoted number, "" or null; Kingdee versions
// differ in how they write ids and codes.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("kingdee: number %s: %w", b, err)
	}
	*f = flexInt(n)
	return nil
}

// wireStatus is Result.ResponseStatus of a Kingdee answer.
type wireStatus struct {
	IsSuccess       bool
	Errors          []wireMessage
	SuccessEntitys  []wireEntity
	SuccessMessages []wireMessage
	MsgCode         flexInt
}

type wireMessage struct {
	FieldName string
	Message   string
	DIndex    flexInt
}

type wireEntity struct {
	ID     flexInt `json:"Id"`
	Number string
	DIndex flexInt
}

// wireResult is the envelope {"Result":{...}} of write and view answers.
type wireResult struct {
	Result *struct {
		ResponseStatus *wireStatus
		ID             flexInt `json:"Id"`
		Number         string
		Result         json.RawMessage
	}
}

// asError turns a failed status into an *Error for op on formID.
func (s *wireStatus) asError(op, formID string) *Error {
	e := &Error{Op: op, FormID: formID, MsgCode: int(s.MsgCode)}
	for _, m := range s.Errors {
		e.Items = append(e.Items, ErrorItem{
			FieldName: m.FieldName,
			Message:   m.Message,
			DIndex:    int(m.DIndex),
		})
	}
	return e
}

// answer is the body of an HTTP 200 answer with its status envelope, when
// it is one, decoded once for everyone who reads it.
type answer struct {
	body []byte
	env  *wireResult // nil when body is not a status envelope
}

func newAnswer(body []byte) answer {
	return answer{body: body, env: decodeEnvelope(body)}
}

// status returns the ResponseStatus of a status envelope.
func (a answer) status() (*wireStatus, bool) {
	if a.env == nil {
		return nil, false
	}
	return a.env.Result.ResponseStatus, true
}

// sessionLost reports whether a is Kingdee's session-lost answer.
func (a answer) sessionLost() bool {
	s, ok := a.status()
	return ok && !s.IsSuccess && s.MsgCode == MsgCodeSessionLost
}

// decodeEnvelope decodes body when it is a Kingdee status envelope, in
// either the plain {"Result":..} form or the [[{"Result":..}]] form of
// query errors, and returns nil when it is not one.
func decodeEnvelope(body []byte) *wireResult {
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		if !bytes.Contains(body, []byte(`"ResponseStatus"`)) {
			return nil
		}
		var rows [][]json.RawMessage
		if json.Unmarshal(body, &rows) != nil || len(rows) == 0 || len(rows[0]) != 1 {
			return nil
		}
		body = bytes.TrimSpace(rows[0][0])
	}
	if len(body) == 0 || body[0] != '{' {
		return nil
	}
	var env wireResult
	if json.Unmarshal(body, &env) != nil || env.Result == nil ||
		env.Result.ResponseStatus == nil {
		return nil
	}
	return &env
}

func entities(s *wireStatus) []Entity {
	out := make([]Entity, 0, len(s.SuccessEntitys))
	for _, e := range s.SuccessEntitys {
		out = append(out, Entity{ID: int64(e.ID), Number: e.Number, DIndex: int(e.DIndex)})
	}
	return out
}
