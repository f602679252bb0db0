package provider

import (
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

func TestCheckMembers(t *testing.T) {
	groups := map[string]*awsiam.GroupState{
		"Developers": {Name: "acme-Developers", Members: []string{"alice", "bob"}},
		"ReadOnly":   {Name: "acme-ReadOnly"},
	}
	err := checkMembers(groups, []string{"Developers", "ReadOnly"}, false)
	if err == nil || !strings.Contains(err.Error(), "acme-Developers (members: alice, bob)") || !strings.Contains(err.Error(), "force_destroy = true") {
		t.Fatalf("got %v", err)
	}
	if err := checkMembers(groups, []string{"Developers"}, true); err != nil {
		t.Fatalf("force_destroy: %v", err)
	}
	if err := checkMembers(groups, []string{"ReadOnly"}, false); err != nil {
		t.Fatalf("empty group: %v", err)
	}
}

func TestParseBaselineImportID(t *testing.T) {
	for id, want := range map[string]string{"acme-|/": "acme-,/", "|/people/": ",/people/"} {
		p, path, err := parseBaselineImportID(id)
		if err != nil || p+","+path != want {
			t.Errorf("%q: %q %q %v", id, p, path, err)
		}
	}
	for _, id := range []string{"acme-", "acme-|people", "a b|/", ""} {
		if _, _, err := parseBaselineImportID(id); err == nil {
			t.Errorf("%q accepted", id)
		}
	}
}

func TestBaselineSpecAttachments(t *testing.T) {
	s := baselineSpec{Prefix: "acme-", Style: policyStyleAWSManaged,
		Policy:     policyArgs{RoleKeys: []string{"Developers"}, EnforceMFA: true, Partition: "aws"},
		Extra:      map[string][]string{"Developers": {"arn:aws:iam::aws:policy/X"}},
		Additional: map[string]additionalGroupSpec{"Ops": {EnforceMFA: false}, "Fin": {EnforceMFA: true}},
	}
	got, ok := s.attachments(func(key string) string { return "customer:" + key })
	if !ok {
		t.Fatal("incomplete")
	}
	want := map[string]string{
		"Developers": "arn:aws:iam::aws:policy/PowerUserAccess arn:aws:iam::aws:policy/X customer:mfa",
		"Ops":        "",
		"Fin":        "customer:mfa",
	}
	for k, w := range want {
		if g := strings.Join(got[k], " "); g != w {
			t.Errorf("%s: %q, want %q", k, g, w)
		}
	}
}
