package kingdeesim

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"
)

// saveOptions are the Save flags the Sim honours.
type saveOptions struct {
	verify bool     // IsVerifyBaseDataField
	update []string // NeedUpDateFields
}

func parseSaveOptions(data map[string]any) saveOptions {
	var o saveOptions
	if v, ok := lookup(data, "IsVerifyBaseDataField"); ok {
		o.verify = strings.EqualFold(scalar(v), "true")
	}
	if v, ok := lookup(data, "NeedUpDateFields"); ok {
		list, _ := v.([]any)
		for _, k := range list {
			o.update = append(o.update, scalar(k))
		}
	}
	return o
}

// save answers Save.
func (s *Sim) save(formID string, data map[string]any) (any, bool) {
	var a saveAnswer
	a.Result.Id, a.Result.NeedReturnData = "", []struct{}{{}}
	spec := forms[formID]
	if spec == nil {
		a.Result.ResponseStatus = unknownForm(formID)
		return a, false
	}
	v, _ := lookup(data, "Model")
	model, ok := v.(map[string]any)
	if !ok {
		a.Result.ResponseStatus = failure(codeBadParam, msg(nil, "Model不能为空", 0))
		return a, false
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	rec, code, msgs := s.saveModel(spec, model, parseSaveOptions(data), 0)
	if len(msgs) > 0 {
		a.Result.ResponseStatus = failure(code, msgs...)
		return a, false
	}
	st := newStatus()
	st.IsSuccess = true
	st.SuccessEntitys = append(st.SuccessEntitys, respEntity{Id: rec.fid, Number: rec.billNo})
	a.Result.ResponseStatus, a.Result.Id, a.Result.Number = st, rec.fid, rec.billNo
	return a, true
}

// batchAnswer is the answer of BatchSave.
type batchAnswer struct {
	Result struct {
		ResponseStatus *respStatus
		NeedReturnData []struct{}
	}
}

// batchSave answers BatchSave: each model is saved or refused on its own.
func (s *Sim) batchSave(formID string, data map[string]any) (any, bool, int) {
	var a batchAnswer
	spec := forms[formID]
	v, _ := lookup(data, "Model")
	models, ok := v.([]any)
	switch {
	case spec == nil:
		a.Result.ResponseStatus = unknownForm(formID)
		return a, false, 0
	case !ok || len(models) == 0:
		a.Result.ResponseStatus = failure(codeBadParam, msg(nil, "Model不能为空", 0))
		return a, false, 0
	}

	opts := parseSaveOptions(data)
	st := newStatus()
	s.mu.Lock()
	for i, m := range models {
		a.Result.NeedReturnData = append(a.Result.NeedReturnData, struct{}{})
		model, ok := m.(map[string]any)
		if !ok {
			st.Errors = append(st.Errors, msg(nil, "Model格式不正确", i))
			st.MsgCode = codeBadParam
			continue
		}
		rec, code, msgs := s.saveModel(spec, model, opts, i)
		if len(msgs) > 0 {
			st.Errors = append(st.Errors, msgs...)
			st.MsgCode = code
			continue
		}
		st.SuccessEntitys = append(st.SuccessEntitys,
			respEntity{Id: rec.fid, Number: rec.billNo, DIndex: i})
	}
	s.mu.Unlock()

	st.IsSuccess = len(st.Errors) == 0
	if !st.IsSuccess {
		st.ErrorCode = 500
	}
	a.Result.ResponseStatus = st
	return a, st.IsSuccess, len(models)
}

// saveModel validates and stores one model; the caller holds s.mu. It
// returns the record, or a MsgCode and the messages of a refusal.
func (s *Sim) saveModel(
	spec *formSpec,
	model map[string]any,
	opts saveOptions,
	dIndex int,
) (*record, int, []respMsg) {
	st := s.stores[spec.id]
	var rec *record
	if fid := fidOf(model); fid != 0 {
		rec = st.byID[fid]
		if rec == nil {
			return nil, codeValidation, []respMsg{msg(strp("FID"),
				fmt.Sprintf("单据内码[%d]不存在或已被删除", fid), dIndex)}
		}
		if m := notEditable(spec, rec); m != "" {
			return nil, codeNotOperable, []respMsg{msg(nil, m, dIndex)}
		}
		model = mergeModel(rec.model, model, opts.update)
	}

	msgs, date := s.validate(spec, model, opts.verify, dIndex)
	billNo := scalarKey(model, "FBillNo")
	if billNo == "" && rec != nil {
		billNo = rec.billNo
	}
	if other := st.byNo[billNo]; billNo != "" && other != nil && other != rec {
		msgs = append(msgs, msg(strp("FBillNo"), "违反字段唯一性要求：编码唯一。["+
			billNo+"]在当前系统中已经被使用。", dIndex))
	}
	if len(msgs) > 0 {
		return nil, codeValidation, msgs
	}

	oldNo := ""
	if rec == nil {
		s.nextID++
		rec = &record{fid: s.nextID, status: statusCreated}
		if billNo == "" {
			billNo = fmt.Sprintf("%s%06d", spec.prefix, s.nextID-100000)
		}
	} else {
		oldNo = rec.billNo
	}
	model = maps.Clone(model)
	model["FID"], model["FBillNo"] = rec.fid, billNo
	rec.billNo, rec.model, rec.date = billNo, model, date
	rec.saves++
	st.put(rec, oldNo)
	return rec, 0, nil
}

// notEditable returns Kingdee's refusal to save over a submitted or
// audited bill, or "".
func notEditable(spec *formSpec, rec *record) string {
	prefix := "单据编号为“" + rec.billNo + "”的" + spec.name + "，"
	switch rec.status {
	case statusSubmitted:
		return prefix + "单据已提交，不允许修改！"
	case statusAudited:
		return prefix + "单据已审核，不允许修改！"
	}
	return ""
}

// mergeModel lays an update over the stored model: every key of the
// update, or only the NeedUpDateFields when given (an entry path such as
// "FEntity.FQty" replaces the whole entry list).
func mergeModel(old, upd map[string]any, fields []string) map[string]any {
	out := maps.Clone(old)
	if len(fields) == 0 {
		maps.Copy(out, upd)
		return out
	}
	for _, f := range fields {
		top, _, _ := strings.Cut(f, ".")
		for k, v := range upd {
			if strings.EqualFold(k, top) {
				out[k] = v
			}
		}
	}
	return out
}

// validate checks required fields, dates and base data; materials and
// customers are always resolved, other base data only when verify is set.
func (s *Sim) validate(
	spec *formSpec,
	m map[string]any,
	verify bool,
	dIndex int,
) ([]respMsg, time.Time) {
	var msgs []respMsg
	check := func(row map[string]any, f field, where string) {
		v := lookupPath(row, f.key)
		n := refNumber(v)
		switch {
		case n == "" && f.required:
			msgs = append(msgs, msg(strp(f.key), where+"字段“"+f.label+"”是必填项", dIndex))
		case n != "" && f.kind != "" && !s.hasBase(f.kind, n) &&
			(verify || f.kind == kindMaterial || f.kind == kindCustomer):
			msgs = append(msgs, msg(strp(f.key),
				where+"字段“"+f.label+"”的值“"+n+"”在系统中不存在", dIndex))
		}
	}
	for _, f := range spec.header {
		check(m, f, "")
	}

	rows := spec.entries(m)
	if len(rows) == 0 {
		msgs = append(msgs, msg(strp(spec.entity), "单据体至少需要录入一行分录", dIndex))
	}
	for i, row := range rows {
		for _, f := range spec.entry {
			check(row, f, "第"+strconv.Itoa(i+1)+"行")
		}
	}

	var date time.Time
	if text := scalarKey(m, "FDate"); text != "" {
		var err error
		if date, err = parseDate(text); err != nil {
			msgs = append(msgs, msg(strp("FDate"), "字段“日期”的值格式不正确", dIndex))
		}
	}
	return msgs, date
}

// parseDate reads a Kingdee date in the layouts clients send.
func parseDate(s string) (time.Time, error) {
	var err error
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

func scalarKey(m map[string]any, key string) string {
	v, _ := lookup(m, key)
	return scalar(v)
}

func fidOf(m map[string]any) int64 {
	n, _ := strconv.ParseInt(scalarKey(m, "FID"), 10, 64)
	return n
}
