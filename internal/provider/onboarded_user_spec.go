package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// The mapping between an onboarded user's model and awsiam's spec of it, and the onboarding
// checklist.

// checklistModel is onboarding_checklist.
type checklistModel struct {
	UserCreated           bool `tfsdk:"user_created"`
	GroupsAssigned        bool `tfsdk:"groups_assigned"`
	ConsoleAccess         bool `tfsdk:"console_access"`
	PasswordResetRequired bool `tfsdk:"password_reset_required"`
	MFAEnabled            bool `tfsdk:"mfa_enabled"`
	RecordTagged          bool `tfsdk:"record_tagged"`
}

var checklistAttrTypes = map[string]attr.Type{
	"user_created": types.BoolType, "groups_assigned": types.BoolType, "console_access": types.BoolType,
	"password_reset_required": types.BoolType, "mfa_enabled": types.BoolType, "record_tagged": types.BoolType,
}

func (c checklistModel) value() types.Object {
	return types.ObjectValueMust(checklistAttrTypes, map[string]attr.Value{
		"user_created":            types.BoolValue(c.UserCreated),
		"groups_assigned":         types.BoolValue(c.GroupsAssigned),
		"console_access":          types.BoolValue(c.ConsoleAccess),
		"password_reset_required": types.BoolValue(c.PasswordResetRequired),
		"mfa_enabled":             types.BoolValue(c.MFAEnabled),
		"record_tagged":           types.BoolValue(c.RecordTagged),
	})
}

func checklistFrom(o types.Object) (checklistModel, bool) {
	if o.IsNull() || o.IsUnknown() {
		return checklistModel{}, false
	}
	a := o.Attributes()
	b := func(k string) bool {
		v, ok := a[k].(types.Bool)
		return ok && v.ValueBool()
	}
	return checklistModel{
		UserCreated: b("user_created"), GroupsAssigned: b("groups_assigned"), ConsoleAccess: b("console_access"),
		PasswordResetRequired: b("password_reset_required"), MFAEnabled: b("mfa_enabled"), RecordTagged: b("record_tagged"),
	}, true
}

// userSpec is the user the plan describes, for awsiam. A new temporary password is the write-only
// value when there is one, otherwise generated; it is delivered encrypted with pgp_key, and kept in
// the state with the opt-in.
func (r *onboardedUserResource) userSpec(plan *onboardedUserModel, tags map[string]string, groups []string, wo types.String, diags *diag.Diagnostics) awsiam.OnboardedUserSpec {
	spec := awsiam.OnboardedUserSpec{
		Name: plan.UserName.ValueString(), Path: plan.Path.ValueString(), PermissionsBoundary: plan.PermissionsBoundary.ValueString(),
		Tags: tags, Groups: groups, Claim: userClaim(plan, groups), Resource: userResourceType,
		Suspended: plan.Status.ValueString() == statusSuspended,
		Password:  awsiam.PasswordSpec{Length: int(plan.PasswordLength.ValueInt64())},
	}
	writeOnly := !wo.IsNull() && !wo.IsUnknown()
	if writeOnly {
		spec.Password.Value = wo.ValueString()
	}
	spec.Password.Deliver = func(password string) error {
		if !writeOnly && plan.PGPKey.IsNull() && !plan.StorePasswordInState.ValueBool() {
			// The plan refuses this when it knows the values (addNoDeliveryError); a value unknown
			// until now must not set a password nobody receives: it is dropped before it is sent.
			addNoDeliveryError(diags, plan.ARN.IsNull() || plan.ARN.IsUnknown())
			return errors.New("no delivery chosen for the temporary password")
		}
		if !plan.PGPKey.IsNull() {
			key, err := parsePGPKey(plan.PGPKey.ValueString())
			if err != nil {
				diags.AddAttributeError(path.Root("pgp_key"), "Invalid PGP public key", err.Error())
				return err
			}
			enc, err := encryptForPGPKey(key, password)
			if err != nil {
				diags.AddError("Cannot encrypt the temporary password", err.Error())
				return err
			}
			plan.EncryptedTemporaryPassword = types.StringValue(enc)
			plan.KeyFingerprint = types.StringValue(pgpFingerprint(key))
		}
		if plan.StorePasswordInState.ValueBool() && wo.IsNull() {
			plan.TemporaryPassword = types.StringValue(password)
		}
		return nil
	}
	return spec
}

// userARN is the ARN of a renamed or moved user, derived from its previous ARN without a request.
func userARN(oldARN, userPath, name string) string {
	prefix, _, ok := strings.Cut(oldARN, ":user/")
	if !ok {
		return oldARN
	}
	return prefix + ":user" + userPath + name
}

// personRecord is who the person is, from the configuration.
func personRecord(m *onboardedUserModel) baseline.PersonRecord {
	return baseline.PersonRecord{FullName: m.FullName.ValueString(), Email: m.Email.ValueString(), JobTitle: m.JobTitle.ValueString()}
}

// desiredTags is every tag the user should carry: provider default tags, the resource's tags, and
// the record (which wins).
func desiredTags(ctx context.Context, client *awsiam.Client, m *onboardedUserModel, diags *diag.Diagnostics) map[string]string {
	return baseline.UserTags(client.MergeTags(stringMapFrom(ctx, m.Tags, diags)), personRecord(m))
}

// userChange is the update from state to plan, for awsiam; tags are every tag the user should carry.
func (r *onboardedUserResource) userChange(ctx context.Context, plan, state *onboardedUserModel, tags map[string]string, wo types.String, diags *diag.Diagnostics) awsiam.OnboardedUserChange {
	console, wasConsole := consoleEffective(plan), consoleEffective(state)
	// Suspending (again, after access came back out of band) removes any login profile, whatever
	// console_access says.
	suspending := plan.Status.ValueString() == statusSuspended && state.Status.ValueString() != statusSuspended
	change := awsiam.OnboardedUserChange{
		OldName: state.UserName.ValueString(),
		Spec:    r.userSpec(plan, tags, stringsFromSet(ctx, plan.Groups, diags), wo, diags),
		Move:    !plan.Path.Equal(state.Path),
		Retag: !plan.UserName.Equal(state.UserName) || !plan.FullName.Equal(state.FullName) || !plan.Email.Equal(state.Email) || !plan.JobTitle.Equal(state.JobTitle) ||
			!plan.Tags.Equal(state.Tags) || !plan.TagsAll.Equal(state.TagsAll) || plan.TagsAll.IsUnknown(),
		SetBoundary:   !plan.PermissionsBoundary.Equal(state.PermissionsBoundary),
		KeepDelivered: console && !wasConsole && plan.TemporaryPasswordWOVersion.Equal(state.TemporaryPasswordWOVersion) && state.Status.ValueString() != statusSuspended,
		NewPassword:   console && newPasswordNeeded(plan, state),
		RemoveConsole: !console && (wasConsole || suspending),
		Suspend:       suspending,
	}
	if !plan.Groups.Equal(state.Groups) {
		change.OldGroups = stringsFromSet(ctx, state.Groups, diags)
		if change.OldGroups == nil {
			change.OldGroups = []string{}
		}
	}
	return change
}
