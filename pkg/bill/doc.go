// Package bill turns a canonical orderbridge document into the model of a
// Kingdee bill, ready for kingdee.Client.Save or BatchSave.
//
// [Build] picks the builder by the document's form id: SAL_SaleOrder or
// SAL_OUTSTOCK for a sales order, SAL_RETURNSTOCK for a return and
// AR_REFUNDBILL for a refund. [Settings] holds what the canonical document
// does not carry and an accountant configures per form: bill type,
// currency, tax rate, unit, stock statuses, settlement data and the
// optional freight material and source-number field.
//
// Goods lines with a zero quantity are left out; gift lines carry FIsFree
// and a zero price. A return line with a defective quantity becomes two
// entries, the defective part with the defective stock status.
//
// Base-data references are written as {"FNumber": ".."}, except the bill
// type, written {"FNUMBER": ".."} as in Kingdee's own samples. Dates are
// Beijing time in kingdee.TimeLayout. Amounts and quantities are
// json.Number values made from the exact decimal strings of the canonical
// document; no float64 ever holds one.
package bill
