package mapping

import (
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/orderbridge/orderbridge/pkg/bill"
)

// maxPrecision bounds a form's precision; Kingdee keeps at most 10 places.
const maxPrecision = 10

// formYAML is one entry of a mapping file's forms section. A field left
// out keeps its value in bill.DefaultSettings.
type formYAML struct {
	BillType             *string `yaml:"bill_type"`
	Currency             *string `yaml:"currency"`
	ExchangeType         *string `yaml:"exchange_type"`
	TaxRate              *string `yaml:"tax_rate"`
	Precision            *int    `yaml:"precision"`
	Unit                 *string `yaml:"unit"`
	FreightMaterial      *string `yaml:"freight_material"`
	ReturnType           *string `yaml:"return_type"`
	StockStatus          *string `yaml:"stock_status"`
	DefectiveStockStatus *string `yaml:"defective_stock_status"`
	SettleType           *string `yaml:"settle_type"`
	Purpose              *string `yaml:"purpose"`
	Account              *string `yaml:"account"`
	SourceNoField        *string `yaml:"source_no_field"`
}

// settingsOf lays forms over bill.DefaultSettings. A form the defaults do
// not know is a problem: bill.Build could not use it.
func settingsOf(forms map[string]formYAML, p *problems) bill.Settings {
	s := bill.DefaultSettings()
	for _, form := range sortedKeys(forms) {
		fs, ok := s[form]
		if !ok {
			p.addf("forms."+form, "unknown form; want one of %s", knownForms())
			continue
		}
		f := forms[form]
		for _, set := range []struct {
			dst *string
			src *string
		}{
			{&fs.BillType, f.BillType},
			{&fs.Currency, f.Currency},
			{&fs.ExchangeType, f.ExchangeType},
			{&fs.TaxRate, f.TaxRate},
			{&fs.Unit, f.Unit},
			{&fs.FreightMaterial, f.FreightMaterial},
			{&fs.ReturnType, f.ReturnType},
			{&fs.StockStatus, f.StockStatus},
			{&fs.DefectiveStockStatus, f.DefectiveStockStatus},
			{&fs.SettleType, f.SettleType},
			{&fs.Purpose, f.Purpose},
			{&fs.Account, f.Account},
			{&fs.SourceNoField, f.SourceNoField},
		} {
			if set.src != nil {
				*set.dst = *set.src
			}
		}
		if f.Precision != nil {
			fs.Precision = *f.Precision
		}
		s[form] = fs
	}
	return s
}

// knownForms lists the forms bill.Build knows.
func knownForms() string {
	return strings.Join(slices.Sorted(maps.Keys(bill.DefaultSettings())), ", ")
}

// checkSettings checks the values of every form's settings.
func checkSettings(s bill.Settings, p *problems) {
	for _, form := range sortedKeys(s) {
		fs := s[form]
		path := "forms." + form
		if fs.TaxRate != "" {
			if d, err := decimal.NewFromString(fs.TaxRate); err != nil ||
				d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
				p.addf(path+".tax_rate", "%q: want a percentage from 0 to 100", fs.TaxRate)
			}
		}
		if fs.Precision < 0 || fs.Precision > maxPrecision {
			p.addf(path+".precision", "%d: want 0 to %d", fs.Precision, maxPrecision)
		}
	}
}

// checkFormsUsed checks that every form the rules route documents to has
// settings, with the bill type and currency every bill needs.
func checkFormsUsed(r Rules, s bill.Settings, p *problems) {
	used := map[string]string{r.OrderForm: "order_form"}
	for _, typ := range sortedKeys(r.AfterSaleForms) {
		if _, ok := used[r.AfterSaleForms[typ]]; !ok {
			used[r.AfterSaleForms[typ]] = "after_sale_forms." + typ
		}
	}
	for _, form := range sortedKeys(used) {
		fs, ok := s[form]
		switch {
		case !ok:
			p.addf(used[form], "%s has no settings in forms", form)
		case fs.BillType == "":
			p.addf("forms."+form+".bill_type", "required: %s routes to %s", used[form], form)
		case fs.Currency == "":
			p.addf("forms."+form+".currency", "required: %s routes to %s", used[form], form)
		}
	}
}
