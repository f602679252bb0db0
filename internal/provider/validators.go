package provider

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Shapes IAM accepts, from the IAM API reference.
var (
	accountIDPattern = regexp.MustCompile(`^\d{12}$`)
	// IAM user, group, role and policy names: letters, digits and the characters +=,.@_- only.
	iamNamePattern = regexp.MustCompile(`^[\w+=,.@-]+$`)
	// IAM paths: "/" or "/a/b/", printable ASCII without spaces.
	iamPathPattern = regexp.MustCompile(`^/([\x21-\x7E]+/)?$`)
	arnPattern     = regexp.MustCompile(`^arn:aws[a-z-]*:([a-z0-9-]+):[a-z0-9-]*:(\d{12}|aws)?:.+$`)
	// Anything that does not begin with the reserved "aws:".
	awsReservedPrefix = regexp.MustCompile(`^(?i:[^a]|a[^w]|aw[^s]|aws[^:]|.{0,3}$)`)
	tagKeyPattern     = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

func accountIDValidator() validator.String {
	return stringvalidator.RegexMatches(accountIDPattern, "must be a 12-digit AWS account ID")
}

// iamNameValidator checks an IAM entity name of at most max characters.
func iamNameValidator(maxLen int) []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(1, maxLen),
		stringvalidator.RegexMatches(iamNamePattern, "may contain only letters, digits and the characters +=,.@_-"),
	}
}

// iamNamePrefixValidator checks a prefix that names are built from (may be empty).
func iamNamePrefixValidator(maxLen int) []validator.String {
	return []validator.String{
		stringvalidator.LengthAtMost(maxLen),
		stringvalidator.RegexMatches(regexp.MustCompile(`^[\w+=,.@-]*$`), "may contain only letters, digits and the characters +=,.@_-"),
	}
}

func iamPathValidator() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(1, 512),
		stringvalidator.RegexMatches(iamPathPattern, `must be "/" or begin and end with "/", e.g. "/engineering/"`),
	}
}

// iamARNValidator checks an ARN of IAM (a policy or a role).
func iamARNValidator() validator.String {
	return arnValidatorT{service: "iam"}
}

type arnValidatorT struct{ service string }

func (v arnValidatorT) Description(context.Context) string {
	if v.service == "" {
		return "must be an ARN"
	}
	return fmt.Sprintf("must be an ARN of service %q", v.service)
}

func (v arnValidatorT) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v arnValidatorT) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if msg := checkARN(s, v.service); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid ARN", fmt.Sprintf("%q %s.", s, msg))
	}
}

// checkARN returns why s is not an ARN of service, or "".
func checkARN(s, service string) string {
	m := arnPattern.FindStringSubmatch(s)
	if m == nil {
		return "is not an ARN (expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess)"
	}
	if service != "" && m[1] != service {
		return fmt.Sprintf("is an ARN of service %q, expected %q", m[1], service)
	}
	return ""
}

func urlValidator() validator.String { return urlValidatorT{"must be an absolute http(s) URL"} }

type urlValidatorT struct{ describedAs }

func (urlValidatorT) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	u, err := url.Parse(req.ConfigValue.ValueString())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint URL",
			fmt.Sprintf("%q is not an absolute http(s) URL, e.g. http://127.0.0.1:4566.", req.ConfigValue.ValueString()))
	}
}

// tagMapValidators enforces IAM's tag limits: 50 tags, keys 1-128 and values 0-256 characters (see
// tagMapValidator), the characters IAM accepts, no reserved aws: prefix.
func tagMapValidators() []validator.Map {
	return []validator.Map{
		tagsValidator(0, ""),
		tagMapValidator{tagMapDescription},
		mapvalidator.KeysAre(
			stringvalidator.RegexMatches(tagKeyPattern, "tag keys may contain letters, digits, spaces and _.:/=+-@"),
			stringvalidator.RegexMatches(awsReservedPrefix, "tag keys may not begin with aws:")),
	}
}

func tagValueValidators(attr string, required bool) []validator.String {
	return []validator.String{recordTagValidator{tag: attr, required: required, apostrophe: attr == baseline.TagFullName}}
}

// A sane address: one @, a local part, a dotted domain with a 2+ letter top level, no spaces.
var emailShape = regexp.MustCompile(`^[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$`)

// emailValidator accepts a bare address (no display name) that net/mail parses.
func emailValidator() validator.String {
	return stringCheck{
		describedAs: "must be an email address such as name@example.com",
		check: func(s string, p path.Path, diags *diag.Diagnostics) {
			if msg := checkEmail(s); msg != "" {
				diags.AddAttributeError(p, "Invalid email address",
					fmt.Sprintf("%q %s: give the bare address, e.g. \"ada@example.com\".", s, msg))
			}
		},
	}
}

// checkEmail returns why s is not an email address, or "".
func checkEmail(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return fmt.Sprintf("is not an email address (%v)", err)
	}
	if a.Address != s || a.Name != "" {
		return "must be the address alone, without a display name or angle brackets"
	}
	if !emailShape.MatchString(s) {
		return "does not look like name@domain.tld"
	}
	return ""
}

func policyARNValidator() validator.String {
	return stringvalidator.RegexMatches(policyARNPattern,
		"must be a managed policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::123456789012:policy/MyPolicy")
}

// regionValidator refuses what cannot be an AWS region name and warns about a well-formed name this
// version does not know (a typo, or a region newer than the provider).
func regionValidator() validator.String {
	return stringCheck{
		describedAs: "must be an AWS region name such as us-east-1",
		check: func(s string, p path.Path, diags *diag.Diagnostics) {
			problem, unknown := baseline.CheckRegion(s)
			switch {
			case problem != "":
				diags.AddAttributeError(p, "Invalid AWS region", problem+" Set region to a region name, or remove it to use AWS_REGION.")
			case unknown != "":
				diags.AddAttributeWarning(p, "Unknown AWS region", unknown)
			}
		},
	}
}

// describedAs is the Description (the same in Markdown) of a validator or plan modifier that
// embeds it.
type describedAs string

func (d describedAs) Description(context.Context) string { return string(d) }

func (d describedAs) MarkdownDescription(context.Context) string { return string(d) }

// stringCheck is a string validator that checks a known, non-null value with check.
type stringCheck struct {
	describedAs
	check func(s string, p path.Path, diags *diag.Diagnostics)
}

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(req.ConfigValue.ValueString(), req.Path, &resp.Diagnostics)
}
