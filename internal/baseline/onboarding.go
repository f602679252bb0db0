package baseline

import (
	"fmt"
	"strings"
)

// The onboarding of one person: the record of who they are (kept as IAM user tags), when an
// existing user may be taken over, and the instructions they read.

// The tags that hold the record of who the person is.
const (
	TagFullName = "FullName"
	TagEmail    = "Email"
	TagJobTitle = "JobTitle"
)

// RecordTagKeys are the record's tag keys, reserved: a user's own tags may not use them.
var RecordTagKeys = []string{TagFullName, TagEmail, TagJobTitle}

// PersonRecord is who the person is.
type PersonRecord struct {
	FullName, Email, JobTitle string // JobTitle "" = none
}

// UserTags is every tag the user carries: merged (the provider's default tags with the user's own)
// and the record, which wins over any of them.
func UserTags(merged map[string]string, record PersonRecord) map[string]string {
	tags := make(map[string]string, len(merged)+len(RecordTagKeys))
	for k, v := range merged {
		tags[k] = v
	}
	for _, k := range RecordTagKeys {
		delete(tags, k)
	}
	tags[TagFullName] = RecordName(record.FullName)
	tags[TagEmail] = record.Email
	if record.JobTitle != "" {
		tags[TagJobTitle] = record.JobTitle
	}
	return tags
}

// WithoutRecordTags is the user's tags without the record (FullName, Email, JobTitle) and without the
// create marker (ownership.go): what tags_all shows.
func WithoutRecordTags(tags map[string]string) map[string]string {
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		if k != TagFullName && k != TagEmail && k != TagJobTitle && k != CreateMarkerTag {
			out[k] = v
		}
	}
	return out
}

// OnboardingInputs is what the onboarding instructions are rendered from.
type OnboardingInputs struct {
	SignInURL string
	UserName  string
	FullName  string
	Groups    []string
	Console   bool // a login profile exists (or will)
	Suspended bool
	PGP       bool
}

// OnboardingInstructions is the markdown the new person reads. It never holds the password: that
// travels separately.
func OnboardingInstructions(in OnboardingInputs) string {
	var b strings.Builder
	name := in.FullName
	if name == "" {
		name = in.UserName
	}
	if in.Suspended {
		// One consistent message: nothing about signing in, which a suspended person cannot do.
		fmt.Fprintf(&b, "# AWS access of %s\n\n", name)
		b.WriteString("Your AWS access is **suspended**: you cannot sign in to the console, and your access keys are inactive.\n\n")
		fmt.Fprintf(&b, "Your user name `%s`, your record and your groups are kept", in.UserName)
		if len(in.Groups) > 0 {
			b.WriteString(" (")
			for i, g := range in.Groups {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "`%s`", g)
			}
			b.WriteString(")")
		}
		b.WriteString(". When your administrator restores your access you receive new sign-in instructions; until then, ask them.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "# Welcome to AWS, %s\n\n", name)
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
