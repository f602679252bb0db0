package lint

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// FuzzLintPolicy checks that the linter never panics, is deterministic,
// returns well-formed sorted findings, and flags every document that is not
// valid JSON.
func FuzzPolicy(f *testing.F) {
	for _, seed := range []string{
		"",
		"{",
		"[]",
		`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": ["s3:*"], "NotResource": "arn:aws:s3:::b"}]}`,
		`{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": ["iam:Pass*", "ec2:RunInstances", "lambda:*"], "Resource": ["arn:aws:iam::*:role/*"]}, {"Sid": "A", "Effect": "Deny", "Action": "iam:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": [false, 1, "x"]}}}]}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "sts:AssumeRole"}]}`,
		`{"Statement": [null, 1, "x", {"Effect": ["Allow"]}]}`,
	} {
		for _, kind := range []Kind{KindManagedPolicy, KindTrustPolicy} {
			f.Add(seed, uint8(kind), false)
		}
		f.Add(seed, uint8(KindGroupInlinePolicy), true)
	}
	f.Fuzz(func(t *testing.T, document string, kind uint8, admin bool) {
		opts := Options{Kind: Kind(kind % 7), AdminAllowed: admin} // 6 is an unknown kind
		first := Policy(document, opts)
		second := Policy(document, opts)
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("not deterministic:\n%s\nthen:\n%s", lintFormat(first), lintFormat(second))
		}
		for i, f := range first {
			if f.Severity != SeverityError && f.Severity != SeverityWarning {
				t.Errorf("finding %d has severity %q", i, f.Severity)
			}
			if f.Code == "" || f.Message == "" {
				t.Errorf("finding %d has an empty code or message: %v", i, f)
			}
			if i > 0 {
				prev := first[i-1]
				if prev == f {
					t.Errorf("finding %d is a duplicate: %v", i, f)
				}
				if prev.Severity == SeverityWarning && f.Severity == SeverityError {
					t.Errorf("error after warning at %d", i)
				}
			}
		}
		if opts.Kind.SizeQuota() == 0 {
			return
		}
		if !json.Valid([]byte(document)) && !lintHasCode(first, CodeJSON) {
			t.Errorf("invalid JSON without a json finding:\n%s", lintFormat(first))
		}
		if baseline.NonWhitespaceLen(document) > opts.Kind.SizeQuota() != lintHasCode(first, CodeSize) {
			t.Errorf("size finding disagrees with the size %d:\n%s", baseline.NonWhitespaceLen(document), lintFormat(first))
		}
		if utf8.ValidString(document) && strings.TrimSpace(document) == "" && len(first) != 1 {
			t.Errorf("blank document: want exactly one finding, got:\n%s", lintFormat(first))
		}
	})
}

func lintHasCode(findings []Finding, code string) bool {
	for _, f := range findings {
		if f.Code == code {
			return true
		}
	}
	return false
}
