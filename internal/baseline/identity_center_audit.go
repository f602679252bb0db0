package baseline

import (
	"slices"
	"strings"
)

// Audit checks of IAM Identity Center, run when an instance exists (AuditFacts.IdentityCenter).
// Two are manual: AWS offers no API to read the instance's MFA settings or whether people created
// by API receive an invitation email, so the audit always reports them with the console steps.
const (
	CheckIdentityCenterUserAssignments  = "identity_center_user_assignments"
	CheckIdentityCenterNotProvisioned   = "identity_center_set_not_provisioned"
	CheckIdentityCenterUnassignedSet    = "identity_center_set_unassigned"
	CheckIdentityCenterLongSession      = "identity_center_long_session"
	CheckIdentityCenterAdminPolicy      = "identity_center_admin_policy"
	CheckIdentityCenterIAMConsoleUsers  = "identity_center_iam_console_users"
	CheckIdentityCenterMFASettings      = "identity_center_mfa_settings_manual"
	CheckIdentityCenterInvitationEmails = "identity_center_invitation_emails_manual"
)

func identityCenterAuditChecks() []AuditCheck {
	return []AuditCheck{
		{ID: CheckIdentityCenterUserAssignments, CISControl: "1.14", Severity: AuditMedium,
			Title: "Identity Center permission sets are assigned to groups, not to users"},
		{ID: CheckIdentityCenterNotProvisioned, Severity: AuditMedium,
			Title: "Every changed permission set is provisioned again to its accounts",
			EmulatorGap: "moto ignores ListAccountsForProvisionedPermissionSet's ProvisioningStatus filter; the audit then finds " +
				"every account in both lists and reports none (in AWS the lists are disjoint); proven by unit tests over facts fixtures"},
		{ID: CheckIdentityCenterUnassignedSet, Severity: AuditLow, Title: "Every permission set is assigned in at least one account"},
		{ID: CheckIdentityCenterLongSession, Severity: AuditLow, Title: "Permission-set sessions last at most 8 hours"},
		{ID: CheckIdentityCenterAdminPolicy, CISControl: "1.15", Severity: AuditHigh,
			Title: "No \"*\" on \"*\" in a permission set outside admin_principals"},
		{ID: CheckIdentityCenterIAMConsoleUsers, Severity: AuditLow,
			Title: "People sign in through Identity Center, not as IAM users with a console password (migration)"},
		{ID: CheckIdentityCenterMFASettings, Severity: AuditHigh,
			Title: "Manual check: Identity Center asks for MFA at every sign-in and makes people register a device (no API reads it)"},
		{ID: CheckIdentityCenterInvitationEmails, Severity: AuditMedium,
			Title: "Manual check: people created by API receive an email to set their password (no API reads it)"},
	}
}

func isIdentityCenterCheck(id string) bool { return strings.HasPrefix(id, "identity_center_") }

// IdentityCenterFacts is what the audit knows of the organization instance of IAM Identity Center.
type IdentityCenterFacts struct {
	InstanceARN     string
	IdentityStoreID string
	PermissionSets  []PermissionSetFacts
}

// PermissionSetFacts is one permission set.
type PermissionSetFacts struct {
	Name              string
	ARN               string
	SessionDuration   string
	InlinePolicy      string
	ManagedPolicyARNs []string
	// ProvisionedAccounts are the accounts whose copy is the latest; OutdatedAccounts those AWS
	// lists as LATEST_PERMISSION_SET_NOT_PROVISIONED.
	ProvisionedAccounts []string
	OutdatedAccounts    []string
	Assignments         []AssignmentFacts
}

// AssignmentFacts is one account assignment of a permission set.
type AssignmentFacts struct {
	AccountID     string
	PrincipalType string // USER or GROUP
	PrincipalID   string
}

func (a *auditRun) identityCenter() {
	f := a.facts.IdentityCenter
	if f == nil {
		return
	}
	instance := f.InstanceARN
	for _, ps := range f.PermissionSets {
		for _, as := range ps.Assignments {
			if as.PrincipalType == "USER" {
				a.add(CheckIdentityCenterUserAssignments, ps.ARN,
					"Permission set %s is assigned to user %s in account %s: access given person by person is not reviewed with the group. "+
						"Add the person to the group of the job function (iambaseline_identity_center_user groups) and remove the user assignment.",
					ps.Name, as.PrincipalID, as.AccountID)
			}
		}
		// An account in both lists means the endpoint ignored the status filter (AWS never lists one
		// account in both): not evidence of a stale copy.
		for _, acct := range ps.OutdatedAccounts {
			if !slices.Contains(ps.ProvisionedAccounts, acct) {
				a.add(CheckIdentityCenterNotProvisioned, ps.ARN,
					"Permission set %s changed but account %s still runs the previous copy: re-provision it (IAM Identity Center console > Permission sets > %s > Update in AWS accounts, "+
						"or terraform apply of iambaseline_identity_center_baseline, which provisions after every change).", ps.Name, acct, ps.Name)
			}
		}
		if len(ps.Assignments) == 0 {
			a.add(CheckIdentityCenterUnassignedSet, ps.ARN,
				"Permission set %s is assigned to nobody in any account: delete it, or assign it to the group that needs it.", ps.Name)
		}
		if d, err := ParseSessionDuration(ps.SessionDuration); err == nil && d > SessionDurationAuditMax {
			a.add(CheckIdentityCenterLongSession, ps.ARN,
				"Permission set %s gives sessions of %s, longer than 8 hours: a stolen session stays useful longer than a working day. Set session_durations to PT8H or less.",
				ps.Name, ps.SessionDuration)
		}
		if a.isAdminPrincipal(PrincipalFacts{Name: ps.Name, ARN: ps.ARN}) {
			continue
		}
		if allowsEverything(ps.InlinePolicy) {
			a.add(CheckIdentityCenterAdminPolicy, ps.ARN,
				"The inline policy of permission set %s allows every action (\"*\") on every resource (\"*\"). Grant only what the job function needs, or, if %s is meant to be an administrator set, list it in admin_principals.",
				ps.Name, ps.Name)
		}
		for _, arn := range sortedCopy(ps.ManagedPolicyARNs) {
			if arn == "arn:"+a.facts.Partition+":iam::aws:policy/AdministratorAccess" {
				a.add(CheckIdentityCenterAdminPolicy, ps.ARN,
					"Permission set %s carries %s, every action on every resource. Grant only what the job function needs, or, if %s is meant to be an administrator set, list it in admin_principals.",
					ps.Name, arn, ps.Name)
			}
		}
	}
	for _, u := range a.facts.Users {
		if u.PasswordEnabled && !a.isAdminPrincipal(PrincipalFacts{Name: u.Name, ARN: u.ARN}) {
			a.add(CheckIdentityCenterIAMConsoleUsers, u.ARN,
				"IAM user %s signs in to the console with a password while IAM Identity Center is enabled: move the person to Identity Center "+
					"(iambaseline_identity_center_user, see the migration guide) and delete the login profile. Keep one break-glass IAM user with "+
					"alerts and list it in admin_principals.", u.Name)
		}
	}
	a.add(CheckIdentityCenterMFASettings, instance, "%s", identityCenterMFAStep)
	a.add(CheckIdentityCenterInvitationEmails, instance, "%s", identityCenterEmailStep)
}

// The console steps of what no API can do.
const (
	identityCenterMFAConsole = "In the IAM Identity Center console, Settings > Authentication > Multi-factor authentication > Configure: " +
		"prompt users for MFA \"Every time they sign in\", allow authenticator apps and security keys, and if a user does not have a " +
		"registered MFA device \"Require them to register an MFA device at sign in\"."
	identityCenterEmailConsole = "In the IAM Identity Center console, Settings > Authentication > Standard authentication > Configure: " +
		"enable \"Send email OTP for users created from API\", so that people created by Terraform receive an email to set their password " +
		"(without it they must use \"Forgot password\" on the access portal)."

	identityCenterMFAStep   = "AWS has no API to read the MFA settings of IAM Identity Center: check them by hand. " + identityCenterMFAConsole
	identityCenterEmailStep = "AWS has no API to read whether IAM Identity Center emails people created by API: check it by hand. " + identityCenterEmailConsole

	// IdentityCenterManualSteps is what no API can do: the console steps the docs, the plan
	// warnings and the audit's manual checks give.
	IdentityCenterManualSteps = "IAM Identity Center has no API for its MFA settings or for invitation emails. " +
		identityCenterMFAConsole + " " + identityCenterEmailConsole
)
