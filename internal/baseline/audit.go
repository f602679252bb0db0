package baseline

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Audit severities, most severe first.
const (
	AuditCritical = "critical"
	AuditHigh     = "high"
	AuditMedium   = "medium"
	AuditLow      = "low"
)

// Audit check IDs. They are part of the provider's output (iambaseline_audit findings), so they never
// change once released.
const (
	CheckRootAccessKeys       = "root_access_keys"
	CheckRootMFA              = "root_mfa"
	CheckRootHardwareMFA      = "root_hardware_mfa"
	CheckPasswordPolicyLength = "password_policy_length"
	CheckPasswordPolicyReuse  = "password_policy_reuse"
	CheckConsoleUserMFA       = "console_user_mfa"
	CheckMultipleMFADevices   = "multiple_mfa_devices"
	CheckUnusedCredentials    = "unused_credentials"
	CheckMultipleActiveKeys   = "multiple_active_access_keys"
	CheckAccessKeyRotation    = "access_key_rotation"
	CheckUserDirectPolicies   = "user_direct_policies"
	CheckUserWithoutGroup     = "user_without_group"
	CheckAdminPolicyAttached  = "admin_policy_attached"
	CheckGroupInlinePolicies  = "group_inline_policies"
)

// CIS values of the password policy (controls 1.7 and 1.8).
const (
	CISMinimumPasswordLength   = 14
	CISPasswordReusePrevention = 24
)

// PasswordPolicyResource is the resource named by password policy findings: the import ID of
// iambaseline_account_password_policy.
const PasswordPolicyResource = "iam-account-password-policy"

// AuditCheck describes one check of the audit: its CIS AWS Foundations Benchmark v5.0.0 control,
// the severity of its findings, and whether an emulator (moto, LocalStack) can produce the data it
// depends on.
type AuditCheck struct {
	ID         string
	CISControl string
	Severity   string
	Title      string
	// EmulatorGap is non-empty when the emulator cannot produce a failing (or passing) case; the
	// check is then proven by unit tests over facts fixtures.
	EmulatorGap string
}

// AuditChecks lists every check in the order findings are reported.
var AuditChecks = []AuditCheck{
	{ID: CheckRootAccessKeys, CISControl: "1.3", Severity: AuditCritical, Title: "No access keys for the root user",
		EmulatorGap: "emulators have no root user: AccountAccessKeysPresent is always 0"},
	{ID: CheckRootMFA, CISControl: "1.4", Severity: AuditCritical, Title: "MFA enabled for the root user",
		EmulatorGap: "emulators have no root user: AccountMFAEnabled is always 0, so the check always fails there"},
	{ID: CheckRootHardwareMFA, CISControl: "1.5", Severity: AuditMedium, Title: "Hardware MFA for the root user",
		EmulatorGap: "emulators cannot enable MFA for the root user"},
	{ID: CheckPasswordPolicyLength, CISControl: "1.7", Severity: AuditMedium, Title: "Password policy requires at least 14 characters"},
	{ID: CheckPasswordPolicyReuse, CISControl: "1.8", Severity: AuditMedium, Title: "Password policy prevents reuse of the last 24 passwords"},
	{ID: CheckConsoleUserMFA, CISControl: "1.9", Severity: AuditHigh, Title: "MFA enabled for every user with a console password"},
	// CIS has no control on the number of devices; 1.9 is the one whose factor a second, unknown
	// device makes worthless. IAM cannot limit the number (up to eight per user), so the audit looks.
	{ID: CheckMultipleMFADevices, CISControl: "1.9", Severity: AuditMedium,
		Title: "At most one MFA device per user, so that each user's second factor is known to be theirs (CIS 1.9 has no device count: IAM allows eight)"},
	{ID: CheckUnusedCredentials, CISControl: "1.11", Severity: AuditMedium, Title: "No credentials unused for unused_credential_days",
		EmulatorGap: "emulators cannot backdate credentials or record their use"},
	{ID: CheckMultipleActiveKeys, CISControl: "1.12", Severity: AuditMedium, Title: "At most one active access key per user"},
	{ID: CheckAccessKeyRotation, CISControl: "1.13", Severity: AuditMedium, Title: "Active access keys younger than access_key_max_age_days",
		EmulatorGap: "emulators cannot backdate access keys"},
	{ID: CheckUserDirectPolicies, CISControl: "1.14", Severity: AuditMedium, Title: "Users receive permissions only through groups"},
	{ID: CheckUserWithoutGroup, CISControl: "1.14", Severity: AuditLow, Title: "Every user belongs to a group"},
	{ID: CheckAdminPolicyAttached, CISControl: "1.15", Severity: AuditHigh, Title: "No full \"*:*\" administrative policy attached outside admin_principals"},
	{ID: CheckGroupInlinePolicies, CISControl: "1.14", Severity: AuditLow, Title: "Groups grant permissions through managed policies, not inline policies"},
}

func init() {
	AuditChecks = append(AuditChecks, activityAuditChecks()...)
	AuditChecks = append(AuditChecks, identityCenterAuditChecks()...)
}

// AuditFacts is what the audit knows about an account. The provider fills it from AWS; tests fill it
// by hand, which is how checks that depend on data an emulator lacks (root user, old or unused
// credentials) are proven.
type AuditFacts struct {
	// Now is the time credentials ages are measured against.
	Now  time.Time
	Root RootFacts
	// PasswordPolicy is nil when the account has no password policy.
	PasswordPolicy *PasswordPolicyFacts
	Users          []UserFacts
	Groups         []PrincipalFacts
	Roles          []PrincipalFacts
	// Policies are the customer managed policies with their default version's document.
	Policies []ManagedPolicyFacts
	// AccountID and Partition ("aws" when empty) name the root user in findings.
	AccountID string
	Partition string
	// Activity is the account's trails, filters, alarms and subscriptions (activity_audit.go); nil
	// when they were not read, and then the CIS section 3 and 4 checks are not run.
	Activity *ActivityFacts
	// IdentityCenter is the organization instance of IAM Identity Center (identity_center_audit.go);
	// nil when there is none or it was not read, and then its checks are not run.
	IdentityCenter *IdentityCenterFacts
}

// RootFacts are the root user's credentials, from GetAccountSummary and the credential report.
type RootFacts struct {
	MFAEnabled        bool
	AccessKeysPresent bool
	// VirtualMFA is true when the root user's MFA device is a virtual one.
	VirtualMFA bool
}

// PasswordPolicyFacts is the part of the account password policy the CIS checks look at.
type PasswordPolicyFacts struct {
	MinimumLength   int
	ReusePrevention int
}

// UserFacts is one IAM user: permissions, memberships and credentials.
type UserFacts struct {
	Name      string
	ARN       string
	CreatedAt time.Time
	Groups    []string
	// AttachedPolicyARNs are the managed policies attached directly to the user.
	AttachedPolicyARNs []string
	// InlinePolicies maps inline policy names to their documents (plain or URL-encoded JSON).
	InlinePolicies map[string]string

	PasswordEnabled bool
	// PasswordCreatedAt is when the console password was set (nil: unknown, the user's creation counts).
	PasswordCreatedAt *time.Time
	PasswordLastUsed  *time.Time
	MFAActive         bool
	// MFADevices are the serials of the user's MFA devices that were read in bulk: every virtual
	// device (ListVirtualMFADevices), and every device of any kind when the credential report was
	// unavailable and the audit listed each user's devices (ListMFADevices). A hardware or FIDO
	// device is otherwise not counted, since only a call per user would show it.
	MFADevices []string
	AccessKeys []AccessKeyFacts
}

// AccessKeyFacts is one access key of a user. ID may be empty (the credential report does not name
// keys); the audit then names it by its slot.
type AccessKeyFacts struct {
	ID        string
	Active    bool
	CreatedAt *time.Time
	LastUsed  *time.Time
}

// PrincipalFacts is a group or a role and the policies attached to it.
type PrincipalFacts struct {
	Name               string
	ARN                string
	AttachedPolicyARNs []string
	InlinePolicies     map[string]string
}

// ManagedPolicyFacts is a customer managed policy and its default version's document.
type ManagedPolicyFacts struct {
	Name            string
	ARN             string
	DefaultDocument string
}

// AuditOptions are the thresholds of the audit.
type AuditOptions struct {
	// UnusedCredentialDays: a password or active key unused for this many days (or never used and
	// older than this) is a finding. 0 means 45, the CIS value.
	UnusedCredentialDays int
	// AccessKeyMaxAgeDays: an active key created more than this many days ago is a finding. 0 means 90.
	AccessKeyMaxAgeDays int
	// AdminPrincipals are the users, groups and roles (by name or ARN) that are explicitly
	// administrators: a policy allowing "*" on "*" attached to them is expected, not a finding.
	AdminPrincipals []string
}

// Default audit thresholds (CIS AWS Foundations Benchmark).
const (
	DefaultUnusedCredentialDays = 45
	DefaultAccessKeyMaxAgeDays  = 90
)

// AuditFinding is one thing wrong with the account.
type AuditFinding struct {
	CheckID    string
	CISControl string
	Severity   string
	// Resource is the ARN of what is wrong (the account root for account-wide findings).
	Resource string
	// Message says what is wrong and how to fix it.
	Message string
}

// AuditCheckResult is the outcome of one check.
type AuditCheckResult struct {
	AuditCheck
	Passed   bool
	Findings int
}

// AuditResult is the outcome of an audit.
type AuditResult struct {
	Findings []AuditFinding
	Checks   []AuditCheckResult
	Passed   int
	Failed   int
}

// Summary renders the result on one line, e.g.
// "12 checks: 9 passed, 3 failed (1 critical, 2 high); 5 findings".
func (r AuditResult) Summary() string {
	bySeverity := map[string]int{}
	for _, c := range r.Checks {
		if !c.Passed {
			bySeverity[c.Severity]++
		}
	}
	var parts []string
	for _, s := range []string{AuditCritical, AuditHigh, AuditMedium, AuditLow} {
		if n := bySeverity[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	out := fmt.Sprintf("%d checks: %d passed, %d failed", len(r.Checks), r.Passed, r.Failed)
	if len(parts) > 0 {
		out += " (" + strings.Join(parts, ", ") + ")"
	}
	noun := "findings"
	if len(r.Findings) == 1 {
		noun = "finding"
	}
	return fmt.Sprintf("%s; %d %s", out, len(r.Findings), noun)
}

// Audit runs every check of AuditChecks over the facts. The result is the same for the same facts:
// findings are ordered by check (in AuditChecks order), then resource, then message.
func Audit(f AuditFacts, opts AuditOptions) AuditResult {
	if opts.UnusedCredentialDays <= 0 {
		opts.UnusedCredentialDays = DefaultUnusedCredentialDays
	}
	if opts.AccessKeyMaxAgeDays <= 0 {
		opts.AccessKeyMaxAgeDays = DefaultAccessKeyMaxAgeDays
	}
	if f.Partition == "" {
		f.Partition = "aws"
	}
	a := &auditRun{facts: f, opts: opts, byCheck: map[string][]AuditFinding{}}
	a.root()
	a.passwordPolicy()
	users := slices.Clone(f.Users)
	sort.Slice(users, func(i, j int) bool { return users[i].Name < users[j].Name })
	for _, u := range users {
		a.user(u)
	}
	a.adminPolicies(users)
	a.groupInlinePolicies()
	a.activity()
	a.identityCenter()

	var res AuditResult
	for _, c := range AuditChecks {
		if f.Activity == nil && isActivityCheck(c.ID) || f.IdentityCenter == nil && isIdentityCenterCheck(c.ID) {
			continue
		}
		found := a.byCheck[c.ID]
		sort.SliceStable(found, func(i, j int) bool {
			if found[i].Resource != found[j].Resource {
				return found[i].Resource < found[j].Resource
			}
			return found[i].Message < found[j].Message
		})
		res.Findings = append(res.Findings, found...)
		r := AuditCheckResult{AuditCheck: c, Passed: len(found) == 0, Findings: len(found)}
		if r.Passed {
			res.Passed++
		} else {
			res.Failed++
		}
		res.Checks = append(res.Checks, r)
	}
	return res
}

type auditRun struct {
	facts   AuditFacts
	opts    AuditOptions
	byCheck map[string][]AuditFinding
}

func (a *auditRun) add(checkID, resource, format string, args ...any) {
	for _, c := range AuditChecks {
		if c.ID == checkID {
			a.byCheck[checkID] = append(a.byCheck[checkID], AuditFinding{
				CheckID: checkID, CISControl: c.CISControl, Severity: c.Severity,
				Resource: resource, Message: fmt.Sprintf(format, args...),
			})
			return
		}
	}
	panic("unknown audit check " + checkID)
}

// rootResource is the root user's ARN, or "root" when the account ID is unknown.
func (a *auditRun) rootResource() string {
	if a.facts.AccountID == "" {
		return "root"
	}
	return "arn:" + a.facts.Partition + ":iam::" + a.facts.AccountID + ":root"
}

func (a *auditRun) root() {
	r := a.facts.Root
	if r.AccessKeysPresent {
		a.add(CheckRootAccessKeys, a.rootResource(),
			"The root user has access keys. Sign in as root, open Security credentials, and delete every root access key; use IAM roles or users for programmatic access.")
	}
	if !r.MFAEnabled {
		a.add(CheckRootMFA, a.rootResource(),
			"The root user has no MFA device. Sign in as root, open Security credentials, and assign an MFA device (a hardware key or a dedicated, non-personal device).")
		a.add(CheckRootHardwareMFA, a.rootResource(),
			"The root user has no hardware MFA device. Sign in as root and assign a hardware MFA device (FIDO security key or hardware TOTP token).")
	} else if r.VirtualMFA {
		a.add(CheckRootHardwareMFA, a.rootResource(),
			"The root user's MFA device is a virtual one. Sign in as root and replace it with a hardware MFA device (FIDO security key or hardware TOTP token).")
	}
}

func (a *auditRun) passwordPolicy() {
	const fix = "Manage the policy with the iambaseline_account_password_policy resource (its defaults follow CIS)."
	p := a.facts.PasswordPolicy
	if p == nil {
		a.add(CheckPasswordPolicyLength, PasswordPolicyResource,
			"The account has no password policy, so AWS accepts 8-character passwords. Set minimum_password_length to at least %d. %s", CISMinimumPasswordLength, fix)
		a.add(CheckPasswordPolicyReuse, PasswordPolicyResource,
			"The account has no password policy, so users may reuse passwords. Set password_reuse_prevention to %d. %s", CISPasswordReusePrevention, fix)
		return
	}
	if p.MinimumLength < CISMinimumPasswordLength {
		a.add(CheckPasswordPolicyLength, PasswordPolicyResource,
			"The password policy accepts passwords of %d characters. Set minimum_password_length to at least %d. %s", p.MinimumLength, CISMinimumPasswordLength, fix)
	}
	if p.ReusePrevention < CISPasswordReusePrevention {
		what := fmt.Sprintf("remembers only %d previous passwords", p.ReusePrevention)
		if p.ReusePrevention == 0 {
			what = "does not prevent password reuse"
		}
		a.add(CheckPasswordPolicyReuse, PasswordPolicyResource,
			"The password policy %s. Set password_reuse_prevention to %d. %s", what, CISPasswordReusePrevention, fix)
	}
}

func (a *auditRun) daysSince(t time.Time) int {
	return int(a.facts.Now.Sub(t).Hours() / 24)
}

func (a *auditRun) user(u UserFacts) {
	now := a.facts.Now
	unused := a.opts.UnusedCredentialDays
	res := u.ARN
	if res == "" {
		res = u.Name
	}

	if u.PasswordEnabled && !u.MFAActive {
		a.add(CheckConsoleUserMFA, res,
			"User %s can sign in to the console with a password but has no MFA device. Have them assign one (the baseline's MFA policy denies everything else until they do), or remove the console password if they do not need it.", u.Name)
	}

	if devices := sortedSet(u.MFADevices); len(devices) > 1 {
		a.add(CheckMultipleMFADevices, res,
			"User %s has %d MFA devices (%s). IAM cannot limit how many devices a user enrols, so a second device is how someone who once had the password, or a session without MFA, keeps a way in. Ask the person whether each device is theirs (a backup security key they keep is fine); deactivate any other (aws iam deactivate-mfa-device --user-name %s --serial-number <serial>) and reset their password.",
			u.Name, len(devices), strings.Join(devices, ", "), u.Name)
	}

	if u.PasswordEnabled {
		switch {
		case u.PasswordLastUsed != nil && now.Sub(*u.PasswordLastUsed) > days(unused):
			a.add(CheckUnusedCredentials, res,
				"The console password of user %s was last used %d days ago (limit %d). Remove the login profile, or suspend the user (status = \"suspended\" on iambaseline_onboarded_user).",
				u.Name, a.daysSince(*u.PasswordLastUsed), unused)
		case u.PasswordLastUsed == nil:
			since := u.CreatedAt
			if u.PasswordCreatedAt != nil {
				since = *u.PasswordCreatedAt
			}
			if !since.IsZero() && now.Sub(since) > days(unused) {
				a.add(CheckUnusedCredentials, res,
					"The console password of user %s was never used in the %d days since it was set (limit %d). Remove the login profile, or suspend the user (status = \"suspended\" on iambaseline_onboarded_user).",
					u.Name, a.daysSince(since), unused)
			}
		}
	}

	active := 0
	for i, k := range u.AccessKeys {
		if !k.Active {
			continue
		}
		active++
		name := k.ID
		if name == "" {
			name = fmt.Sprintf("access key %d", i+1)
		} else {
			name = "access key " + name
		}
		switch {
		case k.LastUsed != nil && now.Sub(*k.LastUsed) > days(unused):
			a.add(CheckUnusedCredentials, res, "The %s of user %s was last used %d days ago (limit %d). Deactivate it, then delete it.",
				name, u.Name, a.daysSince(*k.LastUsed), unused)
		case k.LastUsed == nil && k.CreatedAt != nil && now.Sub(*k.CreatedAt) > days(unused):
			a.add(CheckUnusedCredentials, res, "The %s of user %s was never used in the %d days since it was created (limit %d). Deactivate it, then delete it.",
				name, u.Name, a.daysSince(*k.CreatedAt), unused)
		}
		if k.CreatedAt != nil && now.Sub(*k.CreatedAt) > days(a.opts.AccessKeyMaxAgeDays) {
			a.add(CheckAccessKeyRotation, res,
				"The %s of user %s was created %d days ago (limit %d). Rotate it: create a new key, move its users to it, deactivate and then delete the old one.",
				name, u.Name, a.daysSince(*k.CreatedAt), a.opts.AccessKeyMaxAgeDays)
		}
	}
	if active > 1 {
		a.add(CheckMultipleActiveKeys, res,
			"User %s has %d active access keys. Keep the one in use and deactivate the others (aws iam update-access-key --status Inactive).", u.Name, active)
	}

	if len(u.AttachedPolicyARNs) > 0 || len(u.InlinePolicies) > 0 {
		var what []string
		for _, arn := range sortedCopy(u.AttachedPolicyARNs) {
			what = append(what, "managed policy "+arn)
		}
		for _, name := range sortedKeys(u.InlinePolicies) {
			what = append(what, "inline policy "+name)
		}
		a.add(CheckUserDirectPolicies, res,
			"User %s has policies attached directly (%s). Grant permissions through a group instead: add the user to the right baseline group, then detach or delete these policies.",
			u.Name, strings.Join(what, ", "))
	}
	if len(u.Groups) == 0 {
		a.add(CheckUserWithoutGroup, res,
			"User %s belongs to no group. Add them to one of the baseline groups (groups on iambaseline_onboarded_user), or delete the user if they left.", u.Name)
	}
}

// adminPolicies finds policies that allow every action on every resource (customer managed policies
// whose default version says so, AWS's AdministratorAccess, and inline policies) attached to a user,
// group or role that is not listed in AdminPrincipals.
func (a *auditRun) adminPolicies(users []UserFacts) {
	adminDocs := map[string]bool{}
	for _, p := range a.facts.Policies {
		if allowsEverything(p.DefaultDocument) {
			adminDocs[p.ARN] = true
		}
	}
	isAdminPolicy := func(arn string) bool {
		return adminDocs[arn] || arn == "arn:"+a.facts.Partition+":iam::aws:policy/AdministratorAccess"
	}
	check := func(kind string, p PrincipalFacts) {
		if a.isAdminPrincipal(p) {
			return
		}
		res := p.ARN
		if res == "" {
			res = p.Name
		}
		for _, arn := range sortedCopy(p.AttachedPolicyARNs) {
			if isAdminPolicy(arn) {
				a.add(CheckAdminPolicyAttached, res,
					"Managed policy %s allows every action (\"*\") on every resource (\"*\") and is attached to %s %s. Detach it and grant only what the %s needs, or, if %s is meant to be an administrator, list it in admin_principals.",
					arn, kind, p.Name, kind, p.Name)
			}
		}
		for _, name := range sortedKeys(p.InlinePolicies) {
			if allowsEverything(p.InlinePolicies[name]) {
				a.add(CheckAdminPolicyAttached, res,
					"Inline policy %s of %s %s allows every action (\"*\") on every resource (\"*\"). Replace it with the least privilege the %s needs, or, if %s is meant to be an administrator, list it in admin_principals.",
					name, kind, p.Name, kind, p.Name)
			}
		}
	}
	for _, u := range users {
		check("user", PrincipalFacts{Name: u.Name, ARN: u.ARN, AttachedPolicyARNs: u.AttachedPolicyARNs, InlinePolicies: u.InlinePolicies})
	}
	for _, g := range a.facts.Groups {
		check("group", g)
	}
	for _, r := range a.facts.Roles {
		check("role", r)
	}
}

func (a *auditRun) isAdminPrincipal(p PrincipalFacts) bool {
	for _, admin := range a.opts.AdminPrincipals {
		if admin == p.Name || (p.ARN != "" && admin == p.ARN) {
			return true
		}
	}
	return false
}

// allowsEverything tells whether a policy document has an Allow statement with Action "*" and
// Resource "*", conditions or not (CIS 1.15 counts a condition such as MFA as still full admin).
// A document that cannot be parsed grants nothing IAM would accept.
func allowsEverything(document string) bool {
	doc, err := ParsePolicy(document)
	if err != nil {
		return false
	}
	for _, s := range doc.Statements {
		if s.Effect == EffectAllow && slices.ContainsFunc(s.Action, isEveryAction) && slices.Contains(s.Resource, "*") {
			return true
		}
	}
	return false
}

// isEveryAction: "*", "*:*" and any other pattern of only wildcards and a colon match every action.
func isEveryAction(a string) bool { return strings.Trim(a, "*:?") == "" && strings.Contains(a, "*") }

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

// groupInlinePolicies reports every inline policy of a group: it is invisible where managed
// policies are reviewed, not versioned and not reusable, and on a baseline group it is what someone
// added out of band.
func (a *auditRun) groupInlinePolicies() {
	groups := slices.Clone(a.facts.Groups)
	sort.Slice(groups, func(i, j int) bool { return groups[i].Name < groups[j].Name })
	for _, g := range groups {
		if len(g.InlinePolicies) == 0 {
			continue
		}
		res := g.ARN
		if res == "" {
			res = g.Name
		}
		a.add(CheckGroupInlinePolicies, res,
			"Group %s has the inline %s %s. Inline policies are not versioned, not reusable and easy to miss in a review: move what they grant into a customer managed policy attached to the group and delete them (on a group of iambaseline_startup_group_baseline, the next apply deletes inline policies it did not write).",
			g.Name, plural(len(g.InlinePolicies), "policy", "policies"), JoinWords(sortedKeys(g.InlinePolicies)))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
