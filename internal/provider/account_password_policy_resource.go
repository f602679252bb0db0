package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var _ interface {
	resource.ResourceWithConfigure
	resource.ResourceWithImportState
	resource.ResourceWithModifyPlan
} = &accountPasswordPolicyResource{}

// NewAccountPasswordPolicyResource manages the account's IAM password policy, a singleton.
func NewAccountPasswordPolicyResource() resource.Resource { return &accountPasswordPolicyResource{} }

type accountPasswordPolicyResource struct{ resourceClients }

type accountPasswordPolicyModel struct {
	ID                         types.String `tfsdk:"id"`
	MinimumPasswordLength      types.Int64  `tfsdk:"minimum_password_length"`
	RequireLowercaseCharacters types.Bool   `tfsdk:"require_lowercase_characters"`
	RequireUppercaseCharacters types.Bool   `tfsdk:"require_uppercase_characters"`
	RequireNumbers             types.Bool   `tfsdk:"require_numbers"`
	RequireSymbols             types.Bool   `tfsdk:"require_symbols"`
	AllowUsersToChangePassword types.Bool   `tfsdk:"allow_users_to_change_password"`
	MaxPasswordAge             types.Int64  `tfsdk:"max_password_age"`
	PasswordReusePrevention    types.Int64  `tfsdk:"password_reuse_prevention"`
	HardExpiry                 types.Bool   `tfsdk:"hard_expiry"`
	ExpirePasswords            types.Bool   `tfsdk:"expire_passwords"`
}

func (r *accountPasswordPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account_password_policy"
}

func (r *accountPasswordPolicyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	boolArg := func(desc string, def bool) schema.BoolAttribute {
		return schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(def),
			MarkdownDescription: fmt.Sprintf("%s Defaults to `%t`.", desc, def),
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("The account's IAM password policy, with CIS-aligned defaults (%d characters, all four "+
			"character classes, %d-day rotation, the last %d passwords remembered). ", baseline.CISMinimumPasswordLength,
			baseline.CISMaxPasswordAge, baseline.CISPasswordReusePrevention) + "The policy is an account-wide " +
			"singleton: declare this resource at most once per account. Destroying it deletes the policy, which " +
			"returns the account to AWS's default rules.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Always `" + awsiam.PasswordPolicyID + "`, the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"minimum_password_length": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(baseline.CISMinimumPasswordLength),
				MarkdownDescription: fmt.Sprintf("Minimum number of characters of an IAM user password, 6 to 128. Defaults to `%d` (CIS).", baseline.CISMinimumPasswordLength),
				Validators:          []validator.Int64{int64validator.Between(6, 128)},
			},
			"require_lowercase_characters":   boolArg("Require at least one lowercase letter (a-z).", true),
			"require_uppercase_characters":   boolArg("Require at least one uppercase letter (A-Z).", true),
			"require_numbers":                boolArg("Require at least one digit (0-9).", true),
			"require_symbols":                boolArg("Require at least one non-alphanumeric character: ``! @ # $ % ^ & * ( ) _ + - = [ ] { } | '``.", true),
			"allow_users_to_change_password": boolArg("Let IAM users change their own password in the console.", true),
			"max_password_age": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(baseline.CISMaxPasswordAge),
				MarkdownDescription: fmt.Sprintf("Days a password stays valid, 0 to 1095; `0` means passwords never expire. Defaults to `%d` (CIS).", baseline.CISMaxPasswordAge),
				Validators:          []validator.Int64{int64validator.Between(0, 1095)},
			},
			"password_reuse_prevention": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(baseline.CISPasswordReusePrevention),
				MarkdownDescription: fmt.Sprintf("Number of previous passwords a user may not reuse, 0 to 24; `0` turns the check off. Defaults to `%d` (CIS).", baseline.CISPasswordReusePrevention),
				Validators:          []validator.Int64{int64validator.Between(0, 24)},
			},
			"hard_expiry": boolArg("When a password expires, block the user from the console until an administrator resets it "+
				"(instead of letting the user choose a new one at sign-in).", false),
			"expire_passwords": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether passwords expire, i.e. `max_password_age` is greater than 0.",
			},
		},
	}
}

// ModifyPlan derives expire_passwords from max_password_age so plans show it instead of
// "known after apply".
func (r *accountPasswordPolicyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	checkSinglePasswordPolicyManager(r.plans, &resp.Diagnostics)
	var age types.Int64
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("max_password_age"), &age)...)
	if resp.Diagnostics.HasError() || age.IsUnknown() || age.IsNull() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("expire_passwords"), age.ValueInt64() > 0)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), awsiam.PasswordPolicyID)...)
}

func (r *accountPasswordPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer logCalls(ctx, r.client, "account_password_policy.Create")
	r.put(ctx, "create", req.Plan, &resp.State, &resp.Diagnostics)
}

// put sets the account password policy to the plan (create and update are the same call) and
// saves the planned state.
func (r *accountPasswordPolicyResource) put(ctx context.Context, verb string, from tfsdk.Plan, state *tfsdk.State, diags *diag.Diagnostics) {
	plan, ok := configuredModel[accountPasswordPolicyModel](ctx, r.client, from, diags)
	if !ok {
		return
	}
	if err := r.client.UpdateAccountPasswordPolicy(ctx, passwordPolicySettings(plan)); err != nil {
		diags.AddError("Cannot "+verb+" the IAM account password policy", err.Error())
		return
	}
	diags.Append(state.Set(ctx, plannedPasswordPolicy(plan))...)
}

func (r *accountPasswordPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer logCalls(ctx, r.client, "account_password_policy.Read")
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
	policy, err := r.client.GetAccountPasswordPolicy(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the IAM account password policy", err.Error())
		return
	}
	if policy == nil {
		// Deleted out of band: AWS's defaults apply again; the next plan recreates the policy.
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, passwordPolicyModelFrom(policy))...)
}

func (r *accountPasswordPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer logCalls(ctx, r.client, "account_password_policy.Update")
	r.put(ctx, "update", req.Plan, &resp.State, &resp.Diagnostics)
}

func (r *accountPasswordPolicyResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	defer logCalls(ctx, r.client, "account_password_policy.Delete")
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
	if err := r.client.DeleteAccountPasswordPolicy(ctx); err != nil {
		resp.Diagnostics.AddError("Cannot delete the IAM account password policy", err.Error())
	}
}

func (r *accountPasswordPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != awsiam.PasswordPolicyID {
		addInvalidImportID(&resp.Diagnostics, fmt.Sprintf("The account password policy is a singleton imported with the ID %q, got %q. Run: terraform import <address> %s",
			awsiam.PasswordPolicyID, req.ID, awsiam.PasswordPolicyID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), awsiam.PasswordPolicyID)...)
}

// passwordPolicySettings is what the model asks AWS for.
func passwordPolicySettings(m accountPasswordPolicyModel) awsiam.PasswordPolicySettings {
	return awsiam.PasswordPolicySettings{
		MinimumPasswordLength:      int(m.MinimumPasswordLength.ValueInt64()),
		RequireLowercaseCharacters: m.RequireLowercaseCharacters.ValueBool(),
		RequireUppercaseCharacters: m.RequireUppercaseCharacters.ValueBool(),
		RequireNumbers:             m.RequireNumbers.ValueBool(),
		RequireSymbols:             m.RequireSymbols.ValueBool(),
		AllowUsersToChangePassword: m.AllowUsersToChangePassword.ValueBool(),
		MaxPasswordAge:             int(m.MaxPasswordAge.ValueInt64()),
		PasswordReusePrevention:    int(m.PasswordReusePrevention.ValueInt64()),
		HardExpiry:                 m.HardExpiry.ValueBool(),
	}
}

func plannedPasswordPolicy(m accountPasswordPolicyModel) accountPasswordPolicyModel {
	m.ID = types.StringValue(awsiam.PasswordPolicyID)
	m.ExpirePasswords = types.BoolValue(m.MaxPasswordAge.ValueInt64() > 0)
	return m
}

func passwordPolicyModelFrom(p *awsiam.PasswordPolicySettings) accountPasswordPolicyModel {
	return accountPasswordPolicyModel{
		ID:                         types.StringValue(awsiam.PasswordPolicyID),
		MinimumPasswordLength:      types.Int64Value(int64(p.MinimumPasswordLength)),
		RequireLowercaseCharacters: types.BoolValue(p.RequireLowercaseCharacters),
		RequireUppercaseCharacters: types.BoolValue(p.RequireUppercaseCharacters),
		RequireNumbers:             types.BoolValue(p.RequireNumbers),
		RequireSymbols:             types.BoolValue(p.RequireSymbols),
		AllowUsersToChangePassword: types.BoolValue(p.AllowUsersToChangePassword),
		MaxPasswordAge:             types.Int64Value(int64(p.MaxPasswordAge)),
		PasswordReusePrevention:    types.Int64Value(int64(p.PasswordReusePrevention)),
		HardExpiry:                 types.BoolValue(p.HardExpiry),
		ExpirePasswords:            types.BoolValue(p.ExpirePasswords || p.MaxPasswordAge > 0),
	}
}
