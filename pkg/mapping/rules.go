package mapping

import (
	"maps"
	"slices"
)

// Kingdee forms the mapping routes documents to.
const (
	FormSaleOrder    = "SAL_SaleOrder"
	FormOutStock     = "SAL_OUTSTOCK"
	FormReturnStock  = "SAL_RETURNSTOCK"
	FormRefundBill   = "AR_REFUNDBILL"
	defaultVersion   = "default"
	defaultOrderBill = "JST-{o_id}"
	defaultASBill    = "JST-AS-{as_id}"
)

// Rules configure the mapping of one deployment. The YAML keys of a mapping
// file are the snake_case names in the tags.
type Rules struct {
	// Version identifies the rules; it is recorded in Source.rules_version
	// and covered by the content hash. LoadRules derives one from the file's
	// content when the file gives none.
	Version string `yaml:"version"`
	// OrderForm is the Kingdee form orders go to: SAL_SaleOrder or
	// SAL_OUTSTOCK.
	OrderForm string `yaml:"order_form"`
	// AfterSaleForms routes a JST after-sale type (普通退货, 仅退款, ...) to
	// its Kingdee form: SAL_RETURNSTOCK (quantities from r_qty) or
	// AR_REFUNDBILL. A type missing here is never synced. Nil means the
	// built-in routing of DefaultAfterSaleForms.
	AfterSaleForms map[string]string `yaml:"after_sale_forms"`
	// OrderBillNo and AfterSaleBillNo are FBillNo templates. Placeholders:
	// {o_id}, {so_id}, {shop_id} for orders; {as_id}, {o_id}, {so_id},
	// {outer_as_id}, {shop_id} for after-sales. The first must contain
	// {o_id} and the second {as_id}, so that bill numbers are unique.
	OrderBillNo     string `yaml:"order_bill_no"`
	AfterSaleBillNo string `yaml:"after_sale_bill_no"`
	// Filters decide which documents are synced; see Filters.
	Filters Filters `yaml:"filters"`
	// Shops maps a JST shop_id to its Kingdee parties. A document from a shop
	// missing here cannot be mapped.
	Shops map[string]Shop `yaml:"shops"`
	// SKUs maps a JST sku_id to a Kingdee material number. A SKU missing
	// here is sent as its own material number, unless StrictSKUs is set.
	SKUs       map[string]string `yaml:"skus"`
	StrictSKUs bool              `yaml:"strict_skus"`
	// Stocks maps "<wms_co_id>/<wh_id>" or "<wms_co_id>" to a Kingdee stock
	// number. After-sales look up the pair first, then the warehouse
	// company; orders look up the warehouse company. DefaultStock applies
	// when neither is found; empty leaves the stock to Kingdee.
	Stocks       map[string]string `yaml:"stocks"`
	DefaultStock string            `yaml:"default_stock"`
	// Overrides replace fields of the mapped document; see Overrides.
	Overrides Overrides `yaml:"overrides"`
}

// Shop holds the Kingdee numbers of the parties a JST shop's bills name.
// StockOrg and SettleOrg default to SaleOrg when empty.
type Shop struct {
	Customer    string `yaml:"customer"`
	SaleOrg     string `yaml:"sale_org"`
	StockOrg    string `yaml:"stock_org"`
	SettleOrg   string `yaml:"settle_org"`
	Department  string `yaml:"department"`
	Salesperson string `yaml:"salesperson"`
}

// Filters hold the filter rules of each document kind. A kind with no
// rules (nil) uses the built-in decisions of the design, which
// DefaultFilters writes out in CEL.
//
// The rules of a kind are tried in order on the document mapped before
// any lookup (parties, materials and stocks are still empty; form_id,
// bill_no, status and the lines are set). The first rule whose expression
// is true decides: sync or skip. When none is true the document is
// skipped under the rule name "<kind>.no_rule_matched".
type Filters struct {
	Order     []FilterRule `yaml:"order"`
	AfterSale []FilterRule `yaml:"aftersale"`
}

// FilterRule is one filter: a name, reported as Result.Rule and counted in
// metrics, and exactly one of Sync and Skip, a CEL expression over doc
// (an orderbridge.v1.SalesOrder or AfterSale) that gives a bool.
type FilterRule struct {
	Name string `yaml:"name"`
	Sync string `yaml:"sync"`
	Skip string `yaml:"skip"`
}

// Overrides replace string fields of the mapped document of each kind,
// after every lookup. A key names the field as in the proto: "note",
// "bill_no", "parties.department_number", or "lines.material_number" for
// a field of every line. The value is a CEL expression that gives a
// string; it sees doc, and line for a line field. Every expression sees
// the document as the lookups left it, before any override applies.
type Overrides struct {
	Order     map[string]string `yaml:"order"`
	AfterSale map[string]string `yaml:"aftersale"`
}

// DefaultRules returns the rules of the design: orders to SAL_SaleOrder as
// JST-<o_id>, after-sales routed by DefaultAfterSaleForms as
// JST-AS-<as_id>, the built-in filters, version "default", and empty
// shop, SKU and stock tables. With an empty shop table every synced
// document is an unknown_shop error, so a deployment always supplies shops.
func DefaultRules() Rules {
	return Rules{
		Version:         defaultVersion,
		OrderForm:       FormSaleOrder,
		AfterSaleForms:  DefaultAfterSaleForms(),
		OrderBillNo:     defaultOrderBill,
		AfterSaleBillNo: defaultASBill,
	}
}

// DefaultAfterSaleForms returns the built-in routing: 普通退货 and 拒收退货
// to SAL_RETURNSTOCK, 仅退款 to AR_REFUNDBILL.
func DefaultAfterSaleForms() map[string]string {
	return map[string]string{
		typeReturn:     FormReturnStock,
		typeRejected:   FormReturnStock,
		typeRefundOnly: FormRefundBill,
	}
}

// clone returns r with its own copies of every table.
func (r Rules) clone() Rules {
	r.AfterSaleForms = maps.Clone(r.AfterSaleForms)
	r.Filters.Order = slices.Clone(r.Filters.Order)
	r.Filters.AfterSale = slices.Clone(r.Filters.AfterSale)
	r.Shops = maps.Clone(r.Shops)
	r.SKUs = maps.Clone(r.SKUs)
	r.Stocks = maps.Clone(r.Stocks)
	r.Overrides.Order = maps.Clone(r.Overrides.Order)
	r.Overrides.AfterSale = maps.Clone(r.Overrides.AfterSale)
	return r
}

// normalize fills the defaults of empty fields and checks the tables,
// adding what is wrong to p.
func (r *Rules) normalize(p *problems) {
	if r.Version == "" {
		r.Version = defaultVersion
	}
	if r.OrderForm == "" {
		r.OrderForm = FormSaleOrder
	}
	if r.AfterSaleForms == nil {
		r.AfterSaleForms = DefaultAfterSaleForms()
	}
	if r.OrderBillNo == "" {
		r.OrderBillNo = defaultOrderBill
	}
	if r.AfterSaleBillNo == "" {
		r.AfterSaleBillNo = defaultASBill
	}

	if r.OrderForm != FormSaleOrder && r.OrderForm != FormOutStock {
		p.addf("order_form", "%q: want %s or %s", r.OrderForm, FormSaleOrder, FormOutStock)
	}
	for _, typ := range sortedKeys(r.AfterSaleForms) {
		form := r.AfterSaleForms[typ]
		if form != FormReturnStock && form != FormRefundBill {
			p.addf("after_sale_forms."+typ, "%q: want %s or %s",
				form, FormReturnStock, FormRefundBill)
		}
	}
	if r.StrictSKUs && len(r.SKUs) == 0 {
		p.addf("strict_skus", "strict_skus needs a skus table")
	}
	r.normalizeShops(p)
	for _, sku := range sortedKeys(r.SKUs) {
		if sku == "" || r.SKUs[sku] == "" {
			p.addf("skus."+sku, "empty entry %q: %q", sku, r.SKUs[sku])
		}
	}
	for _, key := range sortedKeys(r.Stocks) {
		if key == "" || r.Stocks[key] == "" {
			p.addf("stocks."+key, "empty entry %q: %q", key, r.Stocks[key])
		}
	}
}

// normalizeShops checks the shop table and fills the organisations that
// default to the sale organisation.
func (r *Rules) normalizeShops(p *problems) {
	for _, id := range sortedKeys(r.Shops) {
		s := r.Shops[id]
		path := "shops." + id
		if isBlank(id) {
			p.addf(path, "empty shop id")
		}
		if s.Customer == "" {
			p.addf(path+".customer", "customer is required")
		}
		if s.SaleOrg == "" {
			p.addf(path+".sale_org", "sale_org is required")
		}
		if s.StockOrg == "" {
			s.StockOrg = s.SaleOrg
		}
		if s.SettleOrg == "" {
			s.SettleOrg = s.SaleOrg
		}
		r.Shops[id] = s
	}
}

// sortedKeys returns the keys of m in order, so that problems are listed
// the same way every time.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// isBlank reports whether s holds nothing but spaces.
func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}
