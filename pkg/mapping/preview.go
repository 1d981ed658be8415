package mapping

import (
	"encoding/json"
	"fmt"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// PreviewResult is what the pipeline would make of one raw document.
type PreviewResult struct {
	// Key is the document key, order.<o_id> or aftersale.<as_id>.
	Key string
	// Decision and Rule say whether the document is synced and which rule
	// decided.
	Decision Decision
	Rule     string
	// RulesVersion is the version of the rules applied.
	RulesVersion string
	// Doc is the canonical document the transformer would publish; nil
	// when the document is filtered.
	Doc *obv1.Document
	// FormID and BillNo name the Kingdee bill; Model is its Save model as
	// JSON, what the writer would send. All empty when filtered.
	FormID string
	BillNo string
	Model  json.RawMessage
}

// Preview maps the raw JST document of the given kind with m, as the
// transformer would, and builds the Kingdee bill of a synced document
// with settings, as the writer would. Nothing is sent anywhere. A
// document that cannot be mapped gives the *Error the transformer would
// dead-letter; one that cannot become a bill gives the error of
// bill.Build.
func Preview(
	m *Mapper,
	settings bill.Settings,
	kind jst.Kind,
	raw []byte,
) (*PreviewResult, error) {
	res, err := m.Map(kind, raw, Source{Gateway: "preview"})
	if err != nil {
		return nil, err
	}
	out := &PreviewResult{
		Key:          res.Key,
		Decision:     res.Decision,
		Rule:         res.Rule,
		RulesVersion: m.Version(),
		Doc:          res.Doc,
	}
	if res.Decision != Sync {
		return out, nil
	}

	b, err := bill.Build(res.Doc, settings)
	if err != nil {
		return nil, fmt.Errorf("mapping: preview %s: %w", res.Key, err)
	}
	model, err := json.Marshal(b.Model)
	if err != nil {
		return nil, fmt.Errorf("mapping: preview %s: encode model: %w", res.Key, err)
	}
	out.FormID, out.BillNo, out.Model = b.FormID, b.BillNo, model
	return out, nil
}
