// Package mapping turns a JST document into the canonical document the
// writer posts to Kingdee.
//
// # Rules
//
// [Rules] hold everything a deployment configures: the Kingdee form for
// orders, the FBillNo templates, the shop table (JST shop -> Kingdee
// customer, organisations, department, salesperson), the SKU table and the
// stock table. [DefaultRules] gives the defaults of the design; [LoadRules]
// reads a YAML mapping file over them. [New] validates rules once and
// returns a [Mapper] that is safe for concurrent use.
//
// # Decisions
//
// [Mapper.Map] first decides whether a document is synced at all. The
// built-in rules are:
//
//	order                         status == Sent                          -> OrderForm
//	after-sale 普通退货, 拒收退货  status == Confirmed, good_status ==
//	                              SELLER_RECEIVED, quantity from r_qty     -> SAL_RETURNSTOCK
//	after-sale 仅退款              status == Confirmed                      -> AR_REFUNDBILL
//	other after-sale types        not synced
//
// A document that is not synced comes back as [Filtered] with the name of
// the rule that filtered it (the Rule* constants), so that filters can be
// counted by rule. Filters written by users will report the same way.
//
// # Errors
//
// A document that cannot be mapped (malformed value, missing id or SKU,
// negative quantity, unknown shop, unknown SKU in strict mode) gives an
// [*Error] with the document key, the field, the value and a short reason.
// Such an error is permanent: the caller dead-letters the document.
//
// # Content hash
//
// [ContentHash] identifies what a canonical document says, together with
// the rules version that produced it; see its comment for what it leaves
// out and why.
package mapping
