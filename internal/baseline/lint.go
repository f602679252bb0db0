package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Severity says whether a finding blocks an apply (error) or is advice (warning).
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Finding codes. They are part of the provider's output (lint_policy, plan
// diagnostics), so they never change once released.
const (
	LintCodeJSON            = "json"
	LintCodeGrammar         = "grammar"
	LintCodeSize            = "size"
	LintCodeAdminStar       = "admin-star"
	LintCodeNotAction       = "not-action"
	LintCodeNotResource     = "not-resource"
	LintCodeServiceWildcard = "service-wildcard"
	LintCodePassRoleStar    = "passrole-star"
	LintCodePrivesc         = "privesc"
	LintCodePublicTrust     = "public-trust"
	LintCodeOptions         = "options"
)

// Finding is one problem found in a policy document. Message names the
// statement, what is wrong and how to fix it.
type Finding struct {
	Severity Severity
	Code     string
	Message  string
}

func (f Finding) String() string {
	return string(f.Severity) + " " + f.Code + ": " + f.Message
}

// PolicyKind is where a document is used; it decides the size quota and
// whether Resource or Principal is required.
type PolicyKind int

// The constants carry a Kind prefix because TrustPolicy is the name of the
// trust policy builder in policy.go.
const (
	KindManagedPolicy PolicyKind = iota
	KindGroupInlinePolicy
	KindRoleInlinePolicy
	KindUserInlinePolicy
	KindTrustPolicy
)

var lintKindNames = map[PolicyKind]string{
	KindManagedPolicy:     "managed policy",
	KindGroupInlinePolicy: "group inline policy",
	KindRoleInlinePolicy:  "role inline policy",
	KindUserInlinePolicy:  "user inline policy",
	KindTrustPolicy:       "role trust policy",
}

// AWS IAM quotas, in characters excluding whitespace.
var lintKindQuotas = map[PolicyKind]int{
	KindManagedPolicy:     6144,
	KindGroupInlinePolicy: 5120,
	KindRoleInlinePolicy:  10240,
	KindUserInlinePolicy:  2048,
	KindTrustPolicy:       2048,
}

func (k PolicyKind) String() string {
	if name, ok := lintKindNames[k]; ok {
		return name
	}
	return fmt.Sprintf("PolicyKind(%d)", int(k))
}

// SizeQuota is the AWS limit for a document of this kind, counted as
// characters other than whitespace; 0 for an unknown kind.
func (k PolicyKind) SizeQuota() int { return lintKindQuotas[k] }

// LintOptions describe where the linted document will be used.
type LintOptions struct {
	Kind PolicyKind
	// AdminAllowed says the principal is explicitly an administrator group or
	// role: Allow of "*" on "*" and privilege escalation are then expected.
	AdminAllowed bool
}

// HasErrors reports whether any finding has severity error.
func HasErrors(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}

// LintPolicy checks an IAM policy document: JSON and IAM grammar, size quota,
// administrator access, risky wildcards and privilege-escalation paths. The
// result is sorted (errors first, then by code and message) and is the same
// for the same input.
func LintPolicy(document string, opts LintOptions) []Finding {
	l := &lintRun{opts: opts}
	if _, ok := lintKindQuotas[opts.Kind]; !ok {
		l.errorf(LintCodeOptions, "unknown policy kind %d: use one of the Kind* constants", int(opts.Kind))
		return l.sorted()
	}
	l.checkSize(document)
	if root, ok := l.parseJSON(document); ok {
		stmts := l.checkGrammar(root)
		l.checkStatements(stmts)
		if !opts.AdminAllowed && opts.Kind != KindTrustPolicy {
			l.checkPrivesc(stmts)
		}
	}
	return l.sorted()
}

type lintRun struct {
	opts     LintOptions
	findings []Finding
}

func (l *lintRun) add(sev Severity, code, format string, args ...any) {
	l.findings = append(l.findings, Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (l *lintRun) errorf(code, format string, args ...any) {
	l.add(SeverityError, code, format, args...)
}

func (l *lintRun) warnf(code, format string, args ...any) {
	l.add(SeverityWarning, code, format, args...)
}

func (l *lintRun) sorted() []Finding {
	out := make([]Finding, 0, len(l.findings))
	seen := make(map[Finding]bool, len(l.findings))
	for _, f := range l.findings {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Severity != b.Severity {
			return a.Severity == SeverityError
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
	return out
}

// lintNonWhitespaceLen counts characters the way AWS does for policy quotas:
// every character except whitespace, inside strings as well as outside.
func lintNonWhitespaceLen(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

func (l *lintRun) checkSize(document string) {
	size, quota := lintNonWhitespaceLen(document), l.opts.Kind.SizeQuota()
	if size > quota {
		l.errorf(LintCodeSize,
			"document is %d characters (whitespace excluded), over the AWS quota of %d for a %s: split it into several policies or use wildcards and fewer statements",
			size, quota, l.opts.Kind)
	}
}

func (l *lintRun) parseJSON(document string) (map[string]any, bool) {
	dec := json.NewDecoder(strings.NewReader(document))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var syn *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			l.errorf(LintCodeJSON, "invalid JSON: the document is empty; a policy is a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}")
		case errors.Is(err, io.ErrUnexpectedEOF):
			l.errorf(LintCodeJSON, "invalid JSON at %s: the document ends before the JSON is complete; close every string, array and object", lintPosition(document, int64(len(document))))
		case errors.As(err, &syn):
			l.errorf(LintCodeJSON, "invalid JSON at %s: %s", lintPosition(document, syn.Offset), syn.Error())
		default:
			l.errorf(LintCodeJSON, "invalid JSON at %s: %s", lintPosition(document, dec.InputOffset()), err.Error())
		}
		return nil, false
	}
	// Decode stops after the first value; only whitespace may follow it.
	after := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		rest := document[after:]
		end := int64(len(document) - len(strings.TrimLeftFunc(rest, unicode.IsSpace)))
		l.errorf(LintCodeJSON, "invalid JSON at %s: unexpected data after the top-level value; a document holds exactly one JSON object", lintPosition(document, end+1))
		return nil, false
	}
	root, ok := v.(map[string]any)
	if !ok {
		l.errorf(LintCodeJSON, "the document is a JSON %s, but a policy must be a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}", lintTypeName(v))
		return nil, false
	}
	return root, true
}

// lintPosition turns a byte offset into "line L, column C" (1-based, columns
// in characters).
func lintPosition(document string, offset int64) string {
	off := int(offset)
	if off > len(document) {
		off = len(document)
	}
	if off < 0 {
		off = 0
	}
	before := document[:off]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:])
	if col == 0 {
		col = 1
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}

func lintTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// lintStatement is what the semantic checks need of one statement; fields
// that failed the grammar check are left empty.
type lintStatement struct {
	label        string
	effect       string // "Allow", "Deny", or "" when invalid
	actions      []string
	notActions   []string
	resources    []string
	notResources []string
	hasNotAct    bool
	hasNotRes    bool
	hasCondition bool
	publicTrust  bool
}

var lintTopKeys = map[string]bool{"Version": true, "Id": true, "Statement": true}

var lintStatementKeys = map[string]bool{
	"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true,
	"Action": true, "NotAction": true, "Resource": true, "NotResource": true, "Condition": true,
}

func lintSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (l *lintRun) checkGrammar(root map[string]any) []lintStatement {
	for _, k := range lintSortedKeys(root) {
		if !lintTopKeys[k] {
			l.errorf(LintCodeGrammar, "unknown top-level key %q: a policy has only Version, Id and Statement (keys are case-sensitive)", k)
		}
	}
	switch v, ok := root["Version"]; {
	case !ok:
		l.warnf(LintCodeGrammar, "\"Version\" is missing, so AWS uses 2008-10-17 and policy variables such as ${aws:username} are not substituted: add \"Version\": \"2012-10-17\"")
	case v == "2008-10-17":
		l.warnf(LintCodeGrammar, "\"Version\" is 2008-10-17, in which policy variables such as ${aws:username} are not substituted: use \"2012-10-17\"")
	case v != "2012-10-17":
		l.errorf(LintCodeGrammar, "\"Version\" must be \"2012-10-17\", got %s", lintShow(v))
	}
	if v, ok := root["Id"]; ok {
		if _, isString := v.(string); !isString {
			l.errorf(LintCodeGrammar, "\"Id\" must be a string, got %s", lintTypeName(v))
		}
	}

	var raw []any
	single := false
	switch v := root["Statement"].(type) {
	case nil:
		if _, ok := root["Statement"]; ok {
			l.errorf(LintCodeGrammar, "\"Statement\" must be an object or a non-empty array of objects, got null")
		} else {
			l.errorf(LintCodeGrammar, "\"Statement\" is missing: a policy needs at least one statement")
		}
		return nil
	case map[string]any:
		raw, single = []any{v}, true
	case []any:
		if len(v) == 0 {
			l.errorf(LintCodeGrammar, "\"Statement\" is an empty array: a policy needs at least one statement")
			return nil
		}
		raw = v
	default:
		l.errorf(LintCodeGrammar, "\"Statement\" must be an object or a non-empty array of objects, got %s", lintTypeName(v))
		return nil
	}

	sids := map[string]string{}
	stmts := make([]lintStatement, 0, len(raw))
	for i, item := range raw {
		label := fmt.Sprintf("Statement[%d]", i)
		if single {
			label = "Statement"
		}
		obj, ok := item.(map[string]any)
		if !ok {
			l.errorf(LintCodeGrammar, "%s must be an object, got %s", label, lintTypeName(item))
			continue
		}
		if sid, ok := obj["Sid"].(string); ok && sid != "" {
			if first, dup := sids[sid]; dup {
				l.errorf(LintCodeGrammar, "%s: duplicate Sid %q (also used by %s): every Sid in a policy must be unique", label, sid, first)
			} else {
				sids[sid] = label
			}
			label = fmt.Sprintf("%s (Sid %q)", label, sid)
		}
		stmts = append(stmts, l.checkStatement(label, obj))
	}
	return stmts
}

var (
	lintSidPattern    = regexp.MustCompile(`^[A-Za-z0-9]*$`)
	lintActionPattern = regexp.MustCompile(`^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$`)
)

func (l *lintRun) checkStatement(label string, obj map[string]any) lintStatement {
	st := lintStatement{label: label}
	trust := l.opts.Kind == KindTrustPolicy
	for _, k := range lintSortedKeys(obj) {
		if !lintStatementKeys[k] {
			l.errorf(LintCodeGrammar, "%s: unknown key %q: a statement has only Sid, Effect, Action/NotAction, Resource/NotResource, Principal/NotPrincipal and Condition (keys are case-sensitive)", label, k)
		}
	}

	if v, ok := obj["Sid"]; ok {
		switch sid := v.(type) {
		case string:
			if !lintSidPattern.MatchString(sid) {
				l.errorf(LintCodeGrammar, "%s: Sid %q may contain only letters A-Z, a-z and digits 0-9", label, sid)
			}
		default:
			l.errorf(LintCodeGrammar, "%s: \"Sid\" must be a string, got %s", label, lintTypeName(v))
		}
	}

	v, ok := obj["Effect"]
	effect, _ := v.(string)
	switch {
	case !ok:
		l.errorf(LintCodeGrammar, "%s: \"Effect\" is missing: set it to \"Allow\" or \"Deny\"", label)
	case effect == "Allow" || effect == "Deny":
		st.effect = effect
	default:
		l.errorf(LintCodeGrammar, "%s: \"Effect\" must be exactly \"Allow\" or \"Deny\", got %s", label, lintShow(v))
	}

	_, hasAction := obj["Action"]
	_, hasNotAction := obj["NotAction"]
	if hasAction {
		st.actions = l.checkActions(label, "Action", obj["Action"])
	}
	if hasNotAction {
		st.hasNotAct = true
		st.notActions = l.checkActions(label, "NotAction", obj["NotAction"])
	}
	switch {
	case hasAction && hasNotAction:
		l.errorf(LintCodeGrammar, "%s: has both \"Action\" and \"NotAction\": keep exactly one", label)
		st.effect = "" // ambiguous: leave it out of the semantic checks
	case !hasAction && !hasNotAction:
		l.errorf(LintCodeGrammar, "%s: needs \"Action\" (or \"NotAction\"), e.g. \"Action\": [\"s3:GetObject\"]", label)
	}

	_, hasResource := obj["Resource"]
	_, hasNotResource := obj["NotResource"]
	_, hasPrincipal := obj["Principal"]
	_, hasNotPrincipal := obj["NotPrincipal"]
	if trust {
		if hasResource || hasNotResource {
			l.errorf(LintCodeGrammar, "%s: a role trust policy must not have \"Resource\" or \"NotResource\" (the role itself is the resource): remove it", label)
		}
		switch {
		case hasPrincipal && hasNotPrincipal:
			l.errorf(LintCodeGrammar, "%s: has both \"Principal\" and \"NotPrincipal\": keep exactly one", label)
		case !hasPrincipal && !hasNotPrincipal:
			l.errorf(LintCodeGrammar, "%s: a role trust policy needs \"Principal\", e.g. {\"Service\": \"ec2.amazonaws.com\"}", label)
		case hasPrincipal:
			st.publicTrust = l.checkPrincipal(label, "Principal", obj["Principal"])
		default:
			l.checkPrincipal(label, "NotPrincipal", obj["NotPrincipal"])
		}
	} else {
		if hasPrincipal || hasNotPrincipal {
			l.errorf(LintCodeGrammar, "%s: an identity policy (%s) must not have \"Principal\" or \"NotPrincipal\": the principal is whoever the policy is attached to; remove it", label, l.opts.Kind)
		}
		if hasResource {
			st.resources = l.checkResources(label, "Resource", obj["Resource"])
		}
		if hasNotResource {
			st.hasNotRes = true
			st.notResources = l.checkResources(label, "NotResource", obj["NotResource"])
		}
		switch {
		case hasResource && hasNotResource:
			l.errorf(LintCodeGrammar, "%s: has both \"Resource\" and \"NotResource\": keep exactly one", label)
			st.effect = ""
		case !hasResource && !hasNotResource:
			l.errorf(LintCodeGrammar, "%s: needs \"Resource\" (or \"NotResource\"), e.g. \"Resource\": \"arn:aws:s3:::my-bucket/*\"", label)
		}
	}

	if v, ok := obj["Condition"]; ok {
		st.hasCondition = true
		l.checkCondition(label, v)
	}
	return st
}

// lintStrings accepts a string or a non-empty array of strings.
func (l *lintRun) lintStrings(label, key string, v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		if len(t) == 0 {
			l.errorf(LintCodeGrammar, "%s: %q is an empty array: list at least one value", label, key)
			return nil
		}
		out := make([]string, 0, len(t))
		for i, e := range t {
			s, ok := e.(string)
			if !ok {
				l.errorf(LintCodeGrammar, "%s: %s[%d] must be a string, got %s", label, key, i, lintTypeName(e))
				continue
			}
			out = append(out, s)
		}
		return out
	default:
		l.errorf(LintCodeGrammar, "%s: %q must be a string or an array of strings, got %s", label, key, lintTypeName(v))
		return nil
	}
}

func (l *lintRun) checkActions(label, key string, v any) []string {
	list := l.lintStrings(label, key, v)
	valid := list[:0:0]
	for _, a := range list {
		if a == "*" || lintActionPattern.MatchString(a) {
			valid = append(valid, a)
			continue
		}
		l.errorf(LintCodeGrammar, "%s: %s %q is not of the form \"service:Action\" (wildcards * and ? allowed) or \"*\"", label, key, a)
	}
	return valid
}

func (l *lintRun) checkResources(label, key string, v any) []string {
	list := l.lintStrings(label, key, v)
	valid := list[:0:0]
	for _, r := range list {
		if r == "*" || (strings.HasPrefix(r, "arn:") && strings.Count(r, ":") >= 5) {
			valid = append(valid, r)
			continue
		}
		l.errorf(LintCodeGrammar, "%s: %s %q is neither \"*\" nor an ARN (arn:partition:service:region:account:resource)", label, key, r)
	}
	return valid
}

var lintPrincipalTypes = map[string]bool{"AWS": true, "Service": true, "Federated": true, "CanonicalUser": true}

// checkPrincipal validates a Principal and reports whether it is everyone
// ("*" or {"AWS": "*"}).
func (l *lintRun) checkPrincipal(label, key string, v any) bool {
	switch t := v.(type) {
	case string:
		if t == "*" {
			return true
		}
		l.errorf(LintCodeGrammar, "%s: %q must be \"*\" or an object such as {\"Service\": \"ec2.amazonaws.com\"}, got %q", label, key, t)
	case map[string]any:
		if len(t) == 0 {
			l.errorf(LintCodeGrammar, "%s: %q is an empty object: name at least one principal", label, key)
		}
		public := false
		for _, k := range lintSortedKeys(t) {
			if !lintPrincipalTypes[k] {
				l.errorf(LintCodeGrammar, "%s: %s has unknown principal type %q: use AWS, Service, Federated or CanonicalUser", label, key, k)
				continue
			}
			values := l.lintStrings(label, key+"."+k, t[k])
			for _, s := range values {
				if k == "AWS" && s == "*" {
					public = true
				}
			}
		}
		return public
	default:
		l.errorf(LintCodeGrammar, "%s: %q must be \"*\" or an object, got %s", label, key, lintTypeName(v))
	}
	return false
}

var lintConditionOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true, "StringNotEqualsIgnoreCase": true,
	"StringLike": true, "StringNotLike": true,
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true, "NumericLessThanEquals": true,
	"NumericGreaterThan": true, "NumericGreaterThanEquals": true,
	"DateEquals": true, "DateNotEquals": true, "DateLessThan": true, "DateLessThanEquals": true,
	"DateGreaterThan": true, "DateGreaterThanEquals": true,
	"Bool": true, "BinaryEquals": true, "IpAddress": true, "NotIpAddress": true,
	"ArnEquals": true, "ArnLike": true, "ArnNotEquals": true, "ArnNotLike": true,
	"Null": true,
}

func lintKnownOperator(op string) bool {
	base := strings.TrimPrefix(strings.TrimPrefix(op, "ForAllValues:"), "ForAnyValue:")
	if base != "Null" {
		base = strings.TrimSuffix(base, "IfExists")
	}
	return lintConditionOperators[base]
}

func (l *lintRun) checkCondition(label string, v any) {
	ops, ok := v.(map[string]any)
	if !ok {
		l.errorf(LintCodeGrammar, "%s: \"Condition\" must be an object of operator to {key: value}, got %s", label, lintTypeName(v))
		return
	}
	for _, op := range lintSortedKeys(ops) {
		if !lintKnownOperator(op) {
			l.errorf(LintCodeGrammar, "%s: unknown condition operator %q, e.g. use StringEquals, ArnLike, Bool or NumericLessThan (optionally with IfExists, ForAllValues: or ForAnyValue:)", label, op)
		}
		keys, ok := ops[op].(map[string]any)
		if !ok {
			l.errorf(LintCodeGrammar, "%s: Condition.%s must be an object of condition key to value, got %s", label, op, lintTypeName(ops[op]))
			continue
		}
		if len(keys) == 0 {
			l.errorf(LintCodeGrammar, "%s: Condition.%s is empty: name at least one condition key", label, op)
		}
		for _, key := range lintSortedKeys(keys) {
			if !lintConditionValue(keys[key]) {
				l.errorf(LintCodeGrammar, "%s: Condition.%s.%s must be a string, boolean, number or a non-empty array of them, got %s", label, op, key, lintTypeName(keys[key]))
			}
		}
	}
}

func lintConditionValue(v any) bool {
	switch t := v.(type) {
	case string, bool, json.Number:
		return true
	case []any:
		if len(t) == 0 {
			return false
		}
		for _, e := range t {
			switch e.(type) {
			case string, bool, json.Number:
			default:
				return false
			}
		}
		return true
	}
	return false
}

func lintShow(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return lintTypeName(v)
	}
	return strings.TrimSpace(buf.String())
}

// lintServiceWildcards are services where "service:*" is effectively
// administrator access or control over every other account or key.
var lintServiceWildcards = []string{"iam", "organizations", "kms"}

func lintIsAdminStar(st lintStatement) bool {
	if st.effect != "Allow" || st.hasNotRes {
		return false
	}
	allActions, allResources := false, false
	for _, a := range st.actions {
		if strings.Trim(a, "*:") == "" { // "*", "*:*"
			allActions = true
		}
	}
	for _, r := range st.resources {
		if r == "*" {
			allResources = true
		}
	}
	return allActions && allResources
}

func (l *lintRun) checkStatements(stmts []lintStatement) {
	for _, st := range stmts {
		if st.effect != "Allow" {
			continue
		}
		if st.publicTrust && !st.hasCondition {
			l.errorf(LintCodePublicTrust, "%s: trusts every AWS principal (\"*\") without a Condition, so anyone in any account can assume this role: name the trusted accounts or services, or add a Condition such as sts:ExternalId or aws:PrincipalOrgID", st.label)
		}
		if l.opts.Kind == KindTrustPolicy {
			continue
		}
		if lintIsAdminStar(st) && !l.opts.AdminAllowed {
			l.errorf(LintCodeAdminStar, "%s: allows every action (\"*\") on every resource (\"*\"), which is full administrator access: grant it only through an explicitly admin group or role, and give this principal the specific actions it needs", st.label)
		}
		if st.hasNotAct {
			l.warnf(LintCodeNotAction, "%s: Allow with \"NotAction\" grants every action not listed, including ones AWS adds later: list the allowed actions in \"Action\" instead", st.label)
		}
		if st.hasNotRes {
			l.warnf(LintCodeNotResource, "%s: Allow with \"NotResource\" grants access to every resource not listed, including ones created later: list the allowed resources in \"Resource\" instead", st.label)
		}
		for _, a := range st.actions {
			service, action, _ := strings.Cut(strings.ToLower(a), ":")
			if service == "*" || strings.Trim(action, "*") != "" {
				continue
			}
			for _, sensitive := range lintServiceWildcards {
				if lintGlob(service, sensitive) {
					l.warnf(LintCodeServiceWildcard, "%s: allows %q, every %s action: list only the %s actions this principal needs", st.label, a, sensitive, sensitive)
				}
			}
		}
		if !lintIsAdminStar(st) && lintAnyRole(st) {
			for _, a := range st.actions {
				if a != "*" && lintActionMatch(a, "iam:PassRole") {
					shown := fmt.Sprintf("%q", a)
					if !strings.EqualFold(a, "iam:PassRole") {
						shown += " (iam:PassRole)"
					}
					l.warnf(LintCodePassRoleStar, "%s: allows %s on any role, so this principal can hand any role, including an administrator role, to an AWS service: restrict Resource to the ARNs of the roles it must pass, e.g. arn:aws:iam::123456789012:role/app/*", st.label, shown)
				}
			}
		}
	}
}

// lintAnyRole reports whether the statement's resources cover every IAM role.
func lintAnyRole(st lintStatement) bool {
	if st.hasNotRes {
		return true
	}
	for _, r := range st.resources {
		if lintResourceCoversAnyRole(r) {
			return true
		}
	}
	return false
}

func lintResourceCoversAnyRole(r string) bool {
	if r == "*" {
		return true
	}
	parts := strings.SplitN(r, ":", 6)
	if len(parts) != 6 {
		return false
	}
	// A role under the root path with a name nobody chose: if the pattern
	// matches it, it matches any role (the account part is ignored: a
	// specific account is still every role of that account).
	return lintGlob(parts[2], "iam") && lintGlob(parts[5], "role/lint-probe-any-role")
}

func lintActionMatch(pattern, action string) bool {
	return lintGlob(strings.ToLower(pattern), strings.ToLower(action))
}

// lintGlob matches IAM wildcards: * is any sequence, ? any single character.
func lintGlob(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// Privilege escalation.
//
// Severity: a rule that lets the principal rewrite permissions directly
// (new policy versions, attaching or writing policies, joining groups,
// editing trust, minting other users' credentials) is an error, because
// the holder can make itself administrator in one call and no non-admin
// group of the baseline needs it. A PassRole combination is an error when
// iam:PassRole covers any role (the holder can run code as an administrator
// role), but only a warning when PassRole is limited to named roles: that
// is the documented Developers pattern, bounded by what those roles can do.

type lintPrivescRule struct {
	name string
	// requires lists groups of alternatives; every group must be allowed.
	requires [][]string
	risk     string
	fix      string
	// selfCredentials: grants limited to the caller's own user
	// (${aws:username}) do not count.
	selfCredentials bool
	passRole        bool
}

const lintFixRemove = "remove these actions, or grant them only to an explicitly admin group or role"

var lintPrivescRules = []lintPrivescRule{
	{
		name:     "create-policy-version",
		requires: [][]string{{"iam:CreatePolicyVersion"}},
		risk:     "lets the principal publish a new default version of a managed policy, including one attached to itself, granting \"*\"",
		fix:      lintFixRemove,
	},
	{
		name:     "set-default-policy-version",
		requires: [][]string{{"iam:SetDefaultPolicyVersion"}},
		risk:     "lets the principal switch a managed policy to an older, broader version",
		fix:      lintFixRemove,
	},
	{
		name:     "attach-policy",
		requires: [][]string{{"iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy"}},
		risk:     "lets the principal attach AdministratorAccess to itself, its group or a role it can use",
		fix:      lintFixRemove,
	},
	{
		name:     "put-inline-policy",
		requires: [][]string{{"iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy"}},
		risk:     "lets the principal write an inline policy granting \"*\" to itself, its group or a role it can use",
		fix:      lintFixRemove,
	},
	{
		name:            "other-users-credentials",
		requires:        [][]string{{"iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"}},
		risk:            "lets the principal create access keys or set console passwords for other users, and act as them",
		fix:             "restrict Resource to the caller's own user, arn:aws:iam::*:user/${aws:username}, or grant it only to an explicitly admin group",
		selfCredentials: true,
	},
	{
		name:     "add-user-to-group",
		requires: [][]string{{"iam:AddUserToGroup"}},
		risk:     "lets the principal add itself to any group, including an admin group",
		fix:      lintFixRemove,
	},
	{
		name:     "update-assume-role-policy",
		requires: [][]string{{"iam:UpdateAssumeRolePolicy"}},
		risk:     "lets the principal rewrite a role's trust policy so it can assume that role",
		fix:      lintFixRemove,
	},
	{
		name:     "passrole-lambda",
		requires: [][]string{{"iam:PassRole"}, {"lambda:CreateFunction"}, {"lambda:InvokeFunction", "lambda:CreateEventSourceMapping"}},
		risk:     "lets the principal create and run a Lambda function with a more privileged role",
		passRole: true,
	},
	{
		name:     "passrole-ec2",
		requires: [][]string{{"iam:PassRole"}, {"ec2:RunInstances"}},
		risk:     "lets the principal launch an EC2 instance with a more privileged instance profile and use its credentials",
		passRole: true,
	},
	{
		name:     "passrole-cloudformation",
		requires: [][]string{{"iam:PassRole"}, {"cloudformation:CreateStack"}},
		risk:     "lets the principal create a CloudFormation stack that runs as a more privileged role",
		passRole: true,
	},
	{
		name:     "passrole-glue",
		requires: [][]string{{"iam:PassRole"}, {"glue:CreateDevEndpoint"}},
		risk:     "lets the principal create a Glue development endpoint with a more privileged role and log in to it",
		passRole: true,
	},
}

const lintFixPassRole = "restrict iam:PassRole to the ARNs of roles whose permissions are no broader than this principal's (e.g. a documented path such as arn:aws:iam::123456789012:role/app/*), or grant these actions only to an explicitly admin group"

// lintGrant records that one statement allows an action.
type lintGrant struct {
	label     string
	via       string // the Action pattern, or "NotAction"
	resources []string
	notRes    bool
}

func (g lintGrant) anyRole() bool {
	return lintAnyRole(lintStatement{resources: g.resources, hasNotRes: g.notRes})
}

// selfOnly: every resource is the caller's own user.
func (g lintGrant) selfOnly() bool {
	if g.notRes || len(g.resources) == 0 {
		return false
	}
	for _, r := range g.resources {
		if !strings.Contains(r, ":user/") || r[strings.LastIndexByte(r, '/')+1:] != "${aws:username}" {
			return false
		}
	}
	return true
}

// lintGrants lists the Allow statements granting action, or nil when an
// unconditional Deny on every resource removes it. Conditional Denies and
// Denies on specific resources are ignored: they may not apply.
func lintGrants(stmts []lintStatement, action string) []lintGrant {
	var grants []lintGrant
	for _, st := range stmts {
		via, ok := lintStatementCovers(st, action)
		if !ok {
			continue
		}
		switch st.effect {
		case "Deny":
			if !st.hasCondition && !st.hasNotRes && lintContains(st.resources, "*") {
				return nil
			}
		case "Allow":
			if lintIsAdminStar(st) {
				continue // reported as admin-star; the fix is the same
			}
			if !st.hasNotRes && !lintResourcesApply(st.resources, action) {
				continue // e.g. "*" on an S3 bucket grants no IAM action
			}
			grants = append(grants, lintGrant{label: st.label, via: via, resources: st.resources, notRes: st.hasNotRes})
		}
	}
	return grants
}

// lintResourcesApply reports whether any resource can name a resource of
// the action's service: "*" or an ARN of that service.
func lintResourcesApply(resources []string, action string) bool {
	service, _, _ := strings.Cut(strings.ToLower(action), ":")
	for _, r := range resources {
		if r == "*" {
			return true
		}
		if parts := strings.SplitN(r, ":", 6); len(parts) == 6 && lintGlob(strings.ToLower(parts[2]), service) {
			return true
		}
	}
	return false
}

func lintStatementCovers(st lintStatement, action string) (string, bool) {
	if st.hasNotAct {
		if len(st.notActions) == 0 {
			return "", false // NotAction was malformed
		}
		for _, a := range st.notActions {
			if lintActionMatch(a, action) {
				return "", false
			}
		}
		return "NotAction", true
	}
	for _, a := range st.actions {
		if lintActionMatch(a, action) {
			return a, true
		}
	}
	return "", false
}

func lintContains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func (l *lintRun) checkPrivesc(stmts []lintStatement) {
	for _, rule := range lintPrivescRules {
		var parts []string
		passRoleAnyRole := false
		satisfied := true
		for _, group := range rule.requires {
			found := false
			for _, action := range group {
				grants := lintGrants(stmts, action)
				if rule.selfCredentials {
					kept := grants[:0:0]
					for _, g := range grants {
						if !g.selfOnly() {
							kept = append(kept, g)
						}
					}
					grants = kept
				}
				if len(grants) == 0 {
					continue
				}
				found = true
				parts = append(parts, action+" ("+lintDescribeGrants(grants)+")")
				if action == "iam:PassRole" {
					for _, g := range grants {
						passRoleAnyRole = passRoleAnyRole || g.anyRole()
					}
				}
			}
			if !found {
				satisfied = false
				break
			}
		}
		if !satisfied {
			continue
		}
		sev, fix := SeverityError, rule.fix
		if rule.passRole {
			fix = lintFixPassRole
			if !passRoleAnyRole {
				sev = SeverityWarning
				fix = "check that the roles this principal may pass are no more privileged than the principal itself, or " + "grant these actions only to an explicitly admin group"
			}
		}
		l.add(sev, LintCodePrivesc, "privilege escalation (%s): the policy allows %s, which %s: %s",
			rule.name, strings.Join(parts, ", "), rule.risk, fix)
	}
}

func lintDescribeGrants(grants []lintGrant) string {
	descs := make([]string, 0, len(grants))
	for _, g := range grants {
		d := g.label + " via NotAction"
		if g.via != "NotAction" {
			d = fmt.Sprintf("%s via %q", g.label, g.via)
		}
		if !lintContains(descs, d) {
			descs = append(descs, d)
		}
	}
	return strings.Join(descs, "; ")
}
