package mapping

import (
	"strconv"
	"unicode"

	"github.com/google/cel-go/cel"

	"github.com/orderbridge/orderbridge/pkg/jst"
)

// RuleNoMatch ends the rule name of a document no filter rule decided on:
// "order.no_rule_matched". Such a document is skipped.
const RuleNoMatch = "no_rule_matched"

// maxRuleName bounds a filter rule's name, which becomes a metric label.
const maxRuleName = 100

// filterSet is the compiled filter rules of one kind.
type filterSet struct {
	kind    jst.Kind
	rules   []filterRule
	noMatch string
}

type filterRule struct {
	name string
	sync bool
	prg  cel.Program
}

// compileFilters compiles the filter rules of kind, adding what is wrong
// to p. It returns nil when the kind has no rules: the built-in decisions
// apply.
func compileFilters(envs *envSet, kind jst.Kind, rules []FilterRule, p *problems) *filterSet {
	if rules == nil {
		return nil
	}
	fs := &filterSet{kind: kind, noMatch: string(kind) + "." + RuleNoMatch}
	env := envs.env(kind, false)
	seen := make(map[string]bool, len(rules))
	for i, r := range rules {
		path := "filters." + string(kind) + "[" + strconv.Itoa(i) + "]"
		checkRuleName(path+".name", r.Name, seen, p)
		expr, sync := r.Skip, false
		switch {
		case r.Sync != "" && r.Skip != "":
			p.addf(path, "give sync or skip, not both")
			continue
		case r.Sync != "":
			expr, sync = r.Sync, true
		case r.Skip == "":
			p.addf(path, "give sync or skip: a CEL expression over doc")
			continue
		}
		field := path + ".skip"
		if sync {
			field = path + ".sync"
		}
		prg, err := compile(env, expr, cel.BoolType)
		if err != nil {
			p.addf(field, "%v", err)
			continue
		}
		fs.rules = append(fs.rules, filterRule{name: r.Name, sync: sync, prg: prg})
	}
	return fs
}

// checkRuleName checks that a filter rule's name is set, unique in its
// kind, short and printable, as a metric label should be.
func checkRuleName(path, name string, seen map[string]bool, p *problems) {
	switch {
	case name == "":
		p.addf(path, "a name is required")
	case len(name) > maxRuleName:
		p.addf(path, "longer than %d bytes", maxRuleName)
	case seen[name]:
		p.addf(path, "%q is used twice", name)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			p.addf(path, "%q holds an unprintable character", name)
			break
		}
	}
	seen[name] = true
}

// decide runs the rules on doc, a canonical SalesOrder or AfterSale, and
// returns the decision and the rule that made it. A rule that fails gives
// an *Error with reason rule_error naming the rule.
func (fs *filterSet) decide(key string, doc any) (Decision, string, error) {
	v := &vars{doc: doc}
	for i := range fs.rules {
		r := &fs.rules[i]
		ok, err := evalBool(r.prg, v)
		if err != nil {
			return 0, "", &Error{
				Key:    key,
				Field:  "filters." + string(fs.kind) + "[" + strconv.Itoa(i) + "]",
				Value:  quote(r.name),
				Reason: ReasonRuleError,
				Err:    err,
			}
		}
		if !ok {
			continue
		}
		if r.sync {
			return Sync, r.name, nil
		}
		return Filtered, r.name, nil
	}
	return Filtered, fs.noMatch, nil
}

// DefaultFilters returns the built-in decisions written as filter rules:
// with them the mapping decides exactly as with no filters at all. They
// are a starting point for a mapping file's own filters.
func DefaultFilters() Filters {
	const (
		isReturn = `doc.form_id == "` + FormReturnStock + `"`
		isRefund = `doc.form_id == "` + FormRefundBill + `"`
	)
	return Filters{
		Order: []FilterRule{
			{Name: RuleOrderNotSent, Skip: `doc.status != "Sent"`},
			{Name: RuleOrderSent, Sync: `true`},
		},
		AfterSale: []FilterRule{
			{Name: RuleReturnNotConfirmed, Skip: isReturn + ` && doc.status != "Confirmed"`},
			{
				Name: RuleReturnNotReceived,
				Skip: isReturn + ` && doc.good_status != "SELLER_RECEIVED"`,
			},
			{Name: RuleReturnReceived, Sync: isReturn},
			{Name: RuleRefundNotConfirmed, Skip: isRefund + ` && doc.status != "Confirmed"`},
			{Name: RuleRefundConfirmed, Sync: isRefund},
		},
	}
}
