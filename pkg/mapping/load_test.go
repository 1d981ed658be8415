package mapping

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadRules(t *testing.T) {
	r, err := LoadRules(filepath.Join("testdata", "rules.yaml"))
	if err != nil {
		t.Fatalf("LoadRules(rules.yaml) error: %v", err)
	}
	if r.Version != "2024-05-01" || r.OrderForm != FormOutStock ||
		r.DefaultStock != "CK-DEFAULT" || r.StrictSKUs {
		t.Errorf("LoadRules(rules.yaml) = %+v, want version 2024-05-01, %s, CK-DEFAULT",
			r, FormOutStock)
	}
	dy, ok := r.Shops["13046812"]
	if !ok || dy.Customer != "CUST-DOUYIN" || dy.Department != "D-ECOM" {
		t.Errorf("LoadRules(rules.yaml) shop 13046812 = %+v, %v, want CUST-DOUYIN", dy, ok)
	}
	if tm := r.Shops["20000001"]; tm.StockOrg != "101" || tm.SettleOrg != "102" {
		t.Errorf("LoadRules(rules.yaml) shop 20000001 = %+v, want stock 101 settle 102", tm)
	}
	if r.SKUs["SKU-A-RED-M"] != "M-0001" || r.Stocks["11322398/2"] != "CK-RETURNS" {
		t.Errorf("LoadRules(rules.yaml) tables = %v %v", r.SKUs, r.Stocks)
	}
	if _, err := New(r); err != nil {
		t.Errorf("New(LoadRules(rules.yaml)) error: %v", err)
	}
}

func TestLoadRulesDerivedVersion(t *testing.T) {
	path := filepath.Join("testdata", "rules_no_version.yaml")
	r, err := LoadRules(path)
	if err != nil {
		t.Fatalf("LoadRules(rules_no_version.yaml) error: %v", err)
	}
	if !strings.HasPrefix(r.Version, "sha256:") || len(r.Version) != len("sha256:")+16 {
		t.Errorf("LoadRules(rules_no_version.yaml).Version = %q, want sha256:<16 hex>",
			r.Version)
	}
	if r.OrderForm != FormSaleOrder || r.OrderBillNo != "JST-{o_id}" {
		t.Errorf("LoadRules(rules_no_version.yaml) = %+v, want the defaults", r)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited, err := ParseRules(append(data, "default_stock: CK\n"...))
	if err != nil {
		t.Fatal(err)
	}
	if edited.Version == r.Version {
		t.Errorf("ParseRules(edited file).Version = %q, want a new version", edited.Version)
	}
}

func TestLoadRulesErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown key", "", "rules_unknown_key.yaml:7: field sale_orgg not found"},
		{"wrong type", "strict_skus: maybe\n", "mapping.yaml:1: cannot unmarshal"},
		{"duplicate key", "version: a\nversion: b\n", "mapping.yaml:2: mapping key"},
		{"bad form", "order_form: AR_REFUNDBILL\n", "order_form"},
		{"two documents", "version: a\n---\nversion: b\n", "more than one"},
		{"not a map", "- a\n- b\n", "mapping.yaml:1: cannot unmarshal !!seq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.yaml == "" {
				_, err = LoadRules(filepath.Join("testdata", "rules_unknown_key.yaml"))
			} else {
				_, err = ParseRules([]byte(tt.yaml))
			}
			if !errors.Is(err, ErrInvalidRules) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadRules(%s) error = %v, want ErrInvalidRules naming %q",
					tt.name, err, tt.want)
			}
		})
	}

	_, err := LoadRules(filepath.Join("testdata", "missing.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadRules(missing.yaml) error = %v, want os.ErrNotExist", err)
	}
}
