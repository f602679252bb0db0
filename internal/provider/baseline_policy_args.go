package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// The policy arguments the startup_group_baseline resource and the policy_documents data source share,
// so that both render byte-identical documents from the same inputs.

const (
	policyStyleLeastPrivilege = "least_privilege"
	policyStyleAWSManaged     = "aws_managed"
)

var (
	awsRegionPattern   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	s3BucketARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:s3:::[^/]+$`)
	policyARNPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}|aws):policy/[\w+=,.@/-]+$`)
)

// Markdown descriptions of the shared arguments.
var (
	groupsDescription = "Which of the four standard groups to create, by role key: `Developers`, `SysAdmins`, " +
		"`DatabaseAdmins`, `ReadOnly`. Defaults to all four."
	enforceMFADescription = "Create the MFA-enforcement policy (AWS's \"manage your own credentials, deny everything " +
		"else until you sign in with MFA\" pattern) and attach it to every group of this baseline. Defaults to `true`."
	allowFirstLoginDescription = "Let a user who has no MFA yet change the temporary password at first sign-in " +
		"(`iam:ChangePassword`, `iam:GetAccountPasswordPolicy` exempt from the MFA deny). Defaults to `true`."
	allowedRegionsDescription = "When set, every group policy denies regional actions outside these regions " +
		"(e.g. `[\"eu-west-1\", \"us-east-1\"]`; global services such as IAM stay usable). Rendered sorted. Default: no restriction."
	bucketsDescription = "S3 buckets Developers may manage, as bucket ARNs starting with `arn:aws:s3:::` (wildcards allowed, " +
		"e.g. `arn:aws:s3:::acme-dev-*`); their objects are included. Default: none, Developers get no S3 write."
)

func groupsElementValidators() []validator.Set {
	return []validator.Set{
		setvalidator.ValueStringsAre(stringvalidator.OneOf(baseline.RoleKeys()...)),
	}
}

func allowedRegionsValidators() []validator.List {
	return []validator.List{
		listvalidator.SizeAtLeast(1),
		listvalidator.UniqueValues(),
		listvalidator.ValueStringsAre(stringvalidator.RegexMatches(awsRegionPattern,
			"must be an AWS region name such as us-east-1 or eu-central-1")),
	}
}

func bucketARNValidators() []validator.List {
	return []validator.List{
		listvalidator.UniqueValues(),
		listvalidator.ValueStringsAre(stringvalidator.RegexMatches(s3BucketARNPattern,
			"must be an S3 bucket ARN such as arn:aws:s3:::acme-dev-data (start with arn:aws:s3:::, no object path; wildcards allowed)")),
	}
}

// policyArgs are the inputs that decide the policy documents.
type policyArgs struct {
	RoleKeys                      []string // canonical order
	LeastPrivilege                bool
	EnforceMFA                    bool
	AllowFirstLoginPasswordChange bool
	AllowedRegions                []string
	DeveloperS3BucketARNs         []string
	Partition                     string
}

func (a policyArgs) options() baseline.Options {
	return baseline.Options{
		Partition:             a.Partition,
		AllowedRegions:        a.AllowedRegions,
		DeveloperS3BucketARNs: a.DeveloperS3BucketARNs,
	}
}

// renderDocuments renders the documents keyed by role key plus "mfa": the group policies only in the
// least_privilege style, the MFA policy only when it is enforced.
func (a policyArgs) renderDocuments() (map[string]string, error) {
	var keys []string
	if a.LeastPrivilege {
		keys = a.RoleKeys
	}
	return baseline.Documents(keys, a.options(), a.EnforceMFA, a.AllowFirstLoginPasswordChange)
}

// canonicalRoleKeys orders role keys the way baseline.RoleKeys does.
func canonicalRoleKeys(keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range baseline.RoleKeys() {
		if slices.Contains(keys, k) {
			out = append(out, k)
		}
	}
	return out
}

// policyArgsValues are the Terraform values of the shared arguments.
type policyArgsValues struct {
	Groups                        types.Set
	EnforceMFA                    types.Bool
	AllowFirstLoginPasswordChange types.Bool
	AllowedRegions                types.List
	DeveloperS3BucketARNs         types.List
}

// known reports whether every value is known (null counts as known).
func (v policyArgsValues) known() bool {
	return !v.Groups.IsUnknown() && !v.EnforceMFA.IsUnknown() && !v.AllowFirstLoginPasswordChange.IsUnknown() &&
		!v.AllowedRegions.IsUnknown() && !v.DeveloperS3BucketARNs.IsUnknown() &&
		elementsKnown(v.Groups.Elements()) && elementsKnown(v.AllowedRegions.Elements()) && elementsKnown(v.DeveloperS3BucketARNs.Elements())
}

func elementsKnown[T interface{ IsUnknown() bool }](elems []T) bool {
	for _, e := range elems {
		if e.IsUnknown() {
			return false
		}
	}
	return true
}

// args converts the values, applying the defaults of null ones (all four groups, MFA on).
func (v policyArgsValues) args(ctx context.Context, partition string, leastPrivilege bool, diags *diag.Diagnostics) policyArgs {
	a := policyArgs{
		LeastPrivilege:                leastPrivilege,
		EnforceMFA:                    v.EnforceMFA.IsNull() || v.EnforceMFA.ValueBool(),
		AllowFirstLoginPasswordChange: v.AllowFirstLoginPasswordChange.IsNull() || v.AllowFirstLoginPasswordChange.ValueBool(),
		Partition:                     partition,
	}
	if v.Groups.IsNull() {
		a.RoleKeys = baseline.RoleKeys()
	} else {
		var keys []string
		diags.Append(v.Groups.ElementsAs(ctx, &keys, false)...)
		a.RoleKeys = canonicalRoleKeys(keys)
	}
	if !v.AllowedRegions.IsNull() {
		diags.Append(v.AllowedRegions.ElementsAs(ctx, &a.AllowedRegions, false)...)
	}
	if !v.DeveloperS3BucketARNs.IsNull() {
		diags.Append(v.DeveloperS3BucketARNs.ElementsAs(ctx, &a.DeveloperS3BucketARNs, false)...)
	}
	return a
}

// validatePolicyArgs renders the documents at plan time and reports what blocks them, naming the
// argument to change. documentsAttr is where the rendered documents show (policy_documents or
// documents).
func validatePolicyArgs(a policyArgs, documentsAttr string, diags *diag.Diagnostics) map[string]string {
	if err := a.options().Validate(); err != nil {
		diags.AddAttributeError(attributeOfOptionsError(err), "Invalid baseline policy input", err.Error())
		return nil
	}
	docs, err := a.renderDocuments()
	if err != nil {
		diags.AddAttributeError(attributeOfOptionsError(err), "Cannot render the baseline policies", err.Error())
		return nil
	}
	keys := make([]string, 0, len(docs))
	for k := range docs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		// The rendered documents are the provider's own opinions: their advice (warnings) is by design,
		// only errors (size, grammar) block.
		for _, f := range baseline.LintPolicy(docs[k], baseline.LintOptions{Kind: baseline.KindManagedPolicy}) {
			if f.Severity == baseline.SeverityError {
				diags.AddAttributeError(path.Root(documentsAttr).AtMapKey(k), "Rendered baseline policy is invalid",
					fmt.Sprintf("The %s policy would be rejected by IAM: %s. Use fewer allowed_regions or developer_s3_bucket_arns (wildcards help).", k, f.Message))
			}
		}
	}
	return docs
}

func attributeOfOptionsError(err error) path.Path {
	switch msg := err.Error(); {
	case strings.Contains(msg, "allowed_regions"):
		return path.Root("allowed_regions")
	case strings.Contains(msg, "developer_s3_bucket_arns"):
		return path.Root("developer_s3_bucket_arns")
	default:
		return path.Root("developer_s3_bucket_arns")
	}
}
