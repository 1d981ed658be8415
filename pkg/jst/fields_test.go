package jst

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestFieldSwitchesCoverEveryTag checks that the field switches of the
// document reader, written out by hand for speed, name every loose field
// of each struct by its json tag and return that very field: a field added
// to a struct and forgotten in its switch would be dropped silently.
func TestFieldSwitchesCoverEveryTag(t *testing.T) {
	checkFields(t, &Order{}, (*Order).field)
	checkFields(t, &OrderItem{}, (*OrderItem).field)
	checkFields(t, &AfterSale{}, (*AfterSale).field)
	checkFields(t, &AfterSaleItem{}, (*AfterSaleItem).field)
}

func checkFields[T any](t *testing.T, v *T, field func(*T, []byte) json.Unmarshaler) {
	t.Helper()
	rv := reflect.ValueOf(v).Elem()
	unmarshaler := reflect.TypeFor[json.Unmarshaler]()
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !reflect.PointerTo(f.Type).Implements(unmarshaler) {
			continue
		}
		got := field(v, []byte(name))
		if got == nil {
			t.Errorf("%s.field(%q) = nil, want its field %s", rv.Type().Name(), name, f.Name)
			continue
		}
		if want := rv.Field(i).Addr().Interface(); got != want {
			t.Errorf("%s.field(%q) = another field, want %s", rv.Type().Name(), name, f.Name)
		}
	}
	if got := field(v, []byte("no_such_field")); got != nil {
		t.Errorf("%s.field(\"no_such_field\") = %T, want nil", rv.Type().Name(), got)
	}
}
