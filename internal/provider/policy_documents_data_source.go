package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ interface {
	datasource.DataSourceWithConfigure
	datasource.DataSourceWithValidateConfig
} = &policyDocumentsDataSource{}

// NewPolicyDocumentsDataSource is the iambaseline_policy_documents data source.
func NewPolicyDocumentsDataSource() datasource.DataSource { return &policyDocumentsDataSource{} }

type policyDocumentsDataSource struct{ dataSourceClients }

type policyDocumentsModel struct {
	Groups                        types.Set    `tfsdk:"groups"`
	EnforceMFA                    types.Bool   `tfsdk:"enforce_mfa"`
	AllowFirstLoginPasswordChange types.Bool   `tfsdk:"allow_first_login_password_change"`
	AllowedRegions                types.List   `tfsdk:"allowed_regions"`
	DeveloperS3BucketARNs         types.List   `tfsdk:"developer_s3_bucket_arns"`
	RegionExemptActions           types.List   `tfsdk:"region_exempt_actions"`
	NamePrefix                    types.String `tfsdk:"name_prefix"`
	AppScope                      types.Object `tfsdk:"app_scope"`
	ReadOnlyCostExplorer          types.Bool   `tfsdk:"readonly_cost_explorer"`
	Path                          types.String `tfsdk:"path"`
	DelegateAppRoles              types.Bool   `tfsdk:"delegate_app_roles"`
	Documents                     types.Map    `tfsdk:"documents"`
}

func (m policyDocumentsModel) values() policyArgsValues {
	return policyArgsValues{
		Groups: m.Groups, EnforceMFA: m.EnforceMFA, AllowFirstLoginPasswordChange: m.AllowFirstLoginPasswordChange,
		AllowedRegions: m.AllowedRegions, DeveloperS3BucketARNs: m.DeveloperS3BucketARNs,
		RegionExemptActions: m.RegionExemptActions, NamePrefix: m.NamePrefix, AppScope: m.AppScope,
		ReadOnlyCostExplorer: m.ReadOnlyCostExplorer, DelegateAppRoles: m.DelegateAppRoles,
	}
}

func (d *policyDocumentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_policy_documents"
}

func (d *policyDocumentsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Renders the least-privilege policy documents of `iambaseline_startup_group_baseline` " +
			"without any AWS call, for module consumers who attach them with other providers. The same inputs give " +
			"byte-identical documents to the resource's `policy_documents` (give the same `name_prefix`, `app_scope` and `path`).",
		Attributes: map[string]schema.Attribute{
			"groups": schema.SetAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: groupsDescription, Validators: groupsElementValidators(),
			},
			"enforce_mfa": schema.BoolAttribute{
				Optional: true, MarkdownDescription: "Include the MFA-enforcement policy under the key `mfa`. Defaults to `true`.",
			},
			"allow_first_login_password_change": schema.BoolAttribute{
				Optional: true, MarkdownDescription: allowFirstLoginDescription,
			},
			"allowed_regions": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: allowedRegionsDescription, Validators: allowedRegionsValidators(),
			},
			"developer_s3_bucket_arns": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: bucketsDescription, Validators: bucketARNValidators(),
			},
			"name_prefix": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The `name_prefix` of the baseline the documents are for; the `app_scope` defaults derive " +
					"from it. Defaults to `\"\"`.",
			},
			"region_exempt_actions": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: regionExemptDescription, Validators: regionExemptValidators(),
			},
			"app_scope": dataSourceAppScopeAttribute(),
			"delegate_app_roles": schema.BoolAttribute{
				Optional: true, MarkdownDescription: delegateAppRolesDescription,
			},
			"path": schema.StringAttribute{
				Optional: true, Validators: iamPathValidator(),
				MarkdownDescription: "The `path` of the baseline the documents are for: the Developers document lets Developers " +
					"create app roles only with the app permissions boundary `<name_prefix>AppBoundary` at this path (the " +
					"document under the key `app_boundary`; create it there before the Developers use it). Defaults to `\"/\"`.",
			},
			"readonly_cost_explorer": schema.BoolAttribute{
				Optional: true, MarkdownDescription: readOnlyCostExplorerDescription,
			},
			"documents": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "Policy documents (JSON) by role key (`<role key>#<n>` for a further part of a group whose grants " +
					"need more than one managed policy), plus the key `mfa` when `enforce_mfa` is on and the key `guardrails`: the " +
					"guardrail policy every group holds, which carries every Deny (the group documents only grant, and are safe only " +
					"together with it); and the key `app_boundary` (the app permissions boundary) when `Developers` is in `groups`.",
			},
		},
	}
}

func (d *policyDocumentsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	d.render(ctx, req.Config, true, &resp.Diagnostics)
}

func (d *policyDocumentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if m, ok := d.render(ctx, req.Config, false, &resp.Diagnostics); ok {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// render is the configuration with its documents rendered; ok is false (with the diagnostics)
// when they cannot be, or, while validating, when the arguments are not known yet.
func (d *policyDocumentsDataSource) render(ctx context.Context, config tfsdk.Config, validating bool, diags *diag.Diagnostics) (m policyDocumentsModel, ok bool) {
	if m, ok = readModel[policyDocumentsModel](ctx, config, diags); !ok || validating && (!m.values().known() || m.Path.IsUnknown()) {
		return m, false
	}
	a := m.args(ctx, partitionOf(d.client), diags)
	if diags.HasError() {
		return m, false
	}
	docs := validatePolicyArgs(a, "documents", diags)
	if diags.HasError() {
		return m, false
	}
	documents, d2 := types.MapValueFrom(ctx, types.StringType, docs)
	diags.Append(d2...)
	m.Documents = documents
	m.AppScope = appScopeValue(a.options().ResolvedAppScope())
	return m, !diags.HasError()
}

// args are the policy arguments of a least_privilege startup group baseline at path (default "/"),
// whose Developers delegate app roles under its app boundary, as the resource renders them.
func (m policyDocumentsModel) args(ctx context.Context, partition string, diags *diag.Diagnostics) policyArgs {
	a := m.values().args(ctx, partition, true, diags)
	a.PolicyPath = m.Path.ValueString()
	if a.PolicyPath == "" {
		a.PolicyPath = "/"
	}
	return a
}
