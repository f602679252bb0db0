package baseline

import (
	"fmt"
	"strconv"
	"strings"
)

// Room: when a group's grants do not fit one customer managed policy (IAM's quota is
// ManagedPolicyMaxChars non-whitespace characters per policy, not adjustable), they are split, in
// their order, over several policies attached to the same group. This file is the one place that
// knows how: the statements are packed greedily, each part is a complete document, and a part
// beyond the first has its own key (PolicyPartKey) in Documents, in CustomerPolicyKeys and in
// Attachments, so every layer above handles it as one more customer managed policy of the group.
// IAM evaluates all policies of a group together, so the split changes nothing a member may do.

// MaxPolicyPartsPerGroup is how many customer managed policies one group's grants may take: IAM's
// ManagedPoliciesPerGroup less the baseline-wide policies a group holds (the MFA and guardrail
// policies). extra_policy_arns share the rest: the plan refuses a group whose parts, baseline-wide
// policies and extra ones together are more than ManagedPoliciesPerGroup.
const MaxPolicyPartsPerGroup = ManagedPoliciesPerGroup - 2

// policyPartSep separates a role key from a part number in a document key ("SysAdmins#2"). IAM
// names cannot contain it, so a part key never collides with a group name.
const policyPartSep = "#"

// PolicyPartKey is the document key of part n (1-based) of a role group's policy: the role key
// itself for the first part, "<role key>#<n>" for the others.
func PolicyPartKey(roleKey string, n int) string {
	if n <= 1 {
		return roleKey
	}
	return roleKey + policyPartSep + strconv.Itoa(n)
}

// ParsePolicyPartKey splits a document key into its role key and part number (1 for a plain key).
func ParsePolicyPartKey(key string) (roleKey string, n int) {
	role, num, ok := strings.Cut(key, policyPartSep)
	if !ok {
		return key, 1
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 2 {
		return key, 1
	}
	return role, n
}

// PolicyPartCounts reads, from documents keyed as Documents keys them, how many parts each role
// group's policy has (only groups with more than one part are listed).
func PolicyPartCounts(docs map[string]string) map[string]int {
	out := map[string]int{}
	for key := range docs {
		if role, n := ParsePolicyPartKey(key); n > 1 && ValidRoleKey(role) && n > out[role] {
			out[role] = n
		}
	}
	return out
}

// SplitStatements packs statements, in order, into as few documents as fit max non-whitespace
// characters each. A statement that alone does not fit is an error.
func SplitStatements(stmts []Statement, limit int) ([]PolicyDocument, error) {
	var parts []PolicyDocument
	cur := PolicyDocument{Version: PolicyVersion}
	for _, s := range stmts {
		next := PolicyDocument{Version: PolicyVersion, Statements: append(append([]Statement{}, cur.Statements...), s)}
		n, err := documentSize(next)
		if err != nil {
			return nil, err
		}
		if n <= limit {
			cur = next
			continue
		}
		if len(cur.Statements) == 0 {
			return nil, fmt.Errorf("statement %s alone is %d characters, over the quota of %d", s.Sid, n, limit)
		}
		parts = append(parts, cur)
		cur = PolicyDocument{Version: PolicyVersion, Statements: []Statement{s}}
		if n, err = documentSize(cur); err != nil {
			return nil, err
		} else if n > limit {
			return nil, fmt.Errorf("statement %s alone is %d characters, over the quota of %d", s.Sid, n, limit)
		}
	}
	if len(cur.Statements) > 0 {
		parts = append(parts, cur)
	}
	return parts, nil
}

// MergeParts joins the parts of a policy into one document (the inline policy of a permission
// set, whose quota is larger, or the whole of what a group grants).
func MergeParts(parts []PolicyDocument) PolicyDocument {
	doc := PolicyDocument{Version: PolicyVersion}
	for _, p := range parts {
		doc.Statements = append(doc.Statements, p.Statements...)
	}
	return doc
}

func documentSize(d PolicyDocument) (int, error) {
	js, err := d.JSON()
	if err != nil {
		return 0, err
	}
	return NonWhitespaceLen(js), nil
}

// JoinedDocument is the whole of a role group's policy from documents keyed as Documents keys
// them: its parts merged into one document (a permission set's inline policy).
func JoinedDocument(docs map[string]string, roleKey string) (string, error) {
	n := max(PolicyPartCounts(docs)[roleKey], 1)
	if n == 1 {
		return docs[roleKey], nil
	}
	parts := make([]PolicyDocument, 0, n)
	for i := 1; i <= n; i++ {
		d, err := ParsePolicy(docs[PolicyPartKey(roleKey, i)])
		if err != nil {
			return "", err
		}
		parts = append(parts, d)
	}
	return MergeParts(parts).JSON()
}
