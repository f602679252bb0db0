package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

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
	// pinsPrincipal: the Condition narrows who the principal can be (see conditionPinsPrincipal).
	pinsPrincipal bool
	// pinsBoundary: the Condition requires the written role's permissions boundary (conditionPinsBoundary).
	pinsBoundary bool
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

func (l *run) checkGrammar(root map[string]any) []lintStatement {
	for _, k := range lintSortedKeys(root) {
		if !lintTopKeys[k] {
			l.errorf(CodeGrammar, "unknown top-level key %q: a policy has only Version, Id and Statement (keys are case-sensitive)", k)
		}
	}
	switch v, ok := root["Version"]; {
	case !ok:
		l.warnf(CodeGrammar, "\"Version\" is missing, so AWS uses 2008-10-17 and policy variables such as ${aws:username} are not substituted: add \"Version\": \"2012-10-17\"")
	case v == "2008-10-17":
		l.warnf(CodeGrammar, "\"Version\" is 2008-10-17, in which policy variables such as ${aws:username} are not substituted: use \"2012-10-17\"")
	case v != "2012-10-17":
		l.errorf(CodeGrammar, "\"Version\" must be \"2012-10-17\", got %s", lintShow(v))
	}
	if v, ok := root["Id"]; ok {
		if _, isString := v.(string); !isString {
			l.errorf(CodeGrammar, "\"Id\" must be a string, got %s", lintTypeName(v))
		}
	}

	var raw []any
	single := false
	switch v := root["Statement"].(type) {
	case nil:
		if _, ok := root["Statement"]; ok {
			l.errorf(CodeGrammar, "\"Statement\" must be an object or a non-empty array of objects, got null")
		} else {
			l.errorf(CodeGrammar, "\"Statement\" is missing: a policy needs at least one statement")
		}
		return nil
	case map[string]any:
		raw, single = []any{v}, true
	case []any:
		if len(v) == 0 {
			l.errorf(CodeGrammar, "\"Statement\" is an empty array: a policy needs at least one statement")
			return nil
		}
		raw = v
	default:
		l.errorf(CodeGrammar, "\"Statement\" must be an object or a non-empty array of objects, got %s", lintTypeName(v))
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
			l.errorf(CodeGrammar, "%s must be an object, got %s", label, lintTypeName(item))
			continue
		}
		if sid, ok := obj["Sid"].(string); ok && sid != "" {
			if first, dup := sids[sid]; dup {
				l.errorf(CodeGrammar, "%s: duplicate Sid %q (also used by %s): every Sid in a policy must be unique", label, sid, first)
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

func (l *run) checkStatement(label string, obj map[string]any) lintStatement {
	st := lintStatement{label: label}
	trust := l.opts.Kind == KindTrustPolicy
	for _, k := range lintSortedKeys(obj) {
		if !lintStatementKeys[k] {
			l.errorf(CodeGrammar, "%s: unknown key %q: a statement has only Sid, Effect, Action/NotAction, Resource/NotResource, Principal/NotPrincipal and Condition (keys are case-sensitive)", label, k)
		}
	}

	if v, ok := obj["Sid"]; ok {
		switch sid := v.(type) {
		case string:
			if !lintSidPattern.MatchString(sid) {
				l.errorf(CodeGrammar, "%s: Sid %q may contain only letters A-Z, a-z and digits 0-9", label, sid)
			}
		default:
			l.errorf(CodeGrammar, "%s: \"Sid\" must be a string, got %s", label, lintTypeName(v))
		}
	}

	v, ok := obj["Effect"]
	effect, _ := v.(string)
	switch {
	case !ok:
		l.errorf(CodeGrammar, "%s: \"Effect\" is missing: set it to \"Allow\" or \"Deny\"", label)
	case effect == "Allow" || effect == "Deny":
		st.effect = effect
	default:
		l.errorf(CodeGrammar, "%s: \"Effect\" must be exactly \"Allow\" or \"Deny\", got %s", label, lintShow(v))
	}

	_, hasAction := obj["Action"]
	_, hasNotAction := obj["NotAction"]
	if hasAction {
		st.actions = l.checkActions(label, "Action", obj["Action"])
		l.checkKnownActions(label, "Action", st.actions)
	}
	if hasNotAction {
		st.hasNotAct = true
		st.notActions = l.checkActions(label, "NotAction", obj["NotAction"])
		if st.effect == "Allow" {
			// A misspelt NotAction in a Deny only exempts less; in an Allow it grants more.
			l.checkKnownActions(label, "NotAction", st.notActions)
		}
	}
	switch {
	case hasAction && hasNotAction:
		l.errorf(CodeGrammar, "%s: has both \"Action\" and \"NotAction\": keep exactly one", label)
		st.effect = "" // ambiguous: leave it out of the semantic checks
	case !hasAction && !hasNotAction:
		l.errorf(CodeGrammar, "%s: needs \"Action\" (or \"NotAction\"), e.g. \"Action\": [\"s3:GetObject\"]", label)
	}

	_, hasResource := obj["Resource"]
	_, hasNotResource := obj["NotResource"]
	_, hasPrincipal := obj["Principal"]
	_, hasNotPrincipal := obj["NotPrincipal"]
	if trust {
		if hasResource || hasNotResource {
			l.errorf(CodeGrammar, "%s: a role trust policy must not have \"Resource\" or \"NotResource\" (the role itself is the resource): remove it", label)
		}
		switch {
		case hasPrincipal && hasNotPrincipal:
			l.errorf(CodeGrammar, "%s: has both \"Principal\" and \"NotPrincipal\": keep exactly one", label)
		case !hasPrincipal && !hasNotPrincipal:
			l.errorf(CodeGrammar, "%s: a role trust policy needs \"Principal\", e.g. {\"Service\": \"ec2.amazonaws.com\"}", label)
		case hasPrincipal:
			st.publicTrust = l.checkPrincipal(label, "Principal", obj["Principal"])
		default:
			l.checkPrincipal(label, "NotPrincipal", obj["NotPrincipal"])
		}
	} else {
		if hasPrincipal || hasNotPrincipal {
			l.errorf(CodeGrammar, "%s: an identity policy (%s) must not have \"Principal\" or \"NotPrincipal\": the principal is whoever the policy is attached to; remove it", label, l.opts.Kind)
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
			l.errorf(CodeGrammar, "%s: has both \"Resource\" and \"NotResource\": keep exactly one", label)
			st.effect = ""
		case !hasResource && !hasNotResource:
			l.errorf(CodeGrammar, "%s: needs \"Resource\" (or \"NotResource\"), e.g. \"Resource\": \"arn:aws:s3:::my-bucket/*\"", label)
		}
	}

	if v, ok := obj["Condition"]; ok {
		st.hasCondition = true
		l.checkCondition(label, v)
		st.pinsPrincipal = conditionPinsPrincipal(v)
		st.pinsBoundary = conditionPinsBoundary(v)
	}
	return st
}

// lintStrings accepts a string or a non-empty array of strings.
func (l *run) lintStrings(label, key string, v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		if len(t) == 0 {
			l.errorf(CodeGrammar, "%s: %q is an empty array: list at least one value", label, key)
			return nil
		}
		out := make([]string, 0, len(t))
		for i, e := range t {
			s, ok := e.(string)
			if !ok {
				l.errorf(CodeGrammar, "%s: %s[%d] must be a string, got %s", label, key, i, lintTypeName(e))
				continue
			}
			out = append(out, s)
		}
		return out
	default:
		l.errorf(CodeGrammar, "%s: %q must be a string or an array of strings, got %s", label, key, lintTypeName(v))
		return nil
	}
}

func (l *run) checkActions(label, key string, v any) []string {
	list := l.lintStrings(label, key, v)
	valid := list[:0:0]
	for _, a := range list {
		if a == "*" || lintActionPattern.MatchString(a) {
			valid = append(valid, a)
			continue
		}
		l.errorf(CodeGrammar, "%s: %s %q is not of the form \"service:Action\" (wildcards * and ? allowed) or \"*\"", label, key, a)
	}
	return valid
}

func (l *run) checkResources(label, key string, v any) []string {
	list := l.lintStrings(label, key, v)
	valid := list[:0:0]
	for _, r := range list {
		if r == "*" || (strings.HasPrefix(r, "arn:") && strings.Count(r, ":") >= 5) {
			valid = append(valid, r)
			continue
		}
		l.errorf(CodeGrammar, "%s: %s %q is neither \"*\" nor an ARN (arn:partition:service:region:account:resource)", label, key, r)
	}
	return valid
}

var lintPrincipalTypes = map[string]bool{"AWS": true, "Service": true, "Federated": true, "CanonicalUser": true}

// checkPrincipal validates a Principal and reports whether it is everyone
// ("*" or {"AWS": "*"}).
func (l *run) checkPrincipal(label, key string, v any) bool {
	switch t := v.(type) {
	case string:
		if t == "*" {
			return true
		}
		l.errorf(CodeGrammar, "%s: %q must be \"*\" or an object such as {\"Service\": \"ec2.amazonaws.com\"}, got %q", label, key, t)
	case map[string]any:
		if len(t) == 0 {
			l.errorf(CodeGrammar, "%s: %q is an empty object: name at least one principal", label, key)
		}
		public := false
		for _, k := range lintSortedKeys(t) {
			if !lintPrincipalTypes[k] {
				l.errorf(CodeGrammar, "%s: %s has unknown principal type %q: use AWS, Service, Federated or CanonicalUser", label, key, k)
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
		l.errorf(CodeGrammar, "%s: %q must be \"*\" or an object, got %s", label, key, lintTypeName(v))
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

func (l *run) checkCondition(label string, v any) {
	ops, ok := v.(map[string]any)
	if !ok {
		l.errorf(CodeGrammar, "%s: \"Condition\" must be an object of operator to {key: value}, got %s", label, lintTypeName(v))
		return
	}
	for _, op := range lintSortedKeys(ops) {
		if !lintKnownOperator(op) {
			l.errorf(CodeGrammar, "%s: unknown condition operator %q, e.g. use StringEquals, ArnLike, Bool or NumericLessThan (optionally with IfExists, ForAllValues: or ForAnyValue:)", label, op)
		}
		keys, ok := ops[op].(map[string]any)
		if !ok {
			l.errorf(CodeGrammar, "%s: Condition.%s must be an object of condition key to value, got %s", label, op, lintTypeName(ops[op]))
			continue
		}
		if len(keys) == 0 {
			l.errorf(CodeGrammar, "%s: Condition.%s is empty: name at least one condition key", label, op)
		}
		for _, key := range lintSortedKeys(keys) {
			if !lintConditionValue(keys[key]) {
				l.errorf(CodeGrammar, "%s: Condition.%s.%s must be a string, boolean, number or a non-empty array of them, got %s", label, op, key, lintTypeName(keys[key]))
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

// checkKnownActions warns about actions that are not in AWS's Service Authorization Reference as
// shipped (baseline.ActionListDate): IAM ignores an unknown action silently, so a typo in a Deny
// protects nothing and a typo in an Allow grants nothing. A wildcard must match at least one
// action of its service. Services newer than the list are reported too, as warnings.
func (l *run) checkKnownActions(label, key string, actions []string) {
	for _, a := range actions {
		if a == "*" {
			continue
		}
		prefix, name, _ := strings.Cut(a, ":")
		if strings.ContainsAny(prefix, "*?") {
			continue
		}
		if !baseline.KnownService(prefix) {
			l.warnf(CodeUnknownAction, "%s: %s %q: no AWS service has the prefix %q in the Service Authorization Reference (as of %s): check the spelling", label, key, a, prefix, baseline.ActionListDate)
			continue
		}
		if !strings.ContainsAny(name, "*?") {
			if !baseline.KnownAction(a) {
				l.warnf(CodeUnknownAction, "%s: %s %q is not a %s action in the Service Authorization Reference (as of %s), so IAM ignores it: check the spelling", label, key, a, prefix, baseline.ActionListDate)
			}
			continue
		}
		matched := false
		for _, known := range baseline.ServiceActions(prefix) {
			if lintGlob(strings.ToLower(name), strings.ToLower(known)) {
				matched = true
				break
			}
		}
		if !matched {
			l.warnf(CodeUnknownAction, "%s: %s %q matches no %s action in the Service Authorization Reference (as of %s), so IAM ignores it: check the spelling", label, key, a, prefix, baseline.ActionListDate)
		}
	}
}
