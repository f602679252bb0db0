package provider

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// TestCheckAdoptable covers which existing groups and policies of the baseline's names a create
// adopts (what an interrupted apply of the same configuration leaves) and which it refuses.
func TestCheckAdoptable(t *testing.T) {
	const (
		acct    = "123456789012"
		devDoc  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}`
		mfaDoc  = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:ChangePassword","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`
		extra   = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"
		opsARN  = "arn:aws:iam::aws:policy/job-function/Billing"
		foreign = "arn:aws:iam::aws:policy/AdministratorAccess"
		inline  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:Get*","Resource":"*"}]}`
	)
	spec := baselineSpec{
		Prefix: "acme-", Path: "/", Style: policyStyleLeastPrivilege,
		Policy:     policyArgs{RoleKeys: []string{"Developers"}, LeastPrivilege: true, EnforceMFA: true, Partition: "aws"},
		Extra:      map[string][]string{"Developers": {extra}},
		Additional: map[string]additionalGroupSpec{"Ops": {PolicyARNs: []string{opsARN}, InlinePolicy: inline, EnforceMFA: true}},
	}
	docs := map[string]string{"Developers": devDoc, "mfa": mfaDoc}
	devPolicy := awsiam.PolicyARN("aws", acct, "/", "acme-DevelopersPolicy")
	mfaPolicy := awsiam.PolicyARN("aws", acct, "/", "acme-EnforceMFA")

	policy := func(name, path, doc string) *types.ManagedPolicyDetail {
		return &types.ManagedPolicyDetail{PolicyName: aws.String(name), Path: aws.String(path), DefaultVersionId: aws.String("v1"),
			PolicyVersionList: []types.PolicyVersion{{VersionId: aws.String("v1"), IsDefaultVersion: true, Document: aws.String(doc)}}}
	}
	group := func(name, path string, attached []string, inline map[string]string) *types.GroupDetail {
		g := &types.GroupDetail{GroupName: aws.String(name), Path: aws.String(path), Arn: aws.String(awsiam.GroupARN("aws", acct, path, name))}
		for _, a := range attached {
			g.AttachedManagedPolicies = append(g.AttachedManagedPolicies, types.AttachedPolicy{PolicyArn: aws.String(a)})
		}
		for n, d := range inline {
			g.GroupPolicyList = append(g.GroupPolicyList, types.PolicyDetail{PolicyName: aws.String(n), PolicyDocument: aws.String(d)})
		}
		return g
	}
	// leftovers is what an interrupted apply leaves: both policies, both groups with their attachments.
	leftovers := func() *awsiam.Snapshot {
		return &awsiam.Snapshot{
			Policies: map[string]*types.ManagedPolicyDetail{
				devPolicy: policy("acme-DevelopersPolicy", "/", devDoc),
				// Reordered and indented: the same document by meaning.
				mfaPolicy: policy("acme-EnforceMFA", "/", strings.ReplaceAll(mfaDoc, `"Effect":"Deny",`, "\n  \"Effect\": \"Deny\",\n")),
			},
			Groups: map[string]*types.GroupDetail{
				"acme-Developers": group("acme-Developers", "/", []string{devPolicy, mfaPolicy, extra}, nil),
				"acme-Ops":        group("acme-Ops", "/", []string{mfaPolicy}, map[string]string{baseline.AdditionalInlinePolicy: inline}),
			},
			GroupMembers: map[string][]string{},
		}
	}
	cases := []struct {
		name     string
		change   func(*awsiam.Snapshot)
		old      *baselineSpec
		want     string // "" = adopted
		unmarked string // a policy ARN without the create marker (another state's, a finished create's)
	}{
		{"nothing exists", func(s *awsiam.Snapshot) { s.Policies, s.Groups = nil, nil }, nil, "", ""},
		{"leftovers of an interrupted apply", func(*awsiam.Snapshot) {}, nil, "", ""},
		{"empty group", func(s *awsiam.Snapshot) { s.Groups["acme-Developers"].AttachedManagedPolicies = nil }, nil, "", ""},
		// An apply killed before it saved the state: the baseline was complete and people were added.
		{"group with a member and the baseline's own policies", func(s *awsiam.Snapshot) { s.GroupMembers["acme-Developers"] = []string{"bob"} }, nil, "", ""},
		{"group with a member and no policy of the baseline", func(s *awsiam.Snapshot) {
			s.GroupMembers["acme-Developers"] = []string{"bob"}
			s.Groups["acme-Developers"].AttachedManagedPolicies = nil
		}, nil, "IAM group acme-Developers (arn:aws:iam::123456789012:group/acme-Developers): it has members (bob) and none of the policies an interrupted create of this baseline leaves", ""},
		{"group with a member and only an AWS managed policy of the baseline", func(s *awsiam.Snapshot) {
			s.GroupMembers["acme-Developers"] = []string{"bob"}
			s.Groups["acme-Developers"] = group("acme-Developers", "/", []string{extra}, nil)
		}, nil, "it has members (bob) and none of the policies an interrupted create of this baseline leaves", ""},
		// Another state's finished baseline (or this configuration under another address): identical,
		// but its markers were removed when its create finished.
		{"the very same baseline, finished (markers removed)", func(*awsiam.Snapshot) {}, nil,
			"customer managed policy acme-DevelopersPolicy (" + devPolicy + "): it does not carry the iambaseline:create-pending tag", devPolicy},
		{"group holding only policies without the marker", func(s *awsiam.Snapshot) {
			s.Groups["acme-Developers"] = group("acme-Developers", "/", []string{devPolicy, extra}, nil)
		}, nil, "IAM group acme-Developers (arn:aws:iam::123456789012:group/acme-Developers): it holds policies but none of those an interrupted create of this baseline leaves", devPolicy},
		{"group with a foreign policy", func(s *awsiam.Snapshot) {
			s.Groups["acme-Ops"].AttachedManagedPolicies = append(s.Groups["acme-Ops"].AttachedManagedPolicies, types.AttachedPolicy{PolicyArn: aws.String(foreign)})
		}, nil, "IAM group acme-Ops (arn:aws:iam::123456789012:group/acme-Ops): it has managed policies this baseline does not attach (" + foreign + ")", ""},
		{"another group's extra policy is still the baseline's own", func(s *awsiam.Snapshot) {
			s.Groups["acme-Ops"].AttachedManagedPolicies = append(s.Groups["acme-Ops"].AttachedManagedPolicies, types.AttachedPolicy{PolicyArn: aws.String(extra)})
		}, nil, "", ""},
		{"group at another path", func(s *awsiam.Snapshot) { s.Groups["acme-Developers"] = group("acme-Developers", "/legacy/", nil, nil) }, nil,
			"its path is /legacy/, not /", ""},
		{"group with a foreign inline policy", func(s *awsiam.Snapshot) {
			s.Groups["acme-Developers"] = group("acme-Developers", "/", nil, map[string]string{"Legacy": inline})
		}, nil, "it has inline policies this baseline does not write (Legacy)", ""},
		{"policy with another document", func(s *awsiam.Snapshot) { s.Policies[devPolicy] = policy("acme-DevelopersPolicy", "/", inline) }, nil,
			"customer managed policy acme-DevelopersPolicy (" + devPolicy + "): its document differs", ""},
		{"policy at another path", func(s *awsiam.Snapshot) {
			delete(s.Policies, mfaPolicy)
			s.Policies[awsiam.PolicyARN("aws", acct, "/x/", "acme-EnforceMFA")] = policy("acme-EnforceMFA", "/x/", mfaDoc)
		}, nil, "its path is /x/, not /", ""},
		{"owned by the prior state: not checked", func(s *awsiam.Snapshot) {
			s.GroupMembers["acme-Developers"] = []string{"bob"}
			s.Policies[devPolicy] = policy("acme-DevelopersPolicy", "/", inline)
		}, &spec, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			snap := leftovers()
			tc.change(snap)
			marked := map[string]bool{devPolicy: true, mfaPolicy: true}
			delete(marked, tc.unmarked)
			err := checkAdoptable(snap, tc.old, spec, docs, marked)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("want adoption, got: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("want a refusal mentioning %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("want %q in:\n%v", tc.want, err)
			case tc.want != "" && !strings.Contains(err.Error(), "terraform import iambaseline_startup_group_baseline.<name> 'acme-|/'"):
				t.Fatalf("no import hint in:\n%v", err)
			}
		})
	}
}
