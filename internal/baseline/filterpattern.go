package baseline

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// FilterPattern is a compiled CloudWatch Logs JSON filter pattern, for the subset of the syntax the
// alert catalogue uses: `{ ... }` around comparisons of a selector (`$.a.b`) with `=` or `!=` to a
// quoted or bare string (`*` matches any run of characters), `$.a NOT EXISTS`, `$.a EXISTS`,
// combined with `&&`, `||` and parentheses (`&&` binds tighter than `||`).
//
// It exists because the emulators store filters without evaluating JSON patterns: the tests prove
// with it that every pattern matches the CloudTrail record it is for and not a benign one. A
// comparison of a property the record lacks is false whatever the operator, as in CloudWatch Logs,
// where a selector that does not resolve never matches.
type FilterPattern struct {
	root patternNode
}

type patternNode interface {
	match(record any) bool
}

type patternOr []patternNode
type patternAnd []patternNode

type patternCompare struct {
	path  []string
	op    string // "=", "!=", "EXISTS", "NOT EXISTS"
	value string
}

func (n patternOr) match(r any) bool {
	for _, c := range n {
		if c.match(r) {
			return true
		}
	}
	return false
}

func (n patternAnd) match(r any) bool {
	for _, c := range n {
		if !c.match(r) {
			return false
		}
	}
	return true
}

func (n patternCompare) match(r any) bool {
	v, ok := lookup(r, n.path)
	switch n.op {
	case "EXISTS":
		return ok
	case "NOT EXISTS":
		return !ok
	}
	if !ok {
		return false
	}
	s, ok := scalarString(v)
	if !ok {
		return false
	}
	eq := wildcardMatch(n.value, s)
	if n.op == "=" {
		return eq
	}
	return !eq
}

func lookup(r any, path []string) (any, bool) {
	cur := r
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[p]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case bool:
		return strconv.FormatBool(t), true
	case json.Number:
		return t.String(), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	}
	return "", false
}

// wildcardMatch matches s against pattern, where '*' stands for any run of characters.
func wildcardMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, p)
		}
		idx := strings.Index(s, p)
		if idx < 0 {
			return false
		}
		s = s[idx+len(p):]
	}
	return true
}

// Match tells whether the JSON log event (a CloudTrail record) matches the pattern.
func (p FilterPattern) Match(event []byte) (bool, error) {
	dec := json.NewDecoder(strings.NewReader(string(event)))
	dec.UseNumber()
	var r any
	if err := dec.Decode(&r); err != nil {
		return false, fmt.Errorf("log event is not JSON: %w", err)
	}
	return p.root.match(r), nil
}

// ParseFilterPattern compiles a pattern of the subset described at FilterPattern.
func ParseFilterPattern(s string) (FilterPattern, error) {
	toks, err := tokenizePattern(s)
	if err != nil {
		return FilterPattern{}, err
	}
	p := &patternParser{toks: toks}
	if !p.accept("{") {
		return FilterPattern{}, fmt.Errorf("a JSON filter pattern starts with '{'")
	}
	root, err := p.or()
	if err != nil {
		return FilterPattern{}, err
	}
	if !p.accept("}") {
		return FilterPattern{}, fmt.Errorf("expected '}' at %q", p.rest())
	}
	if p.pos != len(p.toks) {
		return FilterPattern{}, fmt.Errorf("unexpected %q after '}'", p.rest())
	}
	return FilterPattern{root: root}, nil
}

type patternToken struct {
	text   string
	quoted bool
}

func tokenizePattern(s string) ([]patternToken, error) {
	var out []patternToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '{' || c == '}' || c == '(' || c == ')':
			out = append(out, patternToken{text: string(c)})
			i++
		case strings.HasPrefix(s[i:], "&&") || strings.HasPrefix(s[i:], "||") || strings.HasPrefix(s[i:], "!="):
			out = append(out, patternToken{text: s[i : i+2]})
			i += 2
		case c == '=':
			out = append(out, patternToken{text: "="})
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string at %q", s[i:])
			}
			out = append(out, patternToken{text: strings.ReplaceAll(s[i+1:j], `\"`, `"`), quoted: true})
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r{}()=!&|\"", rune(s[j])) {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("unexpected %q", s[i:])
			}
			out = append(out, patternToken{text: s[i:j]})
			i = j
		}
	}
	return out, nil
}

type patternParser struct {
	toks []patternToken
	pos  int
}

func (p *patternParser) peek() (patternToken, bool) {
	if p.pos < len(p.toks) {
		return p.toks[p.pos], true
	}
	return patternToken{}, false
}

func (p *patternParser) accept(text string) bool {
	if t, ok := p.peek(); ok && !t.quoted && t.text == text {
		p.pos++
		return true
	}
	return false
}

func (p *patternParser) rest() string {
	var parts []string
	for _, t := range p.toks[min(p.pos, len(p.toks)):] {
		parts = append(parts, t.text)
	}
	return strings.Join(parts, " ")
}

func (p *patternParser) or() (patternNode, error) {
	return p.joined("||", p.and, func(terms []patternNode) patternNode { return patternOr(terms) })
}

func (p *patternParser) and() (patternNode, error) {
	return p.joined("&&", p.unary, func(terms []patternNode) patternNode { return patternAnd(terms) })
}

// joined parses one or more terms (each read by term) separated by op: the term itself when there
// is one, else join of them all.
func (p *patternParser) joined(op string, term func() (patternNode, error), join func([]patternNode) patternNode) (patternNode, error) {
	var terms []patternNode
	for {
		t, err := term()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
		if !p.accept(op) {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return join(terms), nil
}

func (p *patternParser) unary() (patternNode, error) {
	if p.accept("(") {
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.accept(")") {
			return nil, fmt.Errorf("expected ')' at %q", p.rest())
		}
		return n, nil
	}
	t, ok := p.peek()
	if !ok || t.quoted || !strings.HasPrefix(t.text, "$.") || len(t.text) < 3 {
		return nil, fmt.Errorf("expected a selector such as $.eventName at %q", p.rest())
	}
	p.pos++
	cmp := patternCompare{path: strings.Split(t.text[2:], ".")}
	switch {
	case p.accept("="):
		cmp.op = "="
	case p.accept("!="):
		cmp.op = "!="
	case p.accept("NOT"):
		if !p.accept("EXISTS") {
			return nil, fmt.Errorf("expected EXISTS after NOT at %q", p.rest())
		}
		cmp.op = "NOT EXISTS"
		return cmp, nil
	case p.accept("EXISTS"):
		cmp.op = "EXISTS"
		return cmp, nil
	default:
		return nil, fmt.Errorf("expected =, !=, EXISTS or NOT EXISTS after %s at %q", t.text, p.rest())
	}
	v, ok := p.peek()
	if !ok || (!v.quoted && strings.ContainsAny(v.text, "{}()")) {
		return nil, fmt.Errorf("expected a value after %s %s", t.text, cmp.op)
	}
	if !v.quoted && (v.text == "&&" || v.text == "||" || v.text == "=" || v.text == "!=") {
		return nil, fmt.Errorf("expected a value after %s %s", t.text, cmp.op)
	}
	p.pos++
	cmp.value = v.text
	return cmp, nil
}
