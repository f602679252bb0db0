package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var _ fullResource = &serviceRoleResource{}

// NewServiceRoleResource manages an IAM role assumed by AWS services or by other accounts.
func NewServiceRoleResource() resource.Resource { return &serviceRoleResource{} }

type serviceRoleResource struct{ resourceClients }

type serviceRoleModel struct {
	ID                    types.String `tfsdk:"id"`
	Name                  types.String `tfsdk:"name"`
	Description           types.String `tfsdk:"description"`
	Path                  types.String `tfsdk:"path"`
	TrustedServices       types.Set    `tfsdk:"trusted_services"`
	TrustedAccountIDs     types.Set    `tfsdk:"trusted_account_ids"`
	TrustedPrincipalARNs  types.Set    `tfsdk:"trusted_principal_arns"`
	ConfusedDeputy        types.Bool   `tfsdk:"confused_deputy_protection"`
	SourceARNs            types.Set    `tfsdk:"source_arns"`
	RequireMFA            types.Bool   `tfsdk:"require_mfa"`
	ExternalID            types.String `tfsdk:"external_id"`
	ManagedPolicyARNs     types.Set    `tfsdk:"managed_policy_arns"`
	InlinePolicies        types.Map    `tfsdk:"inline_policies"`
	CreateInstanceProfile types.Bool   `tfsdk:"create_instance_profile"`
	MaxSessionDuration    types.Int64  `tfsdk:"max_session_duration"`
	PermissionsBoundary   types.String `tfsdk:"permissions_boundary"`
	Tags                  types.Map    `tfsdk:"tags"`
	TagsAll               types.Map    `tfsdk:"tags_all"`
	ARN                   types.String `tfsdk:"arn"`
	UniqueID              types.String `tfsdk:"unique_id"`
	InstanceProfileARN    types.String `tfsdk:"instance_profile_arn"`
	InstanceProfileName   types.String `tfsdk:"instance_profile_name"`
	TrustPolicy           types.String `tfsdk:"trust_policy"`
}

var (
	servicePrincipalPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$`)
	anyARNPattern           = regexp.MustCompile(`^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$`)
	principalARNPattern     = regexp.MustCompile(`^arn:[a-z-]+:iam::\d{12}:(root|role/[\w+=,.@/-]+|user/[\w+=,.@/-]+)$`)
	externalIDPattern       = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	roleDescriptionPattern  = regexp.MustCompile(`^[\x{0009}\x{000A}\x{000D}\x{0020}-\x{007E}\x{00A1}-\x{00FF}]*$`)
)

func (r *serviceRoleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_role"
}

func (r *serviceRoleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An IAM role of the baseline, assumed by AWS services (`trusted_services`) or by other AWS " +
			"accounts and their principals (`trusted_account_ids`, `trusted_principal_arns`, optionally requiring MFA and an external ID). " +
			"The trust policy is built by the provider, with confused-deputy protection (`aws:SourceAccount`, optionally " +
			"`aws:SourceArn`) for the services documented to support it; managed and inline policies are managed exclusively " +
			"(anything attached out of band is removed on the next apply). A role trusted by EC2 gets an instance profile of the same name.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The role name.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name of the role (and of its instance profile), 1 to 64 letters, digits and `+=,.@_-`. Changing it replaces the role.",
				Validators:          iamNameValidator(64),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Description of the role, up to 1000 characters. No default.",
				Validators: []validator.String{stringvalidator.LengthAtMost(1000),
					stringvalidator.RegexMatches(roleDescriptionPattern, "may contain only printable Latin-1 characters")},
			},
			"path": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("/"),
				MarkdownDescription: "IAM path of the role and its instance profile, `/` or `/a/b/`. Defaults to `/`. Changing it replaces the role.",
				Validators:          iamPathValidator(),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"trusted_services": schema.SetAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Service principals that may assume the role, e.g. `ec2.amazonaws.com`, `lambda.amazonaws.com`. " +
					"Each must end in `.amazonaws.com`. At least one of `trusted_services`, `trusted_account_ids` and `trusted_principal_arns` is required.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(
					stringvalidator.RegexMatches(servicePrincipalPattern, `must be a service principal such as "ec2.amazonaws.com"`))},
			},
			"trusted_account_ids": schema.SetAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "12-digit IDs of the AWS accounts whose principals may assume the role (their administrators " +
					"then decide who, through IAM policies). At least one of `trusted_services`, `trusted_account_ids` and `trusted_principal_arns` is required.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(accountIDValidator())},
			},
			"trusted_principal_arns": schema.SetAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "ARNs of the IAM roles and users (in this or other accounts) that may assume the role, e.g. " +
					"`arn:aws:iam::111122223333:role/ci/deployer`; an account root (`arn:aws:iam::111122223333:root`) trusts the whole " +
					"account, like its ID in `trusted_account_ids`. No wildcards (IAM refuses them in a principal); the partition must be " +
					"the account's. `require_mfa` and `external_id` apply to them as to `trusted_account_ids`, but `require_mfa` " +
					"refuses a role here at plan: a role session never carries MFA, so that role could never assume this one. No default.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.RegexMatches(principalARNPattern,
					"must be the ARN of an IAM role, an IAM user or an account root, e.g. arn:aws:iam::111122223333:role/deployer, without wildcards"))},
			},
			"confused_deputy_protection": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Let the services of `trusted_services` that are documented to send source context assume the role only " +
					"on behalf of this account (`aws:SourceAccount`), so that no other AWS customer can make such a service act with it. " +
					"The services: " + sourceContextServiceList() + ". Others (EC2, Lambda, ECS tasks, CloudTrail, ...) get no condition, " +
					"which would refuse them. `false` warns at plan, naming the trusted services that lose `aws:SourceAccount`. Defaults to `true`.",
			},
			"source_arns": schema.SetAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "ARNs (or ARN patterns with `*` and `?`) of the resources on whose behalf the trusted services may assume " +
					"the role (`aws:SourceArn`, with `ArnLike`), e.g. `arn:aws:states:us-east-1:123456789012:stateMachine:app-*`. Each must be " +
					"in the account's partition and account (or a wildcard account), of the service of a trusted service; every trusted " +
					"service needs one. Only with `confused_deputy_protection` and services that support it (a trusted service that does " +
					"not is a plan-time error). No default.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.RegexMatches(anyARNPattern,
					"must be an ARN (arn:<partition>:<service>:<region>:<account>:<resource>), wildcards allowed"))},
			},
			"require_mfa": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Require the trusted accounts' principals to have signed in with MFA (`aws:MultiFactorAuthPresent`). " +
					"Only with `trusted_account_ids` or `trusted_principal_arns`, and not with a role among them (a plan-time error: a role " +
					"session never carries MFA). With a whole account, only that account's IAM users who signed in with MFA can assume the " +
					"role, never its role sessions (IAM Identity Center's included): the plan warns so. Defaults to `false`.",
			},
			"external_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "External ID the trusted accounts must present (`sts:ExternalId`), the usual guard for third parties. " +
					"Only with `trusted_account_ids` or `trusted_principal_arns`. 2 to 1224 characters of letters, digits and `+=,.@:/-_`. No default.",
				Validators: []validator.String{stringvalidator.LengthBetween(2, 1224),
					stringvalidator.RegexMatches(externalIDPattern, "may contain only letters, digits and the characters +=,.@:/-_")},
			},
			"managed_policy_arns": schema.SetAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "ARNs of the managed policies attached to the role, at most 10 by default (20 once the account raised the IAM quota). Managed exclusively: other " +
					"attachments are removed.",
				Validators: []validator.Set{rolePoliciesValidator(), setvalidator.ValueStringsAre(iamARNValidator())},
			},
			"inline_policies": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Inline policies of the role: policy name => JSON document (use `jsonencode`). Each is linted at " +
					"plan time (grammar, 10,240 non-whitespace characters, risky grants). Managed exclusively: other inline policies are removed.",
				Validators: []validator.Map{mapvalidator.KeysAre(iamNameValidator(128)...)},
			},
			"create_instance_profile": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Create an instance profile named like the role and holding it, for EC2 instances. Defaults to " +
					"`true` when `trusted_services` contains `ec2.amazonaws.com`, else `false`.",
				PlanModifiers: []planmodifier.Bool{instanceProfileDefault{"defaults to true when trusted_services contains ec2.amazonaws.com"}},
			},
			"max_session_duration": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(3600),
				MarkdownDescription: "Maximum session duration in seconds, 3600 to 43200. Defaults to `3600` (one hour).",
				Validators:          []validator.Int64{int64validator.Between(3600, 43200)},
			},
			"permissions_boundary": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "ARN of the managed policy that bounds the role's permissions. No default. For a role under `/app/` " +
					"(the app role path of `iambaseline_startup_group_baseline`) set it to that baseline's `app_boundary_policy_arn`: " +
					"Developers may create roles there only with that boundary, and the plan warns about an `/app/` role without one.",
				Validators: []validator.String{iamARNValidator()},
			},
			"tags": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Tags of the role, added to the provider's `default_tags`; a key set here wins over the default. Holds only the role's own tags: all of them are in `tags_all`. No default.",
				Validators:          tagMapValidators(),
			},
			"tags_all": tagsAllAttribute(" A tag changed or removed out of band shows here as a change, and apply restores it; " +
				"tags added out of band are removed."),
			"arn": schema.StringAttribute{
				Computed: true, MarkdownDescription: "ARN of the role. Known at plan time (from the account ID, `path` and `name`).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"unique_id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Stable unique ID of the role (`AROA...`).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"instance_profile_arn": schema.StringAttribute{
				Computed: true, MarkdownDescription: "ARN of the instance profile, null when `create_instance_profile` is false. Known at plan time.",
			},
			"instance_profile_name": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Name of the instance profile (the role's name: what `aws_instance.iam_instance_profile` and " +
					"launch templates take), null when `create_instance_profile` is false. Known at plan time.",
			},
			"trust_policy": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The trust (assume-role) policy the provider builds from `trusted_services`, `trusted_account_ids`, " +
					"`trusted_principal_arns`, `require_mfa`, `external_id`, `confused_deputy_protection` and `source_arns`. Compared by " +
					"meaning, so AWS's reordering never shows as a change.",
			},
		},
	}
}

func (r *serviceRoleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	withSpec(ctx, r.client, "service_role.Create", req.Plan, &resp.Diagnostics, r.plannedSpec, func(plan serviceRoleModel, spec awsiam.RoleSpec) {
		role, err := r.client.CreateRole(ctx, spec)
		if role != nil {
			// Recorded even when a later step failed: Terraform then marks the role tainted and
			// replaces it on the next apply instead of leaving an orphan.
			plan.setApplied(spec, *role, role.InstanceProfileARN)
			resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		}
		if err != nil {
			detail := err.Error()
			if role == nil && !strings.Contains(detail, "moved") {
				detail = alreadyExistsDetail(err, "role", "iambaseline_service_role", spec.Name)
			}
			resp.Diagnostics.AddError("Cannot create the service role", detail)
		}
	})
}

func (r *serviceRoleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	withModel(ctx, r.client, "service_role.Read", req.State, &resp.Diagnostics, func(state serviceRoleModel) {
		role, err := r.client.FindRole(ctx, state.ID.ValueString())
		if awsiam.IsNotFound(err) {
			resp.State.RemoveResource(ctx)
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the service role", err.Error())
			return
		}
		next, diags := r.modelFromRole(ctx, role, state)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, next)...)
	})
}

func (r *serviceRoleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	withSpec(ctx, r.client, "service_role.Update", req.Plan, &resp.Diagnostics, r.plannedSpec, func(plan serviceRoleModel, spec awsiam.RoleSpec) {
		// Start from what exists, not from the state: that is what converges after an interrupted apply.
		// Targeted reads, not the snapshot, which every write of this apply would make reload.
		old, err := r.client.FindRoleDirect(ctx, spec.Name)
		if err != nil {
			resp.Diagnostics.AddError("Cannot update the service role", err.Error())
			return
		}
		normalizeRoleAgainstSpec(old, spec)
		profileARN, err := r.client.UpdateRole(ctx, *old, spec)
		if err != nil {
			resp.Diagnostics.AddError("Cannot update the service role", err.Error())
			return
		}
		plan.setApplied(spec, *old, profileARN)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	})
}

func (r *serviceRoleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	withModel(ctx, r.client, "service_role.Delete", req.State, &resp.Diagnostics, func(state serviceRoleModel) {
		if err := r.client.DeleteRole(ctx, state.ID.ValueString()); err != nil {
			resp.Diagnostics.AddError("Cannot delete the service role", err.Error())
		}
	})
}

func (r *serviceRoleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if msg := iamNameProblem(req.ID, 64); msg != "" {
		addInvalidImportID(&resp.Diagnostics, fmt.Sprintf("Import a service role by its role name: %q %s.", req.ID, msg))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), req.ID)...)
}

// resolveTrustPolicy renders a trust policy the plan could not: the confused-deputy condition needs
// the account ID, which the plan may have failed to learn.
func (r *serviceRoleResource) resolveTrustPolicy(ctx context.Context, plan *serviceRoleModel, diags *diag.Diagnostics) {
	if !plan.TrustPolicy.IsUnknown() {
		return
	}
	account, err := r.client.AccountID(ctx)
	if err != nil {
		diags.AddError("Cannot build the trust policy",
			"Confused-deputy protection pins the trusted services to this account (aws:SourceAccount), and the account ID "+
				"could not be read (sts:GetCallerIdentity): "+err.Error()+". Let the provider's credentials call sts:GetCallerIdentity, "+
				"or set confused_deputy_protection = false.")
		return
	}
	doc, known, d := r.desiredTrustPolicy(ctx, *plan, account)
	diags.Append(d...)
	if !known {
		diags.AddError("Cannot build the trust policy", "The trust arguments are still unknown at apply time.")
		return
	}
	plan.TrustPolicy = types.StringValue(doc)
}

// plannedSpec resolves the trust policy the plan could not render, then turns the plan into the
// role's spec; ok is false (with the diagnostics) when either fails.
func (r *serviceRoleResource) plannedSpec(ctx context.Context, plan *serviceRoleModel, diags *diag.Diagnostics) (awsiam.RoleSpec, bool) {
	r.resolveTrustPolicy(ctx, plan, diags)
	spec, d := r.spec(ctx, *plan)
	diags.Append(d...)
	return spec, !diags.HasError()
}

// setApplied records in m what an apply of spec made: the role's identity (from role) and its
// instance profile.
func (m *serviceRoleModel) setApplied(spec awsiam.RoleSpec, role awsiam.Role, profileARN string) {
	m.ID = types.StringValue(spec.Name)
	m.TagsAll = tagsAllValue(spec.Tags)
	m.ARN = types.StringValue(role.ARN)
	m.UniqueID = types.StringValue(role.UniqueID)
	m.InstanceProfileARN = optionalString(profileARN)
	m.InstanceProfileName = instanceProfileName(profileARN)
}

// spec turns a fully known plan into what the role should be.
func (r *serviceRoleResource) spec(ctx context.Context, m serviceRoleModel) (awsiam.RoleSpec, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := awsiam.RoleSpec{
		Name:                m.Name.ValueString(),
		Path:                m.Path.ValueString(),
		Description:         m.Description.ValueString(),
		TrustPolicy:         m.TrustPolicy.ValueString(),
		MaxSessionDuration:  int32(m.MaxSessionDuration.ValueInt64()),
		PermissionsBoundary: m.PermissionsBoundary.ValueString(),
		InstanceProfile:     m.CreateInstanceProfile.ValueBool(),
	}
	s.ManagedPolicyARNs = stringsFromSet(ctx, m.ManagedPolicyARNs, &diags)
	s.InlinePolicies = stringMapFrom(ctx, m.InlinePolicies, &diags)
	s.Tags = r.client.MergeTags(stringMapFrom(ctx, m.Tags, &diags))
	return s, diags
}

// modelFromRole maps what exists to the state. Values that mean the same as the prior state keep
// the prior's spelling (policy JSON, null versus empty), so that a refresh alone never shows a diff.
func (r *serviceRoleResource) modelFromRole(ctx context.Context, role *awsiam.Role, prior serviceRoleModel) (serviceRoleModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := prior
	m.ID = types.StringValue(role.Name)
	m.Name = types.StringValue(role.Name)
	m.Path = types.StringValue(role.Path)
	m.ARN = types.StringValue(role.ARN)
	m.UniqueID = types.StringValue(role.UniqueID)
	m.Description = optionalString(role.Description)
	m.MaxSessionDuration = types.Int64Value(int64(role.MaxSessionDuration))
	m.PermissionsBoundary = optionalString(role.PermissionsBoundary)
	m.InstanceProfileARN = optionalString(role.InstanceProfileARN)
	m.InstanceProfileName = instanceProfileName(role.InstanceProfileARN)
	m.CreateInstanceProfile = types.BoolValue(role.InstanceProfileARN != "")

	// Trust policy: keep the prior rendering when equivalent; otherwise record what AWS has and,
	// when it is one the provider could have built, the arguments that build it.
	if !policiesEquivalent(prior.TrustPolicy.ValueString(), role.TrustPolicy) {
		m.TrustPolicy = types.StringValue(canonicalPolicy(role.TrustPolicy))
		if in, ok := baseline.ParseTrustPolicy(role.TrustPolicy, partitionOf(r.client)); ok {
			r.setTrustArguments(ctx, &m, in, prior, &diags)
		} else {
			diags.AddWarning("The role's trust policy is not one this resource builds",
				fmt.Sprintf("The trust policy of role %q has a principal or a condition that trusted_services, trusted_account_ids, "+
					"trusted_principal_arns, require_mfa, external_id, confused_deputy_protection and source_arns cannot express, so "+
					"its arguments were not read from it. The next apply replaces it with the trust policy built from the configuration; "+
					"compare trust_policy in the plan before applying.", role.Name))
		}
	}

	if m.ConfusedDeputy.IsNull() || m.ConfusedDeputy.IsUnknown() {
		// A state written before the attribute existed: what the role has, so that an upgrade
		// shows a change only where the protection is missing.
		m.ConfusedDeputy = types.BoolValue(true)
		if in, ok := baseline.ParseTrustPolicy(role.TrustPolicy, partitionOf(r.client)); ok && baseline.ConfusedDeputyDecided(in.Services) {
			m.ConfusedDeputy = types.BoolValue(in.ConfusedDeputyProtection)
		}
	}

	m.ManagedPolicyARNs = setKeepingNull(role.ManagedPolicyARNs, prior.ManagedPolicyARNs)

	priorInline := stringMapFrom(ctx, prior.InlinePolicies, &diags)
	inline := map[string]string{}
	for name, doc := range role.InlinePolicies {
		if p, ok := priorInline[name]; ok && policiesEquivalent(p, doc) {
			inline[name] = p
		} else {
			inline[name] = doc
		}
	}
	m.InlinePolicies = mapKeepingNull(inline, prior.InlinePolicies)

	// All tags as AWS has them (the create marker aside); own tags as ownTagsFromRemote explains.
	remote := maps.Clone(role.Tags)
	delete(remote, baseline.CreateMarkerTag)
	m.Tags = ownTagsFromRemote(remote, r.client.DefaultTags, prior.Tags, prior.TagsAll)
	m.TagsAll = tagsAllValue(remote)
	return m, diags
}

// setTrustArguments records the arguments recovered from the role's trust policy. Where the document
// allows two spellings the prior's wins: an account root listed in trusted_principal_arns stays
// there, and a document that does not show confused-deputy protection (no trusted service sends
// source context) keeps the prior setting, or the default on import.
func (r *serviceRoleResource) setTrustArguments(ctx context.Context, m *serviceRoleModel, in baseline.TrustInputs, prior serviceRoleModel, diags *diag.Diagnostics) {
	partition := partitionOf(r.client)
	priorPrincipals := stringsFromSet(ctx, prior.TrustedPrincipalARNs, diags)
	priorAccounts := stringsFromSet(ctx, prior.TrustedAccountIDs, diags)
	accounts, principals := []string{}, slices.Clone(in.PrincipalARNs)
	for _, id := range in.AccountIDs {
		root := baseline.AccountRootARN(partition, id)
		if slices.Contains(priorPrincipals, root) {
			principals = append(principals, root)
			if !slices.Contains(priorAccounts, id) {
				continue
			}
		}
		accounts = append(accounts, id)
	}
	m.TrustedServices = setKeepingNull(in.Services, prior.TrustedServices)
	m.TrustedAccountIDs = setKeepingNull(accounts, prior.TrustedAccountIDs)
	m.TrustedPrincipalARNs = setKeepingNull(principals, prior.TrustedPrincipalARNs)
	m.SourceARNs = setKeepingNull(in.SourceARNs, prior.SourceARNs)
	m.RequireMFA = types.BoolValue(in.RequireMFA)
	m.ExternalID = optionalString(in.ExternalID)
	switch {
	case baseline.ConfusedDeputyDecided(in.Services):
		m.ConfusedDeputy = types.BoolValue(in.ConfusedDeputyProtection)
	case prior.ConfusedDeputy.IsNull() || prior.ConfusedDeputy.IsUnknown():
		m.ConfusedDeputy = types.BoolValue(true)
	}
}

// sourceContextServiceList names the services that get confused-deputy protection, for the docs.
func sourceContextServiceList() string {
	names := make([]string, 0, len(baseline.SourceContextServices))
	for _, s := range baseline.SourceContextServices {
		names = append(names, "`"+s.Principal+"`")
	}
	return strings.Join(names, ", ")
}

// normalizeRoleAgainstSpec replaces the documents of old that mean the same as spec's with spec's
// spelling, so that UpdateRole rewrites only what really differs.
func normalizeRoleAgainstSpec(old *awsiam.Role, spec awsiam.RoleSpec) {
	if policiesEquivalent(old.TrustPolicy, spec.TrustPolicy) {
		old.TrustPolicy = spec.TrustPolicy
	}
	for name, doc := range old.InlinePolicies {
		if want, ok := spec.InlinePolicies[name]; ok && policiesEquivalent(doc, want) {
			old.InlinePolicies[name] = want
		}
	}
}

func iamNameProblem(name string, maxLen int) string {
	switch {
	case name == "" || len(name) > maxLen:
		return fmt.Sprintf("must be 1 to %d characters long", maxLen)
	case !iamNamePattern.MatchString(name):
		return "may contain only letters, digits and the characters +=,.@_-"
	}
	return ""
}
