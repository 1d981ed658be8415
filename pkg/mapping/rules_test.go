package mapping

import (
	"errors"
	"strings"
	"testing"
)

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *Rules)
		want   string
	}{
		{"bad form", func(r *Rules) { r.OrderForm = "SAL_RETURNSTOCK" }, "order_form"},
		{"no id in order bill", func(r *Rules) { r.OrderBillNo = "JST-{so_id}" }, "{o_id}"},
		{"no id in after-sale bill", func(r *Rules) { r.AfterSaleBillNo = "AS" }, "{as_id}"},
		{"unknown placeholder", func(r *Rules) { r.OrderBillNo = "{o_id}-{x}" }, "{x}"},
		{"unclosed brace", func(r *Rules) { r.AfterSaleBillNo = "{as_id}-{o_id" }, "unclosed"},
		{"strict without table", func(r *Rules) {
			r.StrictSKUs, r.SKUs = true, nil
		}, "strict_skus"},
		{"shop without customer", func(r *Rules) {
			r.Shops["9"] = Shop{SaleOrg: "100"}
		}, "shops.9.customer"},
		{"empty sku entry", func(r *Rules) { r.SKUs["X"] = "" }, "skus"},
		{"empty stock entry", func(r *Rules) { r.Stocks[""] = "CK" }, "stocks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRules()
			tt.change(&r)
			_, err := New(r)
			if !errors.Is(err, ErrInvalidRules) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New(%s) error = %v, want ErrInvalidRules naming %q",
					tt.name, err, tt.want)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	m, err := New(Rules{})
	if err != nil {
		t.Fatalf("New(Rules{}) error: %v", err)
	}
	want := DefaultRules()
	if m.rules.Version != want.Version || m.rules.OrderForm != want.OrderForm ||
		m.rules.OrderBillNo != want.OrderBillNo ||
		m.rules.AfterSaleBillNo != want.AfterSaleBillNo {
		t.Errorf("New(Rules{}) rules = %+v, want the defaults %+v", m.rules, want)
	}
}

func TestNewCopiesTables(t *testing.T) {
	r := testRules()
	m := newMapper(t, r)
	r.Shops["13046812"] = Shop{Customer: "CHANGED", SaleOrg: "1"}
	r.SKUs["SKU-A-RED-M"] = "CHANGED"
	if got := m.rules.Shops["13046812"].Customer; got != "CUST-DY" {
		t.Errorf("Mapper shop after caller change = %q, want CUST-DY", got)
	}
	if got := m.rules.SKUs["SKU-A-RED-M"]; got != "M-0001" {
		t.Errorf("Mapper SKU after caller change = %q, want M-0001", got)
	}
}

func TestTemplateRender(t *testing.T) {
	tmpl, err := parseTemplate("AS{as_id}/{so_id}-x",
		[]string{"as_id", "so_id"}, "as_id")
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{"as_id": "1", "so_id": "P2"}
	got := tmpl.render(func(f string) string { return values[f] })
	if got != "AS1/P2-x" {
		t.Errorf("render(AS{as_id}/{so_id}-x) = %q, want AS1/P2-x", got)
	}
}
