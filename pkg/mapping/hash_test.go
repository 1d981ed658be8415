package mapping

import (
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

func mapSeed(t *testing.T, r Rules) *obv1.Document {
	t.Helper()
	res, err := newMapper(t, r).Map(jst.KindAfterSale, readFile(t, "aftersale_seed.json"),
		Source{Gateway: "openapi", RawSequence: 1})
	if err != nil {
		t.Fatal(err)
	}
	return res.Doc
}

func TestContentHash(t *testing.T) {
	base := mapSeed(t, testRules())
	want := ContentHash(base)
	if len(want) != 32 || base.GetContentHash() != want {
		t.Fatalf("ContentHash(seed) = %q (doc holds %q), want 32 hex digits, equal",
			want, base.GetContentHash())
	}

	same := []struct {
		name   string
		change func(d *obv1.Document)
	}{
		{"version", func(d *obv1.Document) { d.GetAfterSale().Source.Version++ }},
		{"raw sequence", func(d *obv1.Document) { d.GetAfterSale().Source.RawSequence = 99 }},
		{"gateway", func(d *obv1.Document) { d.GetAfterSale().Source.Gateway = "qimen" }},
		{"modified", func(d *obv1.Document) {
			d.GetAfterSale().Source.Modified = timestamppb.Now()
		}},
		{"hash field", func(d *obv1.Document) { d.ContentHash = "x" }},
	}
	for _, tt := range same {
		t.Run("same/"+tt.name, func(t *testing.T) {
			d := proto.CloneOf(base)
			tt.change(d)
			if got := ContentHash(d); got != want {
				t.Errorf("ContentHash(seed with new %s) = %s, want %s", tt.name, got, want)
			}
		})
	}

	differ := []struct {
		name   string
		change func(d *obv1.Document)
	}{
		{"rules version", func(d *obv1.Document) {
			d.GetAfterSale().Source.RulesVersion = "test-2"
		}},
		{"qty", func(d *obv1.Document) {
			d.GetAfterSale().Lines[0].Qty = &obv1.Decimal{Value: "2"}
		}},
		{"material", func(d *obv1.Document) {
			d.GetAfterSale().Lines[0].MaterialNumber = "M"
		}},
		{"customer", func(d *obv1.Document) {
			d.GetAfterSale().Parties.CustomerNumber = "C2"
		}},
		{"bill no", func(d *obv1.Document) { d.GetAfterSale().BillNo = "X" }},
	}
	for _, tt := range differ {
		t.Run("differ/"+tt.name, func(t *testing.T) {
			d := proto.CloneOf(base)
			tt.change(d)
			if got := ContentHash(d); got == want {
				t.Errorf("ContentHash(seed with new %s) = %s, want a different hash",
					tt.name, got)
			}
		})
	}

	if ContentHash(base) != want || base.GetAfterSale().GetSource().GetVersion() == 0 {
		t.Errorf("ContentHash changed the document it hashed")
	}
}

func TestContentHashRulesVersion(t *testing.T) {
	r1, r2 := testRules(), testRules()
	r2.Version = "test-2"
	if ContentHash(mapSeed(t, r1)) == ContentHash(mapSeed(t, r2)) {
		t.Errorf("ContentHash equal under rules test-1 and test-2, want different")
	}
	if ContentHash(mapSeed(t, r1)) != ContentHash(mapSeed(t, r1)) {
		t.Errorf("ContentHash differs between two mappings of one document")
	}
}
