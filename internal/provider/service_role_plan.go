package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
)

const ec2Service = "ec2.amazonaws.com"

// instanceProfileDefault makes create_instance_profile default to whether EC2 is trusted.
type instanceProfileDefault struct{}

func (instanceProfileDefault) Description(context.Context) string {
	return "defaults to true when trusted_services contains ec2.amazonaws.com"
}

func (m instanceProfileDefault) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (instanceProfileDefault) PlanModifyBool(ctx context.Context, req planmodifier.BoolRequest, resp *planmodifier.BoolResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	var services types.Set
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("trusted_services"), &services)...)
	if services.IsUnknown() {
		resp.PlanValue = types.BoolUnknown()
		return
	}
	list := stringsFromSet(ctx, services, &resp.Diagnostics)
	resp.PlanValue = types.BoolValue(slices.Contains(list, ec2Service))
}

// ValidateConfig checks what the attribute validators cannot: the trust sources together, and
// the policies through the linter, before any API call.
func (r *serviceRoleResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m serviceRoleModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	noServices := m.TrustedServices.IsNull() || (!m.TrustedServices.IsUnknown() && len(m.TrustedServices.Elements()) == 0)
	noAccounts := m.TrustedAccountIDs.IsNull() || (!m.TrustedAccountIDs.IsUnknown() && len(m.TrustedAccountIDs.Elements()) == 0)
	if noServices && noAccounts {
		resp.Diagnostics.AddAttributeError(path.Root("trusted_services"), "Role trusts no one",
			"A service role needs at least one trust source: set trusted_services (e.g. [\"ec2.amazonaws.com\"]) "+
				"or trusted_account_ids (12-digit account IDs), or both.")
	}
	if noAccounts && m.RequireMFA.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("require_mfa"), "require_mfa needs trusted_account_ids",
			"Services cannot present MFA: require_mfa applies to the principals of trusted_account_ids. "+
				"Set trusted_account_ids or remove require_mfa.")
	}
	if noAccounts && !m.ExternalID.IsNull() && !m.ExternalID.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("external_id"), "external_id needs trusted_account_ids",
			"Services cannot present an external ID: external_id applies to the principals of trusted_account_ids. "+
				"Set trusted_account_ids or remove external_id.")
	}
	if !m.InlinePolicies.IsUnknown() && !m.InlinePolicies.IsNull() {
		for name, v := range m.InlinePolicies.Elements() {
			s, ok := v.(types.String)
			if !ok || s.IsUnknown() || s.IsNull() {
				continue
			}
			at := path.Root("inline_policies").AtMapKey(name)
			addPolicyLintDiagnostics(&resp.Diagnostics, at, s.ValueString(), lint.Options{Kind: lint.KindRoleInlinePolicy})
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if doc, known, diags := r.desiredTrustPolicy(ctx, m); known && !diags.HasError() {
		addPolicyLintDiagnostics(&resp.Diagnostics, path.Root("trust_policy"), doc, lint.Options{Kind: lint.KindTrustPolicy})
	}
}

// desiredTrustPolicy renders the trust policy from the trust arguments; known is false while any
// of them is unknown.
func (r *serviceRoleResource) desiredTrustPolicy(ctx context.Context, m serviceRoleModel) (string, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m.TrustedServices.IsUnknown() || m.TrustedAccountIDs.IsUnknown() || m.RequireMFA.IsUnknown() || m.ExternalID.IsUnknown() {
		return "", false, diags
	}
	in := baseline.TrustInputs{
		Services:   stringsFromSet(ctx, m.TrustedServices, &diags),
		AccountIDs: stringsFromSet(ctx, m.TrustedAccountIDs, &diags),
		RequireMFA: m.RequireMFA.ValueBool(),
		ExternalID: m.ExternalID.ValueString(),
	}
	doc, err := baseline.TrustPolicyFor(partitionOf(r.client), in).JSON()
	if err != nil {
		diags.AddError("Cannot render the trust policy", err.Error())
		return "", false, diags
	}
	return doc, true, diags
}

// ModifyPlan fills the computed trust_policy, instance_profile_arn and tags_all, keeping what the
// state holds when it means the same.
func (r *serviceRoleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan serviceRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *serviceRoleModel
	if !req.State.Raw.IsNull() {
		state = &serviceRoleModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	if state == nil && !plan.Name.IsUnknown() && r.client != nil {
		// A create whose name is taken by a role this resource cannot adopt fails now, not at
		// apply (see baseline.AdoptionRefusal); the create checks again with point reads.
		if snap, err := r.client.PlanSnapshot(ctx); err == nil {
			if evidence, exists := snap.RoleOwnership(plan.Name.ValueString(), nil); exists {
				if refusal := baseline.AdoptionRefusal("iambaseline_service_role", evidence); refusal != nil {
					resp.Diagnostics.AddAttributeError(path.Root("name"), "The IAM role already exists", refusal.Error())
					return
				}
			}
		}
	}

	trust := types.StringUnknown()
	if doc, known, diags := r.desiredTrustPolicy(ctx, plan); known {
		resp.Diagnostics.Append(diags...)
		trust = types.StringValue(doc)
		if state != nil && trustGrantsTheSame(state.TrustPolicy.ValueString(), doc) {
			// Same meaning (Sids are labels): an adopted console-made role shows no change.
			trust = state.TrustPolicy
		}
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("trust_policy"), trust)...)

	profile := types.StringUnknown()
	switch {
	case plan.CreateInstanceProfile.IsUnknown():
	case !plan.CreateInstanceProfile.ValueBool():
		profile = types.StringNull()
	case state != nil && !state.InstanceProfileARN.IsNull() && state.Name.Equal(plan.Name) && state.Path.Equal(plan.Path):
		profile = state.InstanceProfileARN
	}
	if profile.IsUnknown() {
		profile = r.plannedProfileARN(ctx, plan)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("instance_profile_arn"), profile)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("instance_profile_name"), plannedProfileName(plan, profile))...)
	if state == nil || !state.Name.Equal(plan.Name) || !state.Path.Equal(plan.Path) {
		r.planRoleIdentity(ctx, plan, resp)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tags_all"), plannedTagsAll(r.client, plan.Tags))...)
}
