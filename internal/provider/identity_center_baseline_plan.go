package provider

import (
	"context"
	"fmt"

	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awssso"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// identityCenterSets are the job functions the model asks for, without any AWS call: role keys in
// canonical order, names, session durations, documents and managed policies. Problems are reported
// against the attribute to change.
func identityCenterSets(ctx context.Context, m *identityCenterBaselineModel, partition string, diags *diag.Diagnostics) []awssso.SetSpec {
	keys := canonicalRoleKeys(stringsFromSet(ctx, m.Groups, diags))
	if m.Groups.IsNull() {
		keys = baseline.RoleKeys()
	}
	durations := stringMapFrom(ctx, m.SessionDurations, diags)
	for k, d := range durations {
		if !baseline.ValidRoleKey(k) {
			diags.AddAttributeError(path.Root("session_durations").AtMapKey(k), "Unknown role key",
				fmt.Sprintf("%q is not a role key: use %v.", k, baseline.RoleKeys()))
		} else if _, err := baseline.ParseSessionDuration(d); err != nil {
			diags.AddAttributeError(path.Root("session_durations").AtMapKey(k), "Invalid session duration", err.Error())
		}
	}
	extra := map[string][]string{}
	if !m.ExtraPolicyARNs.IsNull() && !m.ExtraPolicyARNs.IsUnknown() {
		diags.Append(m.ExtraPolicyARNs.ElementsAs(ctx, &extra, false)...)
	}
	for k, arns := range extra {
		if !slices.Contains(keys, k) {
			diags.AddAttributeError(path.Root("extra_policy_arns").AtMapKey(k), "Unknown role key",
				fmt.Sprintf("%q is not one of the baseline's groups %v.", k, keys))
		}
		for _, a := range arns {
			if !policyARNPattern.MatchString(a) {
				diags.AddAttributeError(path.Root("extra_policy_arns").AtMapKey(k), "Invalid policy ARN",
					fmt.Sprintf("%q is not a managed policy ARN such as arn:aws:iam::aws:policy/AWSSupportAccess.", a))
			}
		}
	}
	relay := m.RelayState.ValueString()
	if !m.RelayState.IsNull() && !m.RelayState.IsUnknown() {
		if err := baseline.ValidateRelayState(relay); err != nil {
			diags.AddAttributeError(path.Root("relay_state"), "Invalid relay state", err.Error())
		}
	}
	var regions, buckets []string
	if !m.AllowedRegions.IsNull() {
		diags.Append(m.AllowedRegions.ElementsAs(ctx, &regions, false)...)
	}
	if !m.DeveloperS3BucketARNs.IsNull() {
		diags.Append(m.DeveloperS3BucketARNs.ElementsAs(ctx, &buckets, false)...)
	}
	leastPrivilege := m.PolicyStyle.ValueString() != policyStyleAWSManaged
	opts := identityCenterOptions(m, partition)
	opts.AllowedRegions, opts.DeveloperS3BucketARNs = regions, buckets
	if err := opts.Validate(); err != nil {
		diags.AddAttributeError(attributeOfOptionsError(err), "Invalid baseline policy input", err.Error())
		return nil
	}
	var docKeys []string
	if leastPrivilege {
		docKeys = keys
	}
	// The very documents of the IAM baseline; no MFA policy (Identity Center enforces MFA at sign-in).
	docs, err := baseline.Documents(docKeys, opts, false, false)
	if err != nil {
		at := attributeOfOptionsError(err)
		if at.Equal(path.Root("region_exempt_actions")) {
			// An input this resource does not have: of its own, the bucket list is what grows a document.
			at = path.Root("developer_s3_bucket_arns")
		}
		diags.AddAttributeError(at, "Cannot render the baseline policies", err.Error())
		return nil
	}
	sets := make([]awssso.SetSpec, 0, len(keys))
	for _, k := range keys {
		name := baseline.IdentityCenterName(m.NamePrefix.ValueString(), k)
		if err := baseline.ValidatePermissionSetName(name); err != nil {
			diags.AddAttributeError(path.Root("name_prefix"), "Permission set name too long or invalid", err.Error())
		}
		// A group's grants split over several managed policies are one inline policy here.
		inline, err := baseline.JoinedDocument(docs, k)
		if err != nil {
			diags.AddAttributeError(path.Root("policy_documents").AtMapKey(k), "Cannot render the baseline policies", err.Error())
			continue
		}
		if err := baseline.ValidatePermissionSetInlinePolicy(inline); err != nil {
			diags.AddAttributeError(path.Root("policy_documents").AtMapKey(k), "Rendered policy does not fit a permission set",
				err.Error()+". Use fewer allowed_regions or developer_s3_bucket_arns (wildcards help).")
		}
		duration := durations[k]
		if duration == "" {
			duration = baseline.DefaultSessionDuration(k)
		}
		var managed []string
		if !leastPrivilege {
			managed = append(managed, baseline.AWSManagedPolicyARN(k, partition))
		}
		managed = append(managed, extra[k]...)
		slices.Sort(managed)
		managed = slices.Compact(managed)
		if len(managed) > baseline.PermissionSetManagedPoliciesMax {
			diags.AddAttributeError(path.Root("extra_policy_arns").AtMapKey(k), "Too many managed policies",
				fmt.Sprintf("The %s permission set would carry %d managed policies, the quota is %d: remove some.", k, len(managed), baseline.PermissionSetManagedPoliciesMax))
		}
		sets = append(sets, awssso.SetSpec{
			Key: k, Name: name, Description: baseline.PermissionSetDescription(k), SessionDuration: duration,
			RelayState: relay, InlinePolicy: inline, ManagedPolicyARNs: managed,
		})
	}
	return sets
}

// identityCenterOptions are the policy options of the model but the lists: the name prefix and the
// app scope as configured (empty fields derived from the prefix).
func identityCenterOptions(m *identityCenterBaselineModel, partition string) baseline.Options {
	return baseline.Options{Partition: partition, NamePrefix: m.NamePrefix.ValueString(), AppScope: appScopeFrom(m.AppScope)}
}

func (r *identityCenterBaselineResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m identityCenterBaselineModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !identityCenterKnown(m) {
		return
	}
	if !m.AccountIDs.IsNull() && !m.AccountIDs.IsUnknown() && elementsKnown(m.AccountIDs.Elements()) {
		var ids []string
		resp.Diagnostics.Append(m.AccountIDs.ElementsAs(ctx, &ids, false)...)
		for i, id := range ids {
			if !accountIDPattern.MatchString(id) {
				resp.Diagnostics.AddAttributeError(path.Root("account_ids").AtListIndex(i), "Invalid account ID",
					fmt.Sprintf("%q is not a 12-digit AWS account ID.", id))
			}
		}
		if len(ids) == 0 {
			resp.Diagnostics.AddAttributeError(path.Root("account_ids"), "No account", "Give at least one account ID, or leave account_ids out for the caller's account.")
		}
		if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
			resp.Diagnostics.AddAttributeError(path.Root("account_ids"), "Duplicate account ID", "List each account once.")
		}
	}
	identityCenterSets(ctx, &m, partitionOf(r.client), &resp.Diagnostics)
}

// identityCenterKnown: the inputs of the names and documents are known (account_ids need not be).
func identityCenterKnown(m identityCenterBaselineModel) bool {
	return !m.Groups.IsUnknown() && elementsKnown(m.Groups.Elements()) && !m.NamePrefix.IsUnknown() &&
		!m.PolicyStyle.IsUnknown() && !m.SessionDurations.IsUnknown() && !m.RelayState.IsUnknown() &&
		!m.AllowedRegions.IsUnknown() && !m.DeveloperS3BucketARNs.IsUnknown() && !m.ExtraPolicyARNs.IsUnknown()
}

// ModifyPlan shows what AWS cannot be told by API (as a warning on create), the computed names and
// documents, and plans the repair of drift: when state records an account where a job function is
// not fully in place, the planned assignments are the wanted ones.
func (r *identityCenterBaselineResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var m identityCenterBaselineModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !identityCenterKnown(m) {
		return
	}
	if req.State.Raw.IsNull() {
		var configured types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("instance_arn"), &configured)...)
		m.InstanceARN = planInstance(ctx, r.sso, configured, m.InstanceARN, &resp.Diagnostics)
		resp.Diagnostics.AddWarning("IAM Identity Center settings Terraform cannot set", baseline.IdentityCenterManualSteps)
	}
	sets := identityCenterSets(ctx, &m, partitionOf(r.client), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	names := map[string]string{}
	docs := map[string]string{}
	for _, s := range sets {
		names[s.Key] = s.Name
		if s.InlinePolicy != "" {
			docs[s.Key] = s.InlinePolicy
		}
	}
	m.GroupNames = stringMapValue(names)
	prior := types.MapNull(types.StringType)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("policy_documents"), &prior)...)
	}
	m.PolicyDocuments, m.PolicyDocSummaries = plannedPolicyDocuments(docs, prior)
	if r.plans != nil {
		for _, n := range names {
			r.plans.planStoreGroups(n)
		}
	}
	m.AppScope = appScopeValue(identityCenterOptions(&m, partitionOf(r.client)).ResolvedAppScope())
	if !m.AccountIDs.IsUnknown() {
		var accounts []string
		resp.Diagnostics.Append(m.AccountIDs.ElementsAs(ctx, &accounts, false)...)
		m.Assignments = assignmentsValue(sets, func(string) []string { return accounts })
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &m)...)
}

// spec is the whole request of the model, resolving the instance and the default account.
func (r *identityCenterBaselineResource) spec(ctx context.Context, sso *awssso.Client, m *identityCenterBaselineModel, diags *diag.Diagnostics) (awssso.BaselineSpec, bool) {
	sets := identityCenterSets(ctx, m, partitionOf(r.client), diags)
	if diags.HasError() {
		return awssso.BaselineSpec{}, false
	}
	in, err := sso.FindInstance(ctx, m.InstanceARN.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("instance_arn"), "Cannot find the IAM Identity Center instance", err.Error())
		return awssso.BaselineSpec{}, false
	}
	var accounts []string
	if !m.AccountIDs.IsNull() && !m.AccountIDs.IsUnknown() {
		diags.Append(m.AccountIDs.ElementsAs(ctx, &accounts, false)...)
	}
	if len(accounts) == 0 {
		id, err := sso.AccountID(ctx)
		if err != nil {
			diags.AddError("Cannot read the caller's account", err.Error())
			return awssso.BaselineSpec{}, false
		}
		accounts = []string{id}
	}
	m.InstanceARN = types.StringValue(in.ARN)
	m.AccountIDs = stringList(accounts)
	m.ID = types.StringValue(in.ARN + "|" + m.NamePrefix.ValueString())
	return awssso.BaselineSpec{
		InstanceARN: in.ARN, IdentityStoreID: in.IdentityStoreID, Sets: sets, AccountIDs: accounts,
		ForceDestroy: m.ForceDestroy.ValueBool(),
	}, true
}

// fill records what exists: ids, ARNs, and per role key the accounts where the job function is in
// place (assigned, provisioned, policies as the spec says).
func (r *identityCenterBaselineResource) fill(_ context.Context, m *identityCenterBaselineModel, spec awssso.BaselineSpec, cur *awssso.BaselineState) {
	names, ids, arns, docs := map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	for _, s := range spec.Sets {
		names[s.Key] = s.Name
		if s.InlinePolicy != "" {
			docs[s.Key] = s.InlinePolicy
		}
		if st := cur.Sets[s.Name]; st != nil {
			if st.GroupID != "" {
				ids[s.Key] = st.GroupID
			}
			if st.ARN != "" {
				arns[s.Key] = st.ARN
			}
		}
	}
	m.GroupNames, m.GroupIDs, m.PermissionSetARNs, m.PolicyDocuments = stringMapValue(names), stringMapValue(ids), stringMapValue(arns), stringMapValue(docs)
	m.AppScope = appScopeValue(identityCenterOptions(m, partitionOf(r.client)).ResolvedAppScope())
	m.PolicyDocSummaries = stringMapValue(baseline.PolicySummaries(docs))
	m.Assignments = assignmentsValue(spec.Sets, func(name string) []string {
		st := cur.Sets[name]
		if st == nil || st.ARN == "" || st.GroupID == "" {
			return nil
		}
		s := spec.Sets[slices.IndexFunc(spec.Sets, func(s awssso.SetSpec) bool { return s.Name == name })]
		if !awssso.SetMatches(s, st) {
			return nil
		}
		var in []string
		for _, a := range spec.AccountIDs {
			if slices.Contains(st.AssignedAccounts, a) && slices.Contains(st.ProvisionedAccounts, a) {
				in = append(in, a)
			}
		}
		return in
	})
}

func assignmentsValue(sets []awssso.SetSpec, accountsOf func(name string) []string) types.Map {
	elems := map[string]attr.Value{}
	for _, s := range sets {
		elems[s.Key] = stringList(accountsOf(s.Name))
	}
	return types.MapValueMust(types.ListType{ElemType: types.StringType}, elems)
}

func stringMapValue(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
