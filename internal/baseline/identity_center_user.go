package baseline

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The opinions of an Identity Center person: identity-store limits, the onboarding text and the
// checklist. Identity Center sends no invitation to a user created by API unless the instance's
// "Send email OTP" setting is on, and it has no API for that setting or for MFA: the text says so.

// Identity-store limits (CreateUser's input rules).
const (
	IdentityStoreUserNameMax  = 128
	IdentityStoreAttributeMax = 1024
	// IdentityStoreGroupsPerUser is the most groups the baseline puts one person in: the IAM limit
	// of the IAM baseline, kept here so that a person migrates with the same groups.
	IdentityStoreGroupsPerUser = 10
)

// identityStoreUserNamePattern is CreateUser's: letters, marks, symbols, numbers, punctuation; no
// white space.
var identityStoreUserNamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)

// reservedIdentityStoreUserNames are refused by Identity Center.
var reservedIdentityStoreUserNames = []string{"Administrator", "AWSAdministrators"}

// ValidateIdentityStoreUserName says why Identity Center would refuse name as a user name.
func ValidateIdentityStoreUserName(name string) error {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0 || n > IdentityStoreUserNameMax:
		return fmt.Errorf("a user name is 1 to %d characters, got %d", IdentityStoreUserNameMax, n)
	case !identityStoreUserNamePattern.MatchString(name):
		return fmt.Errorf("%q holds white space or control characters, which Identity Center refuses in a user name: use e.g. ada.lovelace", name)
	}
	for _, r := range reservedIdentityStoreUserNames {
		if strings.EqualFold(name, r) {
			return fmt.Errorf("%q is reserved by IAM Identity Center: choose the person's own name", name)
		}
	}
	return nil
}

// ValidateIdentityStoreAttribute says why a name, display name or job title would be refused.
func ValidateIdentityStoreAttribute(value string) error {
	n := utf8.RuneCountInString(value)
	switch {
	case n == 0 || n > IdentityStoreAttributeMax:
		return fmt.Errorf("must be 1 to %d characters, got %d", IdentityStoreAttributeMax, n)
	case strings.TrimSpace(value) == "":
		return fmt.Errorf("must not be only white space")
	}
	return nil
}

// IdentityCenterDisplayName is a person's default display name.
func IdentityCenterDisplayName(given, family string) string {
	return strings.TrimSpace(given + " " + family)
}

// IdentityCenterOnboarding is what the onboarding instructions of a person are rendered from.
type IdentityCenterOnboarding struct {
	PortalURL   string
	UserName    string
	DisplayName string
	Email       string
	Groups      []string
	Region      string // the instance's region, for aws configure sso
	Suspended   bool
}

// IdentityCenterOnboardingInstructions is the markdown the person reads: the portal, the first
// sign-in through the email verification or password reset flow, MFA registration, the CLI.
func IdentityCenterOnboardingInstructions(in IdentityCenterOnboarding) string {
	var b strings.Builder
	name := in.DisplayName
	if name == "" {
		name = in.UserName
	}
	if in.Suspended {
		fmt.Fprintf(&b, "# AWS access of %s\n\n", name)
		b.WriteString("Your AWS access is **suspended**: you belong to no group and hold no assignment, so the access portal shows you no account.\n\n")
		fmt.Fprintf(&b, "Your user name `%s` and your record are kept. When your administrator restores your access you receive new instructions; until then, ask them.\n", in.UserName)
		return b.String()
	}
	fmt.Fprintf(&b, "# Welcome to AWS, %s\n\n", name)
	b.WriteString("You sign in through the AWS access portal with one user name for every account; there are no long-lived keys.\n\n")
	b.WriteString("## Sign in for the first time\n\n")
	fmt.Fprintf(&b, "- Access portal: %s\n", in.PortalURL)
	fmt.Fprintf(&b, "- User name: `%s`\n\n", in.UserName)
	fmt.Fprintf(&b, "1. Look for an email to %s from `no-reply@login.awsapps.com` (\"Invitation to join AWS IAM Identity Center\" or a one-time password). "+
		"Follow it to verify your address and choose a password.\n", in.Email)
	fmt.Fprintf(&b, "2. No email? Open the access portal, enter `%s`, choose **Next**, then **Forgot password**: the reset email sets your first password.\n", in.UserName)
	b.WriteString("3. Register MFA when the portal asks (an authenticator app or a security key; a security key is best). " +
		"Later: access portal > your name (top right) > **MFA devices** > **Register device**.\n")
	b.WriteString("4. Sign out and sign in again: you are asked for your MFA code every time.\n")
	b.WriteString("\n## Your access\n\n")
	if len(in.Groups) == 0 {
		b.WriteString("You are in no group yet: the portal shows no account until your administrator adds you to one.\n")
	}
	for _, g := range in.Groups {
		fmt.Fprintf(&b, "- `%s`: in the portal, choose the account, then `%s` (console) or **Access keys** (short-lived credentials)\n", g, g)
	}
	b.WriteString("\n## The AWS CLI\n\n")
	b.WriteString("```\naws configure sso\n")
	fmt.Fprintf(&b, "# SSO session name: work\n# SSO start URL: %s\n# SSO region: %s\n# SSO registration scopes: sso:account:access\n", in.PortalURL, in.Region)
	b.WriteString("aws sso login --profile <the profile name you chose>\n```\n")
	b.WriteString("\nNever share your password or MFA codes; nobody from your company or AWS will ask for them.\n")
	return b.String()
}

// IdentityCenterChecklist is where a person's onboarding stands.
type IdentityCenterChecklist struct {
	UserCreated    bool
	GroupsAssigned bool
	EmailSet       bool
	PortalAccess   bool
}

// IdentityCenterUserChecklist reads the checklist from what exists: the user, whether its
// memberships are exactly the wanted groups, its primary email, and whether any of its groups (or
// the user itself) is assigned a permission set in an account, which is what the portal shows.
func IdentityCenterUserChecklist(exists bool, wanted, have []string, email string, assignedGroups, directAssignments int, suspended bool) IdentityCenterChecklist {
	return IdentityCenterChecklist{
		UserCreated:    exists,
		GroupsAssigned: exists && !suspended && sameStrings(wanted, have),
		EmailSet:       exists && email != "",
		PortalAccess:   exists && !suspended && assignedGroups+directAssignments > 0,
	}
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		if seen[x] == 0 {
			return false
		}
		seen[x]--
	}
	return true
}

// IdentityCenterSuspensionNote is the plan warning of a suspension: what the provider does and the
// console step that blocks sign-in, which the identity-store API cannot do.
const IdentityCenterSuspensionNote = "Suspending removes every group membership and every account assignment of the user, so the " +
	"access portal shows no account; the user record is kept. The identity-store API cannot disable sign-in: to also block the " +
	"portal sign-in, in the IAM Identity Center console open Users > the user > \"Disable user access\"; active sessions last " +
	"until their session duration ends."
