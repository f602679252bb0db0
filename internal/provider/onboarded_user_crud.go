package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

func (r *onboardedUserResource) requireClient(diags *diag.Diagnostics) bool {
	if r.client == nil {
		diags.AddError("Provider not configured", "The iambaseline provider was not configured; please report this issue.")
		return false
	}
	return true
}

func (r *onboardedUserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer logCalls(ctx, r.client, "onboarded_user.Create")
	if !r.requireClient(&resp.Diagnostics) {
		return
	}
	var plan, config onboardedUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.UserName.ValueString()
	groups := setOf(ctx, plan.Groups, &resp.Diagnostics)
	tags := desiredTags(ctx, r.client, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	info, adopted, err := r.createOrAdopt(ctx, &plan, tags, groups)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the onboarded user", err.Error())
		return
	}
	if !adopted {
		if err := r.client.AddUserToGroups(ctx, name, groups); err != nil {
			resp.Diagnostics.AddError("Cannot add the user to its groups", err.Error()+
				"\n\nThe IAM user exists; applying again adopts it and finishes the onboarding.")
			return
		}
	}

	console := consoleEffective(&plan)
	plan.EncryptedTemporaryPassword, plan.KeyFingerprint, plan.TemporaryPassword = types.StringNull(), types.StringNull(), types.StringNull()
	switch {
	case console:
		if !r.setPassword(ctx, name, &plan, config.TemporaryPasswordWO, &resp.Diagnostics) {
			return
		}
	case adopted:
		if err := r.client.DeleteLoginProfile(ctx, name); err != nil {
			resp.Diagnostics.AddError("Cannot remove console access", err.Error())
			return
		}
	}
	if adopted && plan.Status.ValueString() == statusSuspended {
		if _, err := r.client.DeactivateAccessKeys(ctx, name); err != nil {
			resp.Diagnostics.AddError("Cannot suspend the user's access keys", err.Error())
			return
		}
	}

	accountID, err := r.client.AccountID(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the account ID", fmt.Sprintf("reading the account ID for the console sign-in URL: %v", err))
		return
	}
	plan.ID = types.StringValue(name)
	plan.TagsAll = tagsAllValue(tags, recordTagKeys...)
	plan.ARN = types.StringValue(info.ARN)
	plan.UniqueID = types.StringValue(info.UserID)
	plan.CreatedAt = types.StringValue(info.CreateDate.UTC().Format(time.RFC3339))
	plan.ConsoleSignInURL = types.StringValue(consoleSignInURL(accountID))
	plan.PasswordLastUsed = types.StringNull()
	if info.PasswordLastUsed != nil {
		plan.PasswordLastUsed = types.StringValue(info.PasswordLastUsed.UTC().Format(time.RFC3339))
	}
	var mfa []string
	if adopted {
		devices, err := r.client.ListUserMFADevices(ctx, name)
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the user's MFA devices", err.Error())
			return
		}
		for _, d := range devices {
			mfa = append(mfa, d.SerialNumber)
		}
		slices.Sort(mfa)
	}
	plan.MFAEnabled = types.BoolValue(len(mfa) > 0)
	plan.MFADevices = stringList(mfa)
	plan.OnboardingChecklist = plannedChecklist(&plan, nil).value()
	plan.OnboardingInstructions = types.StringValue(renderOnboardingInstructions(onboardingInputs{
		SignInURL: plan.ConsoleSignInURL.ValueString(), UserName: name, FullName: plan.FullName.ValueString(),
		Groups: groups, Console: console, Suspended: plan.Status.ValueString() == statusSuspended, PGP: !plan.PGPKey.IsNull(),
	}))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// createOrAdopt creates the user. When the name is taken by a user that carries this configuration's
// record (FullName and Email) under the same path, it is the user an interrupted apply created: it is
// adopted and brought to the configuration. Anyone else's user is an error.
func (r *onboardedUserResource) createOrAdopt(ctx context.Context, plan *onboardedUserModel, tags map[string]string, groups []string) (*awsiam.UserInfo, bool, error) {
	name := plan.UserName.ValueString()
	u, err := r.client.CreateUser(ctx, awsiam.CreateUserInput{
		Name: name, Path: plan.Path.ValueString(), PermissionsBoundary: plan.PermissionsBoundary.ValueString(), Tags: tags,
	})
	if err == nil {
		info := &awsiam.UserInfo{
			Name: name, Path: aws.ToString(u.Path), ARN: aws.ToString(u.Arn), UserID: aws.ToString(u.UserId),
			CreateDate: aws.ToTime(u.CreateDate),
		}
		return info, false, nil
	}
	if !awsiam.HasCode(err, "EntityAlreadyExists") {
		return nil, false, err
	}
	existing, ferr := r.client.FindUserInfo(ctx, name)
	if ferr != nil {
		return nil, false, fmt.Errorf("%w (and reading the existing user failed: %v)", err, ferr)
	}
	if existing.Tags[tagFullName] != plan.FullName.ValueString() || existing.Tags[tagEmail] != plan.Email.ValueString() || existing.Path != plan.Path.ValueString() {
		return nil, false, fmt.Errorf("an IAM user named %q already exists and is not this person's (its FullName/Email tags or path differ from the configuration). "+
			"Choose another user_name, or bring the existing user under Terraform with `terraform import iambaseline_onboarded_user.<name> %s`", name, name)
	}
	tflog.Info(ctx, "adopting the IAM user an interrupted apply created", map[string]any{"user_name": name})
	if err := r.client.SyncUserTags(ctx, name, existing.Tags, tags); err != nil {
		return nil, false, err
	}
	if existing.PermissionsBoundary != plan.PermissionsBoundary.ValueString() {
		if err := r.client.SetUserPermissionsBoundary(ctx, name, plan.PermissionsBoundary.ValueString()); err != nil {
			return nil, false, err
		}
	}
	if err := r.syncGroups(ctx, name, existing.Groups, groups); err != nil {
		return nil, false, err
	}
	return existing, true, nil
}

func (r *onboardedUserResource) syncGroups(ctx context.Context, name string, have, want []string) error {
	var add, remove []string
	for _, g := range want {
		if !slices.Contains(have, g) {
			add = append(add, g)
		}
	}
	for _, g := range have {
		if !slices.Contains(want, g) {
			remove = append(remove, g)
		}
	}
	if err := r.client.RemoveUserFromGroups(ctx, name, remove); err != nil {
		return err
	}
	return r.client.AddUserToGroups(ctx, name, add)
}

// setPassword sets a new temporary password (reset required) and records its delivery in plan:
// encrypted with pgp_key, kept in state with the opt-in, or the caller's write-only value.
func (r *onboardedUserResource) setPassword(ctx context.Context, name string, plan *onboardedUserModel, wo types.String, diags *diag.Diagnostics) bool {
	var password string
	if !wo.IsNull() && !wo.IsUnknown() {
		password = wo.ValueString()
	} else {
		policy, err := r.client.PasswordPolicy(ctx)
		if err != nil {
			diags.AddError("Cannot read the account password policy", err.Error())
			return false
		}
		password, err = generatePassword(int(plan.PasswordLength.ValueInt64()), policy)
		if err != nil {
			diags.AddError("Cannot generate the temporary password", err.Error())
			return false
		}
	}
	plan.EncryptedTemporaryPassword, plan.KeyFingerprint, plan.TemporaryPassword = types.StringNull(), types.StringNull(), types.StringNull()
	if !plan.PGPKey.IsNull() {
		key, err := parsePGPKey(plan.PGPKey.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("pgp_key"), "Invalid PGP public key", err.Error())
			return false
		}
		enc, err := encryptForPGPKey(key, password)
		if err != nil {
			diags.AddError("Cannot encrypt the temporary password", err.Error())
			return false
		}
		plan.EncryptedTemporaryPassword = types.StringValue(enc)
		plan.KeyFingerprint = types.StringValue(pgpFingerprint(key))
	}
	if err := r.client.SetLoginProfilePassword(ctx, name, password); err != nil {
		diags.AddError("Cannot give the user console access", err.Error())
		return false
	}
	if plan.StorePasswordInState.ValueBool() && wo.IsNull() {
		plan.TemporaryPassword = types.StringValue(password)
	}
	return true
}

func (r *onboardedUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer logCalls(ctx, r.client, "onboarded_user.Read")
	if !r.requireClient(&resp.Diagnostics) {
		return
	}
	var state onboardedUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.ID.ValueString()
	if name == "" {
		name = state.UserName.ValueString()
	}
	imported := state.ARN.IsNull()
	priorGroups := setOf(ctx, state.Groups, &resp.Diagnostics)

	info, err := r.client.FindUserInSnapshot(ctx, name)
	if awsiam.IsNotFound(err) {
		tflog.Warn(ctx, "IAM user is gone, removing it from the state", map[string]any{"user_name": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the onboarded user", err.Error())
		return
	}
	loginProfile, err := r.client.FindLoginProfile(ctx, name)
	if err != nil && !awsiam.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot read the user's console access", err.Error())
		return
	}
	hasConsole := err == nil
	mfa, err := r.client.FindUserMFA(ctx, name)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the user's MFA devices", err.Error())
		return
	}
	if mfa.ReportError != nil {
		tflog.Debug(ctx, "IAM credential report unavailable, reading MFA devices per user", map[string]any{"user_name": name, "error": mfa.ReportError.Error()})
	}
	accountID, err := r.client.AccountID(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the account ID", err.Error())
		return
	}

	state.ID = types.StringValue(info.Name)
	state.UserName = types.StringValue(info.Name)
	state.Path = types.StringValue(info.Path)
	state.ARN = types.StringValue(info.ARN)
	state.UniqueID = types.StringValue(info.UserID)
	state.CreatedAt = types.StringValue(info.CreateDate.UTC().Format(time.RFC3339))
	state.PermissionsBoundary = nullableString(info.PermissionsBoundary)
	state.FullName = nullableString(info.Tags[tagFullName])
	state.Email = nullableString(info.Tags[tagEmail])
	state.JobTitle = nullableString(info.Tags[tagJobTitle])
	remoteTags := nonRecordTags(info.Tags)
	state.Tags = ownTagsFromRemote(remoteTags, r.client.DefaultTags, state.Tags, state.TagsAll)
	state.TagsAll = tagsAllValue(remoteTags)
	state.Groups = stringSet(info.Groups)

	// Arguments the account cannot tell: their defaults after an import.
	if state.Status.IsNull() {
		state.Status = types.StringValue(statusActive)
	}
	if state.PasswordLength.IsNull() {
		state.PasswordLength = types.Int64Value(defaultPasswordLength)
	}
	if state.StorePasswordInState.IsNull() {
		state.StorePasswordInState = types.BoolValue(false)
	}
	if state.ForceDestroy.IsNull() {
		state.ForceDestroy = types.BoolValue(false)
	}
	// console_access follows the login profile, except while suspended, where it is the intent.
	if state.Status.ValueString() != statusSuspended || state.ConsoleAccess.IsNull() {
		state.ConsoleAccess = types.BoolValue(hasConsole)
	}

	serials := mfa.Serials
	state.MFAEnabled = types.BoolValue(len(serials) > 0)
	state.MFADevices = stringList(serials)
	state.PasswordLastUsed = types.StringNull()
	if info.PasswordLastUsed != nil {
		state.PasswordLastUsed = types.StringValue(info.PasswordLastUsed.UTC().Format(time.RFC3339))
	}
	state.ConsoleSignInURL = types.StringValue(consoleSignInURL(accountID))

	// password_reset_required is the intent sent with the login profile this resource made; only an
	// imported profile reports what AWS says.
	prior, hadChecklist := checklistFrom(state.OnboardingChecklist)
	reset := false
	switch {
	case !hasConsole:
	case hadChecklist && prior.ConsoleAccess && !imported:
		reset = prior.PasswordResetRequired
	default:
		reset = loginProfile.PasswordResetRequired
	}
	assigned := len(info.Groups) > 0
	for _, g := range priorGroups {
		if !slices.Contains(info.Groups, g) {
			assigned = false
		}
	}
	state.OnboardingChecklist = checklistModel{
		UserCreated:           true,
		GroupsAssigned:        assigned,
		ConsoleAccess:         hasConsole,
		PasswordResetRequired: reset,
		MFAEnabled:            len(serials) > 0,
		RecordTagged:          info.Tags[tagFullName] != "" && info.Tags[tagEmail] != "",
	}.value()
	state.OnboardingInstructions = types.StringValue(renderOnboardingInstructions(onboardingInputs{
		SignInURL: state.ConsoleSignInURL.ValueString(), UserName: info.Name, FullName: info.Tags[tagFullName],
		Groups: info.Groups, Console: hasConsole, Suspended: state.Status.ValueString() == statusSuspended, PGP: !state.PGPKey.IsNull(),
	}))
	if imported {
		// Secrets are not importable.
		state.EncryptedTemporaryPassword = types.StringNull()
		state.KeyFingerprint = types.StringNull()
		state.TemporaryPassword = types.StringNull()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *onboardedUserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer logCalls(ctx, r.client, "onboarded_user.Update")
	if !r.requireClient(&resp.Diagnostics) {
		return
	}
	var plan, state, config onboardedUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	oldName, name := state.UserName.ValueString(), plan.UserName.ValueString()

	if oldName != name || !plan.Path.Equal(state.Path) {
		newPath := ""
		if !plan.Path.Equal(state.Path) {
			newPath = plan.Path.ValueString()
		}
		if err := r.client.UpdateUserNameAndPath(ctx, oldName, name, newPath); err != nil {
			resp.Diagnostics.AddError("Cannot rename or move the user", err.Error())
			return
		}
		plan.ARN = types.StringValue(userARN(state.ARN.ValueString(), plan.Path.ValueString(), name))
	}

	// A rename re-asserts the tags too: some IAM implementations (moto) drop them with the old name.
	// tags_all differs when the provider's default_tags changed or a tag changed out of band.
	want := desiredTags(ctx, r.client, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if oldName != name || !plan.FullName.Equal(state.FullName) || !plan.Email.Equal(state.Email) || !plan.JobTitle.Equal(state.JobTitle) ||
		!plan.Tags.Equal(state.Tags) || !plan.TagsAll.Equal(state.TagsAll) || plan.TagsAll.IsUnknown() {
		u, err := r.client.FindUserByName(ctx, name, false)
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the user's tags", err.Error())
			return
		}
		if err := r.client.SyncUserTags(ctx, name, awsiam.TagMap(u.Tags), want); err != nil {
			resp.Diagnostics.AddError("Cannot update the user's tags", err.Error())
			return
		}
	}

	if !plan.PermissionsBoundary.Equal(state.PermissionsBoundary) {
		if err := r.client.SetUserPermissionsBoundary(ctx, name, plan.PermissionsBoundary.ValueString()); err != nil {
			resp.Diagnostics.AddError("Cannot update the permissions boundary", err.Error())
			return
		}
	}

	if !plan.Groups.Equal(state.Groups) {
		have := setOf(ctx, state.Groups, &resp.Diagnostics)
		want := setOf(ctx, plan.Groups, &resp.Diagnostics)
		if err := r.syncGroups(ctx, name, have, want); err != nil {
			resp.Diagnostics.AddError("Cannot update the user's groups", err.Error())
			return
		}
	}

	console, wasConsole := consoleEffective(&plan), consoleEffective(&state)
	switch {
	case console && newPasswordNeeded(&plan, &state):
		if !r.setPassword(ctx, name, &plan, config.TemporaryPasswordWO, &resp.Diagnostics) {
			return
		}
	case !console && wasConsole:
		if err := r.client.DeleteLoginProfile(ctx, name); err != nil {
			resp.Diagnostics.AddError("Cannot remove console access", err.Error())
			return
		}
	}
	if plan.Status.ValueString() == statusSuspended && state.Status.ValueString() != statusSuspended {
		if _, err := r.client.DeactivateAccessKeys(ctx, name); err != nil {
			resp.Diagnostics.AddError("Cannot deactivate the user's access keys", err.Error())
			return
		}
	}
	plan.ID = types.StringValue(name)
	plan.TagsAll = tagsAllValue(want, recordTagKeys...)
	// Whatever the plan could not know yet is known now.
	if plan.OnboardingChecklist.IsUnknown() {
		plan.OnboardingChecklist = plannedChecklist(&plan, &state).value()
	}
	if plan.OnboardingInstructions.IsUnknown() {
		plan.OnboardingInstructions = types.StringValue(renderOnboardingInstructions(onboardingInputs{
			SignInURL: state.ConsoleSignInURL.ValueString(), UserName: name, FullName: plan.FullName.ValueString(),
			Groups: setOf(ctx, plan.Groups, &resp.Diagnostics), Console: console,
			Suspended: plan.Status.ValueString() == statusSuspended, PGP: !plan.PGPKey.IsNull(),
		}))
	}
	for _, v := range []*types.String{&plan.EncryptedTemporaryPassword, &plan.KeyFingerprint, &plan.TemporaryPassword, &plan.ARN} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// userARN is the ARN of a renamed or moved user, derived from its previous ARN without a request.
func userARN(oldARN, userPath, name string) string {
	prefix, _, ok := strings.Cut(oldARN, ":user/")
	if !ok {
		return oldARN
	}
	return prefix + ":user" + userPath + name
}

func (r *onboardedUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	defer logCalls(ctx, r.client, "onboarded_user.Delete")
	if !r.requireClient(&resp.Diagnostics) {
		return
	}
	var state onboardedUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.UserName.ValueString()
	attachments, err := r.client.ListUserAttachments(ctx, name)
	if awsiam.IsNotFound(err) {
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot destroy the onboarded user", err.Error())
		return
	}
	if !attachments.Empty() {
		if !state.ForceDestroy.ValueBool() {
			resp.Diagnostics.AddError("The user has credentials or policies made outside Terraform",
				fmt.Sprintf("IAM user (%s) cannot be deleted while it has %s. Remove them, or set force_destroy = true, apply, and destroy again.",
					name, attachments.Describe()))
			return
		}
		if err := r.client.RemoveUserAttachments(ctx, name, attachments); err != nil {
			resp.Diagnostics.AddError("Cannot remove the user's credentials (force_destroy)", err.Error())
			return
		}
	}
	if err := r.client.DeleteLoginProfile(ctx, name); err != nil {
		resp.Diagnostics.AddError("Cannot remove console access", err.Error())
		return
	}
	groups, err := r.client.ListUserGroups(ctx, name)
	if err != nil && !awsiam.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot read the user's groups", err.Error())
		return
	}
	if err := r.client.RemoveUserFromGroups(ctx, name, groups); err != nil {
		resp.Diagnostics.AddError("Cannot remove the user from its groups", err.Error())
		return
	}
	if err := r.client.DeleteUser(ctx, name); err != nil {
		resp.Diagnostics.AddError("Cannot delete the user", err.Error())
	}
}
