package baseline

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var auditNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func daysAgo(n int) *time.Time {
	t := auditNow.Add(-time.Duration(n) * 24 * time.Hour)
	return &t
}

const (
	adminDoc        = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	adminDocEncoded = `%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22*%22%5D%2C%22Resource%22%3A%5B%22*%22%5D%7D%5D%7D`
	readDoc         = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`
	denyAllDoc      = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`
	adminMFADoc     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*"],"Resource":["*"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
)

// cleanFacts is an account that passes every check.
func cleanFacts() AuditFacts {
	return AuditFacts{
		Now:            auditNow,
		AccountID:      "123456789012",
		Root:           RootFacts{MFAEnabled: true},
		PasswordPolicy: &PasswordPolicyFacts{MinimumLength: 14, ReusePrevention: 24},
		Activity:       cleanActivityFacts(),
		Users: []UserFacts{{
			Name: "alice", ARN: "arn:aws:iam::123456789012:user/alice", CreatedAt: *daysAgo(400),
			Groups:          []string{"Developers"},
			PasswordEnabled: true, PasswordCreatedAt: daysAgo(400), PasswordLastUsed: daysAgo(1), MFAActive: true,
			AccessKeys: []AccessKeyFacts{
				{ID: "AKIAALICE1", Active: true, CreatedAt: daysAgo(30), LastUsed: daysAgo(2)},
				{ID: "AKIAALICE0", Active: false, CreatedAt: daysAgo(300), LastUsed: daysAgo(200)},
			},
		}},
		Groups: []PrincipalFacts{
			{Name: "Developers", ARN: "arn:aws:iam::123456789012:group/Developers", AttachedPolicyARNs: []string{"arn:aws:iam::123456789012:policy/Developers"}},
			{Name: "Admins", ARN: "arn:aws:iam::123456789012:group/Admins", AttachedPolicyARNs: []string{"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::123456789012:policy/Everything"}},
		},
		Roles: []PrincipalFacts{
			{Name: "app", ARN: "arn:aws:iam::123456789012:role/app", InlinePolicies: map[string]string{"read": readDoc, "deny": denyAllDoc}},
		},
		Policies: []ManagedPolicyFacts{
			{Name: "Developers", ARN: "arn:aws:iam::123456789012:policy/Developers", DefaultDocument: readDoc},
			{Name: "Everything", ARN: "arn:aws:iam::123456789012:policy/Everything", DefaultDocument: adminDoc},
		},
	}
}

var cleanOptions = AuditOptions{AdminPrincipals: []string{"Admins"}}

type findingKey struct{ check, cis, severity, resource string }

func keys(fs []AuditFinding) []findingKey {
	out := []findingKey{}
	for _, f := range fs {
		out = append(out, findingKey{f.CheckID, f.CISControl, f.Severity, f.Resource})
	}
	return out
}

func TestAudit_cleanAccountPassesEveryCheck(t *testing.T) {
	res := Audit(cleanFacts(), cleanOptions)
	if len(res.Findings) != 0 {
		t.Fatalf("findings on a clean account: %+v", res.Findings)
	}
	// Without an Identity Center instance its checks do not run.
	run := len(AuditChecks) - len(identityCenterAuditChecks())
	if res.Passed != run || res.Failed != 0 {
		t.Fatalf("passed %d failed %d, want %d/0", res.Passed, res.Failed, run)
	}
	if got, want := res.Summary(), fmt.Sprintf("%d checks: %d passed, 0 failed; 0 findings", run, run); got != want {
		t.Fatalf("summary %q, want %q", got, want)
	}
}

const aliceARN = "arn:aws:iam::123456789012:user/alice"

func TestAudit_checks(t *testing.T) {
	root := "arn:aws:iam::123456789012:root"
	tests := []struct {
		name    string
		mutate  func(f *AuditFacts, o *AuditOptions)
		want    []findingKey
		message string // substring of the first finding's message
	}{
		{
			name:    "root access keys",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.Root.AccessKeysPresent = true },
			want:    []findingKey{{CheckRootAccessKeys, "1.3", AuditCritical, root}},
			message: "delete every root access key",
		},
		{
			name:   "root without MFA fails MFA and hardware MFA",
			mutate: func(f *AuditFacts, _ *AuditOptions) { f.Root.MFAEnabled = false },
			want: []findingKey{
				{CheckRootMFA, "1.4", AuditCritical, root},
				{CheckRootHardwareMFA, "1.5", AuditMedium, root},
			},
			message: "assign an MFA device",
		},
		{
			name:    "root with virtual MFA",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.Root.VirtualMFA = true },
			want:    []findingKey{{CheckRootHardwareMFA, "1.5", AuditMedium, root}},
			message: "replace it with a hardware MFA device",
		},
		{
			name:   "root named without account ID",
			mutate: func(f *AuditFacts, _ *AuditOptions) { f.AccountID = ""; f.Root.AccessKeysPresent = true },
			want:   []findingKey{{CheckRootAccessKeys, "1.3", AuditCritical, "root"}},
		},
		{
			name:   "no password policy",
			mutate: func(f *AuditFacts, _ *AuditOptions) { f.PasswordPolicy = nil },
			want: []findingKey{
				{CheckPasswordPolicyLength, "1.7", AuditMedium, PasswordPolicyResource},
				{CheckPasswordPolicyReuse, "1.8", AuditMedium, PasswordPolicyResource},
			},
			message: "no password policy",
		},
		{
			name:    "short passwords",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.PasswordPolicy.MinimumLength = 13 },
			want:    []findingKey{{CheckPasswordPolicyLength, "1.7", AuditMedium, PasswordPolicyResource}},
			message: "accepts passwords of 13 characters",
		},
		{
			name:    "reuse allowed",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.PasswordPolicy.ReusePrevention = 0 },
			want:    []findingKey{{CheckPasswordPolicyReuse, "1.8", AuditMedium, PasswordPolicyResource}},
			message: "does not prevent password reuse",
		},
		{
			name:    "reuse of fewer than 24",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.PasswordPolicy.ReusePrevention = 5 },
			want:    []findingKey{{CheckPasswordPolicyReuse, "1.8", AuditMedium, PasswordPolicyResource}},
			message: "remembers only 5 previous passwords",
		},
		{
			name:    "console user without MFA",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.Users[0].MFAActive = false },
			want:    []findingKey{{CheckConsoleUserMFA, "1.9", AuditHigh, aliceARN}},
			message: "has no MFA device",
		},
		{
			name: "two MFA devices",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].MFADevices = []string{"arn:aws:iam::123456789012:mfa/alice-phone", "arn:aws:iam::123456789012:mfa/alice-spare"}
			},
			want:    []findingKey{{CheckMultipleMFADevices, "1.9", AuditMedium, aliceARN}},
			message: "User alice has 2 MFA devices (arn:aws:iam::123456789012:mfa/alice-phone, arn:aws:iam::123456789012:mfa/alice-spare)",
		},
		{
			// The bulk read and the per-user fallback may both name a virtual device.
			name: "one MFA device named twice is one",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].MFADevices = []string{"arn:aws:iam::123456789012:mfa/alice-phone", "arn:aws:iam::123456789012:mfa/alice-phone"}
			},
		},
		{
			name: "a user without a password with two devices is still a finding",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].PasswordEnabled = false
				f.Users[0].MFADevices = []string{"arn:aws:iam::123456789012:mfa/alice-phone", "GAHT12345678"}
			},
			want: []findingKey{{CheckMultipleMFADevices, "1.9", AuditMedium, aliceARN}},
		},
		{
			name:   "user without console password needs no MFA",
			mutate: func(f *AuditFacts, _ *AuditOptions) { f.Users[0].MFAActive = false; f.Users[0].PasswordEnabled = false },
		},
		{
			name:    "password unused for 46 days",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.Users[0].PasswordLastUsed = daysAgo(46) },
			want:    []findingKey{{CheckUnusedCredentials, "1.11", AuditMedium, aliceARN}},
			message: "console password of user alice was last used 46 days ago (limit 45)",
		},
		{
			name:   "password unused for 44 days is fine",
			mutate: func(f *AuditFacts, _ *AuditOptions) { f.Users[0].PasswordLastUsed = daysAgo(44) },
		},
		{
			name: "unused_credential_days is honoured",
			mutate: func(f *AuditFacts, o *AuditOptions) {
				f.Users[0].PasswordLastUsed = daysAgo(20)
				o.UnusedCredentialDays = 10
			},
			want:    []findingKey{{CheckUnusedCredentials, "1.11", AuditMedium, aliceARN}},
			message: "last used 20 days ago (limit 10)",
		},
		{
			name: "password never used counts from when it was set",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].PasswordLastUsed = nil
				f.Users[0].PasswordCreatedAt = daysAgo(60)
			},
			want:    []findingKey{{CheckUnusedCredentials, "1.11", AuditMedium, aliceARN}},
			message: "never used in the 60 days since it was set",
		},
		{
			name: "new password never used yet is fine",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].PasswordLastUsed = nil
				f.Users[0].PasswordCreatedAt = daysAgo(3)
			},
		},
		{
			name: "password never used, creation unknown, counts from the user's creation",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].PasswordLastUsed = nil
				f.Users[0].PasswordCreatedAt = nil
			},
			want:    []findingKey{{CheckUnusedCredentials, "1.11", AuditMedium, aliceARN}},
			message: "never used in the 400 days",
		},
		{
			name:    "active key unused for 50 days",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.Users[0].AccessKeys[0].LastUsed = daysAgo(50) },
			want:    []findingKey{{CheckUnusedCredentials, "1.11", AuditMedium, aliceARN}},
			message: "access key AKIAALICE1 of user alice was last used 50 days ago",
		},
		{
			name: "active key never used counts from its creation",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].AccessKeys[0].LastUsed = nil
				f.Users[0].AccessKeys[0].CreatedAt = daysAgo(46)
			},
			want:    []findingKey{{CheckUnusedCredentials, "1.11", AuditMedium, aliceARN}},
			message: "never used in the 46 days since it was created",
		},
		{
			name:   "inactive keys are not credentials in use",
			mutate: func(f *AuditFacts, _ *AuditOptions) { f.Users[0].AccessKeys[1].LastUsed = nil },
		},
		{
			name:    "key older than 90 days",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.Users[0].AccessKeys[0].CreatedAt = daysAgo(91) },
			want:    []findingKey{{CheckAccessKeyRotation, "1.13", AuditMedium, aliceARN}},
			message: "created 91 days ago (limit 90)",
		},
		{
			name: "access_key_max_age_days is honoured",
			mutate: func(f *AuditFacts, o *AuditOptions) {
				o.AccessKeyMaxAgeDays = 20
			},
			want:    []findingKey{{CheckAccessKeyRotation, "1.13", AuditMedium, aliceARN}},
			message: "created 30 days ago (limit 20)",
		},
		{
			name: "key from the credential report is named by its slot",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].AccessKeys[0].ID = ""
				f.Users[0].AccessKeys[0].CreatedAt = daysAgo(100)
			},
			want:    []findingKey{{CheckAccessKeyRotation, "1.13", AuditMedium, aliceARN}},
			message: "The access key 1 of user alice",
		},
		{
			name: "two active keys",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].AccessKeys[1] = AccessKeyFacts{Active: true, CreatedAt: daysAgo(1)}
			},
			want:    []findingKey{{CheckMultipleActiveKeys, "1.12", AuditMedium, aliceARN}},
			message: "has 2 active access keys",
		},
		{
			name: "managed policy attached to the user",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].AttachedPolicyARNs = []string{"arn:aws:iam::123456789012:policy/Developers"}
			},
			want:    []findingKey{{CheckUserDirectPolicies, "1.14", AuditMedium, aliceARN}},
			message: "managed policy arn:aws:iam::123456789012:policy/Developers",
		},
		{
			name:    "inline policy on the user",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.Users[0].InlinePolicies = map[string]string{"extra": readDoc} },
			want:    []findingKey{{CheckUserDirectPolicies, "1.14", AuditMedium, aliceARN}},
			message: "inline policy extra",
		},
		{
			name:    "user in no group",
			mutate:  func(f *AuditFacts, _ *AuditOptions) { f.Users[0].Groups = nil },
			want:    []findingKey{{CheckUserWithoutGroup, "1.14", AuditLow, aliceARN}},
			message: "belongs to no group",
		},
		{
			name: "AdministratorAccess attached to a user",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Users[0].AttachedPolicyARNs = []string{"arn:aws:iam::aws:policy/AdministratorAccess"}
			},
			want: []findingKey{
				{CheckUserDirectPolicies, "1.14", AuditMedium, aliceARN},
				{CheckAdminPolicyAttached, "1.15", AuditHigh, aliceARN},
			},
		},
		{
			name:    "customer policy allowing *:* attached to a non-admin group",
			mutate:  func(f *AuditFacts, o *AuditOptions) { o.AdminPrincipals = nil },
			want:    []findingKey{{CheckAdminPolicyAttached, "1.15", AuditHigh, "arn:aws:iam::123456789012:group/Admins"}, {CheckAdminPolicyAttached, "1.15", AuditHigh, "arn:aws:iam::123456789012:group/Admins"}},
			message: "Managed policy arn:aws:iam::123456789012:policy/Everything allows every action",
		},
		{
			name: "admin principal by ARN",
			mutate: func(f *AuditFacts, o *AuditOptions) {
				o.AdminPrincipals = []string{"arn:aws:iam::123456789012:group/Admins"}
			},
		},
		{
			name: "URL-encoded inline *:* on a role",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Roles[0].InlinePolicies["all"] = adminDocEncoded
			},
			want:    []findingKey{{CheckAdminPolicyAttached, "1.15", AuditHigh, "arn:aws:iam::123456789012:role/app"}},
			message: "Inline policy all of role app allows every action",
		},
		{
			name: "*:* with a condition is still full admin",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Policies[0].DefaultDocument = adminMFADoc
			},
			want: []findingKey{{CheckAdminPolicyAttached, "1.15", AuditHigh, "arn:aws:iam::123456789012:group/Developers"}},
		},
		{
			name: "customer policy allowing *:* attached to nothing is not a finding",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Policies = append(f.Policies, ManagedPolicyFacts{Name: "Unused", ARN: "arn:aws:iam::123456789012:policy/Unused", DefaultDocument: adminDoc})
			},
		},
		{
			name: "AdministratorAccess in another partition",
			mutate: func(f *AuditFacts, _ *AuditOptions) {
				f.Partition = "aws-us-gov"
				f.Roles[0].AttachedPolicyARNs = []string{"arn:aws-us-gov:iam::aws:policy/AdministratorAccess"}
			},
			want: []findingKey{{CheckAdminPolicyAttached, "1.15", AuditHigh, "arn:aws:iam::123456789012:role/app"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, o := cleanFacts(), cleanOptions
			o.AdminPrincipals = append([]string(nil), o.AdminPrincipals...)
			tt.mutate(&f, &o)
			res := Audit(f, o)
			want := tt.want
			if want == nil {
				want = []findingKey{}
			}
			if got := keys(res.Findings); !reflect.DeepEqual(got, want) {
				t.Fatalf("findings:\n got %v\nwant %v\nmessages: %+v", got, want, res.Findings)
			}
			if tt.message != "" && !strings.Contains(res.Findings[0].Message, tt.message) {
				t.Fatalf("message %q does not contain %q", res.Findings[0].Message, tt.message)
			}
			failed := map[string]bool{}
			for _, f := range res.Findings {
				failed[f.CheckID] = true
			}
			if res.Failed != len(failed) || res.Passed != len(res.Checks)-len(failed) {
				t.Fatalf("passed %d failed %d, want %d/%d", res.Passed, res.Failed, len(res.Checks)-len(failed), len(failed))
			}
		})
	}
}

func TestAudit_everyFindingSaysHowToFix(t *testing.T) {
	f := cleanFacts()
	f.Root = RootFacts{AccessKeysPresent: true}
	f.PasswordPolicy = nil
	f.Users = append(f.Users, UserFacts{
		Name: "bob", ARN: "arn:aws:iam::123456789012:user/bob", CreatedAt: *daysAgo(500),
		PasswordEnabled: true, InlinePolicies: map[string]string{"all": adminDoc},
		MFADevices: []string{"arn:aws:iam::123456789012:mfa/bob-1", "arn:aws:iam::123456789012:mfa/bob-2"},
		AccessKeys: []AccessKeyFacts{{Active: true, CreatedAt: daysAgo(200)}, {Active: true, CreatedAt: daysAgo(100), LastUsed: daysAgo(99)}},
	})
	f.Activity = &ActivityFacts{}
	f.Groups = append(f.Groups, PrincipalFacts{Name: "ops", ARN: "arn:aws:iam::123456789012:group/ops",
		InlinePolicies: map[string]string{"extra": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`}})
	res := Audit(f, AuditOptions{})
	if res.Passed != 0 {
		t.Fatalf("every check should fail, passed: %+v", res.Checks)
	}
	for _, fd := range res.Findings {
		if fd.Message == "" || fd.Resource == "" || fd.CISControl == "" {
			t.Errorf("incomplete finding %+v", fd)
		}
		lower := strings.ToLower(fd.Message)
		if !strings.ContainsAny(fd.Message, ".") || !(strings.Contains(lower, "set ") || strings.Contains(lower, "delete") ||
			strings.Contains(lower, "add ") || strings.Contains(lower, "assign") || strings.Contains(lower, "remove") ||
			strings.Contains(lower, "rotate") || strings.Contains(lower, "deactivate") || strings.Contains(lower, "detach") ||
			strings.Contains(lower, "replace") || strings.Contains(lower, "grant")) {
			t.Errorf("finding does not say how to fix it: %q", fd.Message)
		}
	}
	if got, want := res.Summary(), "24 checks: 0 passed, 24 failed (2 critical, 3 high, 17 medium, 2 low); 29 findings"; got != want {
		t.Fatalf("summary %q, want %q", got, want)
	}
}

func TestAudit_deterministicOrder(t *testing.T) {
	f := cleanFacts()
	f.PasswordPolicy = nil
	for _, n := range []string{"zed", "mia", "abe"} {
		f.Users = append(f.Users, UserFacts{Name: n, ARN: "arn:aws:iam::123456789012:user/" + n, PasswordEnabled: true, CreatedAt: *daysAgo(1)})
	}
	first := Audit(f, cleanOptions)
	// Reverse the input order: the output must not change.
	for i, j := 0, len(f.Users)-1; i < j; i, j = i+1, j-1 {
		f.Users[i], f.Users[j] = f.Users[j], f.Users[i]
	}
	second := Audit(f, cleanOptions)
	if !reflect.DeepEqual(first, second) {
		t.Fatalf("order depends on input order:\n%v\n%v", keys(first.Findings), keys(second.Findings))
	}
	var order []string
	for _, fd := range first.Findings {
		order = append(order, fd.CheckID+" "+fd.Resource)
	}
	want := []string{
		"password_policy_length iam-account-password-policy",
		"password_policy_reuse iam-account-password-policy",
		"console_user_mfa arn:aws:iam::123456789012:user/abe",
		"console_user_mfa arn:aws:iam::123456789012:user/mia",
		"console_user_mfa arn:aws:iam::123456789012:user/zed",
		"user_without_group arn:aws:iam::123456789012:user/abe",
		"user_without_group arn:aws:iam::123456789012:user/mia",
		"user_without_group arn:aws:iam::123456789012:user/zed",
	}
	if !reflect.DeepEqual(order, want) {
		t.Fatalf("order:\n%s\nwant:\n%s", strings.Join(order, "\n"), strings.Join(want, "\n"))
	}
}

func TestAuditChecks_catalog(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range AuditChecks {
		if seen[c.ID] {
			t.Errorf("duplicate check %s", c.ID)
		}
		seen[c.ID] = true
		switch c.Severity {
		case AuditCritical, AuditHigh, AuditMedium, AuditLow:
		default:
			t.Errorf("check %s: severity %q", c.ID, c.Severity)
		}
		// The Identity Center checks go beyond the CIS benchmark; those that mirror an IAM control say which.
		cisOptional := isIdentityCenterCheck(c.ID) && c.CISControl == ""
		if !(cisOptional || strings.HasPrefix(c.CISControl, "1.") || strings.HasPrefix(c.CISControl, "3.") || strings.HasPrefix(c.CISControl, "4.")) || c.Title == "" {
			t.Errorf("check %s: CIS %q title %q", c.ID, c.CISControl, c.Title)
		}
	}
}
