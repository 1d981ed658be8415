package kingdeesim

import (
	"net/http"
	"time"
)

// writeMethods are the operations that change bills.
var writeMethods = map[string]bool{
	"Save": true, "BatchSave": true, "Submit": true, "Audit": true,
	"UnAudit": true, "CancelAssign": true, "Delete": true,
}

// serveForm answers DynamicFormService methods for an authorised caller.
func (s *Sim) serveForm(
	w http.ResponseWriter,
	r *http.Request,
	method string,
	body []byte,
	f Faults,
) {
	answer := func(v any) any {
		if method == "ExecuteBillQuery" {
			return [][]any{{v}}
		}
		return v
	}

	ok, sid := s.authorize(r)
	if ok && sid != "" && s.draw(f.SessionLossRate) {
		s.dropSession(sid)
		ok = false
	}
	if !ok {
		s.count(method, "session_lost")
		writeJSON(w, answer(sessionLostAnswer()))
		return
	}
	if s.draw(f.CallLimitRate) {
		s.count(method, "call_limit")
		st := failure(codeCallLimit, msg(nil, "调用频率超过限制，请稍后再试", 0))
		writeJSON(w, answer(wrapStatus(st)))
		return
	}

	formID, data, err := decodeRequest(body)
	if err != nil {
		s.count(method, "bad_request")
		writeJSON(w, answer(wrapStatus(failure(codeBadParam, msg(nil, err.Error(), 0)))))
		return
	}

	var out any
	var success bool
	var docs int
	switch method {
	case "Save":
		out, success = s.save(formID, data)
		docs = 1
	case "BatchSave":
		out, success, docs = s.batchSave(formID, data)
	case "Submit", "Audit", "UnAudit", "CancelAssign", "Delete":
		out, success, docs = s.operate(method, formID, data)
	case "View":
		out, success = s.view(formID, data)
		docs = 1
	case "ExecuteBillQuery":
		out, success = s.query(data)
	default:
		s.count(method, "bad_request")
		http.NotFound(w, r)
		return
	}

	if !sleep(r.Context(), s.opts.PerDocLatency*time.Duration(docs)) {
		s.count(method, "no_answer")
		return
	}
	if writeMethods[method] && s.draw(f.CommitNoAnswerRate) {
		s.count(method, "no_answer")
		noAnswer(w, r, f.NoAnswerHold)
		return
	}
	if success {
		s.count(method, "ok")
	} else {
		s.count(method, "error")
	}
	writeJSON(w, out)
}

// unknownForm is the answer to an operation on a form the Sim lacks.
func unknownForm(formID string) *respStatus {
	return failure(codeException, msg(nil, "业务对象“"+formID+"”不存在", 0))
}
