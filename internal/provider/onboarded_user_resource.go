package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var _ fullResource = &onboardedUserResource{}

// NewOnboardedUserResource is the iambaseline_onboarded_user resource.
func NewOnboardedUserResource() resource.Resource { return &onboardedUserResource{} }

const userResourceType = "iambaseline_onboarded_user"

type onboardedUserResource struct{ resourceClients }

const (
	statusActive    = "active"
	statusSuspended = "suspended"

	maxUserGroups = 10
	maxUserTags   = 50
)

type onboardedUserModel struct {
	ID                         types.String `tfsdk:"id"`
	UserName                   types.String `tfsdk:"user_name"`
	FullName                   types.String `tfsdk:"full_name"`
	Email                      types.String `tfsdk:"email"`
	JobTitle                   types.String `tfsdk:"job_title"`
	Groups                     types.Set    `tfsdk:"groups"`
	Path                       types.String `tfsdk:"path"`
	PermissionsBoundary        types.String `tfsdk:"permissions_boundary"`
	ConsoleAccess              types.Bool   `tfsdk:"console_access"`
	PGPKey                     types.String `tfsdk:"pgp_key"`
	TemporaryPasswordWO        types.String `tfsdk:"temporary_password_wo"`
	TemporaryPasswordWOVersion types.Int64  `tfsdk:"temporary_password_wo_version"`
	StorePasswordInState       types.Bool   `tfsdk:"store_password_in_state"`
	PasswordLength             types.Int64  `tfsdk:"password_length"`
	Status                     types.String `tfsdk:"status"`
	ForceDestroy               types.Bool   `tfsdk:"force_destroy"`
	Tags                       types.Map    `tfsdk:"tags"`
	TagsAll                    types.Map    `tfsdk:"tags_all"`

	ARN                        types.String `tfsdk:"arn"`
	UniqueID                   types.String `tfsdk:"unique_id"`
	CreatedAt                  types.String `tfsdk:"created_at"`
	EncryptedTemporaryPassword types.String `tfsdk:"encrypted_temporary_password"`
	KeyFingerprint             types.String `tfsdk:"key_fingerprint"`
	TemporaryPassword          types.String `tfsdk:"temporary_password"`
	MFAEnabled                 types.Bool   `tfsdk:"mfa_enabled"`
	MFADevices                 types.List   `tfsdk:"mfa_devices"`
	PasswordLastUsed           types.String `tfsdk:"password_last_used"`
	ConsoleSignInURL           types.String `tfsdk:"console_sign_in_url"`
	OnboardingInstructions     types.String `tfsdk:"onboarding_instructions"`
	OnboardingChecklist        types.Object `tfsdk:"onboarding_checklist"`
}

func (r *onboardedUserResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_onboarded_user"
}

func (r *onboardedUserResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One person, onboarded the way a startup's checklist says: an IAM user, the record of who they are " +
			"(tags `FullName`, `Email`, `JobTitle`), their groups, console access with a temporary password that must be changed at " +
			"the first sign-in, and their MFA status. With `console_access = true` choose exactly one way to deliver the temporary " +
			"password: `pgp_key`, `temporary_password_wo` (Terraform >= 1.11) or `store_password_in_state = true` (an imported " +
			"user who already has a console password needs none until a new one is set).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The IAM user name.",
				PlanModifiers:       useState,
			},
			"user_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "IAM user name: 1-64 letters, digits and `+=,.@_-`. Changing it renames the user in place (its ARN changes, its unique ID does not).",
				Validators:          iamNameValidator(64),
			},
			"full_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The person's full name, kept as the tag `FullName`: 1-256 characters of letters, digits, spaces, `_.:/=+-@` and apostrophes. " +
					"IAM tag values cannot hold an apostrophe, so `'` and `’` are kept in the tag as `ʼ` (U+02BC MODIFIER LETTER APOSTROPHE, which IAM counts as a letter): " +
					"`Seán O'Brien` is tagged `Seán OʼBrien` and shows no difference. Other characters IAM refuses (commas, quotes) are refused at validate time.",
				Validators: tagValueValidators(baseline.TagFullName, true),
			},
			"email": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The person's email address (`name@example.com`), kept as the tag `Email`.",
				Validators:          append(tagValueValidators(baseline.TagEmail, true), emailValidator()),
			},
			"job_title": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The person's job title, kept as the tag `JobTitle`. Default: no tag.",
				Validators:          tagValueValidators(baseline.TagJobTitle, false),
			},
			"groups": schema.SetAttribute{
				ElementType: types.StringType,
				Required:    true,
				MarkdownDescription: "Names of the 1-10 IAM groups the person belongs to, e.g. the groups of an `iambaseline_startup_group_baseline`. " +
					"The user is in exactly these groups: memberships added out of band are removed by apply. Other members of the groups are never touched.",
				Validators: []validator.Set{
					groupsPerUserValidator(),
					setvalidator.ValueStringsAre(iamNameValidator(128)...),
				},
			},
			"path": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("/"),
				MarkdownDescription: "IAM path of the user: `/` (default) or `/a/b/`. Changing it moves the user in place.",
				Validators:          iamPathValidator(),
			},
			"permissions_boundary": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "ARN of the managed policy used as the user's permissions boundary. Default: none.",
				Validators:          []validator.String{iamARNValidator()},
			},
			"console_access": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				MarkdownDescription: "Give the person AWS console access: a login profile with a temporary password that must be changed at " +
					"the first sign-in. Default `true`. Whenever a temporary password is to be set (on create, when console access is turned on, " +
					"when `temporary_password_wo_version` is set or changed) exactly one delivery of it is required: `pgp_key`, " +
					"`temporary_password_wo` or `store_password_in_state = true`; the plan fails without one. An imported user whose " +
					"console password exists needs none: they keep their password, and nothing is generated. Setting it to `false` removes the login profile.",
			},
			"pgp_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "OpenPGP public key of the person, base64-encoded binary (`gpg --export KEYID | base64 -w0`) or " +
					"ASCII-armored (`gpg --armor --export KEYID`). The generated temporary password is stored only encrypted, in " +
					"`encrypted_temporary_password`. Changing the key does not change the password (see `temporary_password_wo_version`). " +
					"A public key is no secret, but it is marked sensitive to keep plans readable: the plan shows `key_fingerprint` instead of the whole armored key.",
				Validators: []validator.String{pgpKeyValidator()},
			},
			"temporary_password_wo": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				MarkdownDescription: "Write-only (Terraform >= 1.11): the temporary password, supplied by the caller (e.g. from an ephemeral " +
					"resource). It is sent to AWS and never stored in the plan or state. It must satisfy the account password policy. " +
					"Change `temporary_password_wo_version` to set a new one.",
			},
			"temporary_password_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; changing it sets a new temporary password (reset required at next sign-in): the value " +
					"of `temporary_password_wo`, or a newly generated one with `pgp_key` / `store_password_in_state`. Default: none.",
			},
			"store_password_in_state": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Explicit opt-in to keep the generated temporary password in the state as the sensitive " +
					"`temporary_password`. Default `false`. Anyone who can read the state can read the password.",
			},
			"password_length": schema.Int64Attribute{
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(baseline.DefaultTemporaryPasswordLength),
				MarkdownDescription: "Length of a generated temporary password, 14-128. Default `20`. When the account password policy asks for more, its minimum is used.",
				Validators:          []validator.Int64{int64validator.Between(14, 128)},
			},
			"status": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(statusActive),
				MarkdownDescription: "`active` (default) or `suspended`. Suspending removes console access (the login profile) and " +
					"deactivates every access key, and keeps the user, its record and its groups. Back to `active`, a new temporary " +
					"password is delivered the same way as before; access keys stay inactive until someone reactivates them on purpose.",
				Validators: []validator.String{stringvalidator.OneOf(statusActive, statusSuspended)},
			},
			"force_destroy": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "On destroy, also remove what was made outside Terraform: access keys, MFA devices (deactivated; virtual " +
					"ones deleted), SSH keys, signing certificates, service-specific credentials, inline and attached policies. " +
					"Default `false`: destroy then fails and names them. Must be applied before the destroy.",
			},
			"tags": schema.MapAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "More tags of the user: at most 48, or 47 with `job_title` (IAM allows 50 per user, and the record takes `FullName`, `Email` and, when set, `JobTitle`; those keys are reserved, in any case). " +
					"Keys that differ only by case are the same key to IAM and are refused. " +
					"The provider's `default_tags` are added as well and never show as a difference here (see `tags_all`). No default.",
				Validators: append(tagMapValidators(),
					userTagsQuota{userTagsQuotaDescription},
					mapvalidator.KeysAre(stringvalidator.NoneOfCaseInsensitive(baseline.RecordTagKeys...)),
				),
			},
			"tags_all": tagsAllAttribute(" The record tags `FullName`, `Email` and `JobTitle` are not included: they are " +
				"`full_name`, `email` and `job_title`. A tag changed or removed out of band shows here as a change, and apply " +
				"restores it; tags added out of band are removed."),

			"arn": schema.StringAttribute{
				Computed: true, MarkdownDescription: "ARN of the IAM user.", PlanModifiers: useState,
			},
			"unique_id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The user's unique ID (`AIDA...`); kept across renames.", PlanModifiers: useState,
			},
			"created_at": schema.StringAttribute{
				Computed: true, MarkdownDescription: "When the user was created (RFC 3339).", PlanModifiers: useState,
			},
			"encrypted_temporary_password": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "With `pgp_key`: the temporary password encrypted with the key, base64 of the binary OpenPGP message. " +
					"Decrypt with `terraform output -raw ... | base64 -d | gpg --decrypt`. Null otherwise, and after an import.",
				PlanModifiers: useState,
			},
			"key_fingerprint": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Fingerprint of the PGP key that encrypted `encrypted_temporary_password` (upper-case hex), known at plan time when a password is to be set: the plan shows it instead of the key.",
				PlanModifiers:       useState,
			},
			"temporary_password": schema.StringAttribute{
				Computed:  true,
				Sensitive: true,
				MarkdownDescription: "The generated temporary password, only with `store_password_in_state = true`; null otherwise. " +
					"It must be changed at the first sign-in.",
				PlanModifiers: useState,
			},
			"mfa_enabled": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether the user has at least one MFA device (virtual, hardware or FIDO). Follows reality on every refresh; never causes a difference. " +
					"Virtual devices are always current; a hardware or FIDO key added in the last hours may show up only once AWS regenerates the IAM credential report (at most every 4 hours): see the section on how fresh the MFA status is.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"mfa_devices": schema.ListAttribute{
				ElementType: types.StringType,
				Computed:    true,
				MarkdownDescription: "Serial numbers of the user's MFA devices, sorted: its virtual devices when it has any (always current), otherwise its hardware and FIDO devices " +
					"(found through the IAM credential report, confirmed with `ListMFADevices`; a key added in the last hours may show up only after AWS regenerates the report). Follows reality on every refresh.",
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
			"password_last_used": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the person last signed in with the password (RFC 3339); null when never.",
				PlanModifiers:       useState,
			},
			"console_sign_in_url": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The account's console sign-in URL in its partition: `https://<account id>.signin.aws.amazon.com/console` " +
					"(`signin.amazonaws.cn` in aws-cn, `signin.amazonaws-us-gov.com` in aws-us-gov).",
				PlanModifiers: useState,
			},
			"onboarding_instructions": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Markdown for the new person: sign-in URL, user name, changing the temporary password at the first " +
					"sign-in, setting up MFA, their groups. It never contains the password.",
				PlanModifiers: useState,
			},
			"onboarding_checklist": schema.SingleNestedAttribute{
				Computed: true,
				MarkdownDescription: "Where the onboarding stands, as booleans; follows reality on every refresh and never causes a " +
					"difference. `password_reset_required` is the intent sent with the login profile.",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"user_created":            schema.BoolAttribute{Computed: true, MarkdownDescription: "The IAM user exists."},
					"groups_assigned":         schema.BoolAttribute{Computed: true, MarkdownDescription: "The user is a member of every configured group."},
					"console_access":          schema.BoolAttribute{Computed: true, MarkdownDescription: "A login profile (console password) exists."},
					"password_reset_required": schema.BoolAttribute{Computed: true, MarkdownDescription: "The temporary password must be changed at the first sign-in."},
					"mfa_enabled":             schema.BoolAttribute{Computed: true, MarkdownDescription: "At least one MFA device is assigned."},
					"record_tagged":           schema.BoolAttribute{Computed: true, MarkdownDescription: "The `FullName` and `Email` tags are present."},
				},
			},
		},
	}
}

func (r *onboardedUserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer logCalls(ctx, r.client, "onboarded_user.Create")
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
	plan, config, ok := plannedAndConfigured(ctx, req.Plan, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	name := plan.UserName.ValueString()
	groups := stringsFromSet(ctx, plan.Groups, &resp.Diagnostics)
	tags := desiredTags(ctx, r.client, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	console := consoleEffective(&plan)
	plan.EncryptedTemporaryPassword, plan.KeyFingerprint, plan.TemporaryPassword = types.StringNull(), types.StringNull(), types.StringNull()
	spec := r.userSpec(&plan, tags, groups, config.TemporaryPasswordWO, &resp.Diagnostics)
	spec.Console = console
	out, err := r.client.OnboardUser(ctx, spec)
	var missing *awsiam.MissingGroupError
	switch {
	case errors.As(err, &missing):
		resp.Diagnostics.AddAttributeError(path.Root("groups"), "Group does not exist",
			missing.Error()+"\n\nFix the group name (or create the group first); nothing was created.")
		return
	case err != nil:
		addUserStepError(&resp.Diagnostics, err, map[awsiam.UserStep]string{awsiam.StepDeactivateKeys: "Cannot suspend the user's access keys"})
		return
	}
	if out.Adopted {
		tflog.Info(ctx, "adopted the IAM user an interrupted create of this resource left", map[string]any{"user_name": name})
	}
	plan.ID = types.StringValue(name)
	plan.TagsAll = tagsAllValue(tags, baseline.RecordTagKeys...)
	plan.setIdentity(out.Info)
	plan.ConsoleSignInURL = types.StringValue(baseline.ConsoleSignInURL(partitionOf(r.client), out.AccountID))
	plan.MFAEnabled = types.BoolValue(len(out.MFASerials) > 0)
	plan.MFADevices = stringList(out.MFASerials)
	plan.OnboardingChecklist = plannedChecklist(&plan, nil).value()
	plan.OnboardingInstructions = plan.instructions(plan.ConsoleSignInURL.ValueString(), name, groups, console)
	if out.MarkerErr != nil {
		resp.Diagnostics.AddWarning("Cannot remove the create marker", out.MarkerErr.Error()+
			"\n\nThe user is created and recorded; the next change of its tags removes the marker.")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *onboardedUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	withModel(ctx, r.client, "onboarded_user.Read", req.State, &resp.Diagnostics, func(state onboardedUserModel) {
		read := state // what the state held: unchanged, it is not set again
		name := state.ID.ValueString()
		if name == "" {
			name = state.UserName.ValueString()
		}
		imported := state.ARN.IsNull()
		priorGroups := stringsFromSet(ctx, state.Groups, &resp.Diagnostics)

		suspended := state.Status.ValueString() == statusSuspended
		observed, err := r.client.ReadOnboardedUser(ctx, name, awsiam.UserReadOptions{
			ConfirmConsole: !imported && state.ConsoleAccess.ValueBool() && !suspended,
			Suspended:      suspended,
		})
		if awsiam.IsNotFound(err) {
			tflog.Warn(ctx, "IAM user is gone, removing it from the state", map[string]any{"user_name": name})
			resp.State.RemoveResource(ctx)
			return
		}
		if err != nil {
			addUserStepError(&resp.Diagnostics, err, nil)
			return
		}
		info, mfa, loginProfile, accountID := observed.Info, observed.MFA, observed.LoginProfile, observed.AccountID
		hasConsole := loginProfile != nil
		if mfa.ReportError != nil {
			tflog.Debug(ctx, "IAM credential report unavailable, reading MFA devices per user", map[string]any{"user_name": name, "error": mfa.ReportError.Error()})
		}

		state.ID = types.StringValue(info.Name)
		state.UserName = types.StringValue(info.Name)
		state.Path = types.StringValue(info.Path)
		state.setIdentity(info)
		state.PermissionsBoundary = optionalString(info.PermissionsBoundary)
		readRecord(&state, info.Tags)
		remoteTags := baseline.WithoutRecordTags(info.Tags)
		state.Tags = ownTagsFromRemote(remoteTags, r.client.DefaultTags, state.Tags, state.TagsAll)
		state.TagsAll = tagsAllValue(remoteTags)
		state.Groups = stringSet(info.Groups)

		// Arguments the account cannot tell: their defaults after an import.
		if state.Status.IsNull() {
			state.Status = types.StringValue(statusActive)
		}
		if state.PasswordLength.IsNull() {
			state.PasswordLength = types.Int64Value(baseline.DefaultTemporaryPasswordLength)
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
		// A suspended person with a password or an active key is no longer suspended (drift).
		readSuspension(&state, hasConsole, observed.AccessKeys, &resp.Diagnostics)

		serials := mfa.Serials
		state.MFAEnabled = types.BoolValue(len(serials) > 0)
		state.MFADevices = stringList(serials)
		state.ConsoleSignInURL = types.StringValue(baseline.ConsoleSignInURL(partitionOf(r.client), accountID))

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
			RecordTagged:          info.Tags[baseline.TagFullName] != "" && info.Tags[baseline.TagEmail] != "",
		}.value()
		state.OnboardingInstructions = state.instructions(state.ConsoleSignInURL.ValueString(), info.Name, info.Groups, hasConsole)
		if imported {
			warnImportedRecord(info.Name, info.Tags, &resp.Diagnostics)
			// Secrets are not importable.
			state.EncryptedTemporaryPassword = types.StringNull()
			state.KeyFingerprint = types.StringNull()
			state.TemporaryPassword = types.StringNull()
		}
		if sameModel(&read, &state) {
			return // resp.State already holds it (model_equal.go)
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	})
}

func (r *onboardedUserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	withModel(ctx, r.client, "onboarded_user.Update", req.State, &resp.Diagnostics, func(state onboardedUserModel) {
		plan, config, ok := plannedAndConfigured(ctx, req.Plan, req.Config, &resp.Diagnostics)
		if !ok {
			return
		}
		oldName, name := state.UserName.ValueString(), plan.UserName.ValueString()
		// A rename re-asserts the tags too: some IAM implementations (moto) drop them with the old name.
		// tags_all differs when the provider's default_tags changed or a tag changed out of band.
		want := desiredTags(ctx, r.client, &plan, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		change := r.userChange(ctx, &plan, &state, want, config.TemporaryPasswordWO, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		if change.NewPassword {
			plan.EncryptedTemporaryPassword, plan.KeyFingerprint, plan.TemporaryPassword = types.StringNull(), types.StringNull(), types.StringNull()
		}
		if oldName != name || change.Move {
			plan.ARN = types.StringValue(userARN(state.ARN.ValueString(), plan.Path.ValueString(), name))
		}
		updated, err := r.client.UpdateOnboardedUser(ctx, change)
		if updated.Renamed {
			// The state follows AWS at once: should a later step fail, it names the user as it now is.
			renamed := state
			renamed.ID, renamed.UserName, renamed.Path, renamed.ARN = types.StringValue(name), plan.UserName, plan.Path, plan.ARN
			resp.Diagnostics.Append(resp.State.Set(ctx, &renamed)...)
		}
		if err != nil {
			addUserStepError(&resp.Diagnostics, err, nil)
			return
		}
		if updated.KeptDelivered {
			plan.EncryptedTemporaryPassword, plan.KeyFingerprint, plan.TemporaryPassword = state.EncryptedTemporaryPassword, state.KeyFingerprint, state.TemporaryPassword
		}
		plan.ID = types.StringValue(name)
		plan.TagsAll = tagsAllValue(want, baseline.RecordTagKeys...)
		// Whatever the plan could not know yet is known now.
		if plan.OnboardingChecklist.IsUnknown() {
			plan.OnboardingChecklist = plannedChecklist(&plan, &state).value()
		}
		if plan.OnboardingInstructions.IsUnknown() {
			plan.OnboardingInstructions = plan.instructions(state.ConsoleSignInURL.ValueString(), name, stringsFromSet(ctx, plan.Groups, &resp.Diagnostics), consoleEffective(&plan))
		}
		for _, v := range []*types.String{&plan.EncryptedTemporaryPassword, &plan.KeyFingerprint, &plan.TemporaryPassword, &plan.ARN} {
			if v.IsUnknown() {
				*v = types.StringNull()
			}
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	})
}

func (r *onboardedUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	withModel(ctx, r.client, "onboarded_user.Delete", req.State, &resp.Diagnostics, func(state onboardedUserModel) {
		name := state.UserName.ValueString()
		err := r.client.OffboardUser(ctx, name, state.ForceDestroy.ValueBool())
		var blocked *awsiam.OffboardingBlockedError
		switch {
		case errors.As(err, &blocked):
			resp.Diagnostics.AddError(offboardingBlocked(name, blocked.Attachments.Describe()))
		case err != nil:
			addUserStepError(&resp.Diagnostics, err, nil)
		}
	})
}

func (r *onboardedUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !iamNamePattern.MatchString(req.ID) || len(req.ID) > 64 {
		addInvalidImportID(&resp.Diagnostics, fmt.Sprintf("%q is not an IAM user name: import with `terraform import iambaseline_onboarded_user.NAME <user_name>`.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_name"), req.ID)...)
}
