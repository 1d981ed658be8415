package mapping

import (
	"fmt"
	"strings"
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
	// OrderBillNo and AfterSaleBillNo are FBillNo templates. Placeholders:
	// {o_id}, {so_id}, {shop_id} for orders; {as_id}, {o_id}, {so_id},
	// {outer_as_id}, {shop_id} for after-sales. The first must contain
	// {o_id} and the second {as_id}, so that bill numbers are unique.
	OrderBillNo     string `yaml:"order_bill_no"`
	AfterSaleBillNo string `yaml:"after_sale_bill_no"`
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

// DefaultRules returns the rules of the design: orders to SAL_SaleOrder as
// JST-<o_id>, after-sales as JST-AS-<as_id>, version "default", and empty
// shop, SKU and stock tables. With an empty shop table every document is an
// unknown_shop error, so a deployment always supplies shops.
func DefaultRules() Rules {
	return Rules{
		Version:         defaultVersion,
		OrderForm:       FormSaleOrder,
		OrderBillNo:     defaultOrderBill,
		AfterSaleBillNo: defaultASBill,
	}
}

// normalize fills the defaults of empty fields and checks the rules. It
// returns an error wrapping ErrInvalidRules that names the first problem.
func (r *Rules) normalize() error {
	if r.Version == "" {
		r.Version = defaultVersion
	}
	if r.OrderForm == "" {
		r.OrderForm = FormSaleOrder
	}
	if r.OrderBillNo == "" {
		r.OrderBillNo = defaultOrderBill
	}
	if r.AfterSaleBillNo == "" {
		r.AfterSaleBillNo = defaultASBill
	}

	if r.OrderForm != FormSaleOrder && r.OrderForm != FormOutStock {
		return invalid("order_form %q: want %s or %s", r.OrderForm, FormSaleOrder, FormOutStock)
	}
	if r.StrictSKUs && len(r.SKUs) == 0 {
		return invalid("strict_skus needs a skus table")
	}
	shops := make(map[string]Shop, len(r.Shops))
	for id, s := range r.Shops {
		if strings.TrimSpace(id) == "" {
			return invalid("shops: empty shop id")
		}
		if s.Customer == "" || s.SaleOrg == "" {
			return invalid("shops[%s]: customer and sale_org are required", id)
		}
		if s.StockOrg == "" {
			s.StockOrg = s.SaleOrg
		}
		if s.SettleOrg == "" {
			s.SettleOrg = s.SaleOrg
		}
		shops[id] = s
	}
	r.Shops = shops
	for sku, material := range r.SKUs {
		if sku == "" || material == "" {
			return invalid("skus: empty entry %q: %q", sku, material)
		}
	}
	for key, stock := range r.Stocks {
		if key == "" || stock == "" {
			return invalid("stocks: empty entry %q: %q", key, stock)
		}
	}
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidRules}, args...)...)
}
