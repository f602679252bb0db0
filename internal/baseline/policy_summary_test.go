package baseline

import (
	"strings"
	"testing"
)

func TestPolicySummary(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`,
			"2 statements, 153 of 6,144 characters, sha256:0475635c8680"},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}}`, "1 statement, 101 of 6,144 characters"},
		{`{"Version": "2012-10-17", "Statement": []}`, "0 statements, 39 of 6,144 characters"},
		{`not json`, "not JSON, 7 of 6,144 characters"},
	} {
		got := PolicySummary(tc.doc)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("PolicySummary(%s) = %q, want it to start with %q", tc.doc, got, tc.want)
		}
		if i := strings.Index(got, "sha256:"); i < 0 || len(got)-i-len("sha256:") != 12 {
			t.Errorf("PolicySummary(%s) = %q: want a 12-digit sha256 prefix at the end", tc.doc, got)
		}
	}
	// Any change of the document changes the line; the same document gives the same line.
	a := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`
	b := strings.Replace(a, "ListBucket", "ListBuckeT", 1)
	first, again := PolicySummary(a), PolicySummary(strings.Clone(a))
	if first == PolicySummary(b) || first != again {
		t.Errorf("summaries of different documents are equal or of one document differ: %q, %q, %q", first, again, PolicySummary(b))
	}
	if got := PolicySummaries(map[string]string{"mfa": a}); got["mfa"] != PolicySummary(a) || len(got) != 1 {
		t.Errorf("PolicySummaries = %v", got)
	}
	if thousands(999) != "999" || thousands(1000) != "1,000" || thousands(1234567) != "1,234,567" {
		t.Errorf("thousands: %s %s %s", thousands(999), thousands(1000), thousands(1234567))
	}
}
