// Package provider is the Terraform face of iambaseline: schemas, plans, diagnostics and the mapping
// between Terraform values and the baseline (internal/baseline) and AWS (internal/awsiam) packages.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsactivity"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awssso"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var (
	_ provider.Provider              = &iambaselineProvider{}
	_ provider.ProviderWithFunctions = &iambaselineProvider{}
)

// New returns the provider factory for the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &iambaselineProvider{version: version} }
}

type iambaselineProvider struct {
	version string
	// observeClient, when set, sees the AWS client Configure builds: a test hook (exports_test.go).
	observeClient func(*awsiam.Client)
}

type providerModel struct {
	Region                    types.String      `tfsdk:"region"`
	Profile                   types.String      `tfsdk:"profile"`
	MaxRetries                types.Int64       `tfsdk:"max_retries"`
	RetryMode                 types.String      `tfsdk:"retry_mode"`
	SkipCredentialsValidation types.Bool        `tfsdk:"skip_credentials_validation"`
	AllowedAccountIDs         types.Set         `tfsdk:"allowed_account_ids"`
	ForbiddenAccountIDs       types.Set         `tfsdk:"forbidden_account_ids"`
	AssumeRole                *assumeRoleModel  `tfsdk:"assume_role"`
	Endpoints                 *endpointsModel   `tfsdk:"endpoints"`
	DefaultTags               *defaultTagsModel `tfsdk:"default_tags"`
}

type assumeRoleModel struct {
	RoleARN     types.String `tfsdk:"role_arn"`
	SessionName types.String `tfsdk:"session_name"`
	ExternalID  types.String `tfsdk:"external_id"`
}

type endpointsModel struct {
	IAM        types.String `tfsdk:"iam"`
	STS        types.String `tfsdk:"sts"`
	CloudTrail types.String `tfsdk:"cloudtrail"`
	Logs       types.String `tfsdk:"logs"`
	CloudWatch types.String `tfsdk:"cloudwatch"`
	SNS        types.String `tfsdk:"sns"`
	S3         types.String `tfsdk:"s3"`
	// IAM Identity Center: sso-admin and the identity store.
	SSOAdmin      types.String `tfsdk:"ssoadmin"`
	IdentityStore types.String `tfsdk:"identitystore"`
}

type defaultTagsModel struct {
	Tags types.Map `tfsdk:"tags"`
}

func (p *iambaselineProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "iambaseline"
	resp.Version = p.version
}

func (p *iambaselineProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	accountIDs := []validator.Set{setvalidator.ValueStringsAre(accountIDValidator())}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Gives a startup an opinionated, secure AWS IAM baseline: the four standard groups with " +
			"least-privilege policies, MFA enforcement, a CIS password policy, onboarded users, service roles and an audit. " +
			"Credentials, region and endpoints resolve the way the AWS SDK does (environment, shared config, SSO profiles, " +
			"`AWS_ENDPOINT_URL_IAM`); the arguments below override them.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "AWS region used to sign requests, e.g. `us-east-1`. IAM is global, so any region of the partition works. Defaults to `AWS_REGION` or the shared config, else `us-east-1`. A name that cannot be a region is refused (from the environment too).",
				Validators:          []validator.String{regionValidator()},
			},
			"profile": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Named profile of the shared config and credentials files (SSO profiles included). Defaults to `AWS_PROFILE`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Maximum attempts of one AWS request (throttling, 5xx), and its time bound: each request gives up after `max_retries` × 10 s in all, " +
					"backoff included, with an error that names this setting. Defaults to `AWS_MAX_ATTEMPTS`, else 25. No client-wide retry quota applies.",
				Validators: []validator.Int64{int64validator.Between(1, 100)},
			},
			"retry_mode": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "SDK retry mode: `standard` or `adaptive` (client-side rate limiting when AWS throttles). Defaults to `AWS_RETRY_MODE`, else `adaptive`.",
				Validators:          []validator.String{stringvalidator.OneOf(awsiam.ValidRetryModes...)},
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip the credential check at configure time: no request at all at configure. Defaults to `false`: configure sends one " +
					"authenticated request, `sts:GetCallerIdentity` when `allowed_account_ids` or `forbidden_account_ids` is set (the account is " +
					"checked against the list), otherwise `iam:GetCredentialReport`, which a refresh needs anyway (bad, expired or missing " +
					"credentials and an unreachable endpoint fail at configure, naming the request; `AccessDenied` on it falls back to " +
					"`sts:GetCallerIdentity`). Cannot be combined with the account lists.",
			},
			"allowed_account_ids": schema.SetAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Refuse to run unless the credentials belong to one of these 12-digit account IDs. Conflicts with `forbidden_account_ids`.",
				Validators:          append(accountIDs, setvalidator.ConflictsWith(path.MatchRoot("forbidden_account_ids"))),
			},
			"forbidden_account_ids": schema.SetAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Refuse to run when the credentials belong to one of these 12-digit account IDs. Conflicts with `allowed_account_ids`.",
				Validators:          accountIDs,
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Assume this role (through STS) before any IAM call.",
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "ARN of the role to assume. Required when the block is present.",
						Validators:          []validator.String{iamARNValidator()},
					},
					"session_name": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Session name of the assumed role. Defaults to an SDK-generated name.",
						Validators:          []validator.String{stringvalidator.LengthBetween(2, 64)},
					},
					"external_id": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "External ID the role's trust policy expects.",
						Validators:          []validator.String{stringvalidator.LengthBetween(2, 1224)},
					},
				},
			},
			"endpoints": schema.SingleNestedBlock{
				MarkdownDescription: "Custom service endpoints, e.g. LocalStack or moto. Wins over `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_IAM` / `AWS_ENDPOINT_URL_STS`.",
				Attributes: map[string]schema.Attribute{
					"iam": schema.StringAttribute{Optional: true, MarkdownDescription: "IAM endpoint URL.", Validators: []validator.String{urlValidator()}},
					"sts": schema.StringAttribute{Optional: true, MarkdownDescription: "STS endpoint URL.", Validators: []validator.String{urlValidator()}},
					// The services of iambaseline_activity_alerts; AWS_ENDPOINT_URL_<SERVICE> works for them too.
					"cloudtrail":    schema.StringAttribute{Optional: true, MarkdownDescription: "CloudTrail endpoint URL (`AWS_ENDPOINT_URL_CLOUDTRAIL`).", Validators: []validator.String{urlValidator()}},
					"logs":          schema.StringAttribute{Optional: true, MarkdownDescription: "CloudWatch Logs endpoint URL (`AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`).", Validators: []validator.String{urlValidator()}},
					"cloudwatch":    schema.StringAttribute{Optional: true, MarkdownDescription: "CloudWatch endpoint URL (`AWS_ENDPOINT_URL_CLOUDWATCH`).", Validators: []validator.String{urlValidator()}},
					"sns":           schema.StringAttribute{Optional: true, MarkdownDescription: "SNS endpoint URL (`AWS_ENDPOINT_URL_SNS`).", Validators: []validator.String{urlValidator()}},
					"s3":            schema.StringAttribute{Optional: true, MarkdownDescription: "S3 endpoint URL (`AWS_ENDPOINT_URL_S3`); buckets are then addressed by path.", Validators: []validator.String{urlValidator()}},
					"ssoadmin":      schema.StringAttribute{Optional: true, MarkdownDescription: "IAM Identity Center (sso-admin) endpoint URL (`AWS_ENDPOINT_URL_SSO_ADMIN`).", Validators: []validator.String{urlValidator()}},
					"identitystore": schema.StringAttribute{Optional: true, MarkdownDescription: "Identity store endpoint URL (`AWS_ENDPOINT_URL_IDENTITYSTORE`).", Validators: []validator.String{urlValidator()}},
				},
			},
			"default_tags": schema.SingleNestedBlock{
				MarkdownDescription: "Tags added to every taggable entity the provider creates (users, roles, customer managed policies). A resource's own `tags` win on conflict. " +
					"A key added or removed here is applied to the existing entities too: it shows in the plan as an in-place update of each resource's `tags_all`.",
				Attributes: map[string]schema.Attribute{
					"tags": schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Tags to add.",
						Validators: tagMapValidators()},
				},
			},
		},
	}
}

func (p *iambaselineProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg := awsiam.Config{
		Region:                    m.Region.ValueString(),
		Profile:                   m.Profile.ValueString(),
		MaxRetries:                int(m.MaxRetries.ValueInt64()),
		RetryMode:                 m.RetryMode.ValueString(),
		SkipCredentialsValidation: m.SkipCredentialsValidation.ValueBool(),
	}
	resp.Diagnostics.Append(m.AllowedAccountIDs.ElementsAs(ctx, &cfg.AllowedAccountIDs, true)...)
	resp.Diagnostics.Append(m.ForbiddenAccountIDs.ElementsAs(ctx, &cfg.ForbiddenAccountIDs, true)...)
	if m.AssumeRole != nil {
		cfg.AssumeRole = &awsiam.AssumeRole{
			RoleARN:     m.AssumeRole.RoleARN.ValueString(),
			SessionName: m.AssumeRole.SessionName.ValueString(),
			ExternalID:  m.AssumeRole.ExternalID.ValueString(),
		}
	}
	if m.Endpoints != nil {
		cfg.IAMEndpoint = m.Endpoints.IAM.ValueString()
		cfg.STSEndpoint = m.Endpoints.STS.ValueString()
		cfg.ServiceEndpoints = map[string]string{
			awsactivity.EndpointCloudTrail: m.Endpoints.CloudTrail.ValueString(), awsactivity.EndpointLogs: m.Endpoints.Logs.ValueString(),
			awsactivity.EndpointCloudWatch: m.Endpoints.CloudWatch.ValueString(), awsactivity.EndpointSNS: m.Endpoints.SNS.ValueString(),
			awsactivity.EndpointS3:  m.Endpoints.S3.ValueString(),
			awssso.EndpointSSOAdmin: m.Endpoints.SSOAdmin.ValueString(), awssso.EndpointIdentityStore: m.Endpoints.IdentityStore.ValueString(),
		}
	}
	if m.DefaultTags != nil {
		cfg.DefaultTagsUnknown = m.DefaultTags.Tags.IsUnknown()
		for _, v := range m.DefaultTags.Tags.Elements() {
			cfg.DefaultTagsUnknown = cfg.DefaultTagsUnknown || v.IsUnknown()
		}
		if !cfg.DefaultTagsUnknown {
			resp.Diagnostics.Append(m.DefaultTags.Tags.ElementsAs(ctx, &cfg.DefaultTags, true)...)
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if err := cfg.Validate(); err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	client, err := awsiam.NewClient(ctx, cfg)
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the iambaseline provider", err.Error())
		return
	}
	for _, w := range client.ConfigWarnings {
		resp.Diagnostics.AddWarning("Doubtful provider configuration", w)
	}
	tflog.Debug(ctx, "iambaseline provider configured", map[string]any{"partition": client.Partition})
	if p.observeClient != nil {
		p.observeClient(client)
	}
	data := newProviderData(client)
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *iambaselineProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewOnboardedUserResource,
		NewAccountPasswordPolicyResource,
		NewServiceRoleResource,
		NewStartupGroupBaselineResource,
		NewActivityAlertsResource,
		NewIdentityCenterBaselineResource,
		NewIdentityCenterUserResource,
	}
}

func (p *iambaselineProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewAuditDataSource,
		NewPolicyDocumentsDataSource,
		NewIdentityCenterDataSource,
	}
}

func (p *iambaselineProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewMFAPolicyFunction,
		NewLintPolicyFunction,
	}
}

// partitionOf is the AWS partition of the client's region, or "aws" before the provider is
// configured (validation, and data sources that render without AWS).
func partitionOf(c *awsiam.Client) string {
	if c != nil && c.Partition != "" {
		return c.Partition
	}
	return baseline.DefaultPartition
}
