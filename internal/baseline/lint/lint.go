package lint

import (
	"fmt"
	"sort"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
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
	CodeJSON            = "json"
	CodeGrammar         = "grammar"
	CodeSize            = "size"
	CodeAdminStar       = "admin-star"
	CodeNotAction       = "not-action"
	CodeNotResource     = "not-resource"
	CodeServiceWildcard = "service-wildcard"
	CodePassRoleStar    = "passrole-star"
	CodePrivesc         = "privesc"
	CodePublicTrust     = "public-trust"
	CodeOptions         = "options"
	CodeUnknownAction   = "unknown-action"
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

// Kind is where a document is used; it decides the size quota and
// whether Resource or Principal is required.
type Kind int

// The constants carry a Kind prefix because TrustPolicy is the name of the
// trust policy builder in policy.go.
const (
	KindManagedPolicy Kind = iota
	KindGroupInlinePolicy
	KindRoleInlinePolicy
	KindUserInlinePolicy
	KindTrustPolicy
	KindPermissionSetInlinePolicy
)

var lintKindNames = map[Kind]string{
	KindManagedPolicy:     "managed policy",
	KindGroupInlinePolicy: "group inline policy",
	KindRoleInlinePolicy:  "role inline policy",
	KindUserInlinePolicy:  "user inline policy",
	KindTrustPolicy:       "role trust policy",

	KindPermissionSetInlinePolicy: "permission set inline policy",
}

// AWS IAM quotas, in characters excluding whitespace.
var lintKindQuotas = map[Kind]int{
	KindManagedPolicy:     baseline.ManagedPolicyMaxChars,
	KindGroupInlinePolicy: baseline.GroupInlinePolicyMaxChars,
	KindRoleInlinePolicy:  baseline.RoleInlinePolicyMaxChars,
	KindUserInlinePolicy:  baseline.UserInlinePolicyMaxChars,
	KindTrustPolicy:       baseline.TrustPolicyMaxChars,

	KindPermissionSetInlinePolicy: baseline.PermissionSetInlinePolicyMax,
}

func (k Kind) String() string {
	if name, ok := lintKindNames[k]; ok {
		return name
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// SizeQuota is the AWS limit for a document of this kind, counted as
// characters other than whitespace; 0 for an unknown kind.
func (k Kind) SizeQuota() int { return lintKindQuotas[k] }

// Options describe where the linted document will be used.
type Options struct {
	Kind Kind
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
func Policy(document string, opts Options) []Finding {
	l := &run{opts: opts}
	if _, ok := lintKindQuotas[opts.Kind]; !ok {
		l.errorf(CodeOptions, "unknown policy kind %d: use one of the Kind* constants", int(opts.Kind))
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

type run struct {
	opts     Options
	findings []Finding
}

func (l *run) add(sev Severity, code, format string, args ...any) {
	l.findings = append(l.findings, Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (l *run) errorf(code, format string, args ...any) {
	l.add(SeverityError, code, format, args...)
}

func (l *run) warnf(code, format string, args ...any) {
	l.add(SeverityWarning, code, format, args...)
}

func (l *run) sorted() []Finding {
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
