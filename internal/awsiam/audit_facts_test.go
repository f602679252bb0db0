package awsiam

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// TestAuditFacts checks the mapping from what this package reads to what baseline judges, with data the
// emulator cannot produce: a root row with an active key, a password policy, policy versions.
func TestAuditFacts(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	old := now.Add(-200 * 24 * time.Hour)
	recent := now.Add(-24 * time.Hour)
	a := &AccountAudit{
		ReadAt:         now,
		Summary:        map[string]int32{"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0},
		PasswordPolicy: &PasswordPolicySettings{MinimumPasswordLength: 8, PasswordReusePrevention: 24},
		RootVirtualMFA: true,
		Snapshot: &Snapshot{
			users: map[string]*types.UserDetail{"alice": {
				UserName: aws.String("alice"), Arn: aws.String("arn:aws:iam::123456789012:user/alice"), CreateDate: &old,
				AttachedManagedPolicies: []types.AttachedPolicy{{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/p")}},
				UserPolicyList:          []types.PolicyDetail{{PolicyName: aws.String("inline"), PolicyDocument: aws.String("%7B%7D")}},
			}},
			groups: map[string]*types.GroupDetail{"Ops": {GroupName: aws.String("Ops"), Arn: aws.String("arn:aws:iam::123456789012:group/Ops"),
				AttachedManagedPolicies: []types.AttachedPolicy{{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/p")}}}},
			roles: map[string]*types.RoleDetail{"app": {RoleName: aws.String("app"), Arn: aws.String("arn:aws:iam::123456789012:role/app"),
				RolePolicyList: []types.PolicyDetail{{PolicyName: aws.String("r"), PolicyDocument: aws.String("{}")}}}},
			policies: map[string]*types.ManagedPolicyDetail{"arn:aws:iam::123456789012:policy/p": {
				PolicyName: aws.String("p"), DefaultVersionId: aws.String("v2"),
				PolicyVersionList: []types.PolicyVersion{{VersionId: aws.String("v1"), Document: aws.String("old")}, {VersionId: aws.String("v2"), Document: aws.String("current"), IsDefaultVersion: true}},
			}},
			passwordLastUsed: map[string]time.Time{"alice": recent},
			virtualMFA:       map[string][]string{},
		},
		Credentials: []CredentialRow{
			{User: RootAccountReportUserName, MFAActive: true, AccessKeys: []AccessKeyRow{{Active: true, LastRotated: &old}}},
			{User: "alice", PasswordEnabled: true, PasswordLastChanged: &old, AccessKeys: []AccessKeyRow{{Active: true, LastRotated: &old, LastUsed: &recent}}},
		},
		CredentialSource: CredentialSourceReport,
	}
	f := a.Facts("123456789012", "aws")
	if !f.Root.MFAEnabled || !f.Root.AccessKeysPresent || !f.Root.VirtualMFA {
		t.Errorf("root = %+v (the report's root row must count)", f.Root)
	}
	if f.PasswordPolicy == nil || f.PasswordPolicy.MinimumLength != 8 || f.PasswordPolicy.ReusePrevention != 24 {
		t.Errorf("password policy = %+v", f.PasswordPolicy)
	}
	if len(f.Users) != 1 {
		t.Fatalf("users = %+v", f.Users)
	}
	u := f.Users[0]
	if !u.PasswordEnabled || !u.PasswordLastUsed.Equal(recent) || !u.PasswordCreatedAt.Equal(old) || u.MFAActive ||
		len(u.AccessKeys) != 1 || !u.AccessKeys[0].CreatedAt.Equal(old) || u.InlinePolicies["inline"] != "%7B%7D" || len(u.AttachedPolicyARNs) != 1 {
		t.Errorf("alice = %+v", u)
	}
	if len(f.Policies) != 1 || f.Policies[0].DefaultDocument != "current" {
		t.Errorf("policies = %+v", f.Policies)
	}
	if len(f.Groups) != 1 || len(f.Roles) != 1 || f.Roles[0].InlinePolicies["r"] != "{}" {
		t.Errorf("groups %+v roles %+v", f.Groups, f.Roles)
	}
	res := baseline.Audit(f, baseline.AuditOptions{})
	got := map[string]bool{}
	for _, fd := range res.Findings {
		got[fd.CheckID] = true
	}
	for _, want := range []string{baseline.CheckRootAccessKeys, baseline.CheckRootHardwareMFA, baseline.CheckPasswordPolicyLength,
		baseline.CheckConsoleUserMFA, baseline.CheckAccessKeyRotation, baseline.CheckUserDirectPolicies, baseline.CheckUserWithoutGroup} {
		if !got[want] {
			t.Errorf("missing finding %s in %+v", want, res.Findings)
		}
	}
	if got[baseline.CheckRootMFA] || got[baseline.CheckUnusedCredentials] {
		t.Errorf("unexpected findings %+v", res.Findings)
	}
}

// The multiple_mfa_devices check counts what was read in bulk: the virtual devices of the snapshot
// (ListVirtualMFADevices), and the devices of any kind the per-user fallback listed; a device named
// by both counts once.
func TestAuditFactsMFADevices(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	user := func(name string) *types.UserDetail {
		return &types.UserDetail{UserName: aws.String(name), Arn: aws.String("arn:aws:iam::123456789012:user/" + name), CreateDate: &now,
			GroupList: []string{"Developers"}}
	}
	a := &AccountAudit{
		ReadAt: now, Summary: map[string]int32{"AccountMFAEnabled": 1},
		PasswordPolicy: &PasswordPolicySettings{MinimumPasswordLength: 14, PasswordReusePrevention: 24},
		Snapshot: &Snapshot{
			users: map[string]*types.UserDetail{"two": user("two"), "one": user("one"), "mixed": user("mixed")},
			virtualMFA: map[string][]string{
				"two":   {"arn:aws:iam::123456789012:mfa/two-phone", "arn:aws:iam::123456789012:mfa/two-laptop"},
				"one":   {"arn:aws:iam::123456789012:mfa/one-phone"},
				"mixed": {"arn:aws:iam::123456789012:mfa/mixed-phone"},
			},
		},
		Credentials: []CredentialRow{
			{User: "one", MFAActive: true, MFADevices: []string{"arn:aws:iam::123456789012:mfa/one-phone"}},
			{User: "mixed", MFAActive: true, MFADevices: []string{"arn:aws:iam::123456789012:mfa/mixed-phone", "arn:aws:iam::123456789012:u2f/user/mixed/key-ABC"}},
		},
		CredentialSource: CredentialSourcePerUser,
	}
	res := baseline.Audit(a.Facts("123456789012", "aws"), baseline.AuditOptions{})
	var flagged []string
	for _, fd := range res.Findings {
		if fd.CheckID == baseline.CheckMultipleMFADevices {
			flagged = append(flagged, fd.Resource)
		}
	}
	want := []string{"arn:aws:iam::123456789012:user/mixed", "arn:aws:iam::123456789012:user/two"}
	if !slices.Equal(flagged, want) {
		t.Fatalf("multiple_mfa_devices flags %v, want %v", flagged, want)
	}
}
