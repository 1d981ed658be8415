package mapping

import (
	"fmt"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/interpreter"

	"github.com/orderbridge/orderbridge/pkg/jst"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// Bounds on rule expressions. An expression longer than maxExprLen bytes
// does not compile; one evaluation that costs more than costLimit (about
// one unit per field read, comparison or comprehension step) stops with an
// error, so that no rule can hang the transformer whatever the document.
const (
	maxExprLen = 4096
	costLimit  = 100_000
)

// CEL type names of the canonical messages rules see.
const (
	celSalesOrder = "orderbridge.v1.SalesOrder"
	celAfterSale  = "orderbridge.v1.AfterSale"
	celLine       = "orderbridge.v1.Line"
)

// celEnvs holds the CEL environments of rule expressions, built once:
// they are immutable and safe for concurrent use.
var celEnvs = sync.OnceValues(newCELEnvs)

// envSet holds the environment of each kind, with doc declared, and the
// same with line declared too, for line overrides.
type envSet struct {
	order, orderLine, afterSale, afterSaleLine *cel.Env
}

func newCELEnvs() (*envSet, error) {
	base, err := cel.NewEnv(
		cel.Types(&obv1.SalesOrder{}, &obv1.AfterSale{}, &obv1.Line{}),
		cel.ParserExpressionSizeLimit(maxExprLen),
	)
	if err != nil {
		return nil, fmt.Errorf("mapping: cel environment: %w", err)
	}
	var s envSet
	for _, e := range []struct {
		env  **cel.Env
		doc  string
		line bool
	}{
		{&s.order, celSalesOrder, false},
		{&s.orderLine, celSalesOrder, true},
		{&s.afterSale, celAfterSale, false},
		{&s.afterSaleLine, celAfterSale, true},
	} {
		opts := []cel.EnvOption{cel.Variable("doc", cel.ObjectType(e.doc))}
		if e.line {
			opts = append(opts, cel.Variable("line", cel.ObjectType(celLine)))
		}
		if *e.env, err = base.Extend(opts...); err != nil {
			return nil, fmt.Errorf("mapping: cel environment: %w", err)
		}
	}
	return &s, nil
}

// env returns the environment of kind, with line declared when line is set.
func (s *envSet) env(kind jst.Kind, line bool) *cel.Env {
	switch {
	case kind == jst.KindOrder && line:
		return s.orderLine
	case kind == jst.KindOrder:
		return s.order
	case line:
		return s.afterSaleLine
	}
	return s.afterSale
}

// compile compiles expr in env, checks that it gives a value of type want
// and makes its program, bounded by costLimit. Errors list what the
// compiler found, with the column in expr.
func compile(env *cel.Env, expr string, want *cel.Type) (cel.Program, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, fmt.Errorf("empty expression")
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		msgs := make([]string, 0, len(iss.Errors()))
		for _, e := range iss.Errors() {
			msg := e.Message
			if col := e.Location.Column(); col >= 0 {
				msg += fmt.Sprintf(" (column %d)", col+1)
			}
			msgs = append(msgs, msg)
		}
		return nil, fmt.Errorf("%s", strings.Join(msgs, "; "))
	}
	if got := ast.OutputType(); !got.IsExactType(want) {
		return nil, fmt.Errorf("gives %s, want %s", got, want)
	}
	prg, err := env.Program(ast,
		cel.EvalOptions(cel.OptOptimize),
		cel.CostLimit(costLimit),
	)
	if err != nil {
		return nil, err
	}
	return prg, nil
}

// vars is the activation of one evaluation: doc and, for a line override,
// line. It saves the map an activation would otherwise need.
type vars struct {
	doc  any
	line any
}

// ResolveName returns doc and line.
func (v *vars) ResolveName(name string) (any, bool) {
	switch name {
	case "doc":
		return v.doc, true
	case "line":
		return v.line, v.line != nil
	}
	return nil, false
}

// Parent returns nil: there is no outer scope.
func (v *vars) Parent() interpreter.Activation { return nil }

// evalBool evaluates a program that gives a bool.
func evalBool(prg cel.Program, v *vars) (bool, error) {
	out, _, err := prg.Eval(v)
	if err != nil {
		return false, err
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("gave %s, want bool", out.Type())
	}
	return bool(b), nil
}

// evalString evaluates a program that gives a string.
func evalString(prg cel.Program, v *vars) (string, error) {
	out, _, err := prg.Eval(v)
	if err != nil {
		return "", err
	}
	s, ok := out.(types.String)
	if !ok {
		return "", fmt.Errorf("gave %s, want string", out.Type())
	}
	return string(s), nil
}
