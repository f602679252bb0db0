package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awssso"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var _ fullResource = &identityCenterBaselineResource{}

// NewIdentityCenterBaselineResource manages the four job functions as IAM Identity Center permission
// sets, identity-store groups and account assignments.
func NewIdentityCenterBaselineResource() resource.Resource { return &identityCenterBaselineResource{} }

type identityCenterBaselineResource struct{ resourceClients }

type identityCenterBaselineModel struct {
	ID                    types.String `tfsdk:"id"`
	NamePrefix            types.String `tfsdk:"name_prefix"`
	Groups                types.Set    `tfsdk:"groups"`
	AccountIDs            types.List   `tfsdk:"account_ids"`
	PolicyStyle           types.String `tfsdk:"policy_style"`
	SessionDurations      types.Map    `tfsdk:"session_durations"`
	RelayState            types.String `tfsdk:"relay_state"`
	AllowedRegions        types.List   `tfsdk:"allowed_regions"`
	DeveloperS3BucketARNs types.List   `tfsdk:"developer_s3_bucket_arns"`
	AppScope              types.Object `tfsdk:"app_scope"`
	ReadOnlyCostExplorer  types.Bool   `tfsdk:"readonly_cost_explorer"`
	ExtraPolicyARNs       types.Map    `tfsdk:"extra_policy_arns"`
	AdditionalGroups      types.Map    `tfsdk:"additional_groups"`
	Tags                  types.Map    `tfsdk:"tags"`
	TagsAll               types.Map    `tfsdk:"tags_all"`
	InstanceARN           types.String `tfsdk:"instance_arn"`
	ForceDestroy          types.Bool   `tfsdk:"force_destroy"`
	GroupNames            types.Map    `tfsdk:"group_names"`
	GroupIDs              types.Map    `tfsdk:"group_ids"`
	PermissionSetARNs     types.Map    `tfsdk:"permission_set_arns"`
	PolicyDocuments       types.Map    `tfsdk:"policy_documents"`
	PolicyDocSummaries    types.Map    `tfsdk:"policy_document_summaries"`
	Assignments           types.Map    `tfsdk:"assignments"`
}

// identityCenterAdditionalGroupModel is one entry of additional_groups.
type identityCenterAdditionalGroupModel struct {
	PolicyARNs   types.List   `tfsdk:"policy_arns"`
	InlinePolicy types.String `tfsdk:"inline_policy"`
}

var identityCenterAdditionalGroupType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"policy_arns":   types.ListType{ElemType: types.StringType},
	"inline_policy": types.StringType,
}}

func (r *identityCenterBaselineResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_identity_center_baseline"
}

func (r *identityCenterBaselineResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stringList := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: desc}
	}
	computedMap := func(desc string) schema.MapAttribute {
		return schema.MapAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The four job functions for people who sign in through the AWS access portal: for each role key an " +
			"identity-store group and a permission set of the same name carrying the same policy documents as " +
			"`iambaseline_startup_group_baseline` (one source of truth; the IAM MFA-deny policy is not used, Identity Center " +
			"enforces MFA at sign-in), provisioned to every account of `account_ids`, the group assigned to it in each. " +
			"Needs the organization instance of IAM Identity Center. " + baseline.IdentityCenterManualSteps,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`<instance_arn>|<name_prefix>`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name_prefix": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: fmt.Sprintf("Prefix of the permission-set and group names (`name_prefix` + role key, at most %d characters). Defaults to `\"\"`. Changing it replaces the baseline.", baseline.PermissionSetNameMax),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"groups": schema.SetAttribute{
				ElementType: types.StringType, Optional: true, Computed: true,
				Default:             setdefault.StaticValue(stringSet(baseline.RoleKeys())),
				MarkdownDescription: groupsDescription, Validators: groupsElementValidators(),
			},
			"account_ids": schema.ListAttribute{
				ElementType: types.StringType, Optional: true, Computed: true,
				MarkdownDescription: "Accounts every permission set is provisioned to and its group assigned in (12 digits each). Defaults to the caller's account. Adding an account never touches the assignments of the others.",
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
			"policy_style": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(policyStyleLeastPrivilege),
				MarkdownDescription: "`least_privilege` (default): the baseline's documents as each set's inline policy. `aws_managed`: the AWS job-function managed policies the IAM baseline attaches in that style.",
				Validators:          []validator.String{stringvalidator.OneOf(policyStyleLeastPrivilege, policyStyleAWSManaged)},
			},
			"session_durations": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Session duration by role key, ISO 8601 between `PT1H` and `PT12H`. Defaults: `PT8H` for Developers and ReadOnly, `PT4H` for SysAdmins and DatabaseAdmins.",
			},
			"relay_state": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: fmt.Sprintf("Console URL people land on after choosing a permission set in the portal (1 to %d characters). Default: the console home.", baseline.RelayStateMax),
			},
			"allowed_regions":          stringList(allowedRegionsDescription),
			"developer_s3_bucket_arns": stringList(bucketsDescription),
			"app_scope":                resourceAppScopeAttribute(),
			"readonly_cost_explorer": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: readOnlyCostExplorerDescription,
			},
			"extra_policy_arns": schema.MapAttribute{
				ElementType: types.ListType{ElemType: types.StringType}, Optional: true,
				MarkdownDescription: fmt.Sprintf("Further AWS managed policy ARNs by role key, attached to that permission set (at most %d managed policies per set).", baseline.PermissionSetManagedPoliciesMax),
			},
			"additional_groups": schema.MapNestedAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("More job functions (the checklist's \"Other\"), by name: each an identity-store group and a permission set "+
					"named `name_prefix` + name (at most %d characters) with its own policies, provisioned to every account of `account_ids` "+
					"and assigned there like the four. Names must not be a role key. The session duration is `session_durations[name]` "+
					"(default `PT8H`). There is no `enforce_mfa`: Identity Center enforces MFA at sign-in. Each needs `policy_arns`, "+
					"`inline_policy` or both. Recovered by import (the sets carry the description `iambaseline additional group <name> ...`). Default: none.",
					baseline.PermissionSetNameMax),
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"policy_arns": schema.ListAttribute{
						ElementType: types.StringType, Optional: true,
						MarkdownDescription: fmt.Sprintf("AWS managed policies (`arn:aws:iam::aws:policy/...`) to attach, at most %d. "+
							"A customer managed policy cannot be attached by ARN: put its statements in `inline_policy`. Default: none.", baseline.PermissionSetManagedPoliciesMax),
						Validators: []validator.List{listvalidator.UniqueValues()},
					},
					"inline_policy": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: fmt.Sprintf("Inline policy (JSON) of the permission set. Linted at plan time (grammar, %d characters, `*` on `*`, "+
							"privilege escalation). Default: none.", baseline.PermissionSetInlinePolicyMax),
					},
				}},
			},
			"tags": schema.MapAttribute{
				ElementType: types.StringType, Optional: true, Validators: tagMapValidators(),
				MarkdownDescription: "Tags of the permission sets, merged with the provider's `default_tags` (identity-store groups carry no tags). " +
					"A tag is not part of what is provisioned: changing tags provisions nothing again. The sets' tags are read only while the " +
					"baseline has tags (or had them), and are not recovered by import. Default: none.",
			},
			"tags_all":     tagsAllAttribute(" A tag changed or removed out of band on any set shows here and is put back by apply."),
			"instance_arn": identityCenterInstanceAttribute(),
			"force_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "On destroy, also remove assignments of the baseline's permission sets to users and groups outside it. Defaults to `false`: their presence fails the destroy.",
			},
			"group_names":         computedMap("Role key => group and permission-set name, additional groups included."),
			"group_ids":           computedMap("Role key => identity-store group id, additional groups included."),
			"permission_set_arns": computedMap("Role key => permission set ARN, additional groups included."),
			"policy_documents": computedMap("Role key => the inline policy of the set: the documents of `iambaseline_policy_documents` with the same inputs (a group's parts joined), followed by the statements of its `guardrails` document, in both styles (in the `aws_managed` style the guardrail statements alone; additional groups' policies are their own `inline_policy`, not here). " +
				"A document the state does not hold yet (every one on create) is planned `(known after apply)`, so that a first plan is not pages of JSON; `policy_document_summaries` shows it, and the data source renders it at plan time."),
			"policy_document_summaries": computedMap(policyDocumentSummariesDescription),
			"assignments": schema.MapAttribute{
				ElementType: types.ListType{ElemType: types.StringType}, Computed: true,
				MarkdownDescription: "Role key (or additional group name) => the accounts where the job function is in place: the group assigned the set, the set provisioned, its policies as planned. Drift shows here as a missing account and the next apply repairs it.",
			},
		},
	}
}

func (r *identityCenterBaselineResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	withSpec(ctx, r.client, "identity_center_baseline.Create", req.Plan, &resp.Diagnostics, r.spec, func(m identityCenterBaselineModel, spec awssso.BaselineSpec) {
		cur, ok := r.readBaseline(ctx, spec, &resp.Diagnostics)
		if !ok {
			return
		}
		for _, s := range spec.Sets {
			if cur.Sets[s.Name].Exists() {
				resp.Diagnostics.AddError("IAM Identity Center baseline already exists",
					fmt.Sprintf("A permission set or group named %q exists already. Import the baseline (terraform import <address> '%s|%s') or choose another name_prefix.",
						s.Name, spec.InstanceARN, m.NamePrefix.ValueString()))
				return
			}
		}
		err := r.sso.ApplyBaseline(ctx, spec, cur)
		r.record(ctx, &m, spec, cur, err, &resp.State, &resp.Diagnostics)
	})
}

func (r *identityCenterBaselineResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	withModel(ctx, r.client, "identity_center_baseline.Read", req.State, &resp.Diagnostics, func(m identityCenterBaselineModel) {
		if m.ID.IsNull() && !r.inferImported(ctx, &m, &resp.Diagnostics) {
			return
		}
		spec, cur, ok := r.observe(ctx, &m, &resp.Diagnostics)
		if !ok {
			return
		}
		if !cur.Exists() {
			resp.State.RemoveResource(ctx)
			return
		}
		r.fill(ctx, &m, spec, cur)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	})
}

func (r *identityCenterBaselineResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	withSpec(ctx, r.client, "identity_center_baseline.Update", req.Plan, &resp.Diagnostics, r.spec, func(m identityCenterBaselineModel, spec awssso.BaselineSpec) {
		_, oldSpec, ok := configuredSpec(ctx, r.client, req.State, &resp.Diagnostics, r.spec)
		if !ok {
			return
		}
		cur, err := r.sso.UpdateBaseline(ctx, oldSpec, spec)
		if removing := (*awssso.RemoveSetsError)(nil); errors.As(err, &removing) {
			resp.Diagnostics.AddError("Cannot remove IAM Identity Center job functions", err.Error())
			return
		}
		r.record(ctx, &m, spec, cur, err, &resp.State, &resp.Diagnostics)
	})
}

func (r *identityCenterBaselineResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	withSpec(ctx, r.client, "identity_center_baseline.Delete", req.State, &resp.Diagnostics, r.spec, func(_ identityCenterBaselineModel, spec awssso.BaselineSpec) {
		cur, err := r.sso.ReadBaseline(ctx, spec)
		if err == nil {
			err = r.sso.DestroyBaseline(ctx, spec, cur)
		}
		if err != nil {
			resp.Diagnostics.AddError("Cannot destroy the IAM Identity Center baseline", err.Error())
		}
	})
}

// record stores what exists after an apply, even one that failed (err): what was created is then
// managed (and destroyed) by this resource, and the next apply resumes.
func (r *identityCenterBaselineResource) record(ctx context.Context, m *identityCenterBaselineModel, spec awssso.BaselineSpec, cur *awssso.BaselineState, err error, state *tfsdk.State, diags *diag.Diagnostics) {
	if cur != nil {
		r.fill(ctx, m, spec, cur)
	}
	diags.Append(state.Set(ctx, m)...)
	if err != nil {
		diags.AddError("Cannot apply the IAM Identity Center baseline", err.Error())
	}
}

// observe is the model's spec and what exists of it; ok is false (with the diagnostics) when
// either fails.
func (r *identityCenterBaselineResource) observe(ctx context.Context, m *identityCenterBaselineModel, diags *diag.Diagnostics) (awssso.BaselineSpec, *awssso.BaselineState, bool) {
	spec, ok := r.spec(ctx, m, diags)
	if !ok {
		return spec, nil, false
	}
	cur, ok := r.readBaseline(ctx, spec, diags)
	return spec, cur, ok
}

// readBaseline is what exists of the spec's sets; ok is false (with the diagnostic) when it cannot
// be read.
func (r *identityCenterBaselineResource) readBaseline(ctx context.Context, spec awssso.BaselineSpec, diags *diag.Diagnostics) (*awssso.BaselineState, bool) {
	cur, err := r.sso.ReadBaseline(ctx, spec)
	if err != nil {
		diags.AddError("Cannot read IAM Identity Center", err.Error())
		return nil, false
	}
	return cur, true
}

func (r *identityCenterBaselineResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	instanceARN, prefix, ok := strings.Cut(req.ID, "|")
	if !ok || !strings.HasPrefix(instanceARN, "arn:") {
		addInvalidImportID(&resp.Diagnostics, "Expected <instance_arn>|<name_prefix>, e.g. arn:aws:sso:::instance/ssoins-1234567890abcdef|acme-")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("instance_arn"), instanceARN)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name_prefix"), prefix)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("policy_style"), policyStyleLeastPrivilege)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("force_destroy"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("readonly_cost_explorer"), true)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("groups"), stringSet(baseline.RoleKeys()))...)
}

// inferImported fills the arguments of an imported baseline from what exists: the groups whose set
// exists, the policy style, the session durations that are not the defaults, and the policy inputs
// (allowed_regions, developer_s3_bucket_arns) read back from the inline documents.
func (r *identityCenterBaselineResource) inferImported(ctx context.Context, m *identityCenterBaselineModel, diags *diag.Diagnostics) bool {
	spec, cur, ok := r.observe(ctx, m, diags)
	if !ok {
		return false
	}
	var keys []string
	docs := map[string]string{}
	durations := map[string]string{}
	awsManaged := false
	for _, s := range spec.Sets {
		st := cur.Sets[s.Name]
		if st == nil || st.ARN == "" {
			continue
		}
		keys = append(keys, s.Key)
		if st.InlinePolicy != "" {
			docs[s.Key] = st.InlinePolicy
		} else if slices.Contains(st.ManagedPolicyARNs, baseline.AWSManagedPolicyARN(s.Key, partitionOf(r.client))) {
			awsManaged = true
		}
		if st.SessionDuration != baseline.DefaultSessionDuration(s.Key) {
			durations[s.Key] = st.SessionDuration
		}
	}
	if len(keys) == 0 {
		diags.AddError("Cannot import the IAM Identity Center baseline",
			fmt.Sprintf("No permission set named %q + a role key exists in %s.", m.NamePrefix.ValueString(), spec.InstanceARN))
		return false
	}
	m.Groups = stringSet(keys)
	if awsManaged {
		m.PolicyStyle = types.StringValue(policyStyleAWSManaged)
	}
	if len(durations) > 0 {
		m.SessionDurations = stringMapValue(durations)
	}
	if relay := cur.Sets[spec.Sets[0].Name].RelayState; relay != "" {
		m.RelayState = types.StringValue(relay)
	}
	o := baseline.InferOptions(partitionOf(r.client), m.NamePrefix.ValueString(), docs)
	if len(o.AllowedRegions) > 0 {
		m.AllowedRegions = stringList(o.AllowedRegions)
	}
	if len(o.DeveloperS3BucketARNs) > 0 {
		m.DeveloperS3BucketARNs = stringList(o.DeveloperS3BucketARNs)
	}
	m.AppScope = appScopeValue(o.ResolvedAppScope())
	m.ReadOnlyCostExplorer = types.BoolValue(!o.OmitReadOnlyCostExplorer)
	return r.inferAdditionalGroups(ctx, m, spec, cur, diags)
}

// inferAdditionalGroups fills additional_groups of an import from the sets named name_prefix +
// name whose description marks them as an additional group of a baseline, with their policies and
// session durations.
func (r *identityCenterBaselineResource) inferAdditionalGroups(ctx context.Context, m *identityCenterBaselineModel, spec awssso.BaselineSpec, cur *awssso.BaselineState, diags *diag.Diagnostics) bool {
	prefix := m.NamePrefix.ValueString()
	found := spec
	found.Sets = nil
	for _, name := range slices.Sorted(maps.Keys(cur.OtherSets)) {
		key, ok := strings.CutPrefix(name, prefix)
		if ok && key != "" && cur.OtherSets[name].Description == baseline.AdditionalPermissionSetDescription(key) {
			found.Sets = append(found.Sets, awssso.SetSpec{Key: key, Name: name})
		}
	}
	if len(found.Sets) == 0 {
		return true
	}
	sets, ok := r.readBaseline(ctx, found, diags)
	if !ok {
		return false
	}
	durations := stringMapFrom(ctx, m.SessionDurations, diags)
	groups := map[string]attr.Value{}
	for _, s := range found.Sets {
		st := sets.Sets[s.Name]
		inline := types.StringNull()
		if st.InlinePolicy != "" {
			inline = types.StringValue(st.InlinePolicy)
		}
		arns := types.ListNull(types.StringType)
		if len(st.ManagedPolicyARNs) > 0 {
			arns = stringList(st.ManagedPolicyARNs)
		}
		groups[s.Key] = types.ObjectValueMust(identityCenterAdditionalGroupType.AttrTypes, map[string]attr.Value{"policy_arns": arns, "inline_policy": inline})
		if st.SessionDuration != baseline.DefaultSessionDuration(s.Key) {
			durations[s.Key] = st.SessionDuration
		}
	}
	m.AdditionalGroups = types.MapValueMust(identityCenterAdditionalGroupType, groups)
	if len(durations) > 0 {
		m.SessionDurations = stringMapValue(durations)
	}
	return true
}
