package mapping

import (
	"errors"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// Mapper maps JST documents under one set of validated rules. It is safe
// for concurrent use.
type Mapper struct {
	rules     Rules
	orderBill template
	asBill    template
	// filters and overrides of each kind; nil means none (built-in
	// decisions, no overrides).
	orderFilters, asFilters   *filterSet
	orderOverride, asOverride *overrideSet
	places                    map[string]int32
}

// New validates r and returns a Mapper for it. Empty fields take their
// defaults (see DefaultRules), and a shop's stock and settlement
// organisations default to its sale organisation. Filters and overrides
// are compiled here, once. Invalid rules give a *RulesError, which wraps
// ErrInvalidRules and lists every problem. New copies the tables; later
// changes to r do not affect the Mapper.
func New(r Rules) (*Mapper, error) {
	return build(r, bill.DefaultSettings())
}

// build is New with the form settings that give the precision of derived
// amounts.
func build(r Rules, s bill.Settings) (*Mapper, error) {
	r = r.clone()
	var p problems
	r.normalize(&p)

	m := &Mapper{rules: r, places: make(map[string]int32, len(s))}
	for form, fs := range s {
		m.places[form] = int32(fs.Precision)
	}
	var err error
	m.orderBill, err = parseTemplate(r.OrderBillNo,
		[]string{"o_id", "so_id", "shop_id"}, "o_id")
	if err != nil {
		p.addf("order_bill_no", "%v", err)
	}
	m.asBill, err = parseTemplate(r.AfterSaleBillNo,
		[]string{"as_id", "o_id", "so_id", "outer_as_id", "shop_id"}, "as_id")
	if err != nil {
		p.addf("after_sale_bill_no", "%v", err)
	}

	envs, err := celEnvs()
	if err != nil {
		return nil, err
	}
	m.orderFilters = compileFilters(envs, jst.KindOrder, r.Filters.Order, &p)
	m.asFilters = compileFilters(envs, jst.KindAfterSale, r.Filters.AfterSale, &p)
	m.orderOverride = compileOverrides(envs, jst.KindOrder, r.Overrides.Order, &p)
	m.asOverride = compileOverrides(envs, jst.KindAfterSale, r.Overrides.AfterSale, &p)
	if err := p.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// Version returns the version of the Mapper's rules.
func (m *Mapper) Version() string { return m.rules.Version }

// Rules returns a copy of the Mapper's rules, with the defaults filled in.
func (m *Mapper) Rules() Rules { return m.rules.clone() }

// Decision says what became of a document.
type Decision int

// The decisions Map makes. The zero Decision is not one of them.
const (
	// Sync: the document is to be posted; Result.Doc holds it.
	Sync Decision = iota + 1
	// Filtered: a rule says the document is not to be posted.
	Filtered
)

// String returns "sync" or "filtered".
func (d Decision) String() string {
	switch d {
	case Sync:
		return "sync"
	case Filtered:
		return "filtered"
	}
	return "unknown"
}

// Result is the outcome of mapping one document.
type Result struct {
	// Key is the document key, order.<o_id> or aftersale.<as_id>.
	Key      string
	Decision Decision
	// Rule names the rule that decided, such as "order.status==Sent".
	Rule string
	// Doc is the canonical document, set when Decision is Sync. Its content
	// hash is filled in.
	Doc *obv1.Document
}

// Source tells Map where a raw document came from.
type Source struct {
	// Gateway is the JST gateway the document was read from: "openapi" or
	// "qimen".
	Gateway string
	// RawSequence is the JST_RAW stream sequence of the raw document.
	RawSequence uint64
}

// Map parses the raw JST document of the given kind, decides whether it is
// synced and, when it is, builds the canonical document. A document that
// cannot be mapped gives an *Error, which is permanent.
func (m *Mapper) Map(kind jst.Kind, raw []byte, src Source) (*Result, error) {
	switch kind {
	case jst.KindOrder:
		o, err := jst.ParseOrder(raw)
		if err != nil {
			return nil, fromJST(kind, err)
		}
		return m.mapOrder(o, src)
	case jst.KindAfterSale:
		a, err := jst.ParseAfterSale(raw)
		if err != nil {
			return nil, fromJST(kind, err)
		}
		return m.mapAfterSale(a, src)
	}
	return nil, &Error{
		Key:    string(kind),
		Field:  "kind",
		Value:  quote(string(kind)),
		Reason: ReasonUnknownKind,
	}
}

// fromJST turns an error of the jst package into an *Error.
func fromJST(kind jst.Kind, err error) error {
	var fe *jst.FieldError
	if !errors.As(err, &fe) {
		return &Error{Key: string(kind), Reason: ReasonInvalidDocument, Err: err}
	}
	e := &Error{
		Key:    string(kind),
		Field:  fe.Field,
		Value:  fe.Value,
		Reason: ReasonInvalidField,
		Err:    fe.Err,
	}
	if fe.ID != "" {
		e.Key = string(kind) + "." + fe.ID
	}
	switch {
	case fe.Missing():
		e.Reason = ReasonMissingField
		e.Err = nil
	case fe.Field == "":
		e.Reason = ReasonInvalidDocument
	}
	return e
}

// source builds the Source of a canonical document.
func (m *Mapper) source(meta jst.Meta, src Source) *obv1.Source {
	return &obv1.Source{
		System:       "jst",
		Gateway:      src.Gateway,
		Kind:         string(meta.Kind),
		Id:           meta.ID,
		Version:      meta.Version,
		ShopId:       meta.ShopID,
		Modified:     timestamp(meta.Modified),
		RulesVersion: m.rules.Version,
		RawSequence:  src.RawSequence,
	}
}

// parties looks up the shop of a document.
func (m *Mapper) parties(key, shopID string) (*obv1.Parties, error) {
	if shopID == "" {
		return nil, &Error{Key: key, Field: "shop_id", Reason: ReasonMissingField}
	}
	s, ok := m.rules.Shops[shopID]
	if !ok {
		return nil, &Error{
			Key:    key,
			Field:  "shop_id",
			Value:  quote(shopID),
			Reason: ReasonUnknownShop,
		}
	}
	return &obv1.Parties{
		CustomerNumber:    s.Customer,
		SaleOrgNumber:     s.SaleOrg,
		StockOrgNumber:    s.StockOrg,
		SettleOrgNumber:   s.SettleOrg,
		DepartmentNumber:  s.Department,
		SalespersonNumber: s.Salesperson,
	}, nil
}

// stock resolves a Kingdee stock number from a warehouse company and,
// when given, a warehouse id.
func (m *Mapper) stock(wmsCoID, whID string) string {
	if wmsCoID != "" && whID != "" {
		if s, ok := m.rules.Stocks[wmsCoID+"/"+whID]; ok {
			return s
		}
	}
	if wmsCoID != "" {
		if s, ok := m.rules.Stocks[wmsCoID]; ok {
			return s
		}
	}
	return m.rules.DefaultStock
}

// placesOf returns the decimal places of the amounts derived for form.
func (m *Mapper) placesOf(form string) int32 {
	if p, ok := m.places[form]; ok {
		return p
	}
	return defaultPlaces
}

// synced wraps a canonical document in a Sync result and fills its hash.
func synced(key, rule string, doc *obv1.Document) (*Result, error) {
	doc.ContentHash = hashOwned(doc)
	if doc.ContentHash == "" {
		return nil, &Error{Key: key, Reason: ReasonInvalidDocument, Err: errEncode}
	}
	return &Result{Key: key, Decision: Sync, Rule: rule, Doc: doc}, nil
}

// errEncode is the cause when a canonical document cannot be encoded.
var errEncode = errors.New("canonical document cannot be encoded")

// filtered builds a Filtered result.
func filtered(key, rule string) *Result {
	return &Result{Key: key, Decision: Filtered, Rule: rule}
}
