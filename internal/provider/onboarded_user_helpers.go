package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// consoleSignInURL is the account's console sign-in page.
func consoleSignInURL(accountID string) string {
	return fmt.Sprintf("https://%s.signin.aws.amazon.com/console", accountID)
}

// onboardingInputs is what the onboarding instructions are rendered from.
type onboardingInputs struct {
	SignInURL string
	UserName  string
	FullName  string
	Groups    []string
	Console   bool // a login profile exists (or will)
	Suspended bool
	PGP       bool
}

// renderOnboardingInstructions writes the markdown the new person reads. It never holds the
// password: that travels separately.
func renderOnboardingInstructions(in onboardingInputs) string {
	var b strings.Builder
	name := in.FullName
	if name == "" {
		name = in.UserName
	}
	fmt.Fprintf(&b, "# Welcome to AWS, %s\n\n", name)
	if in.Suspended {
		b.WriteString("Your AWS access is **suspended**: console access is removed and access keys are inactive. Ask your administrator.\n\n")
	}
	b.WriteString("## Sign in\n\n")
	fmt.Fprintf(&b, "- Console sign-in URL: %s\n", in.SignInURL)
	fmt.Fprintf(&b, "- User name: `%s`\n", in.UserName)
	switch {
	case in.Console && in.PGP:
		b.WriteString("- Temporary password: encrypted with your PGP key; your administrator sends it to you. Decrypt it with `base64 -d | gpg --decrypt`.\n")
	case in.Console:
		b.WriteString("- Temporary password: your administrator gives it to you through a separate, secure channel (never by the same message as these instructions).\n")
	default:
		b.WriteString("- Console access is not enabled for you yet.\n")
	}
	b.WriteString("\n## First steps\n\n")
	b.WriteString("1. Sign in with the temporary password. You must choose a new password at this first sign-in; the temporary one stops working.\n")
	b.WriteString("2. Set up MFA right away: open your user name (top right) > **Security credentials** > **Assign MFA device** " +
		"(an authenticator app or a security key). Until MFA is active you can do nothing but change your password and set up MFA.\n")
	b.WriteString("3. Sign out and sign in again with MFA.\n")
	b.WriteString("\n## Your groups\n\n")
	for _, g := range in.Groups {
		fmt.Fprintf(&b, "- `%s`\n", g)
	}
	b.WriteString("\nNever share your password or MFA codes. Ask your administrator for access keys only if you need them for the CLI.\n")
	return b.String()
}

// consoleEffective tells whether the configuration wants a login profile now.
func consoleEffective(m *onboardedUserModel) bool {
	return (m.ConsoleAccess.IsNull() || m.ConsoleAccess.ValueBool()) && m.Status.ValueString() != statusSuspended
}

func setOf(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	var out []string
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	slices.Sort(out)
	return out
}

func mapOf(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

func stringSet(values []string) types.Set {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.SetValueMust(types.StringType, elems)
}

func stringList(values []string) types.List {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.ListValueMust(types.StringType, elems)
}

func nullableString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// desiredTags is every tag the user should carry: provider default tags, the resource's tags, and
// the record (which wins).
func desiredTags(ctx context.Context, client *awsiam.Client, m *onboardedUserModel, diags *diag.Diagnostics) map[string]string {
	tags := client.MergeTags(mapOf(ctx, m.Tags, diags))
	for _, k := range recordTagKeys {
		delete(tags, k)
	}
	tags[tagFullName] = m.FullName.ValueString()
	tags[tagEmail] = m.Email.ValueString()
	if v := m.JobTitle.ValueString(); v != "" {
		tags[tagJobTitle] = v
	}
	return tags
}

// nonRecordTags is the user's tags without the record (FullName, Email, JobTitle), which belong to
// their own attributes: what tags_all shows.
func nonRecordTags(remote map[string]string) map[string]string {
	out := make(map[string]string, len(remote))
	for k, v := range remote {
		if !slices.Contains(recordTagKeys, k) {
			out[k] = v
		}
	}
	return out
}

// generatePassword makes a temporary password of the requested length (at least the account
// minimum) that meets the account policy. Every character class is required even where the policy
// does not ask, so the password also meets AWS's default policy and any stricter one set later.
func generatePassword(length int, policy awsiam.AccountPasswordPolicy) (string, error) {
	length = max(length, policy.MinimumLength)
	p := baseline.PasswordPolicy{
		MinimumLength:    max(length, policy.MinimumLength),
		RequireLowercase: true,
		RequireUppercase: true,
		RequireNumbers:   true,
		RequireSymbols:   true,
	}
	pw, err := baseline.GeneratePassword(length, p)
	if err != nil {
		return "", fmt.Errorf("generating the temporary password: %v", err)
	}
	return pw, nil
}

// policyOf turns the account's policy into the generator's, for checks.
func policyOf(policy awsiam.AccountPasswordPolicy) baseline.PasswordPolicy {
	return baseline.PasswordPolicy{
		MinimumLength:    policy.MinimumLength,
		RequireLowercase: policy.RequireLowercase,
		RequireUppercase: policy.RequireUppercase,
		RequireNumbers:   policy.RequireNumbers,
		RequireSymbols:   policy.RequireSymbols,
	}
}
