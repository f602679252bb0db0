package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

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

func (l *run) checkStatements(stmts []lintStatement) {
	for _, st := range stmts {
		if st.effect != "Allow" {
			continue
		}
		if st.publicTrust && !st.pinsPrincipal {
			l.errorf(CodePublicTrust, "%s: trusts every AWS principal (\"*\") without a Condition that pins who the principal is, so anyone in any account can assume this role: name the trusted accounts or services, or add a Condition on aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalArn, aws:SourceAccount or, for web identities, the provider's sub claim (sts:ExternalId alone is not enough: whoever learns it can assume the role)", st.label)
		}
		if l.opts.Kind == KindTrustPolicy {
			continue
		}
		if lintIsAdminStar(st) && !l.opts.AdminAllowed {
			l.errorf(CodeAdminStar, "%s: allows every action (\"*\") on every resource (\"*\"), which is full administrator access: grant it only through an explicitly admin group or role, and give this principal the specific actions it needs", st.label)
		}
		if st.hasNotAct {
			l.warnf(CodeNotAction, "%s: Allow with \"NotAction\" grants every action not listed, including ones AWS adds later: list the allowed actions in \"Action\" instead", st.label)
		}
		if st.hasNotRes {
			l.warnf(CodeNotResource, "%s: Allow with \"NotResource\" grants access to every resource not listed, including ones created later: list the allowed resources in \"Resource\" instead", st.label)
		}
		for _, a := range st.actions {
			service, action, _ := strings.Cut(strings.ToLower(a), ":")
			if service == "*" || strings.Trim(action, "*") != "" {
				continue
			}
			for _, sensitive := range lintServiceWildcards {
				if lintGlob(service, sensitive) {
					l.warnf(CodeServiceWildcard, "%s: allows %q, every %s action: list only the %s actions this principal needs", st.label, a, sensitive, sensitive)
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
					l.warnf(CodePassRoleStar, "%s: allows %s on any role, so this principal can hand any role, including an administrator role, to an AWS service: restrict Resource to the ARNs of the roles it must pass, e.g. arn:aws:iam::123456789012:role/app/*", st.label, shown)
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
func lintGlob(pattern, s string) bool { return baseline.GlobMatch(pattern, s) }

// pinningConditionKeys narrow the principal of a trust policy to an account, an organization or a
// role; an OIDC provider's "<provider>:sub" does the same for web identities.
var pinningConditionKeys = []string{"aws:principalaccount", "aws:principalorgid", "aws:principalarn", "aws:sourceaccount"}

// conditionPinsPrincipal reports whether a Condition block has a positive test (not a Not...
// operator) of a pinning key against something other than "*" alone.
func conditionPinsPrincipal(v any) bool {
	ops, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for op, keysValue := range ops {
		if strings.Contains(op, "Not") || strings.HasSuffix(op, "IfExists") || strings.HasPrefix(op, "Null") {
			continue
		}
		keys, ok := keysValue.(map[string]any)
		if !ok {
			continue
		}
		for key, values := range keys {
			k := strings.ToLower(key)
			if !slices.Contains(pinningConditionKeys, k) && !strings.HasSuffix(k, ":sub") {
				continue
			}
			if conditionHasConcreteValue(values) {
				return true
			}
		}
	}
	return false
}

// conditionPinsBoundary reports whether a Condition block requires, by a positive test of a
// concrete value, the permissions boundary (iam:PermissionsBoundary) of the user or role a request
// writes: AWS's documented delegation pattern, in which what the target may do is capped by that
// boundary whatever policies it is given.
func conditionPinsBoundary(v any) bool {
	ops, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for op, keysValue := range ops {
		if strings.Contains(op, "Not") || strings.HasSuffix(op, "IfExists") || strings.HasPrefix(op, "Null") || strings.HasPrefix(op, "ForAnyValue") {
			continue
		}
		keys, ok := keysValue.(map[string]any)
		if !ok {
			continue
		}
		for key, values := range keys {
			if strings.EqualFold(key, "iam:PermissionsBoundary") && conditionHasConcreteValue(values) {
				return true
			}
		}
	}
	return false
}

func conditionHasConcreteValue(v any) bool {
	switch t := v.(type) {
	case string:
		return strings.Trim(t, "*?") != ""
	case []any:
		for _, e := range t {
			if s, ok := e.(string); !ok || strings.Trim(s, "*?") == "" {
				return false
			}
		}
		return len(t) > 0
	}
	return false
}
