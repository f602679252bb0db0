package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
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
	regionExemptDescription = "Actions the `allowed_regions` restriction never denies, in addition to the built-in list " +
		"(AWS's documented region-deny exemptions: global services such as IAM, Organizations, CloudFront, Route 53, " +
		"KMS, Config, billing and support, plus `s3:GetBucketLocation` and `ec2:DescribeRegions`), e.g. `[\"ce:*\"]`. " +
		"Lowercase service prefix, wildcards allowed. Default: none."
	delegateAppRolesDescription = "Let Developers create, change and delete the app's roles, only under `app_scope.role_path` " +
		"(`/app/`) and only with the app permissions boundary `<name_prefix>AppBoundary` that the baseline creates (AWS's " +
		"documented permissions-boundary delegation; see `app_boundary_policy_arn`). Applies with `Developers` in `groups` and " +
		"`policy_style = \"least_privilege\"`. Set `false` to keep every role Terraform's (no boundary is created). Defaults to `true`."
	readOnlyCostExplorerDescription = "Let `ReadOnly` read Cost Explorer (`ce:Get*`, `ce:Describe*`, `ce:List*`: costs, usage, " +
		"forecasts, anomalies and recommendations; never a write). The figures tell what the company spends on what: set " +
		"`false` where only the founders should see them. Defaults to `true`."
	appScopeDescription = "What Developers own (the rest of the account they may read but not change). Services that put a " +
		"resource's name in its ARN are scoped by `name_prefix`: Lambda functions and layers, ECR repositories, ECS " +
		"clusters, services, tasks and task definitions, CodeBuild projects, CodeDeploy applications and deployment " +
		"groups, CodePipeline pipelines, CloudWatch Logs groups (`<name_prefix>...` or `.../<name_prefix>...`), alarms, " +
		"DynamoDB tables, SQS queues, SNS topics, Secrets Manager secrets. EC2 resources (instances, volumes, snapshots, " +
		"images, launch templates) are scoped by the tag `tag_key = tag_value`, which may be set only by the call that " +
		"creates the resource and never changed or removed by any group. Compute runs only as roles under `role_path`. " +
		"Every field defaults from the baseline's `name_prefix` and the plan shows the result. Give a resource the app " +
		"prefix or tag, or a role the path, only when its permissions are no broader than the app's: a resource in the " +
		"scope that runs as a more powerful role hands that role to every developer."
)

// appScopeAttrTypes are the fields of app_scope.
var appScopeAttrTypes = map[string]attr.Type{
	"name_prefix": types.StringType,
	"tag_key":     types.StringType,
	"tag_value":   types.StringType,
	"role_path":   types.StringType,
}

var appScopeFieldDescriptions = map[string]string{
	"name_prefix": "Name prefix of the app's resources: lowercase letters, digits, `-` and `_`, ending with `-` or `_`. " +
		"Defaults to the baseline's `name_prefix` lowercased + `app-` (e.g. `acme-app-`).",
	"tag_key":   "Tag key that marks app EC2 resources. Defaults to `" + baseline.DefaultAppScopeTagKey + "`.",
	"tag_value": "Tag value that marks app EC2 resources. Defaults to the baseline's `name_prefix` lowercased + `app` (e.g. `acme-app`).",
	"role_path": "IAM path of the roles Developers and SysAdmins may pass to services (`iam:PassRole`), e.g. `/app/`. " +
		"Create the app's roles under it (e.g. `iambaseline_service_role` with `path = \"/app/\"`). Defaults to `/app/`.",
}

func resourceAppScopeAttribute() rschema.SingleNestedAttribute {
	attrs := map[string]rschema.Attribute{}
	for name, desc := range appScopeFieldDescriptions {
		attrs[name] = rschema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: desc}
	}
	return rschema.SingleNestedAttribute{Optional: true, Computed: true, MarkdownDescription: appScopeDescription, Attributes: attrs}
}

func dataSourceAppScopeAttribute() dschema.SingleNestedAttribute {
	attrs := map[string]dschema.Attribute{}
	for name, desc := range appScopeFieldDescriptions {
		attrs[name] = dschema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: desc}
	}
	return dschema.SingleNestedAttribute{Optional: true, Computed: true, MarkdownDescription: appScopeDescription, Attributes: attrs}
}

func regionExemptValidators() []validator.List {
	return []validator.List{
		listvalidator.UniqueValues(),
		listvalidator.ValueStringsAre(stringvalidator.RegexMatches(regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*?]+$`),
			"must be an action such as ce:* or ec2:DescribeRegions (lowercase service prefix, wildcards allowed)")),
	}
}

// appScopeValue is the app_scope object of a resolved app scope.
func appScopeValue(a baseline.AppScope) types.Object {
	return types.ObjectValueMust(appScopeAttrTypes, map[string]attr.Value{
		"name_prefix": types.StringValue(a.NamePrefix),
		"tag_key":     types.StringValue(a.TagKey),
		"tag_value":   types.StringValue(a.TagValue),
		"role_path":   types.StringValue(a.RolePath),
	})
}

// appScopeFrom reads the configured fields of app_scope; null or unknown fields (and a null or
// unknown object) are left empty, so that the baseline derives them from name_prefix.
func appScopeFrom(v types.Object) baseline.AppScope {
	if v.IsNull() || v.IsUnknown() {
		return baseline.AppScope{}
	}
	get := func(name string) string {
		s, ok := v.Attributes()[name].(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			return ""
		}
		return s.ValueString()
	}
	return baseline.AppScope{NamePrefix: get("name_prefix"), TagKey: get("tag_key"), TagValue: get("tag_value"), RolePath: get("role_path")}
}

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
	RegionExemptActions           []string
	NamePrefix                    string
	AppScope                      baseline.AppScope // as configured; empty fields are derived
	ReadOnlyCostExplorer          bool
	Partition                     string
	// DelegateAppRoles and PolicyPath: the startup group baseline's Developers create app roles
	// under its app boundary, at its path (baseline.Options). The policy_documents data source and
	// Identity Center create no boundary and leave them off.
	DelegateAppRoles bool
	PolicyPath       string
}

func (a policyArgs) options() baseline.Options {
	return baseline.Options{
		Partition:             a.Partition,
		AllowedRegions:        a.AllowedRegions,
		DeveloperS3BucketARNs: a.DeveloperS3BucketARNs,
		RegionExemptActions:   a.RegionExemptActions,
		NamePrefix:            a.NamePrefix,
		AppScope:              a.AppScope,

		OmitReadOnlyCostExplorer: !a.ReadOnlyCostExplorer,
		DelegateAppRoles:         a.DelegateAppRoles,
		PolicyPath:               a.PolicyPath,
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
	RegionExemptActions           types.List
	NamePrefix                    types.String
	// AppScope may be unknown in a plan (it is computed); its unknown fields count as not set.
	AppScope             types.Object
	ReadOnlyCostExplorer types.Bool
	DelegateAppRoles     types.Bool
}

// known reports whether every value is known (null counts as known).
func (v policyArgsValues) known() bool {
	return !v.Groups.IsUnknown() && !v.EnforceMFA.IsUnknown() && !v.AllowFirstLoginPasswordChange.IsUnknown() &&
		!v.AllowedRegions.IsUnknown() && !v.DeveloperS3BucketARNs.IsUnknown() && !v.RegionExemptActions.IsUnknown() &&
		!v.NamePrefix.IsUnknown() && !v.ReadOnlyCostExplorer.IsUnknown() && !v.DelegateAppRoles.IsUnknown() && elementsKnown(v.RegionExemptActions.Elements()) &&
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
		NamePrefix:                    v.NamePrefix.ValueString(),
		AppScope:                      appScopeFrom(v.AppScope),
		ReadOnlyCostExplorer:          v.ReadOnlyCostExplorer.IsNull() || v.ReadOnlyCostExplorer.ValueBool(),
	}
	if !v.RegionExemptActions.IsNull() {
		diags.Append(v.RegionExemptActions.ElementsAs(ctx, &a.RegionExemptActions, false)...)
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
	// The app boundary exists only with least-privilege Developers.
	a.DelegateAppRoles = (v.DelegateAppRoles.IsNull() || v.DelegateAppRoles.ValueBool()) && leastPrivilege && slices.Contains(a.RoleKeys, baseline.RoleDevelopers)
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
		for _, f := range lint.Policy(docs[k], lint.Options{Kind: lint.KindManagedPolicy}) {
			if f.Severity == lint.SeverityError {
				diags.AddAttributeError(path.Root(documentsAttr).AtMapKey(k), "Rendered baseline policy is invalid",
					fmt.Sprintf("The %s policy would be rejected by IAM: %s. Use fewer allowed_regions or developer_s3_bucket_arns (wildcards help).", k, f.Message))
			}
		}
	}
	return docs
}

// attributeOfOptionsError is the attribute a baseline option error names (baseline.OptionError);
// developer_s3_bucket_arns for any other error.
func attributeOfOptionsError(err error) path.Path {
	var oe *baseline.OptionError
	if !errors.As(err, &oe) {
		return path.Root("developer_s3_bucket_arns")
	}
	if field, ok := strings.CutPrefix(oe.Attribute, "app_scope."); ok {
		return path.Root("app_scope").AtName(field)
	}
	return path.Root(oe.Attribute)
}

// addManagedPolicyWarnings warns at plan time about managed policies known to let a member gain
// more than the policy grants: the aws_managed mappings, extra_policy_arns and additional groups'
// policy_arns. extra and additional are keyed by role key and by additional group name.
func addManagedPolicyWarnings(diags *diag.Diagnostics, awsManaged bool, roleKeys []string, partition string, extra, additional map[string][]string) {
	warn := func(at path.Path, group, arn string) {
		if risk, ok := baseline.EscalatingManagedPolicy(arn); ok {
			diags.AddAttributeWarning(at, "Managed policy allows privilege escalation",
				fmt.Sprintf("%s on group %s %s. Members can gain more than the group is meant to grant: prefer policy_style = %q, "+
					"or a customer managed policy limited to the resources the group needs.", arn, group, risk.Path, policyStyleLeastPrivilege))
		}
	}
	if awsManaged {
		// The mapping's policy: what it still leaves open after the guardrail policy.
		for _, k := range roleKeys {
			arn := baseline.AWSManagedPolicyARN(k, partition)
			if open := baseline.AWSManagedOpenPaths(k); len(open) > 0 {
				diags.AddAttributeWarning(path.Root("policy_style"), "AWS managed policy leaves paths open",
					fmt.Sprintf("%s on group %s, with the guardrail policy attached (no audit blinding, no backup erasure, no "+
						"snapshot publishing), still: %s. Members can gain more than the group is meant to grant: prefer "+
						"policy_style = %q, which scopes these to the app's resources.", arn, k, strings.Join(open, "; "), policyStyleLeastPrivilege))
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		for _, arn := range extra[k] {
			warn(path.Root("extra_policy_arns").AtMapKey(k), k, arn)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(additional)) {
		for _, arn := range additional[k] {
			warn(path.Root("additional_groups").AtMapKey(k).AtName("policy_arns"), k, arn)
		}
	}
}

// additionalPolicyARNs are the policy_arns of each additional group.
func additionalPolicyARNs(groups map[string]additionalGroupSpec) map[string][]string {
	out := make(map[string][]string, len(groups))
	for name, g := range groups {
		out[name] = g.PolicyARNs
	}
	return out
}

// plannedPolicyDocuments keeps the policy JSON out of the plan where it is news rather than a change
// (the documents are most of a first plan's lines otherwise): a document the prior state does not hold
// (every one on create, a group added later, what an import of a hand-made setup lacks) is planned
// unknown, one line saying "known after apply" (the apply sets exactly the rendered document), while
// its summary line (baseline.PolicySummary), known now, says what will be created. A document the
// state holds is planned known, so Terraform shows nothing of it when it is unchanged and only the
// changed parts when it changes; its summary line changes with it.
func plannedPolicyDocuments(docs map[string]string, prior types.Map) (documents, summaries types.Map) {
	summaries = stringMapValue(baseline.PolicySummaries(docs))
	if prior.IsNull() || prior.IsUnknown() {
		return types.MapUnknown(types.StringType), summaries
	}
	held := prior.Elements()
	elems := make(map[string]attr.Value, len(docs))
	for k, d := range docs {
		elems[k] = types.StringValue(d)
		if _, ok := held[k]; !ok {
			elems[k] = types.StringUnknown()
		}
	}
	return types.MapValueMust(types.StringType, elems), summaries
}

// policyDocumentSummariesDescription documents policy_document_summaries.
const policyDocumentSummariesDescription = "One line per document of `policy_documents`, by the same keys, known at plan time: the number of " +
	"statements, the characters IAM counts against the 6,144 of a managed policy, and the first 12 hex digits of the " +
	"document's SHA-256 (`14 statements, 4,211 of 6,144 characters, sha256:1f2e3d4c5b6a`). Any change of a document " +
	"changes its line, so a plan says which documents change without printing them."
