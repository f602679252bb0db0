package baseline

import (
	"maps"
	"strings"
	"testing"
)

// This file is a deliberately small model of IAM's identity-policy evaluation,
// enough to state what a group can and cannot do: an explicit Deny wins, then
// any Allow, otherwise the request is implicitly denied. Actions match
// case-insensitively with * and ? wildcards, resources case-sensitively after
// ${...} policy variables are substituted from the request context. The
// condition operators the baseline uses are evaluated against the context;
// any other operator fails the test run rather than being guessed at.

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

func evalAllowed(docs []PolicyDocument, req evalRequest) bool {
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
	actual, present := ctx[key]
	base, ifExists := strings.CutSuffix(op, "IfExists")
	if !present && ifExists {
		return true
	}
	switch base {
	case "StringEquals":
		return present && evalContains(values, actual, false)
	case "StringNotEquals":
		// A negated operator matches when the key is missing.
		return !present || !evalContains(values, actual, false)
	case "StringLike":
		return present && evalAnyMatch(values, actual, false, nil)
	case "Bool":
		return present && evalContains(values, actual, true)
	}
	panic("evaluator does not model condition operator " + op)
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
