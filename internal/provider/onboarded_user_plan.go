package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// ValidateConfig checks the deliveries of the temporary password that no attribute validator can:
// at most one of them. Whether one is needed at all is decided at plan time (planDelivery), where the
// prior state tells whether a password is about to be set: an imported user whose login profile
// exists keeps their password and needs none.
func (r *onboardedUserResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var console, store types.Bool
	var pgp, wo types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("console_access"), &console)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("store_password_in_state"), &store)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("pgp_key"), &pgp)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("temporary_password_wo"), &wo)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if console.IsUnknown() || store.IsUnknown() {
		return // decided at plan time, when the values are known
	}
	chosen := chosenDeliveries(pgp, wo, store)
	consoleOn := console.IsNull() || console.ValueBool()
	switch {
	case consoleOn && len(chosen) > 1:
		resp.Diagnostics.AddAttributeError(path.Root(chosen[1]), "More than one delivery chosen for the temporary password",
			fmt.Sprintf("%s are all set; keep exactly one. %s", baseline.JoinWords(chosen), deliveryChoices))
	case !consoleOn && len(chosen) > 0:
		resp.Diagnostics.AddAttributeWarning(path.Root(chosen[0]), "No temporary password without console access",
			fmt.Sprintf("console_access is false, so %s has no effect until console access is enabled.", baseline.JoinWords(chosen)))
	}
	var version types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("temporary_password_wo_version"), &version)...)
	if !wo.IsNull() && version.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("temporary_password_wo_version"), "Set temporary_password_wo_version",
			"temporary_password_wo is write-only, so Terraform cannot see when it changes: set temporary_password_wo_version = 1 and increase it whenever you set a new temporary password.")
	}
}

// ModifyPlan keeps the computed attributes known wherever the outcome is certain, so that a plan
// shows only what really changes: status attributes (MFA, last use, checklist) keep their refreshed
// value, the password outputs become unknown only when a new password will be set, and the
// checklist and instructions are recomputed from the planned values when an argument changes.
func (r *onboardedUserResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if r.claimUserName(ctx, req.Plan, !req.State.Raw.IsNull(), &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	if r.planUnchanged(ctx, req) {
		return
	}
	plan, config, ok := plannedAndConfigured(ctx, req.Plan, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	var state onboardedUserModel
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	// A caller-supplied password is checked only when it is about to be set.
	settingPassword := !plan.ConsoleAccess.IsUnknown() && !plan.Status.IsUnknown() && consoleEffective(&plan) &&
		(req.State.Raw.IsNull() || newPasswordNeeded(&plan, &state))
	if settingPassword && !deliveryChosen(&config) {
		addNoDeliveryError(&resp.Diagnostics, req.State.Raw.IsNull())
		return
	}
	r.checkPlanAgainstAccount(ctx, &plan, &config, settingPassword, resp)
	if req.State.Raw.IsNull() || !plan.Groups.Equal(state.Groups) {
		r.checkGroupsExist(ctx, plan.Groups, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	// The provider's default_tags with the own tags, so that a change of default_tags (or a tag
	// changed out of band, which the refresh put into the state) shows as a change.
	plan.TagsAll = plannedTagsAll(r.client, plan.Tags, baseline.RecordTagKeys...)

	if req.State.Raw.IsNull() {
		// Create: what is certain now.
		if !plan.UserName.IsUnknown() {
			plan.ID = plan.UserName
			if r.checkNameFree(ctx, plan.UserName.ValueString(), resp); resp.Diagnostics.HasError() {
				return
			}
		}
		if r.client != nil {
			if id, err := r.client.AccountID(ctx); err == nil {
				plan.ConsoleSignInURL = types.StringValue(baseline.ConsoleSignInURL(partitionOf(r.client), id))
			}
		}
		r.planPasswordOutputs(&plan, nil, !plan.ConsoleAccess.IsUnknown() && !plan.Status.IsUnknown() && consoleEffective(&plan))
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}

	// Everything computed starts from the refreshed state.
	plan.ID = plan.UserName
	plan.ARN = state.ARN
	plan.UniqueID = state.UniqueID
	plan.CreatedAt = state.CreatedAt
	plan.MFAEnabled = state.MFAEnabled
	plan.MFADevices = state.MFADevices
	plan.PasswordLastUsed = state.PasswordLastUsed
	plan.ConsoleSignInURL = state.ConsoleSignInURL
	plan.OnboardingChecklist = state.OnboardingChecklist
	plan.OnboardingInstructions = state.OnboardingInstructions
	plan.EncryptedTemporaryPassword = state.EncryptedTemporaryPassword
	plan.KeyFingerprint = state.KeyFingerprint
	plan.TemporaryPassword = state.TemporaryPassword

	if !argumentsChanged(&plan, &state) {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	if !plan.UserName.Equal(state.UserName) || !plan.Path.Equal(state.Path) {
		plan.ARN = types.StringUnknown()
	}
	if plan.ConsoleAccess.IsUnknown() || plan.Status.IsUnknown() || plan.TemporaryPasswordWOVersion.IsUnknown() {
		plan.EncryptedTemporaryPassword = types.StringUnknown()
		plan.KeyFingerprint = types.StringUnknown()
		plan.TemporaryPassword = types.StringUnknown()
		plan.OnboardingChecklist = types.ObjectUnknown(checklistAttrTypes)
		plan.OnboardingInstructions = types.StringUnknown()
	} else {
		r.planPasswordOutputs(&plan, &state, consoleEffective(&plan))
		var groups []string
		if !plan.Groups.IsUnknown() {
			groups = stringsFromSet(ctx, plan.Groups, &resp.Diagnostics)
		}
		if plan.Groups.IsUnknown() || plan.FullName.IsUnknown() || plan.UserName.IsUnknown() || plan.PGPKey.IsUnknown() {
			plan.OnboardingInstructions = types.StringUnknown()
		} else {
			plan.OnboardingInstructions = plan.instructions(state.ConsoleSignInURL.ValueString(), plan.UserName.ValueString(), groups, consoleEffective(&plan))
		}
		plan.OnboardingChecklist = plannedChecklist(&plan, &state).value()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// planUnchanged is the refresh's common case, without converting the three models: the proposed
// plan is the refreshed state (nothing in the configuration differs from it), so no argument
// changes, no password is set and no group is new; only the provider's default_tags can still
// change tags_all. It reports true when the plan may stay as it is.
func (r *onboardedUserResource) planUnchanged(ctx context.Context, req resource.ModifyPlanRequest) bool {
	if req.State.Raw.IsNull() || !req.Plan.Raw.Equal(req.State.Raw) {
		return false
	}
	var tags, tagsAll types.Map
	diags := req.State.GetAttribute(ctx, path.Root("tags"), &tags)
	diags.Append(req.State.GetAttribute(ctx, path.Root("tags_all"), &tagsAll)...)
	if diags.HasError() {
		return false // the full path reports it
	}
	return plannedTagsAll(r.client, tags, baseline.RecordTagKeys...).Equal(tagsAll)
}

// checkPlanAgainstAccount checks what needs the account: the tag quota with the provider's default
// tags, and a caller-supplied password against the account password policy (without ever quoting it).
func (r *onboardedUserResource) checkPlanAgainstAccount(ctx context.Context, plan, config *onboardedUserModel, settingPassword bool, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	if !plan.Tags.IsUnknown() {
		own := stringMapFrom(ctx, plan.Tags, &resp.Diagnostics)
		all := r.client.MergeTags(own)
		n := len(all) + 2
		if plan.JobTitle.ValueString() != "" {
			n++
		}
		if n > maxUserTags {
			keys := make([]string, 0, len(r.client.DefaultTags))
			for k := range r.client.DefaultTags {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			resp.Diagnostics.AddAttributeError(path.Root("tags"), "Too many tags",
				fmt.Sprintf("The user would carry %d tags (tags, the provider's default_tags %s and the record tags FullName, Email and, when job_title is set, JobTitle); IAM allows %d. Remove some tags.", n, baseline.JoinWords(keys), maxUserTags))
		}
	}
	if !settingPassword || config.TemporaryPasswordWO.IsNull() || config.TemporaryPasswordWO.IsUnknown() {
		return
	}
	policy, err := r.client.PasswordPolicy(ctx)
	if err != nil || policy.Default {
		return // AWS checks it at apply
	}
	if err := policy.Rules().Check(config.TemporaryPasswordWO.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("temporary_password_wo"), "Temporary password does not meet the account password policy",
			fmt.Sprintf("The account password policy asks for at least %d characters%s. Supply a password that meets it (the value is not shown here).",
				policy.MinimumLength, policy.Rules().Requirements()))
	}
}

// deliveryChoices is how a temporary password can be delivered, for the diagnostics.
const deliveryChoices = "Choose exactly one way to deliver the temporary console password:\n" +
	"  - pgp_key = \"<base64 or ASCII-armored public key of the person>\": the generated password is stored only encrypted, in encrypted_temporary_password (recommended);\n" +
	"  - temporary_password_wo = <password> with temporary_password_wo_version = 1 (Terraform >= 1.11): you supply the password and nothing lands in the state;\n" +
	"  - store_password_in_state = true: the generated password is kept in the state as the sensitive temporary_password.\n" +
	"Or set console_access = false for a user without console access."

// chosenDeliveries names the deliveries a configuration sets (unknown values count as set).
func chosenDeliveries(pgp, wo types.String, store types.Bool) []string {
	var chosen []string
	if !pgp.IsNull() {
		chosen = append(chosen, "pgp_key")
	}
	if !wo.IsNull() {
		chosen = append(chosen, "temporary_password_wo")
	}
	if store.IsUnknown() || store.ValueBool() {
		chosen = append(chosen, "store_password_in_state")
	}
	return chosen
}

// deliveryChosen tells whether the configuration says how a new temporary password is delivered.
func deliveryChosen(config *onboardedUserModel) bool {
	return len(chosenDeliveries(config.PGPKey, config.TemporaryPasswordWO, config.StorePasswordInState)) > 0
}

// addNoDeliveryError is the plan-time error for a temporary password about to be set (a create with
// console access, console access turned on, temporary_password_wo_version set or changed) without a
// delivery. Only then is one needed: a user whose login profile exists (an imported one, or one whose
// password was delivered before) keeps their password, and nothing is generated.
func addNoDeliveryError(diags *diag.Diagnostics, create bool) {
	why := "console_access is true (the default), so this apply sets a temporary password, but no way to deliver it is set. "
	if !create {
		why = "This apply sets a new temporary password (console access is turned on, or temporary_password_wo_version is set or changed), " +
			"but no way to deliver it is set. "
	}
	diags.AddAttributeError(path.Root("console_access"), "No delivery chosen for the temporary password", why+deliveryChoices+"\n"+
		"A user whose console password already exists (for example an imported one) needs no delivery until a new temporary password is set.")
}

// consoleEffective tells whether the configuration wants a login profile now.
func consoleEffective(m *onboardedUserModel) bool {
	return (m.ConsoleAccess.IsNull() || m.ConsoleAccess.ValueBool()) && m.Status.ValueString() != statusSuspended
}

// newPasswordNeeded: console access is (re)enabled, or the caller asked for a new password.
func newPasswordNeeded(plan, state *onboardedUserModel) bool {
	return !consoleEffective(state) || !plan.TemporaryPasswordWOVersion.Equal(state.TemporaryPasswordWOVersion)
}

// argumentsChanged compares what the configuration sets (the write-only password excluded: it is
// never in the state).
func argumentsChanged(plan, state *onboardedUserModel) bool {
	return !plan.UserName.Equal(state.UserName) || !plan.FullName.Equal(state.FullName) || !plan.Email.Equal(state.Email) ||
		!plan.JobTitle.Equal(state.JobTitle) || !plan.Groups.Equal(state.Groups) || !plan.Path.Equal(state.Path) ||
		!plan.PermissionsBoundary.Equal(state.PermissionsBoundary) || !plan.ConsoleAccess.Equal(state.ConsoleAccess) ||
		!plan.PGPKey.Equal(state.PGPKey) || !plan.TemporaryPasswordWOVersion.Equal(state.TemporaryPasswordWOVersion) ||
		!plan.StorePasswordInState.Equal(state.StorePasswordInState) || !plan.PasswordLength.Equal(state.PasswordLength) ||
		!plan.Status.Equal(state.Status) || !plan.ForceDestroy.Equal(state.ForceDestroy) || !plan.Tags.Equal(state.Tags)
}

// plannedChecklist is the checklist once the apply has done its work. state is nil for a create.
// password_reset_required is true when this apply sets a temporary password, else it keeps what the
// state says (an imported person who already chose their password stays false).
func plannedChecklist(plan, state *onboardedUserModel) checklistModel {
	console := consoleEffective(plan)
	reset := console
	mfa := plan.MFAEnabled.ValueBool()
	if state != nil {
		mfa = state.MFAEnabled.ValueBool()
		if console && !newPasswordNeeded(plan, state) {
			prior, _ := checklistFrom(state.OnboardingChecklist)
			reset = prior.PasswordResetRequired
		}
	}
	return checklistModel{
		UserCreated:           true,
		GroupsAssigned:        true,
		ConsoleAccess:         console,
		PasswordResetRequired: reset,
		MFAEnabled:            mfa,
		RecordTagged:          true,
	}
}

// planPasswordOutputs decides the password outputs: null where there is no such delivery or no
// console access, unknown where a new password will be set, else unchanged.
func (r *onboardedUserResource) planPasswordOutputs(plan, state *onboardedUserModel, console bool) {
	rotate := console && (state == nil || newPasswordNeeded(plan, state))
	pgp := func(v types.String) types.String {
		switch {
		case !console || plan.PGPKey.IsNull():
			return types.StringNull()
		case rotate || plan.PGPKey.IsUnknown():
			return types.StringUnknown()
		}
		return v
	}
	var prevEnc, prevFP, prevPW types.String
	if state != nil {
		prevEnc, prevFP, prevPW = state.EncryptedTemporaryPassword, state.KeyFingerprint, state.TemporaryPassword
	}
	plan.EncryptedTemporaryPassword = pgp(prevEnc)
	plan.KeyFingerprint = plannedKeyFingerprint(plan.PGPKey, pgp(prevFP))
	switch {
	case !console || !plan.StorePasswordInState.ValueBool():
		plan.TemporaryPassword = types.StringNull()
	case rotate:
		plan.TemporaryPassword = types.StringUnknown()
	default:
		plan.TemporaryPassword = prevPW
	}
}

// checkNameFree fails the plan of a create whose user_name the account already uses for a user this
// resource cannot adopt (baseline.AdoptionRefusal): at apply time it is too late, because Terraform
// runs the destroy of a re-keyed instance in parallel with this create. It reads the snapshot the
// process already has (one bulk read per plan, none per user); the create checks again with point
// reads.
func (r *onboardedUserResource) checkNameFree(ctx context.Context, name string, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	snap, err := r.client.CachedSnapshot(ctx)
	if err != nil {
		return // the create checks with point reads
	}
	if evidence, exists, err := snap.UserOwnership(ctx, name); err == nil && exists {
		if refusal := baseline.AdoptionRefusal(userResourceType, evidence); refusal != nil {
			resp.Diagnostics.AddAttributeError(path.Root("user_name"), "The IAM user already exists", refusal.Error())
		}
	}
}

// checkGroupsExist fails the plan for a group name that is known now but that neither exists in
// the account (the snapshot) nor is created by a baseline of this run, naming the closest existing
// group: a typo found at plan time instead of an apply that creates the user and then fails.
func (r *onboardedUserResource) checkGroupsExist(ctx context.Context, groups types.Set, diags *diag.Diagnostics) {
	if r.client == nil || groups.IsNull() || groups.IsUnknown() {
		return
	}
	var wanted []string
	for _, v := range groups.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsUnknown() || s.IsNull() {
			continue // decided at apply time
		}
		wanted = append(wanted, s.ValueString())
	}
	// Groups a baseline of this run has (it was planned first: the user uses its group_names) need
	// no request; only the others are looked up in the account.
	planned := r.plans.plannedGroups()
	wanted = slices.DeleteFunc(wanted, func(g string) bool { return slices.Contains(planned, g) })
	if len(wanted) == 0 {
		return
	}
	// A stale view is enough: groups created in this run by baselines are in the registry, and the
	// check must not cost a bulk read per user during an apply.
	snap, err := r.client.CachedSnapshot(ctx)
	if err != nil {
		return // the apply says what is wrong
	}
	known := append(snap.GroupNames(), planned...)
	for _, g := range wanted {
		if slices.Contains(known, g) {
			continue
		}
		at := path.Root("groups")
		if i := slices.IndexFunc(known, func(k string) bool { return strings.EqualFold(k, g) }); i >= 0 {
			diags.AddAttributeError(at, "Group name in the wrong case",
				fmt.Sprintf("The group %q is called %q in IAM: write it exactly that way, or better, use the group_names output of its "+
					"iambaseline_startup_group_baseline.", g, known[i]))
			continue
		}
		hint := "Check the spelling"
		if closest, near := baseline.Closest(g, known); near {
			hint = fmt.Sprintf("Did you mean %q? Fix the name", closest)
		}
		diags.AddAttributeError(at, "Group does not exist",
			fmt.Sprintf("The IAM group %q does not exist. %s, or take it from the group_names of an iambaseline_startup_group_baseline "+
				"(e.g. iambaseline_startup_group_baseline.this.group_names[\"Developers\"]), which also orders the apply. If a resource of another "+
				"provider creates this group in the same apply, create it first (terraform apply -target=<that resource>).", g, hint))
	}
}
