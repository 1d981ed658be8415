package kingdee

import (
	"strings"
	"testing"
)

func TestErrorClassification(t *testing.T) {
	dup := "违反字段唯一性要求：编码唯一。[JST-1]在当前系统中已经被使用。"
	audited := "单据编号为“TK202504030001”的销售出库单，单据已经审核！"
	tests := []struct {
		name                                     string
		code                                     int
		msg                                      string
		lost, transient, exists, done, permanent bool
		submitted                                bool
	}{
		{"session lost", 1, "会话信息已丢失，请重新登录", true, false, false, false, false, false},
		{"network conflict", 13, "网控冲突", false, true, false, false, false, false},
		{"call limit", 14, "调用次数超出限制", false, true, false, false, false, false},
		{"duplicate bill no", 11, dup, false, false, true, false, false, false},
		{"already audited", 11, audited, false, false, false, true, false, false},
		{"required field", 11, "字段“客户”是必填项", false, false, false, false, true, false},
		{"uniqueness text other code", 4, dup, false, false, false, false, true, false},
		{"no permission", 2, "没有权限", false, false, false, false, true, false},
		{"not operable", 12, "单据已提交，不能修改", false, false, false, false, true, false},
		{"already submitted", 11, "单据编号为“JST-1”的销售订单，单据已经提交！",
			false, false, false, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Error{Op: "save", MsgCode: tt.code, Items: []ErrorItem{{Message: tt.msg}}}
			got := []bool{e.SessionLost(), e.Transient(), e.AlreadyExists(),
				e.AlreadyAudited(), e.Permanent(), e.AlreadySubmitted()}
			want := []bool{tt.lost, tt.transient, tt.exists, tt.done, tt.permanent,
				tt.submitted}
			for i, name := range []string{"SessionLost", "Transient", "AlreadyExists",
				"AlreadyAudited", "Permanent", "AlreadySubmitted"} {
				if got[i] != want[i] {
					t.Errorf("%s() for msgcode %d %q = %v, want %v",
						name, tt.code, tt.msg, got[i], want[i])
				}
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{Op: "save", FormID: "SAL_SaleOrder", MsgCode: 11, Items: []ErrorItem{
		{FieldName: "FCustId", Message: "字段“客户”是必填项"},
		{Message: "second"},
	}}
	want := "kingdee: save SAL_SaleOrder: msgcode 11: FCustId: 字段“客户”是必填项; second"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := (&HTTPError{Status: 502}).Error(); !strings.Contains(got, "502") {
		t.Errorf("HTTPError.Error() = %q, want the status", got)
	}
}
