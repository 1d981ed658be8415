package mapping

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/jst"
)

func TestLoadFile(t *testing.T) {
	f, err := LoadFile(filepath.Join("testdata", "mapping.yaml"))
	if err != nil {
		t.Fatalf("LoadFile(mapping.yaml) error: %v", err)
	}
	if f.Rules.Version != "2026-12-03" || !strings.HasPrefix(f.Hash, "sha256:") ||
		f.Mapper.Version() != "2026-12-03" {
		t.Errorf("LoadFile(mapping.yaml) version %q hash %q, want 2026-12-03 sha256:…",
			f.Rules.Version, f.Hash)
	}
	want := bill.DefaultSettings()
	so := want[bill.FormSaleOrder]
	so.TaxRate, so.FreightMaterial = "9", "FREIGHT"
	want[bill.FormSaleOrder] = so
	rs := want[bill.FormReturnStock]
	rs.Precision = 4
	want[bill.FormReturnStock] = rs
	rf := want[bill.FormRefund]
	rf.Account = "6222000000000000"
	want[bill.FormRefund] = rf
	for form, fs := range want {
		if f.Settings[form] != fs {
			t.Errorf("LoadFile(mapping.yaml) forms.%s = %+v, want %+v",
				form, f.Settings[form], fs)
		}
	}

	res, err := f.Mapper.Map(jst.KindOrder, readFile(t, "order_sent.json"), Source{})
	if err != nil {
		t.Fatalf("Map(order_sent) error: %v", err)
	}
	so2 := res.Doc.GetSalesOrder()
	lines := so2.GetLines()
	if res.Rule != RuleOrderSent || so2.GetNote() != "JST 3401234567890123456" ||
		lines[2].GetMaterialNumber() != "M-GIFT" || lines[2].GetUnitNumber() != "Pcs" ||
		lines[0].GetUnitNumber() != "" {
		t.Errorf("Map(order_sent) under mapping.yaml = rule %q note %q gift %q/%q, "+
			"want %q, JST 3401234567890123456, M-GIFT/Pcs", res.Rule, so2.GetNote(),
			lines[2].GetMaterialNumber(), lines[2].GetUnitNumber(), RuleOrderSent)
	}
}

func TestLoadFileDefaults(t *testing.T) {
	f, err := ParseFile("min.yaml", []byte("shops:\n  \"1\": {customer: C, sale_org: \"100\"}\n"))
	if err != nil {
		t.Fatalf("ParseFile(min.yaml) error: %v", err)
	}
	d := DefaultFile()
	if f.Rules.Version != f.Hash || f.Rules.OrderForm != FormSaleOrder ||
		len(f.Rules.AfterSaleForms) != 3 || f.Rules.Filters.Order != nil {
		t.Errorf("ParseFile(min.yaml) rules = %+v, want the defaults, version %s",
			f.Rules, f.Hash)
	}
	if len(f.Settings) != len(d.Settings) || d.Rules.Version != "default" || d.Hash != "" {
		t.Errorf("DefaultFile() = %+v, want default rules and settings", d)
	}
}

// TestLoadFileProblems checks that every problem of a broken file is
// reported, each with its line and path.
func TestLoadFileProblems(t *testing.T) {
	_, err := LoadFile(filepath.Join("testdata", "mapping_bad.yaml"))
	var re *RulesError
	if !errors.As(err, &re) || !errors.Is(err, ErrInvalidRules) {
		t.Fatalf("LoadFile(mapping_bad.yaml) error = %v, want *RulesError", err)
	}
	want := []string{
		`mapping_bad.yaml:5: after_sale_forms.换货: "SAL_EXCHANGE"`,
		`mapping_bad.yaml:9: filters.order[0].sync: undefined field 'staus'`,
		`mapping_bad.yaml:10: filters.order[1].name: "order.sent" is used twice`,
		`mapping_bad.yaml:11: filters.order[1].skip: gives string, want bool`,
		`mapping_bad.yaml:12: filters.order[2]: give sync or skip, not both`,
		`mapping_bad.yaml:16: shops.13046812.customer: customer is required`,
		`mapping_bad.yaml:18: skus.SKU-A: empty entry`,
		`mapping_bad.yaml:21: overrides.order.bill_no: gives int, want string`,
		`mapping_bad.yaml:22: overrides.order.lines.colour: Line has no field "colour"`,
		`mapping_bad.yaml:23: overrides.order.form_id: form_id is set by`,
		`mapping_bad.yaml:26: forms.SAL_SaleOrder.tax_rate: "thirteen"`,
		`mapping_bad.yaml:27: forms.SAL_PURCHASE: unknown form`,
	}
	lines := strings.Split(err.Error(), "\n")[1:]
	if len(lines) != len(want) || len(re.Problems) != len(want) {
		t.Fatalf("LoadFile(mapping_bad.yaml) = %d problems:\n%s\nwant %d",
			len(lines), err, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("LoadFile(mapping_bad.yaml) problem %d = %q, want %q…", i, lines[i], w)
		}
	}
}

func TestParseFileErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"syntax", "shops: [\n", "m.yaml:"},
		{"undeclared", "filters:\n  order:\n    - {name: a, sync: 'staus == 1'}\n",
			"m.yaml:3: filters.order[0].sync: undeclared reference to 'staus'"},
		{"not bool", "filters:\n  aftersale:\n    - {name: a, skip: doc.lines}\n",
			"filters.aftersale[0].skip: gives list(orderbridge.v1.Line), want bool"},
		{"no expression", "filters:\n  order:\n    - {name: a}\n", "give sync or skip"},
		{"no name", "filters:\n  order:\n    - {sync: 'true'}\n", "a name is required"},
		{"too long", "filters:\n  order:\n    - {name: a, sync: '" +
			strings.Repeat("true && ", 600) + "true'}\n", "size exceeds limit"},
		{"override not string", "overrides:\n  order: {note: '1 + 1'}\n",
			"m.yaml:2: overrides.order.note: gives int"},
		{"override of a number", "overrides:\n  order: {lines.is_gift: 'true'}\n",
			"Line.is_gift is not a string field"},
		{"parties", "overrides:\n  aftersale: {parties.boss: '\"x\"'}\n",
			`Parties has no field "boss"`},
		{"bad precision", "forms:\n  SAL_SaleOrder: {precision: 11}\n",
			"m.yaml:2: forms.SAL_SaleOrder.precision: 11"},
		{"form without bill type", "order_form: SAL_OUTSTOCK\n" +
			"forms:\n  SAL_OUTSTOCK: {bill_type: \"\"}\n",
			"forms.SAL_OUTSTOCK.bill_type: required: order_form routes to SAL_OUTSTOCK"},
		{"unknown key in forms", "forms:\n  AR_REFUNDBILL: {acount: x}\n",
			"m.yaml:2: field acount not found"},
		{"unknown key in filters", "filters:\n  order:\n    - {name: a, when: x}\n",
			"m.yaml:3: field when not found"},
		{"bad template", "order_bill_no: 'JST-{so_id}'\n",
			"m.yaml:1: order_bill_no: \"JST-{so_id}\": must contain {o_id}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFile("dir/m.yaml", []byte(tt.yaml))
			if !errors.Is(err, ErrInvalidRules) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseFile(%s) error = %v, want one naming %q", tt.name, err, tt.want)
			}
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile(filepath.Join(t.TempDir(), "none.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(none.yaml) error = %v, want os.ErrNotExist", err)
	}
}

func TestNewFile(t *testing.T) {
	f, err := NewFile(testRules(), nil)
	if err != nil || f.Rules.Version != "test-1" || len(f.Settings) != 4 {
		t.Fatalf("NewFile(testRules, nil) = %+v, %v, want test-1 with default settings", f, err)
	}
	s := bill.DefaultSettings()
	delete(s, bill.FormRefund)
	if _, err := NewFile(testRules(), s); err == nil ||
		!strings.Contains(err.Error(), "after_sale_forms.仅退款: AR_REFUNDBILL has no settings") {
		t.Errorf("NewFile(no refund settings) error = %v, want the route named", err)
	}
}
