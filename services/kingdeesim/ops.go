package kingdeesim

import (
	"slices"
	"strconv"
	"strings"
)

// transition is what an operation does to a bill's status.
type transition struct {
	from    []string // statuses the operation accepts
	to      string   // "" deletes the bill
	done    string   // text of a refusal when the bill is in the target state
	refused string   // text of a refusal from any other status
	success string
}

var transitions = map[string]transition{
	"Submit": {
		from: []string{statusDraft, statusCreated, statusReaudit}, to: statusSubmitted,
		done: "单据已经提交！", refused: "单据已经审核！", success: "提交成功！",
	},
	"Audit": {
		from: []string{statusSubmitted}, to: statusAudited,
		done: "单据已经审核！", refused: "单据未提交，不允许审核！", success: "审核成功！",
	},
	"UnAudit": {
		from: []string{statusAudited}, to: statusReaudit,
		refused: "单据未审核，不允许反审核！", success: "反审核成功！",
	},
	"CancelAssign": {
		from: []string{statusSubmitted}, to: statusCreated,
		refused: "单据不是提交状态，不允许撤销！", success: "撤销成功！",
	},
	"Delete": {
		from:    []string{statusDraft, statusCreated, statusReaudit},
		refused: "单据已提交或已审核，不允许删除！", success: "删除成功！",
	},
}

// operate answers Submit, Audit, UnAudit, CancelAssign and Delete. Each bill named by
// Numbers or Ids succeeds or fails on its own.
func (s *Sim) operate(method, formID string, data map[string]any) (any, bool, int) {
	spec := forms[formID]
	if spec == nil {
		return wrapStatus(unknownForm(formID)), false, 0
	}
	tr := transitions[method]
	targets := opTargets(data)
	if len(targets) == 0 {
		return wrapStatus(failure(codeBadParam, msg(nil, "Numbers和Ids不能同时为空", 0))),
			false, 0
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	st := newStatus()
	bills := s.stores[formID]
	for i, t := range targets {
		rec := bills.byNo[t]
		if id, err := strconv.ParseInt(t, 10, 64); rec == nil && err == nil {
			rec = bills.byID[id]
		}
		if rec == nil {
			st.Errors = append(st.Errors, msg(strp(""),
				"单据编号为“"+t+"”的"+spec.name+"不存在！", i))
			continue
		}

		prefix := "单据编号为“" + rec.billNo + "”的" + spec.name + "，"
		if !slices.Contains(tr.from, rec.status) {
			text := tr.refused
			if rec.status == tr.to && tr.done != "" {
				text = tr.done
			}
			st.Errors = append(st.Errors, msg(strp(""), prefix+text, i))
			continue
		}
		if tr.to == "" {
			bills.remove(rec)
		} else {
			rec.status = tr.to
		}
		st.SuccessEntitys = append(st.SuccessEntitys,
			respEntity{Id: rec.fid, Number: rec.billNo, DIndex: i})
		st.SuccessMessages = append(st.SuccessMessages, msg(nil, prefix+tr.success, i))
	}

	st.IsSuccess = len(st.Errors) == 0
	if !st.IsSuccess {
		st.ErrorCode, st.MsgCode = 500, codeValidation
	}
	return wrapStatus(st), st.IsSuccess, len(targets)
}

// opTargets returns the bill numbers, then the ids, an operation names.
func opTargets(data map[string]any) []string {
	var out []string
	if v, ok := lookup(data, "Numbers"); ok {
		list, _ := v.([]any)
		for _, n := range list {
			if t := scalar(n); t != "" {
				out = append(out, t)
			}
		}
	}
	if v, ok := lookup(data, "Ids"); ok {
		for id := range strings.SplitSeq(scalar(v), ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}
