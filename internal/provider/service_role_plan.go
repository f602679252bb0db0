package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
type instanceProfileDefault struct{ describedAs }

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
	noAccounts := isEmptySet(m.TrustedAccountIDs) && isEmptySet(m.TrustedPrincipalARNs)
	if noServices && noAccounts {
		resp.Diagnostics.AddAttributeError(path.Root("trusted_services"), "Role trusts no one",
			"A service role needs at least one trust source: set trusted_services (e.g. [\"ec2.amazonaws.com\"]), "+
				"trusted_account_ids (12-digit account IDs) or trusted_principal_arns (role or user ARNs).")
	}
	if noAccounts && m.RequireMFA.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("require_mfa"), "require_mfa needs trusted_account_ids or trusted_principal_arns",
			"Services cannot present MFA: require_mfa applies to the principals of trusted_account_ids and trusted_principal_arns. "+
				"Set one of them or remove require_mfa.")
	}
	if noAccounts && !m.ExternalID.IsNull() && !m.ExternalID.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("external_id"), "external_id needs trusted_account_ids or trusted_principal_arns",
			"Services cannot present an external ID: external_id applies to the principals of trusted_account_ids and trusted_principal_arns. "+
				"Set one of them or remove external_id.")
	}
	validateSourceARNs(ctx, m, &resp.Diagnostics)
	validateTrustThatCannotMatch(ctx, m, &resp.Diagnostics)
	warnAppRoleWithoutBoundary(m, &resp.Diagnostics)
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
	// The account may not be known yet (validation runs before the provider is configured): any
	// account renders the same conditions for the linter.
	if doc, known, diags := r.desiredTrustPolicy(ctx, m, lintAccountID); known && !diags.HasError() {
		addPolicyLintDiagnostics(&resp.Diagnostics, path.Root("trust_policy"), doc, lint.Options{Kind: lint.KindTrustPolicy})
	}
}

// lintAccountID stands in for the account while validation lints the trust policy.
const lintAccountID = "123456789012"

// desiredTrustPolicy renders the trust policy from the trust arguments for a role of account;
// known is false while any of them is unknown, or the account is and a condition needs it.
func (r *serviceRoleResource) desiredTrustPolicy(ctx context.Context, m serviceRoleModel, account string) (string, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m.TrustedServices.IsUnknown() || m.TrustedAccountIDs.IsUnknown() || m.TrustedPrincipalARNs.IsUnknown() ||
		m.RequireMFA.IsUnknown() || m.ExternalID.IsUnknown() || m.ConfusedDeputy.IsUnknown() || m.SourceARNs.IsUnknown() {
		return "", false, diags
	}
	in := baseline.TrustInputs{
		Services:                 stringsFromSet(ctx, m.TrustedServices, &diags),
		AccountIDs:               stringsFromSet(ctx, m.TrustedAccountIDs, &diags),
		PrincipalARNs:            stringsFromSet(ctx, m.TrustedPrincipalARNs, &diags),
		RequireMFA:               m.RequireMFA.ValueBool(),
		ExternalID:               m.ExternalID.ValueString(),
		ConfusedDeputyProtection: m.ConfusedDeputy.IsNull() || m.ConfusedDeputy.ValueBool(),
		SourceAccount:            account,
		SourceARNs:               stringsFromSet(ctx, m.SourceARNs, &diags),
	}
	if account == "" && in.ConfusedDeputyProtection && baseline.ConfusedDeputyDecided(in.Services) {
		return "", false, diags
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

	if !plan.Name.IsUnknown() {
		if claimRoleName(r.plans, plan.Name.ValueString(), plan.Path.ValueString(), state != nil, &resp.Diagnostics); resp.Diagnostics.HasError() {
			return
		}
	}
	if state == nil && !plan.Name.IsUnknown() && r.client != nil {
		// A create whose name is taken by a role this resource cannot adopt fails now, not at
		// apply (see baseline.AdoptionRefusal); the create checks again with point reads.
		if snap, err := r.client.CachedSnapshot(ctx); err == nil {
			if evidence, exists := snap.RoleOwnership(plan.Name.ValueString(), nil); exists {
				if refusal := baseline.AdoptionRefusal("iambaseline_service_role", evidence); refusal != nil {
					resp.Diagnostics.AddAttributeError(path.Root("name"), "The IAM role already exists", refusal.Error())
					return
				}
			}
		}
	}

	if r.checkTrustARNs(ctx, plan, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	trust := types.StringUnknown()
	if doc, known, diags := r.desiredTrustPolicy(ctx, plan, r.trustAccount(ctx, plan)); known {
		resp.Diagnostics.Append(diags...)
		trust = types.StringValue(doc)
		if state != nil && trustGrantsTheSame(state.TrustPolicy.ValueString(), doc, partitionOf(r.client)) {
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

func isEmptySet(s types.Set) bool {
	return s.IsNull() || (!s.IsUnknown() && len(s.Elements()) == 0)
}

// validateSourceARNs checks source_arns against the other trust arguments: they need confused-deputy
// protection, and every trusted service must send aws:SourceArn and have an ARN to match, or IAM
// would refuse it every time.
func validateSourceARNs(ctx context.Context, m serviceRoleModel, diags *diag.Diagnostics) {
	if isEmptySet(m.SourceARNs) {
		return
	}
	at := path.Root("source_arns")
	if !m.ConfusedDeputy.IsNull() && !m.ConfusedDeputy.IsUnknown() && !m.ConfusedDeputy.ValueBool() {
		diags.AddAttributeError(at, "source_arns needs confused_deputy_protection",
			"source_arns narrows the confused-deputy condition, which confused_deputy_protection = false turns off. "+
				"Remove source_arns or set confused_deputy_protection = true.")
		return
	}
	if m.TrustedServices.IsUnknown() || m.SourceARNs.IsUnknown() {
		return
	}
	services := stringsFromSet(ctx, m.TrustedServices, diags)
	var unsupported []string
	for _, s := range services {
		if !baseline.SendsSourceContext(s) {
			unsupported = append(unsupported, s)
		}
	}
	switch {
	case len(services) == 0:
		diags.AddAttributeError(at, "source_arns needs trusted_services",
			"aws:SourceArn is sent by AWS services acting on your behalf; set trusted_services or remove source_arns.")
	case len(unsupported) > 0:
		diags.AddAttributeError(at, "A trusted service does not send aws:SourceArn",
			fmt.Sprintf("%s is not documented to send aws:SourceArn when it assumes a role, so the condition would refuse it every time. "+
				"Put it in a role of its own without source_arns, or remove source_arns. Services that send it: %s.",
				strings.Join(unsupported, ", "), sourceContextServiceNames()))
	default:
		if missing := baseline.ServicesWithoutSourceARN(services, stringsFromSet(ctx, m.SourceARNs, diags)); len(missing) > 0 {
			diags.AddAttributeError(at, "A trusted service has no source ARN",
				fmt.Sprintf("No ARN of source_arns can match a resource of %s, so the condition would refuse it every time. "+
					"Add an ARN (or a pattern such as arn:aws:<service>:*:<account>:*) for it, or trust it in a role of its own.", strings.Join(missing, ", ")))
		}
	}
}

// validateTrustThatCannotMatch reports trust arguments IAM accepts but that do not do what they say,
// from the configuration alone (before any API call):
//   - require_mfa with an IAM role in trusted_principal_arns is an error: a role session never carries
//     MFA, so the role could never assume this one (baseline.PrincipalsThatNeverCarryMFA);
//   - require_mfa with a whole account (trusted_account_ids, or an account root) is a warning: it is
//     AWS's documented cross-account pattern and lets that account's IAM users in with MFA, but it
//     refuses every role session of the account, IAM Identity Center's included, which is easy to miss;
//   - confused_deputy_protection = false is a warning naming the trusted services that lose
//     aws:SourceAccount (none lose anything: no warning).
func validateTrustThatCannotMatch(ctx context.Context, m serviceRoleModel, diags *diag.Diagnostics) {
	if m.RequireMFA.ValueBool() && !m.TrustedPrincipalARNs.IsUnknown() && !m.TrustedAccountIDs.IsUnknown() {
		principals := stringsFromSet(ctx, m.TrustedPrincipalARNs, diags)
		if roles := baseline.PrincipalsThatNeverCarryMFA(principals); len(roles) > 0 {
			diags.AddAttributeError(path.Root("trusted_principal_arns"), "require_mfa can never match a role principal",
				fmt.Sprintf("require_mfa allows only requests made with MFA (aws:MultiFactorAuthPresent = true), and a role session "+
					"never carries MFA: AssumeRole takes an MFA code from a user's own device, and the credentials it returns hold no "+
					"MFA context. So %s could never assume this role. Trust the IAM users who sign in with MFA instead "+
					"(arn:aws:iam::<account>:user/<name> in trusted_principal_arns, or their account in trusted_account_ids), or "+
					"remove require_mfa here and require MFA where people start (in the trust policy of %s).",
					baseline.JoinWords(roles), forCount(len(roles), "that role's", "those roles'")))
		}
		if accounts := baseline.TrustedAccountsOf(stringsFromSet(ctx, m.TrustedAccountIDs, diags), principals); len(accounts) > 0 {
			diags.AddAttributeWarning(path.Root("require_mfa"), "require_mfa admits only IAM users of the trusted accounts",
				fmt.Sprintf("With require_mfa, only IAM users of %s %s who signed in with MFA can assume this role: every role session "+
					"of %s is refused, since a role session never carries MFA. That includes people who sign in through IAM "+
					"Identity Center (their sessions are roles) and CI or workloads that use roles. If that is what you want, "+
					"nothing needs changing. If people reach this role from such a role, list it in trusted_principal_arns in a "+
					"role without require_mfa, and require MFA where they sign in (Identity Center's MFA settings, or the first "+
					"role's trust policy).",
					forCount(len(accounts), "account", "accounts"), baseline.JoinWords(accounts), forCount(len(accounts), "that account", "those accounts")))
		}
	}
	if !m.ConfusedDeputy.IsNull() && !m.ConfusedDeputy.IsUnknown() && !m.ConfusedDeputy.ValueBool() && !m.TrustedServices.IsUnknown() {
		if lost := baseline.ServicesLosingSourceAccount(stringsFromSet(ctx, m.TrustedServices, diags)); len(lost) > 0 {
			diags.AddAttributeWarning(path.Root("confused_deputy_protection"), "Trusted services lose confused-deputy protection",
				fmt.Sprintf("confused_deputy_protection = false removes the aws:SourceAccount condition (this account) from %s: "+
					"%s would then assume this role on behalf of any AWS account, so another AWS customer who learns the role's "+
					"ARN could have %s act with its permissions (the cross-service confused deputy). Remove "+
					"confused_deputy_protection = false unless a service refuses the condition; if one does, give it a role of its "+
					"own and keep the protection here.",
					baseline.JoinWords(lost), forCount(len(lost), "that service", "those services"), forCount(len(lost), "it", "them")))
		}
	}
}

// forCount is the wording of a diagnostic about n things: one when n is 1, else many.
func forCount(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// checkTrustARNs checks what needs the account and its partition: the partition of
// trusted_principal_arns, and the partition, account and service of source_arns.
func (r *serviceRoleResource) checkTrustARNs(ctx context.Context, plan serviceRoleModel, diags *diag.Diagnostics) {
	partition := partitionOf(r.client)
	if !plan.TrustedPrincipalARNs.IsUnknown() {
		for _, arn := range stringsFromSet(ctx, plan.TrustedPrincipalARNs, diags) {
			if msg := baseline.TrustedPrincipalProblem(arn, partition); msg != "" {
				diags.AddAttributeError(path.Root("trusted_principal_arns"), "Invalid trusted principal", msg+".")
			}
		}
	}
	if plan.SourceARNs.IsUnknown() || plan.TrustedServices.IsUnknown() {
		return
	}
	services := stringsFromSet(ctx, plan.TrustedServices, diags)
	arns := stringsFromSet(ctx, plan.SourceARNs, diags)
	if len(arns) == 0 {
		return
	}
	account := r.plannedAccount(ctx)
	for _, arn := range arns {
		if msg := baseline.SourceARNProblem(arn, partition, account, services); msg != "" {
			diags.AddAttributeError(path.Root("source_arns"), "Invalid source ARN", msg+
				": give the ARN (or an ARN pattern) of this account's resources that the trusted service acts for.")
		}
	}
}

func sourceContextServiceNames() string {
	names := make([]string, 0, len(baseline.SourceContextServices))
	for _, s := range baseline.SourceContextServices {
		names = append(names, s.Principal)
	}
	return strings.Join(names, ", ")
}

// trustAccount is the account ID when the trust policy needs it (a trusted service gets the
// confused-deputy condition), else "": a role without one costs no STS call.
func (r *serviceRoleResource) trustAccount(ctx context.Context, plan serviceRoleModel) string {
	if plan.TrustedServices.IsUnknown() || (!plan.ConfusedDeputy.IsNull() && !plan.ConfusedDeputy.IsUnknown() && !plan.ConfusedDeputy.ValueBool()) {
		return ""
	}
	var diags diag.Diagnostics
	if !baseline.ConfusedDeputyDecided(stringsFromSet(ctx, plan.TrustedServices, &diags)) {
		return ""
	}
	return r.plannedAccount(ctx)
}

// warnAppRoleWithoutBoundary: a role under the app role path (/app/) is one the startup group
// baseline's Developers may pass to the app's services and change, and may create only with the
// baseline's app permissions boundary. Without a permissions_boundary it is capped by nothing but its
// own policies, and a Developer's apply of it is denied. A warning, not an error: an administrator
// may make such a role on purpose (the app scope's contract: no broader than the app), and a
// configuration written before the boundary existed keeps planning.
func warnAppRoleWithoutBoundary(m serviceRoleModel, diags *diag.Diagnostics) {
	if m.Path.IsUnknown() || m.Path.IsNull() || !m.PermissionsBoundary.IsNull() {
		return
	}
	if !strings.HasPrefix(m.Path.ValueString(), baseline.DeveloperPassRolePath) {
		return
	}
	diags.AddAttributeWarning(path.Root("permissions_boundary"), "App role without the app permissions boundary",
		fmt.Sprintf("This role is under %s, the app role path of iambaseline_startup_group_baseline: Developers may pass it to the "+
			"app's services and change its trust and policies, and may create a role there only with the baseline's app "+
			"permissions boundary, so a Developer's apply of this configuration is denied. Set "+
			"permissions_boundary = iambaseline_startup_group_baseline.<name>.app_boundary_policy_arn (the policy "+
			"<name_prefix>%s) so that the role can never do more than the app, or, for a role an administrator makes on "+
			"purpose, make sure its permissions are no broader than the app's.", baseline.DeveloperPassRolePath, baseline.AppBoundaryPolicySuffix))
}
