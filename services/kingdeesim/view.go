package kingdeesim

import (
	"strconv"
	"strings"
	"unicode"
)

// viewAnswer is the answer of a successful View.
type viewAnswer struct {
	Result struct {
		ResponseStatus *respStatus
		Result         map[string]any
	}
}

// view answers View by Number or Id.
func (s *Sim) view(formID string, data map[string]any) (any, bool) {
	spec := forms[formID]
	if spec == nil {
		return wrapStatus(unknownForm(formID)), false
	}
	number := scalarKey(data, "Number")
	id, _ := strconv.ParseInt(scalarKey(data, "Id"), 10, 64)

	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stores[formID]
	rec := st.byNo[number]
	if rec == nil && id != 0 {
		rec = st.byID[id]
	}
	if rec == nil {
		key := number
		if key == "" {
			key = strconv.FormatInt(id, 10)
		}
		text := "单据编号为“" + key + "”的" + spec.name + "不存在！"
		return wrapStatus(failure(codeNotFound, msg(nil, text, 0))), false
	}

	var a viewAnswer
	a.Result.Result = viewOf(spec, rec)
	return a, true
}

// viewOf renders a bill the way View shows it: property names without the
// leading F, base data as {"Id", "Number"}, and the bill's status.
func viewOf(spec *formSpec, rec *record) map[string]any {
	out := map[string]any{
		"Id": rec.fid, "BillNo": rec.billNo, "DocumentStatus": rec.status,
		"FFormId": spec.id,
	}
	for k, v := range rec.model {
		if strings.EqualFold(k, "FID") || strings.EqualFold(k, "FBillNo") {
			continue
		}
		out[propertyName(k)] = viewValue(v)
	}
	return out
}

func viewValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if n, ok := lookup(x, "FNumber"); ok && len(x) == 1 {
			return map[string]any{"Id": 0, "Number": n}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[propertyName(k)] = viewValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = viewValue(e)
		}
		return out
	default:
		return v
	}
}

// propertyName drops the F of a field key such as FCustId; custom fields
// (F_...) keep their key.
func propertyName(key string) string {
	if len(key) > 1 && key[0] == 'F' && unicode.IsUpper(rune(key[1])) {
		return key[1:]
	}
	return key
}
