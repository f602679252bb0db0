package awsiam

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

func TestCheckMembers(t *testing.T) {
	groups := map[string]*GroupState{
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

// A path change moves the groups in place with UpdateGroup (moto ignores NewPath, so this is checked
// on the requests) and replaces the policies, which IAM cannot move: the group's and the guardrail
// policy.
func TestApplyGroupBaseline_pathChange(t *testing.T) {
	docs, err := baseline.Documents([]string{baseline.RoleReadOnly}, baseline.Options{Partition: "aws"}, false, false)
	if err != nil {
		t.Fatal(err)
	}
	const (
		oldARN      = "arn:aws:iam::123456789012:policy/acme-ReadOnlyPolicy"
		newARN      = "arn:aws:iam::123456789012:policy/people/acme-ReadOnlyPolicy"
		oldGuardARN = "arn:aws:iam::123456789012:policy/acme-Guardrails"
		newGuardARN = "arn:aws:iam::123456789012:policy/people/acme-Guardrails"
	)
	policy := func(name, arn, doc string) string {
		return `<member><PolicyName>` + name + `</PolicyName><Arn>` + arn + `</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId>
<PolicyVersionList><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><Document>` + url.PathEscape(doc) + `</Document></member></PolicyVersionList>
</member>`
	}
	rec := iamfake.New(map[string]string{
		"GetAccountAuthorizationDetails": `<IsTruncated>false</IsTruncated>
<GroupDetailList><member><GroupName>acme-ReadOnly</GroupName><Path>/</Path><GroupId>G1</GroupId>
<Arn>arn:aws:iam::123456789012:group/acme-ReadOnly</Arn>
<AttachedManagedPolicies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><PolicyArn>` + oldARN + `</PolicyArn></member>
<member><PolicyName>acme-Guardrails</PolicyName><PolicyArn>` + oldGuardARN + `</PolicyArn></member></AttachedManagedPolicies>
</member></GroupDetailList>
<Policies>` + policy("acme-ReadOnlyPolicy", oldARN, docs[baseline.RoleReadOnly]) + policy("acme-Guardrails", oldGuardARN, docs[baseline.GuardrailsDocumentKey]) + `</Policies>`,
		"ListUsers":             `<IsTruncated>false</IsTruncated><Users/>`,
		"ListVirtualMFADevices": `<IsTruncated>false</IsTruncated><VirtualMFADevices/>`,
		"ListEntitiesForPolicy": `<IsTruncated>false</IsTruncated><PolicyGroups><member><GroupName>acme-ReadOnly</GroupName></member></PolicyGroups>`,
		"DetachGroupPolicy":     ``,
		"ListPolicyVersions":    `<IsTruncated>false</IsTruncated><Versions><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></member></Versions>`,
		"DeletePolicy":          ``,
		"CreatePolicy":          ``,
		"UpdateGroup":           ``,
		"AttachGroupPolicy":     ``,
		"UntagPolicy":           ``,
	})
	rec.Handle("CreatePolicy", func(form url.Values) iamfake.Reply {
		name := form.Get("PolicyName")
		return iamfake.OK(`<Policy><PolicyName>` + name + `</PolicyName><Path>/people/</Path><Arn>arn:aws:iam::123456789012:policy/people/` + name + `</Arn></Policy>`)
	})
	c := newFakeClient(t, rec, Config{})
	spec := func(path string) GroupBaselineSpec {
		return GroupBaselineSpec{Rules: baseline.GroupBaseline{Prefix: "acme-", Path: path, RoleKeys: []string{baseline.RoleReadOnly}, Partition: "aws"}}
	}
	old, updated := spec("/"), spec("/people/")
	updated.Documents = docs
	out, err := c.ApplyGroupBaseline(context.Background(), &old, updated)
	if err != nil {
		t.Fatal(err)
	}
	want := "GetAccountAuthorizationDetails," +
		"ListEntitiesForPolicy,DetachGroupPolicy,ListPolicyVersions,DeletePolicy,CreatePolicy,AttachGroupPolicy," +
		"ListEntitiesForPolicy,DetachGroupPolicy,ListPolicyVersions,DeletePolicy,CreatePolicy," +
		"UpdateGroup,AttachGroupPolicy,UntagPolicy,UntagPolicy"
	if got := strings.Join(rec.Actions(), ","); got != want {
		t.Fatalf("requests\n %s\nwant\n %s", got, want)
	}
	if f := rec.Find("UpdateGroup"); f.Get("GroupName") != "acme-ReadOnly" || f.Get("NewPath") != "/people/" || f.Get("NewGroupName") != "" {
		t.Errorf("UpdateGroup %v, want NewPath=/people/ for acme-ReadOnly", f)
	}
	for i, f := range rec.FindAll("CreatePolicy") {
		// The baseline-wide policies first.
		if want := []string{"acme-Guardrails", "acme-ReadOnlyPolicy"}[i]; f.Get("Path") != "/people/" || f.Get("PolicyName") != want {
			t.Errorf("CreatePolicy %d: %s at %s, want %s at /people/", i, f.Get("PolicyName"), f.Get("Path"), want)
		}
	}
	var attached []string
	for _, f := range rec.FindAll("AttachGroupPolicy") {
		attached = append(attached, f.Get("PolicyArn"))
	}
	if got := strings.Join(attached, ","); got != newGuardARN+","+newARN {
		t.Errorf("AttachGroupPolicy %s, want the new guardrail and group policies", got)
	}
	if got := out.SharedPolicyARNs[baseline.GuardrailsDocumentKey]; got != newGuardARN {
		t.Errorf("guardrail policy ARN %s", got)
	}
	if got := out.GroupARNs[baseline.RoleReadOnly]; got != "arn:aws:iam::123456789012:group/people/acme-ReadOnly" {
		t.Errorf("group ARN %s", got)
	}
	if got := out.PolicyARNs[baseline.RoleReadOnly]; got != newARN {
		t.Errorf("policy ARN %s", got)
	}
}

// A baseline from before the guardrail policy (its group documents carried the denies): the apply
// creates the guardrail policy and attaches it to the group before it writes the group document
// without the denies, so the group's grants are never in force without them.
func TestApplyGroupBaseline_guardrailsBeforeGrants(t *testing.T) {
	docs, err := baseline.Documents([]string{baseline.RoleReadOnly}, baseline.Options{Partition: "aws"}, false, false)
	if err != nil {
		t.Fatal(err)
	}
	// The old document: the grants and the denies in one.
	old, err := baseline.GuardedGroupPolicy(baseline.RoleReadOnly, baseline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	oldJSON, _ := old.JSON()
	const policyARN = "arn:aws:iam::123456789012:policy/acme-ReadOnlyPolicy"
	rec := iamfake.New(map[string]string{
		"GetAccountAuthorizationDetails": `<IsTruncated>false</IsTruncated>
<GroupDetailList><member><GroupName>acme-ReadOnly</GroupName><Path>/</Path><GroupId>G1</GroupId>
<Arn>arn:aws:iam::123456789012:group/acme-ReadOnly</Arn>
<AttachedManagedPolicies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><PolicyArn>` + policyARN + `</PolicyArn></member></AttachedManagedPolicies>
</member></GroupDetailList>
<Policies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><Arn>` + policyARN + `</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId>
<PolicyVersionList><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><Document>` + url.PathEscape(oldJSON) + `</Document></member></PolicyVersionList>
</member></Policies>`,
		"ListUsers":             `<IsTruncated>false</IsTruncated><Users/>`,
		"ListVirtualMFADevices": `<IsTruncated>false</IsTruncated><VirtualMFADevices/>`,
		"CreatePolicy":          `<Policy><PolicyName>acme-Guardrails</PolicyName><Path>/</Path><Arn>arn:aws:iam::123456789012:policy/acme-Guardrails</Arn></Policy>`,
		"AttachGroupPolicy":     ``,
		"ListPolicyVersions":    `<IsTruncated>false</IsTruncated><Versions><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></member></Versions>`,
		"CreatePolicyVersion":   `<PolicyVersion><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>`,
		"UntagPolicy":           ``,
	})
	c := newFakeClient(t, rec, Config{})
	spec := GroupBaselineSpec{Rules: baseline.GroupBaseline{Prefix: "acme-", Path: "/", RoleKeys: []string{baseline.RoleReadOnly}, Partition: "aws"}, Documents: docs}
	prior := spec
	if _, err := c.ApplyGroupBaseline(context.Background(), &prior, spec); err != nil {
		t.Fatal(err)
	}
	actions := rec.Actions()
	at := func(action string) int { return slices.Index(actions, action) }
	if at("CreatePolicy") < 0 || at("AttachGroupPolicy") < at("CreatePolicy") || at("CreatePolicyVersion") < at("AttachGroupPolicy") {
		t.Fatalf("requests %v: want the guardrail policy created and attached before the group document loses its denies", actions)
	}
	if f := rec.Find("AttachGroupPolicy"); f.Get("PolicyArn") != "arn:aws:iam::123456789012:policy/acme-Guardrails" || f.Get("GroupName") != "acme-ReadOnly" {
		t.Errorf("AttachGroupPolicy %v", f)
	}
	if rec.Count("AttachGroupPolicy") != 1 {
		t.Errorf("the guardrail policy was attached %d times", rec.Count("AttachGroupPolicy"))
	}
}
