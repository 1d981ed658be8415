package mapping

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// fileYAML is the shape of a mapping file: the rules and the forms
// section.
type fileYAML struct {
	Rules `yaml:",inline"`
	Forms map[string]formYAML `yaml:"forms"`
}

// yamlLine matches the line a YAML error names; yamlType the Go type it
// names, which means nothing to the file's author.
var (
	yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	yamlType = regexp.MustCompile(`( in type| into) [\w.]*mapping\.\w+`)
)

// decodeFile decodes a mapping file strictly: every unknown key,
// duplicate key and value of the wrong type is a problem with its line,
// added to p. Sections the file leaves out are left empty, for New to fill
// with the defaults. It returns false when the file is not YAML at all and
// nothing more can be checked.
func decodeFile(data []byte, p *problems) (fileYAML, bool) {
	var fy fileYAML
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(&fy)

	var te *yaml.TypeError
	switch {
	case err == nil:
		var extra yaml.Node
		if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
			p.list = append(p.list, Problem{Line: extra.Line, Msg: "more than one YAML document"})
		}
	case errors.Is(err, io.EOF):
	case errors.As(err, &te):
		for _, msg := range te.Errors {
			p.list = append(p.list, yamlProblem(msg))
		}
	default:
		p.list = append(p.list, yamlProblem(err.Error()))
		return fy, false
	}
	return fy, true
}

// yamlProblem turns a message of the YAML decoder into a Problem.
func yamlProblem(msg string) Problem {
	msg = strings.TrimPrefix(msg, "yaml: ")
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return Problem{Msg: msg}
	}
	line, _ := strconv.Atoi(m[1])
	return Problem{Line: line, Msg: yamlType.ReplaceAllString(m[2], "")}
}

// locate names the file in a *RulesError, gives each problem that has
// none the line of its path in the file, and orders the problems by line.
// Other errors come back as they are.
func locate(name string, data []byte, err error) error {
	var re *RulesError
	if !errors.As(err, &re) {
		return err
	}
	lines := map[string]int{}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) == nil {
		indexLines(&root, "", lines)
	}
	out := &RulesError{File: name, Problems: make([]Problem, len(re.Problems))}
	for i, p := range re.Problems {
		if p.Line == 0 {
			p.Line = lineOf(p.Path, lines)
		}
		out.Problems[i] = p
	}
	slices.SortStableFunc(out.Problems, func(a, b Problem) int { return a.Line - b.Line })
	return out
}

// indexLines records the line of every node under n by its path:
// "shops.13046812.customer", "filters.order[1].skip".
func indexLines(n *yaml.Node, path string, lines map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			indexLines(c, path, lines)
		}
		return
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if _, seen := lines[p]; !seen {
				lines[p] = k.Line
			}
			indexLines(v, p, lines)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := path + "[" + strconv.Itoa(i) + "]"
			lines[p] = c.Line
			indexLines(c, p, lines)
		}
	}
}

// lineOf returns the line of path, or of its nearest ancestor the file
// spells out, 0 when there is none.
func lineOf(path string, lines map[string]int) int {
	for path != "" {
		if l, ok := lines[path]; ok {
			return l
		}
		cut := max(strings.LastIndexByte(path, '.'), strings.LastIndexByte(path, '['))
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return 0
}

// LoadRules reads the rules of a mapping file, as LoadFile does, and
// returns them with their defaults filled in. Errors are those of
// LoadFile.
func LoadRules(path string) (Rules, error) {
	f, err := LoadFile(path)
	if err != nil {
		return Rules{}, err
	}
	return f.Rules, nil
}

// ParseRules is LoadRules on the content of a mapping file.
func ParseRules(data []byte) (Rules, error) {
	f, err := ParseFile("mapping.yaml", data)
	if err != nil {
		return Rules{}, err
	}
	return f.Rules, nil
}
