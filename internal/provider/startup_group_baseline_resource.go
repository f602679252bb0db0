package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
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

var (
	_ resource.ResourceWithConfigure      = &startupGroupBaselineResource{}
	_ resource.ResourceWithImportState    = &startupGroupBaselineResource{}
	_ resource.ResourceWithValidateConfig = &startupGroupBaselineResource{}
	_ resource.ResourceWithModifyPlan     = &startupGroupBaselineResource{}
)

// maxManagedPoliciesPerGroup is IAM's default quota of managed policies attached to one group.
const maxManagedPoliciesPerGroup = baseline.ManagedPoliciesPerGroup

// NewStartupGroupBaselineResource is the iambaseline_startup_group_baseline resource.
func NewStartupGroupBaselineResource() resource.Resource { return &startupGroupBaselineResource{} }

type startupGroupBaselineResource struct {
	client *awsiam.Client
}

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
	ExtraPolicyARNs               types.Map    `tfsdk:"extra_policy_arns"`
	AdditionalGroups              types.Map    `tfsdk:"additional_groups"`
	ForceDestroy                  types.Bool   `tfsdk:"force_destroy"`
	Tags                          types.Map    `tfsdk:"tags"`
	TagsAll                       types.Map    `tfsdk:"tags_all"`
	GroupNames                    types.Map    `tfsdk:"group_names"`
	GroupARNs                     types.Map    `tfsdk:"group_arns"`
	PolicyARNs                    types.Map    `tfsdk:"policy_arns"`
	MFAPolicyARN                  types.String `tfsdk:"mfa_policy_arn"`
	PolicyDocuments               types.Map    `tfsdk:"policy_documents"`
	PolicyDocumentSummaries       types.Map    `tfsdk:"policy_document_summaries"`
	AttachedPolicyARNs            types.Map    `tfsdk:"attached_policy_arns"`
	InlinePolicyNames             types.Map    `tfsdk:"inline_policy_names"`
}

type additionalGroupModel struct {
	PolicyARNs   types.List   `tfsdk:"policy_arns"`
	InlinePolicy types.String `tfsdk:"inline_policy"`
	EnforceMFA   types.Bool   `tfsdk:"enforce_mfa"`
}

var additionalGroupAttrTypes = map[string]attr.Type{
	"policy_arns":   types.ListType{ElemType: types.StringType},
	"inline_policy": types.StringType,
	"enforce_mfa":   types.BoolType,
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
			"policy_documents": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "The customer managed policy documents (JSON) by role key, plus `mfa`, for modules that use them. " +
					"Planned as `(known after apply)` on create, so that a first plan is not pages of JSON (`policy_document_summaries` " +
					"shows what will be created); the `iambaseline_policy_documents` data source renders the same documents at plan time. " +
					"After that the plan shows only what changes in a document: an out-of-band edit shows here as a change, and apply " +
					"restores the document as a new default version.",
			},
			"policy_document_summaries": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "One line per document of `policy_documents`, by the same keys, known at plan time: the number of " +
					"statements, the characters IAM counts against the 6,144 of a managed policy, and the first 12 hex digits of the " +
					"document's SHA-256 (`14 statements, 4,211 of 6,144 characters, sha256:1f2e3d4c5b6a`). Any change of a document " +
					"changes its line, so a plan says which documents change without printing them.",
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

func (r *startupGroupBaselineResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *startupGroupBaselineResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer logCalls(ctx, r.client, "startup_group_baseline.Create")
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
	var plan startupGroupBaselineModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, nil, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *startupGroupBaselineResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer logCalls(ctx, r.client, "startup_group_baseline.Read")
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
	var state startupGroupBaselineModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	snap, err := r.client.Snapshot(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Reading IAM group baseline", err.Error())
		return
	}
	if state.Groups.IsNull() {
		// An import: only name_prefix and path are known; reconstruct the rest from AWS.
		if !r.reconstruct(ctx, snap, &state, &resp.Diagnostics) {
			return
		}
	}
	spec := state.spec(ctx, partitionOf(r.client), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	rendered, _ := spec.Policy.renderDocuments()
	observed := observeBaseline(snap, spec, spec.customerPolicyKeys())
	// A group missing from the bulk read (a lagging replica, pages shifted by a concurrent writer) is
	// confirmed with GetGroup before the refresh reports it gone; if one exists after all, the
	// account is read once more.
	var missing []string
	for _, k := range spec.groupKeys() {
		if _, ok := observed.Groups[k]; !ok {
			missing = append(missing, spec.groupName(k))
		}
	}
	if len(missing) > 0 {
		found, err := r.client.AnyGroupExists(ctx, missing)
		if err != nil {
			resp.Diagnostics.AddError("Reading IAM group baseline", err.Error())
			return
		}
		if found {
			if snap, err = r.client.ReloadSnapshot(ctx); err != nil {
				resp.Diagnostics.AddError("Reading IAM group baseline", err.Error())
				return
			}
			observed = observeBaseline(snap, spec, spec.customerPolicyKeys())
		}
	}
	if observed.empty() {
		tflog.Warn(ctx, "IAM group baseline is gone, removing it from state", map[string]any{"id": spec.id()})
		resp.State.RemoveResource(ctx)
		return
	}
	observed.outcome(spec, rendered).setOn(ctx, &state, &resp.Diagnostics)
	state.InlinePolicyNames = inlineNamesValue(ctx, observed.inlineNames(), &resp.Diagnostics)
	r.readAdditionalInline(ctx, observed, &state, &resp.Diagnostics)
	// tags_all stays what the last apply (or the import) recorded: the snapshot has no policy tags.
	// A state written before tags_all existed gets what that version applied.
	if state.TagsAll.IsNull() || state.TagsAll.IsUnknown() {
		state.TagsAll = tagsAllValue(r.client.MergeTags(spec.Tags))
	}
	state.ID = types.StringValue(spec.id())
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *startupGroupBaselineResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer logCalls(ctx, r.client, "startup_group_baseline.Update")
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
	var plan, state startupGroupBaselineModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, &state, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *startupGroupBaselineResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	defer logCalls(ctx, r.client, "startup_group_baseline.Delete")
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
	var state startupGroupBaselineModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spec := state.spec(ctx, partitionOf(r.client), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := destroyBaseline(ctx, r.client, spec); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Deleting IAM group baseline (%s)", spec.id()), err.Error())
	}
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

func (r *startupGroupBaselineResource) apply(ctx context.Context, state, plan *startupGroupBaselineModel, diags *diag.Diagnostics) {
	spec := plan.spec(ctx, partitionOf(r.client), diags)
	var old *baselineSpec
	if state != nil {
		s := state.spec(ctx, partitionOf(r.client), diags)
		old = &s
	}
	docs := validatePolicyArgs(spec.Policy, "policy_documents", diags)
	if diags.HasError() {
		return
	}
	out, err := reconcileBaseline(ctx, r.client, old, spec, docs)
	if err != nil {
		diags.AddError(fmt.Sprintf("Applying IAM group baseline (%s)", spec.id()), err.Error())
		return
	}
	plan.ID = types.StringValue(spec.id())
	plan.TagsAll = tagsAllValue(r.client.MergeTags(spec.Tags))
	out.setOn(ctx, plan, diags)
	plan.InlinePolicyNames = inlineNamesValue(ctx, spec.desiredInlineNames(), diags)
}

// readAdditionalInline reports an additional group's inline policy as AWS has it when it differs in
// meaning from the configured one (or is gone), so that the plan puts it back.
func (r *startupGroupBaselineResource) readAdditionalInline(ctx context.Context, observed observedBaseline, m *startupGroupBaselineModel, diags *diag.Diagnostics) {
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
func (r *startupGroupBaselineResource) reconstruct(ctx context.Context, snap *awsiam.Snapshot, m *startupGroupBaselineModel, diags *diag.Diagnostics) bool {
	prefix, iamPath := m.NamePrefix.ValueString(), m.Path.ValueString()
	probe := baselineSpec{Prefix: prefix, Path: iamPath, Policy: policyArgs{Partition: partitionOf(r.client)}}
	var keys []string
	docs := map[string]string{}
	leastPrivilege, awsManaged := false, false
	for _, k := range baseline.RoleKeys() {
		g, ok := snap.Group(probe.groupName(k))
		if !ok {
			continue
		}
		keys = append(keys, k)
		if p, ok := snap.PolicyByName(probe.policyName(k)); ok {
			leastPrivilege = true
			docs[k] = p.Document
		}
		if slices.Contains(g.AttachedPolicyARNs, baseline.AWSManagedPolicyARN(k, probe.Policy.Partition)) {
			awsManaged = true
		}
	}
	if len(keys) == 0 {
		diags.AddError("Cannot import IAM group baseline",
			fmt.Sprintf("No group named %s<role key> (role keys %s) exists: check the name_prefix in the import ID %q.",
				prefix, strings.Join(baseline.RoleKeys(), ", "), m.ID.ValueString()))
		return false
	}
	set, d := types.SetValueFrom(ctx, types.StringType, keys)
	diags.Append(d...)
	m.Groups = set
	style := policyStyleLeastPrivilege
	if awsManaged && !leastPrivilege {
		style = policyStyleAWSManaged
	}
	m.PolicyStyle = types.StringValue(style)
	probe.Style = style
	probe.Policy.RoleKeys = keys
	probe.Policy.LeastPrivilege = style == policyStyleLeastPrivilege

	mfa, hasMFA := snap.PolicyByName(probe.mfaPolicyName())
	m.EnforceMFA = types.BoolValue(hasMFA)
	probe.Policy.EnforceMFA = hasMFA
	allowFirst := true
	if hasMFA {
		if strict, err := baseline.MFAPolicyForPartition(probe.Policy.Partition, false).JSON(); err == nil {
			if same, err := baseline.PoliciesEquivalent(mfa.Document, strict); err == nil && same {
				allowFirst = false
			}
		}
	}
	m.AllowFirstLoginPasswordChange = types.BoolValue(allowFirst)
	inferred := baseline.InferOptions(probe.Policy.Partition, prefix, docs)
	m.AllowedRegions = stringListOrNull(ctx, inferred.AllowedRegions, diags)
	m.RegionExemptActions = stringListOrNull(ctx, inferred.RegionExemptActions, diags)
	m.DeveloperS3BucketARNs = stringListOrNull(ctx, inferred.DeveloperS3BucketARNs, diags)
	m.AppScope = appScopeValue(inferred.ResolvedAppScope())

	// Extra policies: whatever else is attached to the role groups.
	extras := map[string][]string{}
	for _, k := range keys {
		g, _ := snap.Group(probe.groupName(k))
		for _, arn := range g.AttachedPolicyARNs {
			if hasMFA && arn == mfa.ARN {
				continue
			}
			if p, ok := snap.PolicyByName(probe.policyName(k)); ok && style == policyStyleLeastPrivilege && p.ARN == arn {
				continue
			}
			if style == policyStyleAWSManaged && arn == baseline.AWSManagedPolicyARN(k, probe.Policy.Partition) {
				continue
			}
			extras[k] = append(extras[k], arn)
		}
	}
	if len(extras) == 0 {
		m.ExtraPolicyARNs = types.MapNull(stringListType)
	} else {
		v, d := types.MapValueFrom(ctx, stringListType, extras)
		diags.Append(d...)
		m.ExtraPolicyARNs = v
	}
	m.AdditionalGroups = types.MapNull(additionalGroupObjectType)
	m.ForceDestroy = types.BoolValue(false)

	// Tags of the first customer managed policy: all of them in tags_all, and in tags those that are
	// not a provider default tag (same key and value).
	m.Tags = types.MapNull(types.StringType)
	m.TagsAll = tagsAllValue(r.client.MergeTags(nil))
	var tagged string
	for _, k := range keys {
		if p, ok := snap.PolicyByName(probe.policyName(k)); ok {
			tagged = p.ARN
			break
		}
	}
	if tagged == "" && hasMFA {
		tagged = mfa.ARN
	}
	if tagged != "" {
		tags, err := r.client.FindPolicyTags(ctx, tagged)
		if err != nil {
			diags.AddError("Reading tags of imported IAM group baseline", err.Error())
			return false
		}
		m.TagsAll = tagsAllValue(tags)
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

// reconcileBaseline makes AWS match spec, starting from what the snapshot holds. old is the prior
// state's spec (nil on create): only what it owned is removed. It works the same for a create, an
// update and a repair of drift, and converges when re-run after an interrupted apply.
func reconcileBaseline(ctx context.Context, c *awsiam.Client, old *baselineSpec, spec baselineSpec, docs map[string]string) (baselineOutcome, error) {
	out := baselineOutcome{
		GroupNames: map[string]string{}, GroupARNs: map[string]string{}, PolicyARNs: map[string]string{},
		Documents: docs, Attached: map[string][]string{},
	}
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return out, err
	}
	// What the groups hold now, kept up to date as this function changes them.
	attachedNow := map[string][]string{}
	inlineNow := map[string]map[string]string{}
	groupNow := map[string]*awsiam.GroupState{}
	lookupGroup := func(key string, s baselineSpec) {
		if g, ok := snap.Group(s.groupName(key)); ok {
			groupNow[key] = g
			attachedNow[key] = g.AttachedPolicyARNs
			inlineNow[key] = g.InlinePolicies
		}
	}
	for _, k := range spec.groupKeys() {
		lookupGroup(k, spec)
	}
	// 0. Groups and policies this baseline did not own before are adopted only when they are what an
	//    interrupted apply of this very baseline leaves; anything else fails before any change.
	marked := map[string]bool{}
	for _, key := range spec.customerPolicyKeys() {
		if old != nil && slices.Contains(old.customerPolicyKeys(), key) && old.customerPolicyName(key) == spec.customerPolicyName(key) {
			continue // owned: not checked
		}
		if p, exists := snap.PolicyByName(spec.customerPolicyName(key)); exists {
			tags, err := c.FindPolicyTags(ctx, p.ARN)
			if err != nil {
				return out, fmt.Errorf("reading tags of IAM policy (%s): %w", p.ARN, err)
			}
			_, marked[p.ARN] = tags[baseline.CreateMarkerTag]
		}
	}
	if err := checkAdoptable(snap, old, spec, docs, marked); err != nil {
		return out, err
	}

	// 1. Groups the prior state owned and the new spec drops: refuse before changing anything when
	//    they have members and force_destroy is off.
	var dropped []string
	if old != nil {
		for _, k := range old.groupKeys() {
			if !slices.Contains(spec.groupKeys(), k) {
				if g, ok := snap.Group(old.groupName(k)); ok {
					dropped = append(dropped, k)
					groupNow[k], attachedNow[k], inlineNow[k] = g, g.AttachedPolicyARNs, g.InlinePolicies
				}
			}
		}
	}
	if err := checkMembers(groupNow, dropped, spec.ForceDestroy); err != nil {
		return out, err
	}
	for _, k := range dropped {
		g := groupNow[k]
		if err := c.RemoveGroupMembers(ctx, g.Name, g.Members); err != nil {
			return out, err
		}
		if err := c.EmptyAndDeleteGroup(ctx, g.Name, attachedNow[k], slices.Sorted(maps.Keys(inlineNow[k]))); err != nil {
			return out, err
		}
		delete(groupNow, k)
	}

	// 2. Customer managed policies.
	forgetAttachment := func(arn string) {
		for k, arns := range attachedNow {
			attachedNow[k] = slices.DeleteFunc(slices.Clone(arns), func(a string) bool { return a == arn })
		}
	}
	policyARN := map[string]string{}
	wanted := spec.customerPolicyKeys()
	var owned []string
	if old != nil {
		owned = old.customerPolicyKeys()
	}
	mergedTags := c.MergeTags(spec.Tags)
	// Policies whose create marker this run removes once everything else is done.
	var unmark []string
	for _, key := range baseline.SortedUnique(append(slices.Clone(wanted), owned...)) {
		name := spec.customerPolicyName(key)
		actual, exists := snap.PolicyByName(name)
		if !slices.Contains(wanted, key) {
			if exists && slices.Contains(owned, key) {
				if err := c.DeletePolicy(ctx, actual.ARN); err != nil {
					return out, err
				}
				forgetAttachment(actual.ARN)
			}
			continue
		}
		doc := docs[key]
		if exists && actual.Path != spec.Path {
			// IAM cannot move a policy: replace it under the new path.
			if err := c.DeletePolicy(ctx, actual.ARN); err != nil {
				return out, err
			}
			forgetAttachment(actual.ARN)
			exists = false
		}
		if !exists {
			p, err := c.CreatePolicy(ctx, name, spec.Path, spec.rules().CustomerPolicyDescription(key), doc, mergedTags)
			if err != nil {
				return out, err
			}
			policyARN[key] = p.ARN
			unmark = append(unmark, p.ARN)
			continue
		}
		policyARN[key] = actual.ARN
		if same, err := baseline.PoliciesEquivalent(actual.Document, doc); err != nil || !same {
			if err := c.CreatePolicyVersion(ctx, actual.ARN, doc); err != nil {
				return out, err
			}
		}
		// Tags: nothing to do when the prior state's tags_all (what the last apply wrote; a state
		// written before tags_all existed had the defaults of its time) already is what is wanted.
		// Otherwise, and for a policy the prior state did not own, start from the tags the policy
		// really has (one request), so that a tag changed out of band is repaired too.
		var oldTags map[string]string
		read := old == nil || !slices.Contains(owned, key)
		if !read {
			oldTags = old.TagsAll
			if oldTags == nil {
				oldTags = c.MergeTags(old.Tags)
			}
			read = !maps.Equal(oldTags, mergedTags)
		}
		if read {
			if oldTags, err = c.FindPolicyTags(ctx, actual.ARN); err != nil {
				return out, fmt.Errorf("reading tags of IAM policy (%s): %w", actual.ARN, err)
			}
		}
		wantTags := mergedTags
		if marked[actual.ARN] {
			// Adopted from an interrupted create: the marker stays until this run is done.
			wantTags = maps.Clone(mergedTags)
			wantTags[baseline.CreateMarkerTag] = oldTags[baseline.CreateMarkerTag]
			unmark = append(unmark, actual.ARN)
		}
		if !maps.Equal(oldTags, wantTags) {
			if err := c.UpdatePolicyTags(ctx, actual.ARN, oldTags, wantTags); err != nil {
				return out, err
			}
		}
	}

	// 3. Groups, their attachments and inline policies.
	desired, _ := spec.attachments(func(key string) string { return policyARN[key] })
	for _, k := range spec.groupKeys() {
		name := spec.groupName(k)
		g, exists := groupNow[k]
		switch {
		case !exists:
			created, err := c.CreateGroup(ctx, name, spec.Path)
			if err != nil {
				return out, err
			}
			out.GroupARNs[k] = created.ARN
		case g.Path != spec.Path:
			if err := c.UpdateGroupPath(ctx, name, spec.Path); err != nil {
				return out, err
			}
			out.GroupARNs[k] = strings.Replace(g.ARN, ":group"+g.Path, ":group"+spec.Path, 1)
		default:
			out.GroupARNs[k] = g.ARN
		}
		out.GroupNames[k] = name
		for _, arn := range desired[k] {
			if !slices.Contains(attachedNow[k], arn) {
				if err := c.AttachGroupPolicy(ctx, name, arn); err != nil {
					return out, err
				}
			}
		}
		for _, arn := range attachedNow[k] {
			if !slices.Contains(desired[k], arn) {
				if err := c.DetachGroupPolicy(ctx, name, arn); err != nil {
					return out, err
				}
			}
		}
		out.Attached[k] = desired[k]
		if err := deleteForeignInlinePolicies(ctx, c, spec, k, inlineNow[k]); err != nil {
			return out, err
		}
		if add, ok := spec.Additional[k]; ok {
			current, has := inlineNow[k][baseline.AdditionalInlinePolicy]
			switch {
			case add.InlinePolicy == "" && has:
				if err := c.DeleteGroupInlinePolicy(ctx, name, baseline.AdditionalInlinePolicy); err != nil {
					return out, err
				}
			case add.InlinePolicy != "":
				if same, err := baseline.PoliciesEquivalent(current, add.InlinePolicy); !has || err != nil || !same {
					if err := c.PutGroupInlinePolicy(ctx, name, baseline.AdditionalInlinePolicy, add.InlinePolicy); err != nil {
						return out, err
					}
				}
			}
		}
	}
	for _, k := range spec.Policy.RoleKeys {
		out.PolicyARNs[k] = spec.baselinePolicyARN(k, func(key string) string { return policyARN[key] })
	}
	out.MFAPolicyARN = policyARN[baseline.MFADocumentKey]
	// Last: from now on these policies (and the groups holding them) are this state's, and no other
	// create may adopt them.
	for _, arn := range unmark {
		if err := c.ClearPolicyCreateMarker(ctx, arn); err != nil {
			return out, err
		}
	}
	return out, nil
}

// checkMembers refuses to delete groups that have members unless force_destroy is on (the rule is
// baseline.CheckMembers).
func checkMembers(groups map[string]*awsiam.GroupState, keys []string, force bool) error {
	var existing []baseline.ExistingGroup
	for _, k := range keys {
		if g, ok := groups[k]; ok {
			existing = append(existing, existingGroup(g))
		}
	}
	return baseline.CheckMembers(existing, force)
}

func existingGroup(g *awsiam.GroupState) baseline.ExistingGroup {
	return baseline.ExistingGroup{
		Name: g.Name, Path: g.Path, ARN: g.ARN, AttachedPolicyARNs: g.AttachedPolicyARNs,
		InlinePolicyNames: slices.Sorted(maps.Keys(g.InlinePolicies)), Members: g.Members,
	}
}

// destroyBaseline deletes every group and customer managed policy spec owns.
func destroyBaseline(ctx context.Context, c *awsiam.Client, spec baselineSpec) error {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return err
	}
	groups := map[string]*awsiam.GroupState{}
	keys := spec.groupKeys()
	for _, k := range keys {
		if g, ok := snap.Group(spec.groupName(k)); ok {
			groups[k] = g
		}
	}
	if err := checkMembers(groups, keys, spec.ForceDestroy); err != nil {
		return err
	}
	for _, k := range keys {
		g, ok := groups[k]
		if !ok {
			continue
		}
		if err := c.RemoveGroupMembers(ctx, g.Name, g.Members); err != nil {
			return err
		}
		if err := c.EmptyAndDeleteGroup(ctx, g.Name, g.AttachedPolicyARNs, slices.Sorted(maps.Keys(g.InlinePolicies))); err != nil {
			return err
		}
	}
	for _, key := range spec.customerPolicyKeys() {
		if p, ok := snap.PolicyByName(spec.customerPolicyName(key)); ok {
			if err := c.DeletePolicy(ctx, p.ARN); err != nil {
				return err
			}
		}
	}
	return nil
}

// observedBaseline is what exists of the baseline spec describes, from the snapshot.
type observedBaseline struct {
	Groups   map[string]*awsiam.GroupState  // by group key
	Policies map[string]*awsiam.PolicyState // by customer policy key
}

func (o observedBaseline) empty() bool { return len(o.Groups) == 0 && len(o.Policies) == 0 }

func observeBaseline(snap *awsiam.Snapshot, spec baselineSpec, policyKeys []string) observedBaseline {
	o := observedBaseline{Groups: map[string]*awsiam.GroupState{}, Policies: map[string]*awsiam.PolicyState{}}
	for _, k := range spec.groupKeys() {
		if g, ok := snap.Group(spec.groupName(k)); ok {
			o.Groups[k] = g
		}
	}
	for _, k := range policyKeys {
		if p, ok := snap.PolicyByName(spec.customerPolicyName(k)); ok {
			o.Policies[k] = p
		}
	}
	return o
}

// observedOutcome turns what exists into the computed attributes. Documents equivalent to the
// rendered ones keep the rendered bytes, so that AWS's reordering and URL-encoding are no drift.
func (o observedBaseline) outcome(spec baselineSpec, rendered map[string]string) baselineOutcome {
	out := baselineOutcome{
		GroupNames: map[string]string{}, GroupARNs: map[string]string{}, PolicyARNs: map[string]string{},
		Documents: map[string]string{}, Attached: map[string][]string{},
	}
	for k, g := range o.Groups {
		out.GroupNames[k] = g.Name
		out.GroupARNs[k] = g.ARN
		out.Attached[k] = slices.Clone(g.AttachedPolicyARNs)
		if out.Attached[k] == nil {
			out.Attached[k] = []string{}
		}
	}
	for k, p := range o.Policies {
		doc := p.Document
		if want, ok := rendered[k]; ok {
			if same, err := baseline.PoliciesEquivalent(doc, want); err == nil && same {
				doc = want
			}
		}
		out.Documents[k] = doc
		if k == baseline.MFADocumentKey {
			out.MFAPolicyARN = p.ARN
		} else {
			out.PolicyARNs[k] = p.ARN
		}
	}
	if spec.Style == policyStyleAWSManaged {
		for _, k := range spec.Policy.RoleKeys {
			out.PolicyARNs[k] = baseline.AWSManagedPolicyARN(k, spec.Policy.Partition)
		}
	}
	return out
}

// checkAdoptable refuses to take over existing groups and customer managed policies that carry the
// baseline's names but are not provably its own (the rule is baseline.GroupBaseline.CheckAdoptable).
// marked tells which existing policies (by ARN) carry the create marker: the snapshot holds no
// policy tags, so reconcileBaseline reads them for the policies it may adopt.
func checkAdoptable(snap *awsiam.Snapshot, old *baselineSpec, spec baselineSpec, docs map[string]string, marked map[string]bool) error {
	var owned *baseline.GroupBaseline
	if old != nil {
		o := old.rules()
		owned = &o
	}
	group := func(name string) (baseline.ExistingGroup, bool) {
		g, ok := snap.Group(name)
		if !ok {
			return baseline.ExistingGroup{}, false
		}
		return existingGroup(g), true
	}
	policy := func(name string) (baseline.ExistingPolicy, bool) {
		p, ok := snap.PolicyByName(name)
		if !ok {
			return baseline.ExistingPolicy{}, false
		}
		return baseline.ExistingPolicy{Name: p.Name, Path: p.Path, ARN: p.ARN, Document: p.Document, Marked: marked[p.ARN]}, true
	}
	return spec.rules().CheckAdoptable(owned, docs, group, policy)
}
