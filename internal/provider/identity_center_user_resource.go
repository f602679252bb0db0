package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awssso"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var _ fullResource = &identityCenterUserResource{}

// NewIdentityCenterUserResource is one person who signs in through the AWS access portal.
func NewIdentityCenterUserResource() resource.Resource { return &identityCenterUserResource{} }

type identityCenterUserResource struct{ resourceClients }

const (
	identityCenterStatusActive    = "active"
	identityCenterStatusSuspended = "suspended"
)

type identityCenterUserModel struct {
	ID                     types.String `tfsdk:"id"`
	UserName               types.String `tfsdk:"user_name"`
	GivenName              types.String `tfsdk:"given_name"`
	FamilyName             types.String `tfsdk:"family_name"`
	DisplayName            types.String `tfsdk:"display_name"`
	Email                  types.String `tfsdk:"email"`
	JobTitle               types.String `tfsdk:"job_title"`
	Groups                 types.Set    `tfsdk:"groups"`
	Status                 types.String `tfsdk:"status"`
	Tags                   types.Map    `tfsdk:"tags"`
	InstanceARN            types.String `tfsdk:"instance_arn"`
	UserID                 types.String `tfsdk:"user_id"`
	OnboardingInstructions types.String `tfsdk:"onboarding_instructions"`
	OnboardingChecklist    types.Object `tfsdk:"onboarding_checklist"`
}

var identityCenterChecklistAttrTypes = map[string]attr.Type{
	"user_created": types.BoolType, "groups_assigned": types.BoolType, "email_set": types.BoolType, "portal_access": types.BoolType,
}

func identityCenterChecklistValue(c baseline.IdentityCenterChecklist) types.Object {
	return types.ObjectValueMust(identityCenterChecklistAttrTypes, map[string]attr.Value{
		"user_created": types.BoolValue(c.UserCreated), "groups_assigned": types.BoolValue(c.GroupsAssigned),
		"email_set": types.BoolValue(c.EmailSet), "portal_access": types.BoolValue(c.PortalAccess),
	})
}

func (r *identityCenterUserResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_identity_center_user"
}

func (r *identityCenterUserResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	record := func(desc string, required bool) schema.StringAttribute {
		return schema.StringAttribute{Required: required, Optional: !required, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One person who signs in through the AWS access portal: an identity-store user with one work email, " +
			"exactly the configured group memberships (the job-function groups of `iambaseline_identity_center_baseline`), " +
			"suspension that removes all access and keeps the person, and destroy as offboarding (every membership and assignment " +
			"removed, then the user). Out-of-band changes show in the next plan and are repaired. " + baseline.IdentityCenterManualSteps,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`<identity_store_id>/<user_name>`.", PlanModifiers: useState,
			},
			"user_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("Sign-in name (1 to %d characters, no white space; `Administrator` and `AWSAdministrators` are reserved). Changing it replaces the user.",
					baseline.IdentityStoreUserNameMax),
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"given_name":  record("Given name.", false),
			"family_name": record("Family name.", true),
			"display_name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Name shown in the portal and to administrators. Defaults to `\"<given_name> <family_name>\"`.",
			},
			"email": schema.StringAttribute{
				Required: true, Validators: []validator.String{emailValidator()},
				MarkdownDescription: "The one primary work email. Identity Center sends the first sign-in email here when the instance's " +
					"\"Send email OTP for users created from API\" setting is on (no API sets it; see the page's manual steps).",
			},
			"job_title": record("Job title.", false),
			"groups": schema.SetAttribute{
				ElementType: types.StringType, Optional: true, Computed: true, Default: setdefault.StaticValue(stringSet(nil)),
				MarkdownDescription: fmt.Sprintf("Display names of identity-store groups; the user is a member of exactly these (at most %d). "+
					"Use `iambaseline_identity_center_baseline.<name>.group_names[\"Developers\"]`. A membership removed or added out of band "+
					"shows as a difference and is repaired. Defaults to none.", baseline.IdentityStoreGroupsPerUser),
				Validators: []validator.Set{setvalidator.SizeAtMost(baseline.IdentityStoreGroupsPerUser)},
			},
			"status": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(identityCenterStatusActive),
				Validators: []validator.String{stringvalidator.OneOf(identityCenterStatusActive, identityCenterStatusSuspended)},
				MarkdownDescription: "`active` (default) or `suspended`: every membership and every account assignment of the user removed, " +
					"the record kept; back to `active` restores the memberships of `groups`. " + baseline.IdentityCenterSuspensionNote,
			},
			"tags": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Identity-store users carry no tags in AWS: these stay in the Terraform state only (for your own tooling), and a plan with tags says so.",
			},
			"instance_arn": identityCenterInstanceAttribute(),
			"user_id":      schema.StringAttribute{Computed: true, MarkdownDescription: "The identity-store user id.", PlanModifiers: useState},
			"onboarding_instructions": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Markdown for the person: the access-portal URL, the user name, the first sign-in through the email " +
					"verification or password reset flow, MFA registration, their groups, `aws configure sso`. While suspended, only that.",
				PlanModifiers: useState,
			},
			"onboarding_checklist": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Where the onboarding stands, read from AWS on every refresh.",
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"user_created":    schema.BoolAttribute{Computed: true, MarkdownDescription: "The identity-store user exists."},
					"groups_assigned": schema.BoolAttribute{Computed: true, MarkdownDescription: "The memberships are exactly `groups` (false while suspended)."},
					"email_set":       schema.BoolAttribute{Computed: true, MarkdownDescription: "The user has a primary email, where the first sign-in email goes."},
					"portal_access":   schema.BoolAttribute{Computed: true, MarkdownDescription: "A group of the user (or the user itself) is assigned a permission set in an account: the portal shows the person something."},
				},
			},
		},
	}
}

func (r *identityCenterUserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	withSpec(ctx, r.client, "identity_center_user.Create", req.Plan, &resp.Diagnostics, r.spec, func(m identityCenterUserModel, spec awssso.UserSpec) {
		cur := &awssso.UserState{}
		if existing, err := r.sso.ReadUser(ctx, spec); err == nil && existing.UserID != "" {
			resp.Diagnostics.AddAttributeError(path.Root("user_name"), "Identity store user already exists",
				fmt.Sprintf("A user named %q exists in %s. To manage them with Terraform, import them: terraform import <address> '%s/%s'.",
					spec.UserName, spec.IdentityStoreID, spec.IdentityStoreID, spec.UserName))
			return
		} else if err != nil && !awssso.IsNotFound(err) {
			resp.Diagnostics.AddError("Cannot read the identity store", err.Error())
			return
		}
		err := r.sso.ApplyUser(ctx, spec, cur)
		// Recorded even when a later step failed: the user is then managed by this resource and the
		// next apply resumes.
		r.record(ctx, &m, spec, cur, &resp.State, &resp.Diagnostics)
		if err != nil {
			resp.Diagnostics.AddError("Cannot create the IAM Identity Center user", err.Error())
		}
	})
}

func (r *identityCenterUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	withModel(ctx, r.client, "identity_center_user.Read", req.State, &resp.Diagnostics, func(m identityCenterUserModel) {
		importedStore, _, _ := strings.Cut(m.ID.ValueString(), "/")
		spec, ok := r.spec(ctx, &m, &resp.Diagnostics)
		if !ok {
			return
		}
		imported := m.UserID.IsNull()
		if imported && importedStore != spec.IdentityStoreID {
			resp.Diagnostics.AddError("Cannot import the IAM Identity Center user",
				fmt.Sprintf("Identity store %q is not the one of the instance the credentials see (%s, identity store %s).", importedStore, spec.InstanceARN, spec.IdentityStoreID))
			return
		}
		cur, err := r.sso.ReadUser(ctx, spec)
		if awssso.IsNotFound(err) && !imported {
			resp.State.RemoveResource(ctx)
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the IAM Identity Center user", err.Error())
			return
		}
		if imported {
			spec.Groups = cur.GroupNames()
			m.Groups = stringSet(spec.Groups)
			if m.Status.IsNull() {
				m.Status = types.StringValue(identityCenterStatusActive)
			}
		}
		r.observe(&m, spec, cur)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	})
}

func (r *identityCenterUserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	withSpec(ctx, r.client, "identity_center_user.Update", req.Plan, &resp.Diagnostics, r.spec, func(m identityCenterUserModel, spec awssso.UserSpec) {
		cur, err := r.sso.UpdateUser(ctx, spec)
		if cur != nil {
			r.record(ctx, &m, spec, cur, &resp.State, &resp.Diagnostics)
		}
		if err != nil {
			resp.Diagnostics.AddError("Cannot update the IAM Identity Center user", err.Error())
		}
	})
}

// Delete offboards the person: every membership and assignment removed, then the user.
func (r *identityCenterUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	withSpec(ctx, r.client, "identity_center_user.Delete", req.State, &resp.Diagnostics, r.spec, func(_ identityCenterUserModel, spec awssso.UserSpec) {
		cur, err := r.sso.ReadUser(ctx, spec)
		if awssso.IsNotFound(err) {
			return
		}
		if err == nil {
			err = r.sso.DeleteUser(ctx, spec, cur)
		}
		if err != nil {
			resp.Diagnostics.AddError("Cannot offboard the IAM Identity Center user", err.Error())
		}
	})
}

func (r *identityCenterUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	store, name, ok := strings.Cut(req.ID, "/")
	if !ok || store == "" || name == "" {
		addInvalidImportID(&resp.Diagnostics, "Expected <identity_store_id>/<user_name>, e.g. d-1234567890/ada.lovelace")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_name"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("status"), identityCenterStatusActive)...)
}

// spec is the model's request, resolving the instance (and so the identity store).
func (r *identityCenterUserResource) spec(ctx context.Context, m *identityCenterUserModel, diags *diag.Diagnostics) (awssso.UserSpec, bool) {
	in, err := r.sso.FindInstance(ctx, m.InstanceARN.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("instance_arn"), "Cannot find the IAM Identity Center instance", err.Error())
		return awssso.UserSpec{}, false
	}
	m.InstanceARN = types.StringValue(in.ARN)
	m.ID = types.StringValue(in.IdentityStoreID + "/" + m.UserName.ValueString())
	display := m.DisplayName.ValueString()
	if m.DisplayName.IsNull() || m.DisplayName.IsUnknown() {
		display = baseline.IdentityCenterDisplayName(m.GivenName.ValueString(), m.FamilyName.ValueString())
	}
	return awssso.UserSpec{
		InstanceARN: in.ARN, IdentityStoreID: in.IdentityStoreID, Groups: stringsFromSet(ctx, m.Groups, diags),
		Suspended: m.Status.ValueString() == identityCenterStatusSuspended,
		UserRecord: awssso.UserRecord{UserName: m.UserName.ValueString(), GivenName: m.GivenName.ValueString(),
			FamilyName: m.FamilyName.ValueString(), DisplayName: display, Email: m.Email.ValueString(), JobTitle: m.JobTitle.ValueString()},
	}, !diags.HasError()
}

// record stores the outcome of an apply once the user exists: the plan's arguments and what exists
// now.
func (r *identityCenterUserResource) record(ctx context.Context, m *identityCenterUserModel, spec awssso.UserSpec, cur *awssso.UserState, state *tfsdk.State, diags *diag.Diagnostics) {
	if cur.UserID == "" {
		return
	}
	m.UserID = types.StringValue(cur.UserID)
	m.DisplayName = types.StringValue(spec.DisplayName)
	r.outputs(m, spec, cur)
	diags.Append(state.Set(ctx, m)...)
}

// observe records what exists after a refresh: the record, the memberships (drift shows as a
// difference of groups), and the status. A suspended person with any membership or assignment is
// recorded active, so that the next plan removes them again.
func (r *identityCenterUserResource) observe(m *identityCenterUserModel, spec awssso.UserSpec, cur *awssso.UserState) {
	m.UserID = types.StringValue(cur.UserID)
	m.UserName = types.StringValue(cur.UserName)
	m.GivenName = optionalString(cur.GivenName)
	m.FamilyName = types.StringValue(cur.FamilyName)
	m.DisplayName = types.StringValue(cur.DisplayName)
	m.Email = types.StringValue(cur.Email)
	m.JobTitle = optionalString(cur.JobTitle)
	have := cur.GroupNames()
	if spec.Suspended && len(have) == 0 && len(cur.DirectAssignments) == 0 {
		// Suspended as wanted: groups keep the memberships to restore.
	} else {
		if spec.Suspended {
			m.Status = types.StringValue(identityCenterStatusActive)
		}
		m.Groups = stringSet(have)
	}
	spec.GivenName, spec.FamilyName, spec.DisplayName, spec.Email = cur.GivenName, cur.FamilyName, cur.DisplayName, cur.Email
	r.outputs(m, spec, cur)
}

func (r *identityCenterUserResource) outputs(m *identityCenterUserModel, spec awssso.UserSpec, cur *awssso.UserState) {
	suspended := m.Status.ValueString() == identityCenterStatusSuspended
	m.OnboardingInstructions = types.StringValue(baseline.IdentityCenterOnboardingInstructions(baseline.IdentityCenterOnboarding{
		PortalURL: baseline.AccessPortalURL(spec.IdentityStoreID), UserName: spec.UserName, DisplayName: spec.DisplayName,
		Email: spec.Email, Groups: spec.Groups, Region: r.sso.Region(), Suspended: suspended,
	}))
	m.OnboardingChecklist = identityCenterChecklistValue(baseline.IdentityCenterUserChecklist(
		cur.UserID != "", spec.Groups, cur.GroupNames(), cur.Email, cur.PortalGroups, len(cur.DirectAssignments), suspended))
}

func (r *identityCenterUserResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	m, ok := readModel[identityCenterUserModel](ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	check := func(attribute string, v types.String, validate func(string) error) {
		if v.IsNull() || v.IsUnknown() {
			return
		}
		if err := validate(v.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root(attribute), "Invalid "+strings.ReplaceAll(attribute, "_", " "), err.Error())
		}
	}
	check("user_name", m.UserName, baseline.ValidateIdentityStoreUserName)
	for attribute, v := range map[string]types.String{"given_name": m.GivenName, "family_name": m.FamilyName, "display_name": m.DisplayName, "job_title": m.JobTitle} {
		check(attribute, v, func(s string) error {
			if err := baseline.ValidateIdentityStoreAttribute(s); err != nil {
				return fmt.Errorf("%s %w", attribute, err)
			}
			return nil
		})
	}
	if !m.Groups.IsUnknown() && elementsKnown(m.Groups.Elements()) {
		for _, g := range stringsFromSet(ctx, m.Groups, &resp.Diagnostics) {
			if err := baseline.ValidateIdentityStoreAttribute(g); err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("groups"), "Invalid group name", fmt.Sprintf("A group display name %s.", err))
			}
		}
	}
}

// ModifyPlan says what AWS offers no API for (on create and on suspension), and marks the
// onboarding outputs unknown when what they are made of changes.
func (r *identityCenterUserResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	plan, ok := plannedModel[identityCenterUserModel](ctx, req.Plan, &resp.Diagnostics)
	if !ok {
		return
	}
	if len(plan.Tags.Elements()) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("tags"), "Tags stay in Terraform state",
			"Identity-store users carry no tags in AWS: tags on iambaseline_identity_center_user are kept in the Terraform state only.")
	}
	if plan.DisplayName.IsUnknown() && !plan.GivenName.IsUnknown() && !plan.FamilyName.IsUnknown() {
		plan.DisplayName = types.StringValue(baseline.IdentityCenterDisplayName(plan.GivenName.ValueString(), plan.FamilyName.ValueString()))
	}
	if !plan.UserName.IsUnknown() && !plan.UserName.IsNull() {
		checkNameUnclaimed(r.plans, path.Root("user_name"), "iambaseline_identity_center_user", "identity store user", plan.UserName.ValueString(),
			fmt.Sprintf("user_name %q, email %q", plan.UserName.ValueString(), plan.Email.ValueString()),
			"Keep one entry per person: remove one of them (from the roster or for_each map), or give one another user_name.", !req.State.Raw.IsNull(), &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if req.State.Raw.IsNull() {
		plan.InstanceARN = planInstance(ctx, r.sso, req.Config, plan.InstanceARN, &resp.Diagnostics)
		r.checkGroupsExist(ctx, plan.InstanceARN, plan.Groups, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	state, ok := readModel[identityCenterUserModel](ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	if !plan.Groups.Equal(state.Groups) {
		r.checkGroupsExist(ctx, plan.InstanceARN, plan.Groups, &resp.Diagnostics)
	}
	if plan.Status.ValueString() == identityCenterStatusSuspended && state.Status.ValueString() != identityCenterStatusSuspended {
		resp.Diagnostics.AddAttributeWarning(path.Root("status"), "Suspending an IAM Identity Center user", baseline.IdentityCenterSuspensionNote)
	}
	if !plan.Groups.Equal(state.Groups) || !plan.Status.Equal(state.Status) || !plan.DisplayName.Equal(state.DisplayName) ||
		!plan.Email.Equal(state.Email) || !plan.GivenName.Equal(state.GivenName) || !plan.FamilyName.Equal(state.FamilyName) {
		plan.OnboardingInstructions = types.StringUnknown()
		plan.OnboardingChecklist = types.ObjectUnknown(identityCenterChecklistAttrTypes)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkGroupsExist fails the plan for a group name known now that neither an Identity Center
// baseline of this run creates (no request: it was planned first, the user uses its group_names)
// nor exists in the identity store (one lookup per such name), suggesting the closest planned name.
func (r *identityCenterUserResource) checkGroupsExist(ctx context.Context, instanceARN types.String, groups types.Set, diags *diag.Diagnostics) {
	if r.sso == nil || instanceARN.IsUnknown() || groups.IsUnknown() || diags.HasError() {
		return
	}
	var planned []string
	if r.plans != nil {
		planned = r.plans.plannedStoreGroups()
	}
	var in awssso.Instance
	for _, v := range groups.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsUnknown() || s.IsNull() || slices.Contains(planned, s.ValueString()) {
			continue
		}
		g := s.ValueString()
		if in.ARN == "" {
			var err error
			if in, err = r.sso.FindInstance(ctx, instanceARN.ValueString()); err != nil {
				return // the instance's own diagnostic says what is wrong
			}
		}
		_, err := r.sso.FindGroupID(ctx, in.IdentityStoreID, g)
		if err == nil || !awssso.IsNotFound(err) {
			continue // exists, or cannot tell: the apply says
		}
		hint := "Check the spelling"
		if closest, near := baseline.Closest(g, planned); near {
			hint = fmt.Sprintf("Did you mean %q? Fix the name", closest)
		}
		diags.AddAttributeError(path.Root("groups"), "Group does not exist",
			fmt.Sprintf("The identity-store group %q does not exist in %s. %s, or take it from the group_names of an "+
				"iambaseline_identity_center_baseline (e.g. iambaseline_identity_center_baseline.this.group_names[\"Developers\"]), "+
				"which also orders the apply.", g, in.IdentityStoreID, hint))
	}
}
