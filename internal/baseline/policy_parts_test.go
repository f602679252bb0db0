package baseline

import (
	"fmt"
	"strings"
	"testing"
)

func TestPolicyPartKeys(t *testing.T) {
	for _, tt := range []struct {
		key  string
		role string
		n    int
	}{
		{"SysAdmins", "SysAdmins", 1},
		{"SysAdmins#2", "SysAdmins", 2},
		{"SysAdmins#x", "SysAdmins#x", 1},
		{"mfa", "mfa", 1},
	} {
		if role, n := ParsePolicyPartKey(tt.key); role != tt.role || n != tt.n {
			t.Errorf("ParsePolicyPartKey(%q) = %q, %d; want %q, %d", tt.key, role, n, tt.role, tt.n)
		}
		if got := PolicyPartKey(tt.role, tt.n); got != tt.key {
			t.Errorf("PolicyPartKey(%q, %d) = %q, want %q", tt.role, tt.n, got, tt.key)
		}
	}
	if got := PolicyPartCounts(map[string]string{"SysAdmins": "", "SysAdmins#2": "", "Developers": "", "Other#2": ""}); len(got) != 1 || got["SysAdmins"] != 2 {
		t.Errorf("PolicyPartCounts = %v", got)
	}
}

// Statements are packed in order, each part under the limit, and a statement too large alone is an
// error rather than an oversized part.
func TestSplitStatements(t *testing.T) {
	var stmts []Statement
	for i := range 40 {
		stmts = append(stmts, allow("S"+strings.Repeat("x", i%3), []string{"s3:GetObject"}, "arn:aws:s3:::bucket-"+strings.Repeat("b", 100)+"/*"))
	}
	parts, err := SplitStatements(stmts, 2000)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 2 {
		t.Fatalf("%d parts, want the statements spread over several", len(parts))
	}
	var joined []Statement
	for i, p := range parts {
		n, err := documentSize(p)
		if err != nil {
			t.Fatal(err)
		}
		if n > 2000 {
			t.Errorf("part %d is %d characters, over 2000", i+1, n)
		}
		joined = append(joined, p.Statements...)
	}
	if len(joined) != len(stmts) {
		t.Errorf("parts hold %d statements, want %d in order", len(joined), len(stmts))
	}
	for i := range joined {
		if joined[i].Sid != stmts[i].Sid || joined[i].Resource[0] != stmts[i].Resource[0] {
			t.Fatalf("statement %d out of order", i)
		}
	}
	if _, err := SplitStatements(stmts[:1], 50); err == nil {
		t.Error("a statement larger than the limit was accepted")
	}
}

// The Developers grants with many buckets take two managed policies; the documents join back into
// GroupPolicy.
func TestJoinedDocument(t *testing.T) {
	opts := proofOptions
	for i := range 60 {
		opts.DeveloperS3BucketARNs = append(opts.DeveloperS3BucketARNs, fmt.Sprintf("arn:aws:s3:::acme-team-%02d-artifacts", i))
	}
	docs, err := Documents([]string{RoleDevelopers}, opts, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if PolicyPartCounts(docs)[RoleDevelopers] < 2 {
		t.Fatalf("Developers fits one policy now (%d keys): pick options that need two", len(docs))
	}
	for k, js := range docs {
		if n := NonWhitespaceLen(js); n > ManagedPolicyMaxChars {
			t.Errorf("%s is %d characters, over the quota", k, n)
		}
	}
	got, err := JoinedDocument(docs, RoleDevelopers)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := mustGroupPolicy(t, RoleDevelopers, opts).JSON()
	if got != want {
		t.Error("the joined parts are not GroupPolicy")
	}
	// A permission set carries the joined parts and then the guardrail policy's statements.
	inline, err := PermissionSetInlinePolicy(docs, RoleDevelopers)
	if err != nil {
		t.Fatal(err)
	}
	guard, _ := GuardrailPolicy(opts)
	if wantSet, _ := MergeParts([]PolicyDocument{mustGroupPolicy(t, RoleDevelopers, opts), guard}).JSON(); inline != wantSet {
		t.Error("the permission set's inline policy is not the joined parts followed by the guardrails")
	}
	// The aws_managed style: no grants of its own, the guardrails only.
	onlyGuard, err := PermissionSetInlinePolicy(map[string]string{GuardrailsDocumentKey: docs[GuardrailsDocumentKey]}, RoleDevelopers)
	if err != nil || onlyGuard != docs[GuardrailsDocumentKey] {
		t.Errorf("aws_managed permission set inline policy = %v, %v; want the guardrail policy", onlyGuard, err)
	}
}
