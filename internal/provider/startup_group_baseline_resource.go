package provider

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var _ fullResource = &startupGroupBaselineResource{}

// maxManagedPoliciesPerGroup is IAM's default quota of managed policies attached to one group.
const maxManagedPoliciesPerGroup = baseline.ManagedPoliciesPerGroup

// NewStartupGroupBaselineResource is the iambaseline_startup_group_baseline resource.
func NewStartupGroupBaselineResource() resource.Resource { return &startupGroupBaselineResource{} }

type startupGroupBaselineResource struct{ resourceClients }

type startupGroupBaselineModel struct {
	ID                            types.String `tfsdk:"id"`
	NamePrefix                    types.String `tfsdk:"name_prefix"`
	Path                          types.String `tfsdk:"path"`
	Groups                        types.Set    `tfsdk:"groups"`
	PolicyStyle                   types.String `tfsdk:"policy_style"`
	EnforceMFA                    types.Bool   `tfsdk:"enforce_mfa"`
	AllowFirstLoginPasswordChange types.Bool   `tfsdk:"allow_first_login_password_change"`
	AllowedRegions                types.List   `tfsdk:"allowed_regions"`
	DeveloperS3BucketARNs         types.List   `tfsdk:"developer_s3_bucket_arns"`
	RegionExemptActions           types.List   `tfsdk:"region_exempt_actions"`
	AppScope                      types.Object `tfsdk:"app_scope"`
	ReadOnlyCostExplorer          types.Bool   `tfsdk:"readonly_cost_explorer"`
	DelegateAppRoles              types.Bool   `tfsdk:"delegate_app_roles"`
	ExtraPolicyARNs               types.Map    `tfsdk:"extra_policy_arns"`
	AdditionalGroups              types.Map    `tfsdk:"additional_groups"`
	ForceDestroy                  types.Bool   `tfsdk:"force_destroy"`
	Tags                          types.Map    `tfsdk:"tags"`
	TagsAll                       types.Map    `tfsdk:"tags_all"`
	GroupNames                    types.Map    `tfsdk:"group_names"`
	GroupARNs                     types.Map    `tfsdk:"group_arns"`
	PolicyARNs                    types.Map    `tfsdk:"policy_arns"`
	MFAPolicyARN                  types.String `tfsdk:"mfa_policy_arn"`
	GuardrailPolicyARN            types.String `tfsdk:"guardrail_policy_arn"`
	AppBoundaryPolicyARN          types.String `tfsdk:"app_boundary_policy_arn"`
	PolicyDocuments               types.Map    `tfsdk:"policy_documents"`
	PolicyDocumentSummaries       types.Map    `tfsdk:"policy_document_summaries"`
	AttachedPolicyARNs            types.Map    `tfsdk:"attached_policy_arns"`
	InlinePolicyNames             types.Map    `tfsdk:"inline_policy_names"`
}

type additionalGroupModel struct {
	PolicyARNs   types.List   `tfsdk:"policy_arns"`
	InlinePolicy types.String `tfsdk:"inline_policy"`
	EnforceMFA   types.Bool   `tfsdk:"enforce_mfa"`
	Guardrails   types.Bool   `tfsdk:"guardrails"`
}

var additionalGroupAttrTypes = map[string]attr.Type{
	"policy_arns":   types.ListType{ElemType: types.StringType},
	"inline_policy": types.StringType,
	"enforce_mfa":   types.BoolType,
	"guardrails":    types.BoolType,
}

// sharedPolicyARNAttributes are the computed attributes of the baseline-wide policies' ARNs, by
// their key (baseline.SharedPolicies).
func (m *startupGroupBaselineModel) sharedPolicyARNAttributes() map[string]*types.String {
	return map[string]*types.String{
		baseline.MFADocumentKey:         &m.MFAPolicyARN,
		baseline.GuardrailsDocumentKey:  &m.GuardrailPolicyARN,
		baseline.AppBoundaryDocumentKey: &m.AppBoundaryPolicyARN,
	}
}

var (
	additionalGroupObjectType = types.ObjectType{AttrTypes: additionalGroupAttrTypes}
	stringListType            = types.ListType{ElemType: types.StringType}
	stringSetType             = types.SetType{ElemType: types.StringType}
)

func (r *startupGroupBaselineResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_startup_group_baseline"
}

func (r *startupGroupBaselineResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	allKeys := make([]attr.Value, 0, 4)
	for _, k := range baseline.RoleKeys() {
		allKeys = append(allKeys, types.StringValue(k))
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The four standard groups of a startup (`Developers`, `SysAdmins`, `DatabaseAdmins`, `ReadOnly`), " +
			"their least-privilege (or AWS job-function) policies and the MFA-enforcement policy. The baseline owns its groups' " +
			"managed policy attachments (foreign ones are detached by apply), not their members.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`<name_prefix>|<path>`, also the import ID.",
			},
			"name_prefix": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: fmt.Sprintf("Prefix of every group and policy name, e.g. `acme-`. Defaults to `\"\"`. At most %d characters "+
					"of `[A-Za-z0-9+=,.@_-]`. Changing it replaces the baseline.", baseline.MaxGroupBaselinePrefixLen),
				Validators:    iamNamePrefixValidator(baseline.MaxGroupBaselinePrefixLen),
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"path": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("/"),
				MarkdownDescription: "IAM path of the groups and policies: `/` or `/a/b/`. Defaults to `/`. Groups move in place; " +
					"policies are replaced (IAM cannot move a policy).",
				Validators: iamPathValidator(),
			},
			"groups": schema.SetAttribute{
				ElementType: types.StringType, Optional: true, Computed: true,
				Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, allKeys)),
				MarkdownDescription: groupsDescription + " The IAM group name is `name_prefix` + role key.",
				Validators:          groupsElementValidators(),
			},
			"policy_style": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(policyStyleLeastPrivilege),
				MarkdownDescription: "`least_privilege` (default): customer managed policies rendered by the provider, named " +
					"`<name_prefix><role key>Policy`. `aws_managed`: attach the AWS job-function policies instead " +
					"(`PowerUserAccess`, `job-function/SystemAdministrator`, `job-function/DatabaseAdministrator`, `job-function/ViewOnlyAccess`); " +
					"every one of them but ViewOnlyAccess lets a member escalate, and the plan warns naming how.",
				Validators: []validator.String{stringvalidator.OneOf(policyStyleLeastPrivilege, policyStyleAWSManaged)},
			},
			"enforce_mfa": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: enforceMFADescription + " The policy is named `<name_prefix>EnforceMFA`.",
			},
			"allow_first_login_password_change": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: allowFirstLoginDescription,
			},
			"allowed_regions": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: allowedRegionsDescription + " Write them sorted so that an import reads them back identically.",
				Validators:          allowedRegionsValidators(),
			},
			"developer_s3_bucket_arns": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: bucketsDescription, Validators: bucketARNValidators(),
			},
			"region_exempt_actions": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: regionExemptDescription, Validators: regionExemptValidators(),
			},
			"app_scope": resourceAppScopeAttribute(),
			"readonly_cost_explorer": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: readOnlyCostExplorerDescription,
			},
			"delegate_app_roles": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: delegateAppRolesDescription,
			},
			"extra_policy_arns": schema.MapAttribute{
				ElementType: types.ListType{ElemType: types.StringType}, Optional: true,
				MarkdownDescription: "Extra managed policies per role key, e.g. `{ Developers = [\"arn:aws:iam::aws:policy/AWSLambda_ReadOnlyAccess\"] }`; policies known to allow escalation (`AdministratorAccess`, `PowerUserAccess`, `AWSLambda_FullAccess`, ...) warn at plan time. " +
					"Keys must be role keys listed in `groups`. A group holds at most 10 managed policies, counting its baseline " +
					"policy and the MFA policy. Default: none.",
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.OneOf(baseline.RoleKeys()...)),
					mapvalidator.ValueListsAre(listvalidator.UniqueValues(), listvalidator.ValueStringsAre(policyARNValidator())),
				},
			},
			"additional_groups": schema.MapNestedAttribute{
				Optional: true,
				MarkdownDescription: "More groups (the checklist's \"Other\"), by name; the IAM name is `name_prefix` + name. " +
					"Names must not be one of the four role keys. Default: none. Not recovered by import.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"policy_arns": schema.ListAttribute{
						ElementType: types.StringType, Optional: true,
						MarkdownDescription: "Managed policies to attach. Default: none.",
						Validators:          []validator.List{listvalidator.UniqueValues(), listvalidator.ValueStringsAre(policyARNValidator())},
					},
					"inline_policy": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Inline policy (JSON) of the group, stored as `InlinePolicy`. Linted at plan time " +
							"(grammar, 5,120-character quota, `*` on `*`, privilege escalation). Default: none.",
					},
					"enforce_mfa": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(true),
						MarkdownDescription: "Attach the MFA-enforcement policy (only when the baseline's `enforce_mfa` is on). Defaults to `true`.",
					},
					"guardrails": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(true),
						MarkdownDescription: "Attach the baseline's guardrail policy (`<name_prefix>Guardrails`: no audit blinding, no erasure of " +
							"backups, no publishing of snapshots, no app-tag changes, the `allowed_regions` restriction). Defaults to `true`; " +
							"`false` only for a group whose job is one of these (e.g. a break-glass administrator group).",
					},
				}},
			},
			"force_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "On destroy (or when a group is dropped), first remove every member. Defaults to `false`: " +
					"destroy then fails with an error naming the members. Not recovered by import.",
			},
			"tags": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Tags of the customer managed policies, merged with the provider's `default_tags` " +
					"(IAM groups cannot be tagged). Holds only the baseline's own tags: all of them are in `tags_all`. Default: none.",
				Validators: tagMapValidators(),
			},
			"tags_all": tagsAllAttribute(" These are the tags of the customer managed policies. A change of `default_tags` " +
				"or `tags` is applied to every policy. The refresh does not read policy tags (that would cost one request per " +
				"policy), so a policy tag changed out of band is not detected; the next apply that changes `tags_all` repairs it."),
			"group_names": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "IAM group name by role key, additional groups included.",
			},
			"group_arns": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "IAM group ARN by role key, additional groups included.",
			},
			"policy_arns": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "ARN of each group's baseline policy by role key: the customer managed policy, or the AWS " +
					"job-function policy with `policy_style = \"aws_managed\"`.",
			},
			"mfa_policy_arn": schema.StringAttribute{
				Computed: true, MarkdownDescription: "ARN of the MFA-enforcement policy; null when `enforce_mfa` is off.",
			},
			"guardrail_policy_arn": schema.StringAttribute{
				Computed: true, MarkdownDescription: "ARN of the guardrail policy `<name_prefix>Guardrails`, attached to every group of " +
					"the baseline in both policy styles (and to the additional groups that keep `guardrails = true`): every Deny of the " +
					"baseline lives there.",
			},
			"app_boundary_policy_arn": schema.StringAttribute{
				Computed: true, MarkdownDescription: appBoundaryPolicyARNDescription,
			},
			"policy_documents": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "The customer managed policy documents (JSON) by role key (a group whose grants need more than one " +
					"managed policy adds `<role key>#<n>` keys), plus `mfa` (when `enforce_mfa` is on), `guardrails` and `app_boundary` " +
					"(when `app_boundary_policy_arn` is set), for modules that use them. " +
					"Planned as `(known after apply)` on create, so that a first plan is not pages of JSON (`policy_document_summaries` " +
					"shows what will be created); the `iambaseline_policy_documents` data source renders the same documents at plan time. " +
					"After that the plan shows only what changes in a document: an out-of-band edit shows here as a change, and apply " +
					"restores the document as a new default version.",
			},
			"policy_document_summaries": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: policyDocumentSummariesDescription,
			},
			"attached_policy_arns": schema.MapAttribute{
				ElementType: types.SetType{ElemType: types.StringType}, Computed: true,
				MarkdownDescription: "Managed policies attached to each group, by role key or additional group name, as found in " +
					"AWS. A policy detached or attached out of band shows here as a change and apply restores the baseline's set.",
			},
			"inline_policy_names": schema.MapAttribute{
				ElementType: types.SetType{ElemType: types.StringType}, Computed: true,
				MarkdownDescription: inlinePolicyNamesDescription,
			},
		},
	}
}

func (r *startupGroupBaselineResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	withModel(ctx, r.client, "startup_group_baseline.Create", req.Plan, &resp.Diagnostics, func(plan startupGroupBaselineModel) {
		r.apply(ctx, nil, &plan, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	})
}

func (r *startupGroupBaselineResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	withModel(ctx, r.client, "startup_group_baseline.Read", req.State, &resp.Diagnostics, func(state startupGroupBaselineModel) {
		if state.Groups.IsNull() {
			// An import: only name_prefix and path are known; reconstruct the rest from AWS.
			if !r.reconstruct(ctx, &state, &resp.Diagnostics) {
				return
			}
		}
		spec, ok := r.spec(ctx, &state, &resp.Diagnostics)
		if !ok {
			return
		}
		rendered, _ := spec.Policy.renderDocuments()
		iamSpec := spec.iam(rendered)
		observed, err := r.client.ObserveGroupBaseline(ctx, iamSpec)
		if err != nil {
			resp.Diagnostics.AddError("Reading IAM group baseline", err.Error())
			return
		}
		if observed.Empty() {
			tflog.Warn(ctx, "IAM group baseline is gone, removing it from state", map[string]any{"id": spec.id()})
			resp.State.RemoveResource(ctx)
			return
		}
		baselineOutcome{GroupBaselineOutcome: observed.Outcome(iamSpec)}.setOn(ctx, &state, &resp.Diagnostics)
		state.InlinePolicyNames = inlineNamesValue(ctx, observed.InlineNames(), &resp.Diagnostics)
		r.readAdditionalInline(ctx, observed, &state, &resp.Diagnostics)
		// tags_all stays what the last apply (or the import) recorded: the snapshot has no policy tags.
		// A state written before tags_all existed gets what that version applied.
		if state.TagsAll.IsNull() || state.TagsAll.IsUnknown() {
			state.TagsAll = tagsAllValue(r.client.MergeTags(spec.Tags))
		}
		state.ID = types.StringValue(spec.id())
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	})
}

func (r *startupGroupBaselineResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	withModel(ctx, r.client, "startup_group_baseline.Update", req.Plan, &resp.Diagnostics, func(plan startupGroupBaselineModel) {
		state, ok := readModel[startupGroupBaselineModel](ctx, req.State, &resp.Diagnostics)
		if !ok {
			return
		}
		r.apply(ctx, &state, &plan, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	})
}

func (r *startupGroupBaselineResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	withSpec(ctx, r.client, "startup_group_baseline.Delete", req.State, &resp.Diagnostics, r.spec, func(_ startupGroupBaselineModel, spec baselineSpec) {
		if err := r.client.DestroyGroupBaseline(ctx, spec.iam(nil)); err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("Deleting IAM group baseline (%s)", spec.id()), err.Error())
		}
	})
}

func (r *startupGroupBaselineResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	prefix, iamPath, err := baseline.ParseGroupBaselineImportID(req.ID)
	if err != nil {
		addInvalidImportID(&resp.Diagnostics, err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name_prefix"), prefix)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), iamPath)...)
}

// spec is the baseline m describes, in the provider's partition; ok is false (with the diagnostics)
// when it does not convert.
func (r *startupGroupBaselineResource) spec(ctx context.Context, m *startupGroupBaselineModel, diags *diag.Diagnostics) (baselineSpec, bool) {
	spec := m.spec(ctx, partitionOf(r.client), diags)
	return spec, !diags.HasError()
}

func (r *startupGroupBaselineResource) apply(ctx context.Context, state, plan *startupGroupBaselineModel, diags *diag.Diagnostics) {
	spec := plan.spec(ctx, partitionOf(r.client), diags)
	var old *awsiam.GroupBaselineSpec
	if state != nil {
		s := state.spec(ctx, partitionOf(r.client), diags).iam(nil)
		old = &s
	}
	docs := validatePolicyArgs(spec.Policy, "policy_documents", diags)
	if diags.HasError() {
		return
	}
	out, err := r.client.ApplyGroupBaseline(ctx, old, spec.iam(docs))
	if err != nil {
		diags.AddError(fmt.Sprintf("Applying IAM group baseline (%s)", spec.id()), err.Error())
		return
	}
	plan.ID = types.StringValue(spec.id())
	plan.TagsAll = tagsAllValue(r.client.MergeTags(spec.Tags))
	baselineOutcome{GroupBaselineOutcome: out}.setOn(ctx, plan, diags)
	plan.InlinePolicyNames = inlineNamesValue(ctx, spec.desiredInlineNames(), diags)
}

// readAdditionalInline reports an additional group's inline policy as AWS has it when it differs in
// meaning from the configured one (or is gone), so that the plan puts it back.
func (r *startupGroupBaselineResource) readAdditionalInline(ctx context.Context, observed *awsiam.ObservedGroupBaseline, m *startupGroupBaselineModel, diags *diag.Diagnostics) {
	if m.AdditionalGroups.IsNull() || m.AdditionalGroups.IsUnknown() {
		return
	}
	var groups map[string]additionalGroupModel
	diags.Append(m.AdditionalGroups.ElementsAs(ctx, &groups, false)...)
	changed := false
	for name, g := range groups {
		actual, ok := observed.Groups[name]
		if !ok {
			continue
		}
		doc, has := actual.InlinePolicies[baseline.AdditionalInlinePolicy]
		switch {
		case !has && !g.InlinePolicy.IsNull():
			g.InlinePolicy, changed = types.StringNull(), true
		case has && g.InlinePolicy.IsNull():
			g.InlinePolicy, changed = types.StringValue(doc), true
		case has:
			if same, err := baseline.PoliciesEquivalent(doc, g.InlinePolicy.ValueString()); err != nil || !same {
				g.InlinePolicy, changed = types.StringValue(doc), true
			}
		}
		groups[name] = g
	}
	if changed {
		v, d := types.MapValueFrom(ctx, additionalGroupObjectType, groups)
		diags.Append(d...)
		m.AdditionalGroups = v
	}
}

// reconstruct fills the arguments of an imported baseline from what exists under its prefix.
func (r *startupGroupBaselineResource) reconstruct(ctx context.Context, m *startupGroupBaselineModel, diags *diag.Diagnostics) bool {
	prefix := m.NamePrefix.ValueString()
	inferred, err := r.client.InferGroupBaseline(ctx, prefix, m.Path.ValueString())
	if err != nil {
		diags.AddError("Reading imported IAM group baseline", err.Error())
		return false
	}
	if len(inferred.RoleKeys) == 0 {
		diags.AddError("Cannot import IAM group baseline",
			fmt.Sprintf("No group named %s<role key> (role keys %s) exists: check the name_prefix in the import ID %q.",
				prefix, strings.Join(baseline.RoleKeys(), ", "), m.ID.ValueString()))
		return false
	}
	set, d := types.SetValueFrom(ctx, types.StringType, inferred.RoleKeys)
	diags.Append(d...)
	m.Groups = set
	m.PolicyStyle = types.StringValue(policyStyleLeastPrivilege)
	if inferred.AWSManaged {
		m.PolicyStyle = types.StringValue(policyStyleAWSManaged)
	}
	m.EnforceMFA = types.BoolValue(inferred.EnforceMFA)
	m.AllowFirstLoginPasswordChange = types.BoolValue(inferred.AllowFirstLoginPasswordChange)
	m.AllowedRegions = stringListOrNull(ctx, inferred.Options.AllowedRegions, diags)
	m.RegionExemptActions = stringListOrNull(ctx, inferred.Options.RegionExemptActions, diags)
	m.DeveloperS3BucketARNs = stringListOrNull(ctx, inferred.Options.DeveloperS3BucketARNs, diags)
	m.AppScope = appScopeValue(inferred.Options.ResolvedAppScope())
	m.ReadOnlyCostExplorer = types.BoolValue(!inferred.Options.OmitReadOnlyCostExplorer)
	m.DelegateAppRoles = types.BoolValue(inferred.DelegateAppRoles)
	if len(inferred.Extra) == 0 {
		m.ExtraPolicyARNs = types.MapNull(stringListType)
	} else {
		v, d := types.MapValueFrom(ctx, stringListType, inferred.Extra)
		diags.Append(d...)
		m.ExtraPolicyARNs = v
	}
	m.AdditionalGroups = types.MapNull(additionalGroupObjectType)
	m.ForceDestroy = types.BoolValue(false)

	// Tags of the first customer managed policy: all of them in tags_all, and in tags those that are
	// not a provider default tag (same key and value).
	m.Tags = types.MapNull(types.StringType)
	m.TagsAll = tagsAllValue(r.client.MergeTags(nil))
	if tags := inferred.PolicyTags; tags != nil {
		m.TagsAll = tagsAllValue(tags)
		tags = maps.Clone(tags)
		for k, v := range r.client.DefaultTags {
			if tags[k] == v {
				delete(tags, k)
			}
		}
		if len(tags) > 0 {
			v, d := types.MapValueFrom(ctx, types.StringType, tags)
			diags.Append(d...)
			m.Tags = v
		}
	}
	return !diags.HasError()
}

const appBoundaryPolicyARNDescription = "ARN of the app permissions boundary `<name_prefix>AppBoundary` (at `path`), " +
	"created in the `least_privilege` style when `Developers` is in `groups`; null otherwise. It is attached to no group: " +
	"Developers may create, change and delete roles only under `app_scope.role_path` (`/app/`) and only with this policy as " +
	"the role's permissions boundary (AWS's documented delegation pattern), may never remove a boundary or change this " +
	"policy, and pass app roles only to the app's services. What it allows is the ceiling of every app role (the app scope); " +
	"it denies every IAM write and carries the guardrails, so a role under it can never blind the audit or leave the app " +
	"scope, whatever policies it is given. Set it as `permissions_boundary` of `iambaseline_service_role` roles under `/app/`."
