package provider

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
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

func TestReportForeignPolicies(t *testing.T) {
	ctx := context.Background()
	const (
		acct  = "123456789012"
		admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	)
	spec := baselineSpec{Prefix: "acme-", Path: "/", Style: policyStyleLeastPrivilege,
		Policy: policyArgs{RoleKeys: []string{"ReadOnly"}, LeastPrivilege: true, EnforceMFA: true, Partition: "aws"}}
	current, _ := spec.desiredOutcome(acct, map[string]string{})
	current.Attached["ReadOnly"] = append(current.Attached["ReadOnly"], admin)
	var diags diag.Diagnostics
	state := startupGroupBaselineModel{
		NamePrefix: types.StringValue("acme-"), Path: types.StringValue("/"), PolicyStyle: types.StringValue(policyStyleLeastPrivilege),
		Groups: types.SetValueMust(types.StringType, []attr.Value{types.StringValue("ReadOnly")}), EnforceMFA: types.BoolValue(true),
		AllowFirstLoginPasswordChange: types.BoolValue(true), AllowedRegions: types.ListNull(types.StringType),
		DeveloperS3BucketARNs: types.ListNull(types.StringType), ExtraPolicyARNs: types.MapNull(stringListType),
		AdditionalGroups: types.MapNull(additionalGroupObjectType), Tags: types.MapNull(types.StringType),
	}
	current.setOn(ctx, &state, &diags)

	// Same configuration: only the out-of-band policy is reported.
	desired, _ := spec.desiredOutcome(acct, map[string]string{})
	reportForeignPolicies(ctx, state, desired, &diags)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), admin+" on group acme-ReadOnly") || strings.Contains(diags[0].Detail(), "ReadOnlyPolicy") {
		t.Fatalf("got %v", diags)
	}

	// A style switch drops the baseline's own policy: that is not foreign.
	switched := spec
	switched.Style = policyStyleAWSManaged
	switched.Policy.LeastPrivilege = false
	desired, _ = switched.desiredOutcome(acct, map[string]string{})
	diags = nil
	reportForeignPolicies(ctx, state, desired, &diags)
	if len(diags) != 1 || strings.Contains(diags[0].Detail(), "ReadOnlyPolicy") {
		t.Fatalf("got %v", diags)
	}
}

// A path change moves the groups in place with UpdateGroup (moto ignores NewPath, so this is checked
// on the requests) and replaces the policies, which IAM cannot move.
func TestReconcileBaseline_pathChange(t *testing.T) {
	doc, err := baseline.GroupPolicy(baseline.RoleReadOnly, baseline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	docJSON, _ := doc.JSON()
	const (
		oldARN = "arn:aws:iam::123456789012:policy/acme-ReadOnlyPolicy"
		newARN = "arn:aws:iam::123456789012:policy/people/acme-ReadOnlyPolicy"
	)
	rec := iamfake.New(map[string]string{
		"GetAccountAuthorizationDetails": `<IsTruncated>false</IsTruncated>
<GroupDetailList><member><GroupName>acme-ReadOnly</GroupName><Path>/</Path><GroupId>G1</GroupId>
<Arn>arn:aws:iam::123456789012:group/acme-ReadOnly</Arn>
<AttachedManagedPolicies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><PolicyArn>` + oldARN + `</PolicyArn></member></AttachedManagedPolicies>
</member></GroupDetailList>
<Policies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><Arn>` + oldARN + `</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId>
<PolicyVersionList><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><Document>` + url.PathEscape(docJSON) + `</Document></member></PolicyVersionList>
</member></Policies>`,
		"ListUsers":             `<IsTruncated>false</IsTruncated><Users/>`,
		"ListVirtualMFADevices": `<IsTruncated>false</IsTruncated><VirtualMFADevices/>`,
		"ListEntitiesForPolicy": `<IsTruncated>false</IsTruncated><PolicyGroups><member><GroupName>acme-ReadOnly</GroupName></member></PolicyGroups>`,
		"DetachGroupPolicy":     ``,
		"ListPolicyVersions":    `<IsTruncated>false</IsTruncated><Versions><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></member></Versions>`,
		"DeletePolicy":          ``,
		"CreatePolicy":          `<Policy><PolicyName>acme-ReadOnlyPolicy</PolicyName><Path>/people/</Path><Arn>` + newARN + `</Arn></Policy>`,
		"UpdateGroup":           ``,
		"AttachGroupPolicy":     ``,
		"UntagPolicy":           ``,
	})
	c := newFakeClient(t, rec, awsiam.Config{})
	spec := func(path string) baselineSpec {
		return baselineSpec{Prefix: "acme-", Path: path, Style: policyStyleLeastPrivilege,
			Policy: policyArgs{RoleKeys: []string{baseline.RoleReadOnly}, LeastPrivilege: true, Partition: "aws"}}
	}
	old, updated := spec("/"), spec("/people/")
	docs, err := updated.Policy.renderDocuments()
	if err != nil {
		t.Fatal(err)
	}
	out, err := reconcileBaseline(context.Background(), c, &old, updated, docs)
	if err != nil {
		t.Fatal(err)
	}
	want := "GetAccountAuthorizationDetails," +
		"ListEntitiesForPolicy,DetachGroupPolicy,ListPolicyVersions,DeletePolicy,CreatePolicy,UpdateGroup,AttachGroupPolicy,UntagPolicy"
	if got := strings.Join(rec.Actions(), ","); got != want {
		t.Fatalf("requests\n %s\nwant\n %s", got, want)
	}
	if f := rec.Find("UpdateGroup"); f.Get("GroupName") != "acme-ReadOnly" || f.Get("NewPath") != "/people/" || f.Get("NewGroupName") != "" {
		t.Errorf("UpdateGroup %v, want NewPath=/people/ for acme-ReadOnly", f)
	}
	if f := rec.Find("CreatePolicy"); f.Get("Path") != "/people/" || f.Get("PolicyName") != "acme-ReadOnlyPolicy" {
		t.Errorf("CreatePolicy %v", f)
	}
	if f := rec.Find("AttachGroupPolicy"); f.Get("PolicyArn") != newARN {
		t.Errorf("AttachGroupPolicy %v, want the new policy", f)
	}
	if got := out.GroupARNs[baseline.RoleReadOnly]; got != "arn:aws:iam::123456789012:group/people/acme-ReadOnly" {
		t.Errorf("group ARN %s", got)
	}
	if got := out.PolicyARNs[baseline.RoleReadOnly]; got != newARN {
		t.Errorf("policy ARN %s", got)
	}
}
