package mapping

import (
	"strconv"
	"strings"

	"github.com/google/cel-go/cel"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// Prefixes of override keys that name a field of a nested message.
const (
	partiesPrefix = "parties."
	linesPrefix   = "lines."
)

// overrideSet is the compiled overrides of one kind, in key order.
type overrideSet struct {
	kind  jst.Kind
	doc   []override // fields of the document and of its parties
	lines []override // fields of every line
}

type override struct {
	key     string
	parties bool
	field   protoreflect.FieldDescriptor
	prg     cel.Program
}

// compileOverrides compiles the overrides of kind, adding what is wrong to
// p. It returns nil when the kind has none.
func compileOverrides(
	envs *envSet,
	kind jst.Kind,
	exprs map[string]string,
	p *problems,
) *overrideSet {
	if len(exprs) == 0 {
		return nil
	}
	set := &overrideSet{kind: kind}
	var doc protoreflect.MessageDescriptor = (&obv1.SalesOrder{}).ProtoReflect().Descriptor()
	if kind == jst.KindAfterSale {
		doc = (&obv1.AfterSale{}).ProtoReflect().Descriptor()
	}
	for _, key := range sortedKeys(exprs) {
		path := "overrides." + string(kind) + "." + key
		o := override{key: key}
		msg, name, line := doc, key, false
		switch {
		case strings.HasPrefix(key, partiesPrefix):
			msg, name, o.parties = (&obv1.Parties{}).ProtoReflect().Descriptor(),
				strings.TrimPrefix(key, partiesPrefix), true
		case strings.HasPrefix(key, linesPrefix):
			msg, name, line = (&obv1.Line{}).ProtoReflect().Descriptor(),
				strings.TrimPrefix(key, linesPrefix), true
		}
		o.field = msg.Fields().ByName(protoreflect.Name(name))
		switch {
		case o.field == nil:
			p.addf(path, "%s has no field %q", msg.Name(), name)
			continue
		case o.field.Kind() != protoreflect.StringKind || o.field.IsList():
			p.addf(path, "%s.%s is not a string field", msg.Name(), name)
			continue
		case msg == doc && name == "form_id":
			p.addf(path, "form_id is set by order_form and after_sale_forms")
			continue
		}

		prg, err := compile(envs.env(kind, line), exprs[key], cel.StringType)
		if err != nil {
			p.addf(path, "%v", err)
			continue
		}
		o.prg = prg
		if line {
			set.lines = append(set.lines, o)
		} else {
			set.doc = append(set.doc, o)
		}
	}
	return set
}

// apply evaluates every override on the document, then sets the fields.
// A failed evaluation gives an *Error with reason rule_error naming the
// override, and leaves the document as it was.
func (set *overrideSet) apply(key string, doc protoreflect.ProtoMessage) error {
	m := doc.ProtoReflect()
	parties := m.Get(m.Descriptor().Fields().ByName("parties")).Message()
	lines := m.Get(m.Descriptor().Fields().ByName("lines")).List()

	v := &vars{doc: doc}
	docVals := make([]string, len(set.doc))
	for i, o := range set.doc {
		s, err := evalString(o.prg, v)
		if err != nil {
			return set.fail(key, o, -1, err)
		}
		docVals[i] = s
	}
	lineVals := make([]string, 0, len(set.lines)*lines.Len())
	for li := range lines.Len() {
		v.line = lines.Get(li).Message().Interface()
		for _, o := range set.lines {
			s, err := evalString(o.prg, v)
			if err != nil {
				return set.fail(key, o, li, err)
			}
			lineVals = append(lineVals, s)
		}
	}

	for i, o := range set.doc {
		target := m
		if o.parties {
			target = parties
		}
		if target.IsValid() {
			target.Set(o.field, protoreflect.ValueOfString(docVals[i]))
		}
	}
	for li := range lines.Len() {
		lm := lines.Get(li).Message()
		for i, o := range set.lines {
			lm.Set(o.field, protoreflect.ValueOfString(lineVals[li*len(set.lines)+i]))
		}
	}
	return nil
}

// fail builds the *Error of an override that failed, on line li when li
// is not negative.
func (set *overrideSet) fail(key string, o override, li int, err error) error {
	field := "overrides." + string(set.kind) + "." + o.key
	if li >= 0 {
		field += "[line " + strconv.Itoa(li) + "]"
	}
	return &Error{Key: key, Field: field, Reason: ReasonRuleError, Err: err}
}
