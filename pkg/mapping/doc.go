// Package mapping turns a JST document into the canonical document the
// writer posts to Kingdee, under rules a business user owns in one
// reviewed, versioned mapping file.
//
// # Rules and the mapping file
//
// [Rules] hold what a deployment configures: the Kingdee form of orders,
// the routing of after-sale types to forms, FBillNo templates, filters,
// the shop table (JST shop -> Kingdee customer, organisations,
// department, salesperson), the SKU table (strict or not), the stock
// table and field overrides. [DefaultRules] gives the defaults of the
// design. [New] validates rules and compiles their CEL expressions once,
// returning a [Mapper] that is safe for concurrent use.
//
// A mapping file (MAPPING_FILE) is YAML holding the rules and a forms
// section of per-form Kingdee settings ([bill.Settings]). [LoadFile]
// reads one into a [File]: rules, settings and the compiled Mapper, with
// the built-in defaults for every section left out. Loading checks
// everything and reports every problem with its line in a [*RulesError].
// [DefaultFile] is the File in force when there is no mapping file.
//
// # Decisions
//
// [Mapper.Map] parses the document, routes an after-sale by its type (a
// type with no route is never synced), drafts the canonical document
// without any lookup, and decides on the draft, so that a document that is
// filtered out is never a dead letter for a missing shop or SKU. The
// built-in decisions are:
//
//	order                         status == Sent                          -> OrderForm
//	after-sale 普通退货, 拒收退货  status == Confirmed, good_status ==
//	                              SELLER_RECEIVED, quantity from r_qty     -> SAL_RETURNSTOCK
//	after-sale 仅退款              status == Confirmed                      -> AR_REFUNDBILL
//	other after-sale types        not synced
//
// [Filters] replace them per kind with CEL rules over the draft (doc is
// an orderbridge.v1.SalesOrder or AfterSale); [DefaultFilters] writes the
// built-in decisions in CEL. Either way a result names the rule that
// decided, so that filters are counted by rule.
//
// A synced draft then gets its lookups (shop, SKUs, stock), its lines are
// checked, and [Overrides] (CEL expressions giving strings) may replace
// fields. Evaluation is bounded by a cost limit, so no rule can hang.
//
// # Errors
//
// A document that cannot be mapped (malformed value, missing id or SKU,
// negative quantity, unknown shop, unknown SKU in strict mode, a rule
// failing on it) gives an [*Error] with the document key, the field, the
// value and a short reason. Such an error is permanent: the caller
// dead-letters the document, and redriving it after the rules are fixed
// maps it.
//
// # Content hash and preview
//
// [ContentHash] identifies what a canonical document says, together with
// the rules version that produced it; see its comment for what it leaves
// out and why. [Preview] shows what the pipeline would make of a raw
// document: the canonical document, the decision and the Kingdee bill.
package mapping
