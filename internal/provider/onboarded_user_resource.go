package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

var (
	_ resource.Resource                   = &onboardedUserResource{}
	_ resource.ResourceWithConfigure      = &onboardedUserResource{}
	_ resource.ResourceWithImportState    = &onboardedUserResource{}
	_ resource.ResourceWithValidateConfig = &onboardedUserResource{}
	_ resource.ResourceWithModifyPlan     = &onboardedUserResource{}
)

// NewOnboardedUserResource is the iambaseline_onboarded_user resource.
func NewOnboardedUserResource() resource.Resource { return &onboardedUserResource{} }

type onboardedUserResource struct {
	client *awsiam.Client
}

// The tags that hold the record of who the person is.
const (
	tagFullName = "FullName"
	tagEmail    = "Email"
	tagJobTitle = "JobTitle"

	statusActive    = "active"
	statusSuspended = "suspended"

	defaultPasswordLength = 20
	maxUserGroups         = 10
	maxUserTags           = 50
)

var recordTagKeys = []string{tagFullName, tagEmail, tagJobTitle}

// IAM tag values: letters, digits, spaces and _.:/=+-@ only.
var tagValuePattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

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

// configuredClientHook lets package tests see the AWS client (to count its requests).
var configuredClientHook func(*awsiam.Client)

func (r *onboardedUserResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
	if r.client != nil && configuredClientHook != nil {
		configuredClientHook(r.client)
	}
}

func tagValueValidators(attr string, required bool) []validator.String {
	minLen := 0
	if required {
		minLen = 1
	}
	return []validator.String{
		stringvalidator.UTF8LengthBetween(minLen, 256),
		stringvalidator.RegexMatches(tagValuePattern,
			fmt.Sprintf("is stored as the IAM tag %s, whose value may contain only letters, digits, spaces and the characters _.:/=+-@ (no apostrophes, commas or quotes)", attr)),
	}
}

func (r *onboardedUserResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One person, onboarded the way a startup's checklist says: an IAM user, the record of who they are " +
			"(tags `FullName`, `Email`, `JobTitle`), their groups, console access with a temporary password that must be changed at " +
			"the first sign-in, and their MFA status. With `console_access = true` choose exactly one way to deliver the temporary " +
			"password: `pgp_key`, `temporary_password_wo` (Terraform >= 1.11) or `store_password_in_state = true`.",
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
				Required:            true,
				MarkdownDescription: "The person's full name, kept as the tag `FullName` (1-256 letters, digits, spaces and `_.:/=+-@`).",
				Validators:          tagValueValidators(tagFullName, true),
			},
			"email": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The person's email address (`name@example.com`), kept as the tag `Email`.",
				Validators:          append(tagValueValidators(tagEmail, true), emailValidator{}),
			},
			"job_title": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The person's job title, kept as the tag `JobTitle`. Default: no tag.",
				Validators:          tagValueValidators(tagJobTitle, false),
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
					"the first sign-in. Default `true`. When `true`, exactly one delivery of the password is required: `pgp_key`, " +
					"`temporary_password_wo` or `store_password_in_state = true`. Setting it to `false` removes the login profile.",
			},
			"pgp_key": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "OpenPGP public key of the person, base64-encoded binary (`gpg --export KEYID | base64 -w0`) or " +
					"ASCII-armored (`gpg --armor --export KEYID`). The generated temporary password is stored only encrypted, in " +
					"`encrypted_temporary_password`. Changing the key does not change the password (see `temporary_password_wo_version`).",
				Validators: []validator.String{pgpKeyValidator{}},
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
				Default:             int64default.StaticInt64(defaultPasswordLength),
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
				MarkdownDescription: "More tags of the user (at most 47; the keys `FullName`, `Email` and `JobTitle` are reserved for the record). " +
					"The provider's `default_tags` are added as well and never show as a difference here (see `tags_all`). No default.",
				Validators: append(tagMapValidators(),
					tagsValidator(len(recordTagKeys), "FullName, Email, JobTitle"),
					mapvalidator.KeysAre(stringvalidator.NoneOfCaseInsensitive(recordTagKeys...)),
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
				MarkdownDescription: "Fingerprint of the PGP key that encrypted `encrypted_temporary_password`.",
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
				Computed:            true,
				MarkdownDescription: "The account's console sign-in URL, `https://<account id>.signin.aws.amazon.com/console`.",
				PlanModifiers:       useState,
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

func (r *onboardedUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !iamNamePattern.MatchString(req.ID) || len(req.ID) > 64 {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not an IAM user name: import with `terraform import iambaseline_onboarded_user.NAME <user_name>`.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_name"), req.ID)...)
}
