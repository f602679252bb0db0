package baseline

import (
	"maps"
	"strconv"
	"strings"
	"testing"
)

// This file is a deliberately small model of IAM's identity-policy evaluation,
// enough to state what a group can and cannot do: an explicit Deny wins, then
// any Allow, otherwise the request is implicitly denied. Actions match
// case-insensitively with * and ? wildcards, resources case-sensitively after
// ${...} policy variables are substituted from the request context (in
// condition values too). The condition operators the baseline uses are
// evaluated against the context, including multi-valued keys (aws:TagKeys)
// with the ForAnyValue:/ForAllValues: set operators and the Null check; any
// other operator fails the test run rather than being guessed at.
//
// A context value may hold several values separated by evalMulti; a key whose
// value is the empty string is absent.

const evalMulti = "\x00"

type evalRequest struct {
	action   string
	resource string
	context  map[string]string
}

// evalDefaultContext is a signed-in user with MFA in us-east-1.
func evalDefaultContext() map[string]string {
	return map[string]string{
		"aws:username":               "alice",
		"aws:RequestedRegion":        "us-east-1",
		"aws:MultiFactorAuthPresent": "true",
		"aws:PrincipalAccount":       "123456789012",
	}
}

// allows evaluates one action on one resource against doc in the default
// context.
func allows(doc PolicyDocument, action, resource string) bool {
	return evalAllowed([]PolicyDocument{doc}, evalRequest{action: action, resource: resource, context: evalDefaultContext()})
}

// allowsWith evaluates against several documents, overriding context keys; an
// override with an empty value removes the key from the context.
func allowsWith(docs []PolicyDocument, action, resource string, overrides map[string]string) bool {
	ctx := evalDefaultContext()
	maps.Copy(ctx, overrides)
	for k, v := range ctx {
		if v == "" {
			delete(ctx, k)
		}
	}
	return evalAllowed(docs, evalRequest{action: action, resource: resource, context: ctx})
}

// evalAllowed is the one door every can/cannot check in this package goes through; when the proof
// export is on (proof_export_test.go), it also records the request and the decision, so the same
// cases are evaluated again by an independent IAM simulator (make proof-independent).
func evalAllowed(docs []PolicyDocument, req evalRequest) bool {
	allowed := evalDecide(docs, req)
	if proofExport != nil {
		proofExport.record(docs, req, allowed)
	}
	return allowed
}

func evalDecide(docs []PolicyDocument, req evalRequest) bool {
	allowed := false
	for _, doc := range docs {
		for _, s := range doc.Statements {
			if !evalStatementApplies(s, req) {
				continue
			}
			if s.Effect == EffectDeny {
				return false
			}
			allowed = true
		}
	}
	return allowed
}

func evalStatementApplies(s Statement, req evalRequest) bool {
	if len(s.Action) > 0 && !evalAnyMatch(s.Action, req.action, true, nil) {
		return false
	}
	if len(s.NotAction) > 0 && evalAnyMatch(s.NotAction, req.action, true, nil) {
		return false
	}
	if len(s.Resource) > 0 && !evalAnyMatch(s.Resource, req.resource, false, req.context) {
		return false
	}
	if len(s.NotResource) > 0 && evalAnyMatch(s.NotResource, req.resource, false, req.context) {
		return false
	}
	for op, keys := range s.Condition {
		for key, values := range keys {
			if !evalCondition(op, key, values, req.context) {
				return false
			}
		}
	}
	return true
}

func evalCondition(op, key string, values []string, ctx map[string]string) bool {
	raw, present := ctx[key]
	var actual []string
	if present {
		actual = strings.Split(raw, evalMulti)
	}
	expanded := make([]string, 0, len(values))
	for _, v := range values {
		for k, x := range ctx {
			v = strings.ReplaceAll(v, "${"+k+"}", x)
		}
		expanded = append(expanded, v)
	}
	values = expanded
	if op == "Null" {
		// "true" asks for the key to be absent, "false" for it to be present.
		return evalContains(values, strconv.FormatBool(!present), true)
	}
	set, base := "", op
	if rest, ok := strings.CutPrefix(op, "ForAnyValue:"); ok {
		set, base = "any", rest
	} else if rest, ok := strings.CutPrefix(op, "ForAllValues:"); ok {
		set, base = "all", rest
	}
	base, ifExists := strings.CutSuffix(base, "IfExists")
	one := func(v string) bool {
		switch base {
		case "StringEquals":
			return evalContains(values, v, false)
		case "StringNotEquals":
			return !evalContains(values, v, false)
		case "StringLike", "ArnLike":
			return evalAnyMatch(values, v, false, nil)
		case "StringNotLike", "ArnNotLike":
			return !evalAnyMatch(values, v, false, nil)
		case "Bool":
			return evalContains(values, v, true)
		}
		panic("evaluator does not model condition operator " + op)
	}
	negated := strings.Contains(base, "Not")
	switch set {
	case "any":
		for _, v := range actual {
			if one(v) {
				return true
			}
		}
		return false
	case "all":
		for _, v := range actual {
			if !one(v) {
				return false
			}
		}
		return true
	}
	if !present {
		// IfExists: a missing key passes; a negated operator matches a missing key.
		one("") // reject unknown operators even when the key is missing
		return ifExists || negated
	}
	if len(actual) != 1 {
		panic("single-valued operator " + op + " on multi-valued key " + key)
	}
	return one(actual[0])
}

func evalContains(values []string, v string, fold bool) bool {
	for _, x := range values {
		if x == v || (fold && strings.EqualFold(x, v)) {
			return true
		}
	}
	return false
}

func evalAnyMatch(patterns []string, value string, fold bool, vars map[string]string) bool {
	for _, p := range patterns {
		for k, v := range vars {
			p = strings.ReplaceAll(p, "${"+k+"}", v)
		}
		if fold {
			p, value = strings.ToLower(p), strings.ToLower(value)
		}
		if evalGlob(p, value) {
			return true
		}
	}
	return false
}

// evalGlob matches IAM wildcards: * is any run of characters, ? exactly one.
func evalGlob(pattern, s string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for i := 0; i <= len(s); i++ {
				if evalGlob(pattern[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if len(s) == 0 {
				return false
			}
		default:
			if len(s) == 0 || s[0] != pattern[0] {
				return false
			}
		}
		pattern, s = pattern[1:], s[1:]
	}
	return len(s) == 0
}

// The evaluator is only worth its conclusions if it is right itself.
func TestEvaluator(t *testing.T) {
	doc := PolicyDocument{Version: PolicyVersion, Statements: []Statement{
		{Effect: EffectAllow, Action: []string{"s3:Get*", "ec2:*Vpc*"}, Resource: []string{"*"}},
		{Effect: EffectAllow, Action: []string{"iam:GetUser"}, Resource: []string{"arn:aws:iam::*:user/${aws:username}"}},
		{Effect: EffectDeny, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::secret/*"}},
		{Effect: EffectDeny, NotAction: []string{"iam:*"}, Resource: []string{"*"},
			Condition: map[string]map[string][]string{"StringNotEquals": {"aws:RequestedRegion": {"us-east-1"}}}},
		{Effect: EffectDeny, Action: []string{"sqs:*"}, Resource: []string{"*"},
			Condition: map[string]map[string][]string{"BoolIfExists": {"aws:MultiFactorAuthPresent": {"false"}}}},
		{Effect: EffectAllow, Action: []string{"sqs:SendMessage"}, Resource: []string{"*"}},
		{Effect: EffectAllow, Action: []string{"ec2:CreateTags", "ec2:DeleteTags"}, Resource: []string{"*"}, Condition: map[string]map[string][]string{"Null": {"ec2:CreateAction": {"false"}}}},
		{Effect: EffectAllow, Action: []string{"ec2:DeleteTags"}, Resource: []string{"*"}},
		{Effect: EffectDeny, Action: []string{"ec2:DeleteTags"}, Resource: []string{"*"}, Condition: map[string]map[string][]string{"ForAnyValue:StringEquals": {"aws:TagKeys": {"app"}}}},
		{Effect: EffectAllow, Action: []string{"ec2:RunInstances"}, Resource: []string{"*"}, Condition: map[string]map[string][]string{"StringNotEqualsIfExists": {"ec2:Owner": {"${aws:PrincipalAccount}"}}}},
		{Effect: EffectAllow, Action: []string{"ecs:UpdateService"}, Resource: []string{"*"}, Condition: map[string]map[string][]string{"ArnLikeIfExists": {"ecs:task-definition": {"arn:aws:ecs:*:*:task-definition/app-*"}}}},
	}}
	tests := []struct {
		name     string
		action   string
		resource string
		ctx      map[string]string
		want     bool
	}{
		{"wildcard suffix", "s3:GetBucketPolicy", "arn:aws:s3:::b", nil, true},
		{"action case-insensitive", "S3:getbucketpolicy", "arn:aws:s3:::b", nil, true},
		{"wildcard infix", "ec2:CreateVpcEndpoint", "*", nil, true},
		{"not matched is implicit deny", "s3:PutObject", "arn:aws:s3:::b/k", nil, false},
		{"explicit deny wins", "s3:GetObject", "arn:aws:s3:::secret/k", nil, false},
		{"deny is resource-scoped", "s3:GetObject", "arn:aws:s3:::public/k", nil, true},
		{"policy variable own user", "iam:GetUser", "arn:aws:iam::123456789012:user/alice", nil, true},
		{"policy variable other user", "iam:GetUser", "arn:aws:iam::123456789012:user/bob", nil, false},
		{"NotAction deny outside region", "s3:GetBucketPolicy", "arn:aws:s3:::b", map[string]string{"aws:RequestedRegion": "eu-west-1"}, false},
		{"NotAction exempts listed action", "iam:GetUser", "arn:aws:iam::1:user/alice", map[string]string{"aws:RequestedRegion": "eu-west-1"}, true},
		{"IfExists with key false", "sqs:SendMessage", "*", map[string]string{"aws:MultiFactorAuthPresent": "false"}, false},
		{"IfExists with key missing", "sqs:SendMessage", "*", map[string]string{"aws:MultiFactorAuthPresent": ""}, false},
		{"IfExists with key true", "sqs:SendMessage", "*", nil, true},
		{"Null true: key absent denies", "ec2:CreateTags", "*", nil, false},
		{"Null true: key present", "ec2:CreateTags", "*", map[string]string{"ec2:CreateAction": "RunInstances"}, true},
		{"ForAnyValue matches one of several", "ec2:DeleteTags", "*", map[string]string{"aws:TagKeys": "a" + evalMulti + "app"}, false},
		{"ForAnyValue none match", "ec2:DeleteTags", "*", map[string]string{"aws:TagKeys": "a" + evalMulti + "b"}, true},
		{"ForAnyValue key absent", "ec2:DeleteTags", "*", nil, true},
		{"policy variable in condition value, own account", "ec2:RunInstances", "arn:aws:ec2:us-east-1::image/ami-1", map[string]string{"ec2:Owner": "123456789012"}, false},
		{"policy variable in condition value, other account", "ec2:RunInstances", "arn:aws:ec2:us-east-1::image/ami-1", map[string]string{"ec2:Owner": "amazon"}, true},
		{"ArnLikeIfExists absent", "ecs:UpdateService", "*", nil, true},
		{"ArnLikeIfExists matches", "ecs:UpdateService", "*", map[string]string{"ecs:task-definition": "arn:aws:ecs:us-east-1:1:task-definition/app-web:3"}, true},
		{"ArnLikeIfExists differs", "ecs:UpdateService", "*", map[string]string{"ecs:task-definition": "arn:aws:ecs:us-east-1:1:task-definition/prod-web:3"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allowsWith([]PolicyDocument{doc}, tt.action, tt.resource, tt.ctx); got != tt.want {
				t.Errorf("%s on %s = %v, want %v", tt.action, tt.resource, got, tt.want)
			}
		})
	}
	for _, g := range []struct {
		pattern, s string
		want       bool
	}{
		{"a*c", "abbbc", true}, {"a?c", "abc", true}, {"a?c", "ac", false}, {"*", "", true}, {"ab", "abc", false},
	} {
		if got := evalGlob(g.pattern, g.s); got != g.want {
			t.Errorf("evalGlob(%q, %q) = %v, want %v", g.pattern, g.s, got, g.want)
		}
	}
}
