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
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
)

var (
	_ resource.ResourceWithConfigure      = &startupGroupBaselineResource{}
	_ resource.ResourceWithImportState    = &startupGroupBaselineResource{}
	_ resource.ResourceWithValidateConfig = &startupGroupBaselineResource{}
	_ resource.ResourceWithModifyPlan     = &startupGroupBaselineResource{}
)

// maxManagedPoliciesPerGroup is IAM's quota of managed policies attached to one group.
const maxManagedPoliciesPerGroup = baseline.ManagedPoliciesPerGroup

// longest suffix the prefix is combined with: "DatabaseAdmins" + "Policy".
var maxBaselinePrefixLen = 128 - len(baseline.RoleDatabaseAdmins+baselinePolicySuffix)

// NewStartupGroupBaselineResource is the iambaseline_startup_group_baseline resource.
func NewStartupGroupBaselineResource() resource.Resource { return &startupGroupBaselineResource{} }

type startupGroupBaselineResource struct {
	client *awsiam.Client
}

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
					"of `[A-Za-z0-9+=,.@_-]`. Changing it replaces the baseline.", maxBaselinePrefixLen),
				Validators:    iamNamePrefixValidator(maxBaselinePrefixLen),
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
				MarkdownDescription: "The customer managed policy documents (JSON) by role key, plus `mfa`. An out-of-band edit " +
					"shows here as a change and apply restores the document as a new default version.",
			},
			"attached_policy_arns": schema.MapAttribute{
				ElementType: types.SetType{ElemType: types.StringType}, Computed: true,
				MarkdownDescription: "Managed policies attached to each group, by role key or additional group name, as found in " +
					"AWS. A policy detached or attached out of band shows here as a change and apply restores the baseline's set.",
			},
		},
	}
}

func policyARNValidator() validator.String {
	return stringvalidator.RegexMatches(policyARNPattern,
		"must be a managed policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess or arn:aws:iam::123456789012:policy/MyPolicy")
}

func (r *startupGroupBaselineResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *startupGroupBaselineResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m startupGroupBaselineModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prefix := m.NamePrefix.ValueString()
	// additional_groups: names, inline policies and the attachment quota.
	if !m.AdditionalGroups.IsNull() && !m.AdditionalGroups.IsUnknown() {
		for name, v := range m.AdditionalGroups.Elements() {
			at := path.Root("additional_groups").AtMapKey(name)
			for _, k := range baseline.RoleKeys() {
				if strings.EqualFold(name, k) {
					resp.Diagnostics.AddAttributeError(at, "Additional group clashes with a standard group",
						fmt.Sprintf("%q is the role key of a standard group (IAM group names are case-insensitive): choose another name, or select %s in groups.", name, k))
				}
			}
			if !m.NamePrefix.IsUnknown() && (len(prefix+name) > 128 || !iamNamePattern.MatchString(name)) {
				resp.Diagnostics.AddAttributeError(at, "Invalid additional group name",
					fmt.Sprintf("%q: the group name name_prefix + name (%q) must be 1-128 characters of letters, digits and +=,.@_-.", name, prefix+name))
			}
			obj, ok := v.(types.Object)
			if !ok || obj.IsUnknown() || obj.IsNull() {
				continue
			}
			if inline, ok := obj.Attributes()["inline_policy"].(types.String); ok && !inline.IsNull() && !inline.IsUnknown() {
				// Terraform cannot always point at a key of a nested map in the source, so the
				// detail names the attribute too.
				var lintDiags diag.Diagnostics
				addPolicyLintDiagnostics(&lintDiags, at.AtName("inline_policy"), inline.ValueString(), lint.Options{Kind: lint.KindGroupInlinePolicy})
				for _, d := range lintDiags {
					detail := fmt.Sprintf("additional_groups[%q].inline_policy: %s", name, d.Detail())
					if d.Severity() == diag.SeverityError {
						resp.Diagnostics.AddAttributeError(at.AtName("inline_policy"), d.Summary(), detail)
					} else {
						resp.Diagnostics.AddAttributeWarning(at.AtName("inline_policy"), d.Summary(), detail)
					}
				}
			}
		}
	}
	if !m.inputsKnown() {
		return
	}
	spec := m.spec(ctx, partitionOf(r.client), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// extra_policy_arns keys must be selected groups.
	for key := range spec.Extra {
		if !slices.Contains(spec.Policy.RoleKeys, key) {
			resp.Diagnostics.AddAttributeError(path.Root("extra_policy_arns").AtMapKey(key), "Extra policies for a group that is not created",
				fmt.Sprintf("%q is not in groups %v: add it to groups or remove its extra_policy_arns entry.", key, spec.Policy.RoleKeys))
		}
	}
	// At most 10 managed policies per group.
	counts, _ := spec.attachments(func(key string) string { return "customer:" + key })
	for _, k := range spec.groupKeys() {
		if n := len(counts[k]); n > maxManagedPoliciesPerGroup {
			at := path.Root("extra_policy_arns").AtMapKey(k)
			if _, ok := spec.Additional[k]; ok {
				at = path.Root("additional_groups").AtMapKey(k).AtName("policy_arns")
			}
			resp.Diagnostics.AddAttributeError(at, "Too many managed policies for one group",
				fmt.Sprintf("Group %s would have %d managed policies (baseline, MFA and extra ones); IAM allows %d per group. Remove some, or combine them into one customer managed policy.",
					spec.groupName(k), n, maxManagedPoliciesPerGroup))
		}
	}
	validatePolicyArgs(spec.Policy, "policy_documents", &resp.Diagnostics)
	addManagedPolicyWarnings(&resp.Diagnostics, spec.Style == policyStyleAWSManaged, spec.Policy.RoleKeys, spec.Policy.Partition, spec.Extra, additionalPolicyARNs(spec.Additional))
}

// ModifyPlan puts the desired computed values into the plan, so that drift the refresh found (a
// deleted group, a detached or foreign policy, an edited document) shows as a change.
func (r *startupGroupBaselineResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, state startupGroupBaselineModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !plan.inputsKnown() {
		return
	}
	spec := plan.spec(ctx, partitionOf(r.client), &resp.Diagnostics)
	docs := validatePolicyArgs(spec.Policy, "policy_documents", &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	account := ""
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		account = accountFromState(ctx, state)
	}
	desired, complete := spec.desiredOutcome(account, docs)
	plan.ID = types.StringValue(spec.id())
	plan.TagsAll = plannedTagsAll(r.client, plan.Tags)
	plan.GroupNames = stringMap(ctx, desired.GroupNames, &resp.Diagnostics)
	plan.PolicyDocuments = stringMap(ctx, desired.Documents, &resp.Diagnostics)
	plan.AppScope = appScopeValue(spec.Policy.options().ResolvedAppScope())
	if complete {
		desired.setOn(ctx, &plan, &resp.Diagnostics)
		reportForeignPolicies(ctx, state, desired, &resp.Diagnostics)
	} else {
		plan.GroupARNs = types.MapUnknown(types.StringType)
		plan.PolicyARNs = types.MapUnknown(types.StringType)
		plan.AttachedPolicyARNs = types.MapUnknown(stringSetType)
		if spec.Policy.EnforceMFA {
			plan.MFAPolicyARN = types.StringUnknown()
		} else {
			plan.MFAPolicyARN = types.StringNull()
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// reportForeignPolicies warns about managed policies attached to baseline groups out of band, which
// the apply will detach.
func reportForeignPolicies(ctx context.Context, state startupGroupBaselineModel, desired baselineOutcome, diags *diag.Diagnostics) {
	if state.AttachedPolicyARNs.IsNull() || state.AttachedPolicyARNs.IsUnknown() {
		return
	}
	var actual map[string][]string
	if d := state.AttachedPolicyARNs.ElementsAs(ctx, &actual, false); d.HasError() {
		return
	}
	// What the prior state itself attached is not foreign, even when the new configuration drops it.
	var own map[string]string
	_ = state.PolicyARNs.ElementsAs(ctx, &own, false)
	var d diag.Diagnostics
	prior := state.spec(ctx, desired.partition, &d)
	owned, _ := prior.attachments(func(key string) string {
		if key == mfaDocumentKey {
			return state.MFAPolicyARN.ValueString()
		}
		return own[key]
	})
	var foreign []string
	for _, k := range slices.Sorted(maps.Keys(actual)) {
		want, ok := desired.Attached[k]
		if !ok {
			continue
		}
		for _, arn := range actual[k] {
			if !slices.Contains(want, arn) && !slices.Contains(owned[k], arn) {
				foreign = append(foreign, fmt.Sprintf("%s on group %s", arn, desired.GroupNames[k]))
			}
		}
	}
	if len(foreign) > 0 {
		diags.AddAttributeWarning(path.Root("attached_policy_arns"), "Foreign managed policies on baseline groups",
			"These managed policies were attached outside this baseline and will be detached by apply (the baseline owns "+
				"its groups' attachments): "+strings.Join(foreign, "; ")+". To keep one, add it to extra_policy_arns "+
				"(or the additional group's policy_arns).")
	}
}

func (r *startupGroupBaselineResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer logCalls(ctx, r.client, "startup_group_baseline.Create")
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

func (r *startupGroupBaselineResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer logCalls(ctx, r.client, "startup_group_baseline.Update")
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
}

func (r *startupGroupBaselineResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer logCalls(ctx, r.client, "startup_group_baseline.Read")
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
	if observed.empty() {
		tflog.Warn(ctx, "IAM group baseline is gone, removing it from state", map[string]any{"id": spec.id()})
		resp.State.RemoveResource(ctx)
		return
	}
	observed.outcome(spec, rendered).setOn(ctx, &state, &resp.Diagnostics)
	r.readAdditionalInline(ctx, observed, &state, &resp.Diagnostics)
	// tags_all stays what the last apply (or the import) recorded: the snapshot has no policy tags.
	// A state written before tags_all existed gets what that version applied.
	if state.TagsAll.IsNull() || state.TagsAll.IsUnknown() {
		state.TagsAll = tagsAllValue(r.client.MergeTags(spec.Tags))
	}
	state.ID = types.StringValue(spec.id())
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
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
		doc, has := actual.InlinePolicies[additionalInlineName]
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

func stringListOrNull(ctx context.Context, values []string, diags *diag.Diagnostics) types.List {
	if len(values) == 0 {
		return types.ListNull(types.StringType)
	}
	v, d := types.ListValueFrom(ctx, types.StringType, values)
	diags.Append(d...)
	return v
}

func (r *startupGroupBaselineResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	defer logCalls(ctx, r.client, "startup_group_baseline.Delete")
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
	prefix, iamPath, err := parseBaselineImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name_prefix"), prefix)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), iamPath)...)
}
