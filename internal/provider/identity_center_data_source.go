package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	resourceschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awssso"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var (
	_ datasource.DataSource              = &identityCenterDataSource{}
	_ datasource.DataSourceWithConfigure = &identityCenterDataSource{}
)

// NewIdentityCenterDataSource is the iambaseline_identity_center data source.
func NewIdentityCenterDataSource() datasource.DataSource { return &identityCenterDataSource{} }

type identityCenterDataSource struct{ dataSourceClients }

type identityCenterModel struct {
	InstanceARN     types.String `tfsdk:"instance_arn"`
	IdentityStoreID types.String `tfsdk:"identity_store_id"`
	PortalURL       types.String `tfsdk:"portal_url"`
}

func (d *identityCenterDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_identity_center"
}

func (d *identityCenterDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The organization instance of IAM Identity Center the credentials see: its ARN, identity store " +
			"and access-portal URL. No instance visible is an error that says how to enable one.",
		Attributes: map[string]schema.Attribute{
			"instance_arn": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The instance to read. Defaults to the one instance the credentials see (several are an error).",
			},
			"identity_store_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The instance's identity store, e.g. `d-1234567890`."},
			"portal_url": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The AWS access portal URL: `https://<identity_store_id>.awsapps.com/start`.",
			},
		},
	}
}

func (d *identityCenterDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	withModel(ctx, d.client, "identity_center.Read", req.Config, &resp.Diagnostics, func(m identityCenterModel) {
		in, err := d.sso.FindInstance(ctx, m.InstanceARN.ValueString())
		if err != nil {
			resp.Diagnostics.AddError("Cannot find the IAM Identity Center instance", err.Error())
			return
		}
		m.InstanceARN = types.StringValue(in.ARN)
		m.IdentityStoreID = types.StringValue(in.IdentityStoreID)
		m.PortalURL = types.StringValue(baseline.AccessPortalURL(in.IdentityStoreID))
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	})
}

// identityCenterInstanceAttribute is instance_arn of the Identity Center resources: the instance
// they live in, by default the one the credentials see; another one replaces the resource.
func identityCenterInstanceAttribute() resourceschema.StringAttribute {
	return resourceschema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "The IAM Identity Center instance. Defaults to the one the credentials see (`iambaseline_identity_center`).",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
	}
}

// planInstance resolves the instance at plan time when a resource is created, so that a missing or
// account instance fails the plan, not the apply, and the planned instance_arn is known, and warns of
// the settings no API sets. Without a client (validate) or while instance_arn of the configuration
// is unknown, the plan keeps planned.
func planInstance(ctx context.Context, sso *awssso.Client, config tfsdk.Config, planned types.String, diags *diag.Diagnostics) types.String {
	diags.AddWarning("IAM Identity Center settings Terraform cannot set", baseline.IdentityCenterManualSteps)
	var configured types.String
	diags.Append(config.GetAttribute(ctx, path.Root("instance_arn"), &configured)...)
	if sso == nil || configured.IsUnknown() {
		return planned
	}
	in, err := sso.FindInstance(ctx, configured.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("instance_arn"), "Cannot find the IAM Identity Center instance", err.Error())
		return planned
	}
	return types.StringValue(in.ARN)
}
