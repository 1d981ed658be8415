package kingdeesim

import (
	"encoding/json"
	"fmt"
	"strings"
)

// field is a field of a form the Sim checks. A key may be a path into a
// sub-entity, such as "SubHeadEntity.FSettleCurrId".
type field struct {
	key      string
	label    string // the caption Kingdee's messages quote
	kind     string // base-data kind, "" for plain values
	required bool
}

// formSpec is what the Sim knows of one Kingdee form.
type formSpec struct {
	id     string
	name   string // the form's caption, quoted in operation messages
	prefix string // prefix of numbers the Sim assigns
	header []field
	entity string // the entry entity key
	entry  []field
}

var forms = map[string]*formSpec{
	"SAL_SaleOrder": {
		id: "SAL_SaleOrder", name: "销售订单", prefix: "XSDD",
		header: []field{
			{"FBillTypeID", "单据类型", kindBillType, true},
			{"FDate", "日期", "", true},
			{"FSaleOrgId", "销售组织", kindOrg, true},
			{"FCustId", "客户", kindCustomer, true},
			{"FSaleOrderFinance.FSettleCurrId", "结算币别", kindCurrency, true},
		},
		entity: "FSaleOrderEntry",
		entry: []field{
			{"FMaterialId", "物料编码", kindMaterial, true},
			{"FUnitID", "销售单位", kindUnit, true},
			{"FQty", "销售数量", "", true},
			{"FStockOrgId", "库存组织", kindOrg, false},
			{"FSettleOrgIds", "结算组织", kindOrg, false},
		},
	},
	"SAL_OUTSTOCK": {
		id: "SAL_OUTSTOCK", name: "销售出库单", prefix: "XSCKD",
		header: []field{
			{"FBillTypeID", "单据类型", kindBillType, true},
			{"FDate", "日期", "", true},
			{"FSaleOrgId", "销售组织", kindOrg, true},
			{"FStockOrgId", "发货组织", kindOrg, true},
			{"FCustomerID", "客户", kindCustomer, true},
			{"SubHeadEntity.FSettleCurrID", "结算币别", kindCurrency, true},
		},
		entity: "FEntity",
		entry: []field{
			{"FMaterialID", "物料编码", kindMaterial, true},
			{"FUnitID", "库存单位", kindUnit, true},
			{"FRealQty", "实发数量", "", true},
			{"FStockID", "仓库", kindStock, false},
			{"FStockStatusID", "库存状态", kindStockStatus, false},
		},
	},
	"SAL_RETURNSTOCK": {
		id: "SAL_RETURNSTOCK", name: "销售退货单", prefix: "XSTHD",
		header: []field{
			{"FBillTypeID", "单据类型", kindBillType, true},
			{"FDate", "日期", "", true},
			{"FSaleOrgId", "销售组织", kindOrg, true},
			{"FStockOrgId", "库存组织", kindOrg, true},
			{"FRetcustId", "退货客户", kindCustomer, true},
			{"SubHeadEntity.FSettleCurrId", "结算币别", kindCurrency, true},
		},
		entity: "FEntity",
		entry: []field{
			{"FMaterialId", "物料编码", kindMaterial, true},
			{"FUnitID", "库存单位", kindUnit, true},
			{"FRealQty", "实退数量", "", true},
			{"FStockId", "仓库", kindStock, true},
			{"FStockstatusId", "库存状态", kindStockStatus, false},
			{"FReturnType", "退货类型", "", false},
		},
	},
	"AR_REFUNDBILL": {
		id: "AR_REFUNDBILL", name: "收款退款单", prefix: "SKTKD",
		header: []field{
			{"FBillTypeID", "单据类型", kindBillType, true},
			{"FDate", "业务日期", "", true},
			{"FCONTACTUNIT", "往来单位", kindCustomer, true},
			{"FSETTLEORGID", "结算组织", kindOrg, true},
			{"FPAYORGID", "付款组织", kindOrg, false},
			{"FSALEORGID", "销售组织", kindOrg, false},
			{"FCURRENCYID", "币别", kindCurrency, true},
		},
		entity: "FREFUNDBILLENTRY",
		entry: []field{
			{"FSETTLETYPEID", "结算方式", kindSettleType, true},
			{"FPURPOSEID", "原收款用途", "", true},
			{"FREFUNDAMOUNTFOR_E", "应退金额", "", true},
		},
	},
}

// lookup returns m[key], matching the key without regard to case as
// Kingdee does.
func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// lookupPath follows a dotted path of object keys.
func lookupPath(m map[string]any, path string) any {
	var v any = m
	for part := range strings.SplitSeq(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v, _ = lookup(obj, part)
	}
	return v
}

// refNumber returns the number of a base-data reference {"FNumber": ..}.
func refNumber(v any) string {
	if obj, ok := v.(map[string]any); ok {
		n, _ := lookup(obj, "FNumber")
		return scalar(n)
	}
	return scalar(v)
}

// scalar returns a string, number or bool as text; "" for anything else.
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool, int64:
		return fmt.Sprint(x)
	default:
		return ""
	}
}

// entries returns the entry rows of m.
func (f *formSpec) entries(m map[string]any) []map[string]any {
	v, _ := lookup(m, f.entity)
	list, _ := v.([]any)
	var out []map[string]any
	for _, row := range list {
		if obj, ok := row.(map[string]any); ok {
			out = append(out, obj)
		}
	}
	return out
}
