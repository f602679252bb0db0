package baseline

import (
	"strings"
	"testing"
)

func TestAuditGroupInlinePolicies(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`
	res := Audit(AuditFacts{Groups: []PrincipalFacts{
		{Name: "clean", ARN: "arn:aws:iam::111122223333:group/clean"},
		{Name: "devs", ARN: "arn:aws:iam::111122223333:group/devs", InlinePolicies: map[string]string{"b": doc, "a": doc}},
	}}, AuditOptions{})
	var found []AuditFinding
	for _, f := range res.Findings {
		if f.CheckID == CheckGroupInlinePolicies {
			found = append(found, f)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one group_inline_policies finding, got %v", found)
	}
	f := found[0]
	if f.Resource != "arn:aws:iam::111122223333:group/devs" || f.Severity != AuditLow || !strings.Contains(f.Message, "inline policies a and b") {
		t.Errorf("finding = %+v", f)
	}
}
