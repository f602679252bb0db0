package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// PolicyVersion is the IAM policy language version every document built here
// uses; it is the only one in which policy variables such as ${aws:username}
// are substituted.
const PolicyVersion = "2012-10-17"

// legacyPolicyVersion is still accepted by IAM, so documents read back from
// AWS may carry it.
const legacyPolicyVersion = "2008-10-17"

// Statement effects.
const (
	EffectAllow = "Allow"
	EffectDeny  = "Deny"
)

// PolicyDocument is an IAM policy document. Build it from Go values and render
// it with JSON; never assemble policy JSON from string templates.
type PolicyDocument struct {
	Version    string
	ID         string
	Statements []Statement
}

// Statement is one IAM policy statement. Exactly one of Action and NotAction
// must be set; Resource and NotResource are exclusive, as are Principal and
// NotPrincipal (which only resource policies such as trust policies use).
//
// Condition maps an operator (StringEquals, Bool, ...) to condition keys and
// their values. Values are kept as strings: IAM compares them as strings, and
// a JSON true or 5 in a parsed document becomes "true" or "5".
type Statement struct {
	Sid          string
	Effect       string
	Principal    *Principal
	NotPrincipal *Principal
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Condition    map[string]map[string][]string
}

// Principal is the principal element of a resource policy: either everyone
// ("*", when Any is set) or a set of principals by type.
type Principal struct {
	Any           bool
	AWS           []string
	CanonicalUser []string
	Federated     []string
	Service       []string
}

// AnyPrincipal is the "*" principal.
func AnyPrincipal() *Principal { return &Principal{Any: true} }

// ServicePrincipal trusts AWS services such as "ec2.amazonaws.com".
func ServicePrincipal(services ...string) *Principal {
	return &Principal{Service: slices.Clone(services)}
}

// AWSPrincipal trusts AWS accounts, users or roles given as ARNs or account IDs.
func AWSPrincipal(arns ...string) *Principal {
	return &Principal{AWS: slices.Clone(arns)}
}

// The wire types fix the order of keys in rendered JSON. Lists are always
// rendered as arrays, even with one element, so a document has exactly one
// rendering.
type documentJSON struct {
	Version   string          `json:"Version,omitempty"`
	ID        string          `json:"Id,omitempty"`
	Statement []statementJSON `json:"Statement"`
}

type statementJSON struct {
	Sid          string                         `json:"Sid,omitempty"`
	Effect       string                         `json:"Effect"`
	Principal    *Principal                     `json:"Principal,omitempty"`
	NotPrincipal *Principal                     `json:"NotPrincipal,omitempty"`
	Action       []string                       `json:"Action,omitempty"`
	NotAction    []string                       `json:"NotAction,omitempty"`
	Resource     []string                       `json:"Resource,omitempty"`
	NotResource  []string                       `json:"NotResource,omitempty"`
	Condition    map[string]map[string][]string `json:"Condition,omitempty"`
}

type principalJSON struct {
	AWS           []string `json:"AWS,omitempty"`
	CanonicalUser []string `json:"CanonicalUser,omitempty"`
	Federated     []string `json:"Federated,omitempty"`
	Service       []string `json:"Service,omitempty"`
}

// JSON renders the document as indented JSON (two spaces). The same document
// always gives the same bytes: keys come in a fixed order, lists keep the order
// they were built in, condition maps are sorted, and no HTML escaping is done.
func (d PolicyDocument) JSON() (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d.wire()); err != nil {
		return "", fmt.Errorf("rendering policy document: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// MarshalJSON renders the document in IAM's shape (compact).
func (d PolicyDocument) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d.wire()); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads a document with the same rules as ParsePolicy.
func (d *PolicyDocument) UnmarshalJSON(b []byte) error {
	doc, err := parseDocument(b)
	if err != nil {
		return err
	}
	*d = doc
	return nil
}

func (d PolicyDocument) wire() documentJSON {
	w := documentJSON{Version: d.Version, ID: d.ID, Statement: make([]statementJSON, 0, len(d.Statements))}
	for _, s := range d.Statements {
		w.Statement = append(w.Statement, statementJSON(s))
	}
	return w
}

// MarshalJSON renders "*" for Any, otherwise an object of arrays keyed by
// principal type.
func (p Principal) MarshalJSON() ([]byte, error) {
	if p.Any {
		return []byte(`"*"`), nil
	}
	return json.Marshal(principalJSON{AWS: p.AWS, CanonicalUser: p.CanonicalUser, Federated: p.Federated, Service: p.Service})
}

// UnmarshalJSON accepts "*" or an object whose values are a string or a list
// of strings.
func (p *Principal) UnmarshalJSON(b []byte) error {
	parsed, err := parsePrincipal(b)
	if err != nil {
		return err
	}
	*p = parsed
	return nil
}

// ParsePolicy reads an IAM policy document. It accepts the URL-encoded form the
// IAM API returns, a single statement object instead of a list, and a string
// wherever IAM allows a string or a list. Unknown elements, a bad Effect or a
// statement without an action are errors, as IAM itself would reject them.
func ParsePolicy(s string) (PolicyDocument, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 3 && strings.EqualFold(s[:3], "%7B") {
		decoded, err := url.PathUnescape(s)
		if err != nil {
			return PolicyDocument{}, fmt.Errorf("policy document looks URL-encoded but cannot be decoded: %w", err)
		}
		s = strings.TrimSpace(decoded)
	}
	if s == "" {
		return PolicyDocument{}, errors.New("policy document is empty")
	}
	return parseDocument([]byte(s))
}

func parseDocument(b []byte) (PolicyDocument, error) {
	fields, err := parseObject(b, "policy document")
	if err != nil {
		return PolicyDocument{}, err
	}
	var doc PolicyDocument
	for _, key := range sortedKeys(fields) {
		raw := fields[key]
		switch key {
		case "Version":
			if err := json.Unmarshal(raw, &doc.Version); err != nil {
				return PolicyDocument{}, errors.New(`"Version" must be a string`)
			}
			if doc.Version != PolicyVersion && doc.Version != legacyPolicyVersion {
				return PolicyDocument{}, fmt.Errorf("unsupported policy Version %q: use %q", doc.Version, PolicyVersion)
			}
		case "Id":
			if err := json.Unmarshal(raw, &doc.ID); err != nil {
				return PolicyDocument{}, errors.New(`"Id" must be a string`)
			}
		case "Statement":
			stmts, err := parseStatements(raw)
			if err != nil {
				return PolicyDocument{}, err
			}
			doc.Statements = stmts
		default:
			return PolicyDocument{}, fmt.Errorf("unknown policy element %q (expected Version, Id, Statement)", key)
		}
	}
	if _, ok := fields["Statement"]; !ok {
		return PolicyDocument{}, errors.New(`policy document has no "Statement"`)
	}
	return doc, nil
}

func parseStatements(raw json.RawMessage) ([]Statement, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		s, err := parseStatement(trimmed, 0)
		if err != nil {
			return nil, err
		}
		return []Statement{s}, nil
	}
	var list []json.RawMessage
	if len(trimmed) == 0 || trimmed[0] != '[' || json.Unmarshal(trimmed, &list) != nil {
		return nil, errors.New(`"Statement" must be an object or a list of objects`)
	}
	stmts := make([]Statement, 0, len(list))
	for i, item := range list {
		s, err := parseStatement(item, i)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, s)
	}
	return stmts, nil
}

func parseStatement(raw json.RawMessage, index int) (Statement, error) {
	where := fmt.Sprintf("statement %d", index)
	fields, err := parseObject(raw, where)
	if err != nil {
		return Statement{}, err
	}
	if sid, ok := fields["Sid"]; ok {
		var name string
		if json.Unmarshal(sid, &name) == nil && name != "" {
			where = fmt.Sprintf("statement %d (%s)", index, name)
		}
	}
	var s Statement
	for _, key := range sortedKeys(fields) {
		raw := fields[key]
		var err error
		switch key {
		case "Sid":
			if json.Unmarshal(raw, &s.Sid) != nil {
				err = errors.New(`"Sid" must be a string`)
			}
		case "Effect":
			if json.Unmarshal(raw, &s.Effect) != nil || (s.Effect != EffectAllow && s.Effect != EffectDeny) {
				err = errors.New(`"Effect" must be "Allow" or "Deny"`)
			}
		case "Principal", "NotPrincipal":
			var p Principal
			p, err = parsePrincipal(raw)
			if err == nil && key == "Principal" {
				s.Principal = &p
			} else if err == nil {
				s.NotPrincipal = &p
			}
		case "Action":
			s.Action, err = parseStringOrList(raw, key)
		case "NotAction":
			s.NotAction, err = parseStringOrList(raw, key)
		case "Resource":
			s.Resource, err = parseStringOrList(raw, key)
		case "NotResource":
			s.NotResource, err = parseStringOrList(raw, key)
		case "Condition":
			s.Condition, err = parseCondition(raw)
		default:
			err = fmt.Errorf("unknown statement element %q", key)
		}
		if err != nil {
			return Statement{}, fmt.Errorf("%s: %w", where, err)
		}
	}
	switch {
	case s.Effect == "":
		return Statement{}, fmt.Errorf(`%s: "Effect" is required`, where)
	case len(s.Action) > 0 && len(s.NotAction) > 0:
		return Statement{}, fmt.Errorf(`%s: use either "Action" or "NotAction", not both`, where)
	case len(s.Action) == 0 && len(s.NotAction) == 0:
		return Statement{}, fmt.Errorf(`%s: "Action" or "NotAction" is required`, where)
	case len(s.Resource) > 0 && len(s.NotResource) > 0:
		return Statement{}, fmt.Errorf(`%s: use either "Resource" or "NotResource", not both`, where)
	case s.Principal != nil && s.NotPrincipal != nil:
		return Statement{}, fmt.Errorf(`%s: use either "Principal" or "NotPrincipal", not both`, where)
	}
	return s, nil
}

func parsePrincipal(raw json.RawMessage) (Principal, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '"' {
		var s string
		if json.Unmarshal(trimmed, &s) != nil || s != "*" {
			return Principal{}, errors.New(`a principal given as a string must be "*"`)
		}
		return Principal{Any: true}, nil
	}
	fields, err := parseObject(trimmed, "principal")
	if err != nil {
		return Principal{}, errors.New(`principal must be "*" or an object such as {"Service": [...]}`)
	}
	var p Principal
	for _, key := range sortedKeys(fields) {
		values, err := parseStringOrList(fields[key], "principal "+key)
		if err != nil {
			return Principal{}, err
		}
		switch key {
		case "AWS":
			p.AWS = values
		case "CanonicalUser":
			p.CanonicalUser = values
		case "Federated":
			p.Federated = values
		case "Service":
			p.Service = values
		default:
			return Principal{}, fmt.Errorf("unknown principal type %q (expected AWS, CanonicalUser, Federated, Service)", key)
		}
	}
	return p, nil
}

func parseCondition(raw json.RawMessage) (map[string]map[string][]string, error) {
	operators, err := parseObject(raw, "Condition")
	if err != nil {
		return nil, err
	}
	cond := make(map[string]map[string][]string, len(operators))
	for _, op := range sortedKeys(operators) {
		keys, err := parseObject(operators[op], "condition operator "+op)
		if err != nil {
			return nil, err
		}
		inner := make(map[string][]string, len(keys))
		for _, key := range sortedKeys(keys) {
			values, err := parseConditionValues(keys[key])
			if err != nil {
				return nil, fmt.Errorf("condition %s %s: %w", op, key, err)
			}
			inner[key] = values
		}
		cond[op] = inner
	}
	return cond, nil
}

// parseConditionValues accepts a string, number or boolean, or a list of them.
func parseConditionValues(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	scalar := func(v any) (string, bool) {
		switch x := v.(type) {
		case string:
			return x, true
		case json.Number:
			return x.String(), true
		case bool:
			if x {
				return "true", true
			}
			return "false", true
		}
		return "", false
	}
	if list, ok := v.([]any); ok {
		values := make([]string, 0, len(list))
		for _, item := range list {
			s, ok := scalar(item)
			if !ok {
				return nil, errors.New("values must be strings, numbers or booleans")
			}
			values = append(values, s)
		}
		return values, nil
	}
	s, ok := scalar(v)
	if !ok {
		return nil, errors.New("value must be a string, number, boolean or a list of them")
	}
	return []string{s}, nil
}

func parseStringOrList(raw json.RawMessage, name string) ([]string, error) {
	trimmed := bytes.TrimSpace(raw)
	switch {
	case bytes.Equal(trimmed, []byte("null")):
		return nil, nil
	case len(trimmed) > 0 && trimmed[0] == '"':
		var s string
		if err := json.Unmarshal(trimmed, &s); err != nil {
			return nil, fmt.Errorf("%q: %w", name, err)
		}
		return []string{s}, nil
	case len(trimmed) > 0 && trimmed[0] == '[':
		var list []string
		if err := json.Unmarshal(trimmed, &list); err != nil {
			return nil, fmt.Errorf("%q must be a string or a list of strings", name)
		}
		return list, nil
	}
	return nil, fmt.Errorf("%q must be a string or a list of strings", name)
}

func parseObject(raw []byte, what string) (map[string]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(raw)
	var fields map[string]json.RawMessage
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("%s must be a JSON object", what)
	}
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON: %w", what, err)
	}
	return fields, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// PoliciesEquivalent reports whether two policy documents mean the same. It
// ignores whitespace, key order, URL-encoding, the order of statements and of
// the values in every list, duplicate values, a single string versus a
// one-element list, an empty versus absent Sid or Condition, "*" versus
// {"AWS": "*"}, and an account ID versus its arn:<partition>:iam::<id>:root
// form (IAM rewrites the former into the latter). It is used to keep
// documents AWS hands back reordered from showing up as a diff.
func PoliciesEquivalent(a, b string) (bool, error) {
	docA, err := ParsePolicy(a)
	if err != nil {
		return false, fmt.Errorf("first policy: %w", err)
	}
	docB, err := ParsePolicy(b)
	if err != nil {
		return false, fmt.Errorf("second policy: %w", err)
	}
	return sameCanonical(docA, docB)
}

// sameCanonical reports whether two documents render the same canonical JSON.
func sameCanonical(docA, docB PolicyDocument) (bool, error) {
	ca, err := canonicalJSON(docA)
	if err != nil {
		return false, err
	}
	cb, err := canonicalJSON(docB)
	if err != nil {
		return false, err
	}
	return ca == cb, nil
}

// canonicalJSON renders a normalized copy of the document whose bytes are
// equal exactly when two documents are equivalent.
func canonicalJSON(d PolicyDocument) (string, error) {
	type keyed struct {
		key  string
		stmt Statement
	}
	items := make([]keyed, 0, len(d.Statements))
	for _, s := range d.Statements {
		n := normalizeStatement(s)
		b, err := json.Marshal(statementJSON(n))
		if err != nil {
			return "", err
		}
		items = append(items, keyed{string(b), n})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].key < items[j].key })
	c := PolicyDocument{Version: d.Version, ID: d.ID}
	for _, it := range items {
		c.Statements = append(c.Statements, it.stmt)
	}
	b, err := c.MarshalJSON()
	return string(b), err
}

func normalizeStatement(s Statement) Statement {
	n := Statement{
		Sid:          s.Sid,
		Effect:       s.Effect,
		Principal:    normalizePrincipal(s.Principal),
		NotPrincipal: normalizePrincipal(s.NotPrincipal),
		Action:       sortedSet(s.Action),
		NotAction:    sortedSet(s.NotAction),
		Resource:     sortedSet(s.Resource),
		NotResource:  sortedSet(s.NotResource),
	}
	if len(s.Condition) > 0 {
		n.Condition = make(map[string]map[string][]string, len(s.Condition))
		for op, keys := range s.Condition {
			inner := make(map[string][]string, len(keys))
			for k, v := range keys {
				inner[k] = sortedSet(v)
				if inner[k] == nil {
					inner[k] = []string{}
				}
			}
			n.Condition[op] = inner
		}
	}
	return n
}

var accountRootARN = regexp.MustCompile(`^arn:[a-z-]+:iam::(\d{12}):root$`)

func normalizePrincipal(p *Principal) *Principal {
	if p == nil {
		return nil
	}
	aws := make([]string, 0, len(p.AWS))
	for _, a := range p.AWS {
		if m := accountRootARN.FindStringSubmatch(a); m != nil {
			a = m[1]
		}
		aws = append(aws, a)
	}
	n := &Principal{
		Any:           p.Any,
		AWS:           sortedSet(aws),
		CanonicalUser: sortedSet(p.CanonicalUser),
		Federated:     sortedSet(p.Federated),
		Service:       sortedSet(p.Service),
	}
	if slices.Equal(n.AWS, []string{"*"}) && n.CanonicalUser == nil && n.Federated == nil && n.Service == nil {
		return &Principal{Any: true}
	}
	return n
}

func sortedSet(values []string) []string {
	if len(values) == 0 {
		return nil
	}
	out := slices.Clone(values)
	slices.Sort(out)
	return slices.Compact(out)
}
