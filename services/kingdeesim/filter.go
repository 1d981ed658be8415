package kingdeesim

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// queryError is a refused query: a MsgCode and Kingdee's message.
type queryError struct {
	code int
	text string
}

// noField is Kingdee's answer to an unknown field key.
func noField(key string) *queryError {
	return &queryError{code: codeNoField, text: "元数据中标识为" + key + "的字段不存在"}
}

func syntaxError(s string) *queryError {
	return &queryError{code: codeException, text: "过滤条件语法错误：" + s}
}

// cond is one condition of a FilterString: field op value(s).
type cond struct {
	col  column
	op   string // =, <>, <, <=, >, >=, in, not in, like, not like
	vals []string
	re   *regexp.Regexp
}

// filter is the conjunction of its conditions; empty matches everything.
type filter []cond

func (f filter) entry() bool {
	return slices.ContainsFunc(f, func(c cond) bool { return c.col.entry })
}

func (f filter) match(r queryRow) bool {
	for _, c := range f {
		if !c.match(r) {
			return false
		}
	}
	return true
}

func (c cond) match(r queryRow) bool {
	v := c.col.get(r.rec, r.entry)
	switch c.op {
	case "in", "not in":
		in := slices.ContainsFunc(c.vals, func(x string) bool { return compare(v, x) == 0 })
		return in == (c.op == "in")
	case "like", "not like":
		return c.re.MatchString(scalar(v)) == (c.op == "like")
	}
	n := compare(v, c.vals[0])
	switch c.op {
	case "=":
		return n == 0
	case "<>", "!=":
		return n != 0
	case "<":
		return n < 0
	case "<=":
		return n <= 0
	case ">":
		return n > 0
	default: // ">="
		return n >= 0
	}
}

// parseFilter reads the subset of Kingdee's SQL-like filters the Sim
// supports: conditions joined by "and"; each "field op 'value'" with op
// one of = <> != < <= > >=, "field [not] in ('a','b')" or
// "field [not] like 'JST-%'".
func parseFilter(s string, spec *formSpec) (filter, *queryError) {
	toks, qerr := tokenize(s)
	if qerr != nil {
		return nil, qerr
	}
	var f filter
	for len(toks) > 0 {
		if len(f) > 0 {
			if !strings.EqualFold(toks[0], "and") {
				return nil, syntaxError("只支持 and 连接的条件：" + s)
			}
			toks = toks[1:]
		}
		var c cond
		c, toks, qerr = parseCond(toks, spec)
		if qerr != nil {
			return nil, qerr
		}
		f = append(f, c)
	}
	return f, nil
}

func parseCond(toks []string, spec *formSpec) (cond, []string, *queryError) {
	if len(toks) < 3 {
		return cond{}, nil, syntaxError(strings.Join(toks, " "))
	}
	col, ok := resolve(spec, toks[0])
	if !ok {
		return cond{}, nil, noField(toks[0])
	}
	c := cond{col: col, op: strings.ToLower(toks[1])}
	rest := toks[2:]
	if c.op == "not" {
		c.op = "not " + strings.ToLower(toks[2])
		rest = toks[3:]
	}

	switch c.op {
	case "in", "not in":
		if len(rest) < 2 || rest[0] != "(" {
			return cond{}, nil, syntaxError(strings.Join(toks, " "))
		}
		rest = rest[1:]
		for len(rest) > 0 && rest[0] != ")" {
			if rest[0] != "," {
				c.vals = append(c.vals, literal(rest[0]))
			}
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return cond{}, nil, syntaxError("缺少右括号")
		}
		return c, rest[1:], nil
	case "like", "not like":
		if len(rest) == 0 {
			return cond{}, nil, syntaxError(strings.Join(toks, " "))
		}
		c.re = likePattern(literal(rest[0]))
		return c, rest[1:], nil
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		if len(rest) == 0 {
			return cond{}, nil, syntaxError(strings.Join(toks, " "))
		}
		c.vals = []string{literal(rest[0])}
		return c, rest[1:], nil
	}
	return cond{}, nil, syntaxError("不支持的运算符 " + toks[1])
}

// literal unquotes a 'string' token; other tokens are taken as they are.
func literal(tok string) string {
	if len(tok) >= 2 && tok[0] == '\'' {
		return strings.ReplaceAll(tok[1:len(tok)-1], "''", "'")
	}
	return tok
}

// likePattern turns a SQL LIKE pattern into a case-insensitive regexp.
func likePattern(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?is)^")
	for _, r := range p {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// tokenize splits a filter into words, quoted strings, operators and
// punctuation.
func tokenize(s string) ([]string, *queryError) {
	var toks []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '\'':
			j := i + 1
			for ; j < len(rs); j++ {
				if rs[j] == '\'' {
					if j+1 < len(rs) && rs[j+1] == '\'' {
						j++
						continue
					}
					break
				}
			}
			if j >= len(rs) {
				return nil, syntaxError("字符串缺少结束引号")
			}
			toks = append(toks, string(rs[i:j+1]))
			i = j + 1
		case strings.ContainsRune("(),", r):
			toks = append(toks, string(r))
			i++
		case strings.ContainsRune("<>=!", r):
			j := i + 1
			for j < len(rs) && strings.ContainsRune("<>=", rs[j]) {
				j++
			}
			toks = append(toks, string(rs[i:j]))
			i = j
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune("'(),<>=!", rs[j]) {
				j++
			}
			toks = append(toks, string(rs[i:j]))
			i = j
		}
	}
	return toks, nil
}

// orderKey is one key of an OrderString.
type orderKey struct {
	col  column
	desc bool
}

type ordering []orderKey

func (o ordering) entry() bool {
	return slices.ContainsFunc(o, func(k orderKey) bool { return k.col.entry })
}

// parseOrder reads "FBillNo desc, FID" style OrderStrings.
func parseOrder(s string, spec *formSpec) (ordering, *queryError) {
	var o ordering
	for _, part := range splitList(s) {
		words := strings.Fields(part)
		col, ok := resolve(spec, words[0])
		if !ok {
			return nil, noField(words[0])
		}
		desc := len(words) > 1 && strings.EqualFold(words[1], "desc")
		o = append(o, orderKey{col: col, desc: desc})
	}
	return o, nil
}

// sort orders rows stably; with no keys they stay by FID.
func (o ordering) sort(rows []queryRow) {
	if len(o) == 0 {
		return
	}
	slices.SortStableFunc(rows, func(a, b queryRow) int {
		for _, k := range o {
			n := compare(k.col.get(a.rec, a.entry), k.col.get(b.rec, b.entry))
			if k.desc {
				n = -n
			}
			if n != 0 {
				return n
			}
		}
		return 0
	})
}
