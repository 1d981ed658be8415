package kingdeesim

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Kingdee MsgCodes the Sim answers with.
const (
	codeSessionLost = 1
	codeException   = 4
	codeBadParam    = 8
	codeNoField     = 9
	codeNotFound    = 10
	codeValidation  = 11
	codeNotOperable = 12
	codeCallLimit   = 14
)

// textSessionLost is Kingdee's exact session-lost message.
const textSessionLost = "会话信息已丢失，请重新登录"

type respMsg struct {
	FieldName *string
	Message   string
	DIndex    int
}

type respEntity struct {
	Id     int64
	Number string
	DIndex int
}

type respStatus struct {
	ErrorCode       int `json:",omitempty"`
	IsSuccess       bool
	Errors          []respMsg
	SuccessEntitys  []respEntity
	SuccessMessages []respMsg
	MsgCode         int
}

// statusOnly is {"Result":{"ResponseStatus":..}}, the answer of operations.
type statusOnly struct {
	Result struct {
		ResponseStatus *respStatus
	}
}

// saveAnswer is the answer of Save.
type saveAnswer struct {
	Result struct {
		ResponseStatus *respStatus
		Id             any
		Number         string
		NeedReturnData []struct{}
	}
}

func newStatus() *respStatus {
	return &respStatus{
		Errors: []respMsg{}, SuccessEntitys: []respEntity{}, SuccessMessages: []respMsg{},
	}
}

// failure is a failed status with one message per item.
func failure(code int, msgs ...respMsg) *respStatus {
	st := newStatus()
	st.ErrorCode = 500
	st.MsgCode = code
	st.Errors = append(st.Errors, msgs...)
	return st
}

func msg(field *string, text string, dIndex int) respMsg {
	return respMsg{FieldName: field, Message: text, DIndex: dIndex}
}

func strp(s string) *string { return &s }

func wrapStatus(st *respStatus) statusOnly {
	var a statusOnly
	a.Result.ResponseStatus = st
	return a
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(v)
}

// sessionLostAnswer is Kingdee's exact session-lost answer.
func sessionLostAnswer() statusOnly {
	return wrapStatus(failure(codeSessionLost, msg(nil, textSessionLost, 0)))
}

var errBadBody = errors.New("request body is not a WebAPI request")

// decodeRequest returns the form id and the data object of a
// DynamicFormService body in either of its forms, {"formid":..,"data":..}
// or {"parameters":[formid, data]}, reading the body once. Data may be an
// object or a string holding one, as some SDKs send it. Keys match as
// encoding/json matches struct fields: without regard to case.
func decodeRequest(body []byte) (string, map[string]any, error) {
	req, err := decodeObject(body)
	if err != nil {
		return "", nil, errBadBody
	}
	var formID, data, params any
	for k, v := range req {
		switch strings.ToLower(k) {
		case "formid":
			formID = v
		case "data":
			data = v
		case "parameters":
			params = v
		}
	}
	if params != nil {
		ps, ok := params.([]any)
		if !ok {
			return "", nil, errBadBody
		}
		switch len(ps) {
		case 0:
		case 1:
			data = ps[0]
		default:
			formID, data = ps[0], ps[1]
		}
	}
	id, ok := formID.(string)
	if formID != nil && !ok {
		return "", nil, errBadBody
	}
	switch d := data.(type) {
	case map[string]any:
		return id, d, nil
	case string:
		obj, err := decodeObject([]byte(d))
		if err != nil {
			return "", nil, errBadBody
		}
		return id, obj, nil
	}
	return "", nil, errBadBody
}

// decodeObject decodes a JSON object keeping numbers exact.
func decodeObject(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, errBadBody
	}
	return obj, nil
}
