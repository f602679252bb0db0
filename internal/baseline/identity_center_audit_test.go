package baseline

import (
	"reflect"
	"strings"
	"testing"
)

const icInstance = "arn:aws:sso:::instance/ssoins-1234567890abcdef"

// cleanIdentityCenter is an instance as the baseline leaves it: job functions assigned to groups,
// provisioned, working-day sessions, no "*" on "*".
func cleanIdentityCenter() *IdentityCenterFacts {
	return &IdentityCenterFacts{InstanceARN: icInstance, IdentityStoreID: "d-1234567890", PermissionSets: []PermissionSetFacts{
		{Name: "Developers", ARN: "arn:aws:sso:::permissionSet/ssoins-1/ps-dev", SessionDuration: "PT8H", InlinePolicy: readDoc,
			ProvisionedAccounts: []string{"111111111111"}, Assignments: []AssignmentFacts{{AccountID: "111111111111", PrincipalType: "GROUP", PrincipalID: "g-dev"}}},
		{Name: "Admins", ARN: "arn:aws:sso:::permissionSet/ssoins-1/ps-admin", SessionDuration: "PT1H", ManagedPolicyARNs: []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
			ProvisionedAccounts: []string{"111111111111"}, Assignments: []AssignmentFacts{{AccountID: "111111111111", PrincipalType: "GROUP", PrincipalID: "g-admin"}}},
	}}
}

func TestAudit_identityCenter(t *testing.T) {
	dev := "arn:aws:sso:::permissionSet/ssoins-1/ps-dev"
	manual := []findingKey{
		{CheckIdentityCenterMFASettings, "", AuditHigh, icInstance},
		{CheckIdentityCenterInvitationEmails, "", AuditMedium, icInstance},
	}
	withManual := func(k ...findingKey) []findingKey { return append(k, manual...) }
	tests := []struct {
		name    string
		mutate  func(*IdentityCenterFacts, *AuditFacts)
		want    []findingKey
		message string
	}{
		{"clean instance: only the manual checks", func(*IdentityCenterFacts, *AuditFacts) {}, manual, "Every time they sign in"},
		{"assignment to a user", func(f *IdentityCenterFacts, _ *AuditFacts) {
			f.PermissionSets[0].Assignments = append(f.PermissionSets[0].Assignments, AssignmentFacts{AccountID: "111111111111", PrincipalType: "USER", PrincipalID: "u-1"})
		}, withManual(findingKey{CheckIdentityCenterUserAssignments, "1.14", AuditMedium, dev}), "assigned to user u-1"},
		{"changed but not provisioned", func(f *IdentityCenterFacts, _ *AuditFacts) {
			f.PermissionSets[0].ProvisionedAccounts = nil
			f.PermissionSets[0].OutdatedAccounts = []string{"111111111111"}
		}, withManual(findingKey{CheckIdentityCenterNotProvisioned, "", AuditMedium, dev}), "still runs the previous copy"},
		{"an endpoint ignoring the status filter is not evidence", func(f *IdentityCenterFacts, _ *AuditFacts) {
			f.PermissionSets[0].OutdatedAccounts = []string{"111111111111"}
		}, manual, ""},
		{"set with no assignment", func(f *IdentityCenterFacts, _ *AuditFacts) {
			f.PermissionSets[0].Assignments = nil
		}, withManual(findingKey{CheckIdentityCenterUnassignedSet, "", AuditLow, dev}), "assigned to nobody"},
		{"twelve-hour session", func(f *IdentityCenterFacts, _ *AuditFacts) {
			f.PermissionSets[0].SessionDuration = "PT12H"
		}, withManual(findingKey{CheckIdentityCenterLongSession, "", AuditLow, dev}), "PT12H"},
		{"eight hours is fine", func(f *IdentityCenterFacts, _ *AuditFacts) { f.PermissionSets[0].SessionDuration = "PT8H" }, manual, ""},
		{"star on star inline outside an admin set", func(f *IdentityCenterFacts, _ *AuditFacts) {
			f.PermissionSets[0].InlinePolicy = adminDoc
		}, withManual(findingKey{CheckIdentityCenterAdminPolicy, "1.15", AuditHigh, dev}), "every action"},
		{"AdministratorAccess outside an admin set", func(f *IdentityCenterFacts, _ *AuditFacts) {
			f.PermissionSets[0].ManagedPolicyARNs = []string{"arn:aws:iam::aws:policy/AdministratorAccess"}
		}, withManual(findingKey{CheckIdentityCenterAdminPolicy, "1.15", AuditHigh, dev}), "AdministratorAccess"},
		{"IAM console user next to Identity Center", func(_ *IdentityCenterFacts, a *AuditFacts) {}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := cleanFacts()
			f.IdentityCenter = cleanIdentityCenter()
			tt.mutate(f.IdentityCenter, &f)
			res := Audit(f, cleanOptions)
			want := tt.want
			if tt.name == "IAM console user next to Identity Center" {
				// cleanFacts' alice signs in with a password.
				want = []findingKey{{CheckIdentityCenterIAMConsoleUsers, "", AuditLow, "arn:aws:iam::123456789012:user/alice"}}
				want = append(want, manual...)
			} else {
				f.Users[0].PasswordEnabled = false
				res = Audit(f, cleanOptions)
			}
			if got := keys(res.Findings); !reflect.DeepEqual(got, want) {
				t.Fatalf("findings:\n got %v\nwant %v\nmessages: %+v", got, want, res.Findings)
			}
			if tt.message != "" && !strings.Contains(res.Findings[0].Message, tt.message) {
				t.Fatalf("message %q does not contain %q", res.Findings[0].Message, tt.message)
			}
		})
	}
}

// A break-glass IAM user listed in admin_principals is expected next to Identity Center.
func TestAudit_identityCenterBreakGlassUser(t *testing.T) {
	f := cleanFacts()
	f.IdentityCenter = cleanIdentityCenter()
	o := cleanOptions
	o.AdminPrincipals = []string{"Admins", "alice"}
	for _, finding := range Audit(f, o).Findings {
		if finding.CheckID == CheckIdentityCenterIAMConsoleUsers {
			t.Fatalf("break-glass user reported: %+v", finding)
		}
	}
}
