package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awssso"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
)

// identityCenterSets are the job functions the model asks for, without any AWS call: role keys in
// canonical order, names, session durations, documents and managed policies. Problems are reported
// against the attribute to change.
func identityCenterSets(ctx context.Context, m *identityCenterBaselineModel, partition string, diags *diag.Diagnostics) []awssso.SetSpec {
	keys := canonicalRoleKeys(stringsFromSet(ctx, m.Groups, diags))
	if m.Groups.IsNull() {
		keys = baseline.RoleKeys()
	}
	additional := identityCenterAdditional(ctx, m, diags)
	durations := stringMapFrom(ctx, m.SessionDurations, diags)
	for k, d := range durations {
		if _, ok := additional[k]; !baseline.ValidRoleKey(k) && !ok {
			diags.AddAttributeError(path.Root("session_durations").AtMapKey(k), "Unknown role key",
				fmt.Sprintf("%q is neither a role key (%v) nor an additional group.", k, baseline.RoleKeys()))
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
			if err := baseline.ValidatePermissionSetManagedPolicyARN(a); err != nil {
				diags.AddAttributeError(path.Root("extra_policy_arns").AtMapKey(k), "Invalid policy ARN", err.Error()+".")
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
		// A group's grants split over several managed policies are one inline policy here, with the
		// guardrail policy's denies.
		inline, err := baseline.PermissionSetInlinePolicy(docs, k)
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
	for _, k := range slices.Sorted(maps.Keys(additional)) {
		sets = append(sets, additionalSet(m.NamePrefix.ValueString(), k, additional[k], durations[k], relay, diags))
	}
	return sets
}

// additionalSet is the set of one entry of additional_groups; problems are reported against it.
func additionalSet(prefix, key string, g baseline.AdditionalGroup, duration, relay string, diags *diag.Diagnostics) awssso.SetSpec {
	at := path.Root("additional_groups").AtMapKey(key)
	name := baseline.IdentityCenterName(prefix, key)
	for _, k := range baseline.RoleKeys() {
		if strings.EqualFold(key, k) {
			diags.AddAttributeError(at, "Additional group clashes with a job function",
				fmt.Sprintf("%q is the role key %s (group names are case-insensitive): choose another name, or select %s in groups.", key, k, k))
		}
	}
	if err := baseline.ValidatePermissionSetName(name); err != nil {
		diags.AddAttributeError(at, "Permission set name too long or invalid", fmt.Sprintf("additional_groups[%q]: %s (or the group's name).", key, err))
	}
	if len(g.PolicyARNs) == 0 && g.InlinePolicy == "" {
		diags.AddAttributeError(at, "Additional group grants nothing",
			fmt.Sprintf("additional_groups[%q] has neither policy_arns nor inline_policy: a permission set without a policy gives no access. Give one, or remove the group.", key))
	}
	for _, a := range g.PolicyARNs {
		if err := baseline.ValidatePermissionSetManagedPolicyARN(a); err != nil {
			diags.AddAttributeError(at.AtName("policy_arns"), "Invalid policy ARN", fmt.Sprintf("additional_groups[%q].policy_arns: %s.", key, err))
		}
	}
	if n := len(g.PolicyARNs); n > baseline.PermissionSetManagedPoliciesMax {
		diags.AddAttributeError(at.AtName("policy_arns"), "Too many managed policies",
			fmt.Sprintf("additional_groups[%q] would carry %d managed policies, the quota is %d: remove some.", key, n, baseline.PermissionSetManagedPoliciesMax))
	}
	if g.InlinePolicy != "" {
		if err := baseline.ValidatePermissionSetInlinePolicy(g.InlinePolicy); err != nil {
			diags.AddAttributeError(at.AtName("inline_policy"), "Inline policy does not fit a permission set", fmt.Sprintf("additional_groups[%q].inline_policy: %s.", key, err))
		}
	}
	if duration == "" {
		duration = baseline.DefaultSessionDuration(key)
	}
	managed := slices.Clone(g.PolicyARNs)
	slices.Sort(managed)
	return awssso.SetSpec{
		Key: key, Name: name, Description: baseline.AdditionalPermissionSetDescription(key), SessionDuration: duration,
		RelayState: relay, InlinePolicy: g.InlinePolicy, ManagedPolicyARNs: managed, Additional: true,
	}
}

// identityCenterAdditional is additional_groups in plain Go (nil when null or unknown).
func identityCenterAdditional(ctx context.Context, m *identityCenterBaselineModel, diags *diag.Diagnostics) map[string]baseline.AdditionalGroup {
	if m.AdditionalGroups.IsNull() || m.AdditionalGroups.IsUnknown() {
		return nil
	}
	var groups map[string]identityCenterAdditionalGroupModel
	diags.Append(m.AdditionalGroups.ElementsAs(ctx, &groups, false)...)
	out := make(map[string]baseline.AdditionalGroup, len(groups))
	for name, g := range groups {
		a := baseline.AdditionalGroup{InlinePolicy: g.InlinePolicy.ValueString()}
		if !g.PolicyARNs.IsNull() {
			diags.Append(g.PolicyARNs.ElementsAs(ctx, &a.PolicyARNs, false)...)
		}
		out[name] = a
	}
	return out
}

// additionalGroupsKnown: every entry of additional_groups is known, down to its policies.
func additionalGroupsKnown(groups types.Map) bool {
	if groups.IsUnknown() {
		return false
	}
	for _, v := range groups.Elements() {
		o, ok := v.(types.Object)
		if !ok || o.IsUnknown() {
			return false
		}
		for _, a := range o.Attributes() {
			if a.IsUnknown() {
				return false
			}
			if l, ok := a.(types.List); ok && !elementsKnown(l.Elements()) {
				return false
			}
		}
	}
	return true
}

// identityCenterOptions are the policy options of the model but the lists: the name prefix and the
// app scope as configured (empty fields derived from the prefix).
func identityCenterOptions(m *identityCenterBaselineModel, partition string) baseline.Options {
	return baseline.Options{Partition: partition, NamePrefix: m.NamePrefix.ValueString(), AppScope: appScopeFrom(m.AppScope),
		OmitReadOnlyCostExplorer: !m.ReadOnlyCostExplorer.IsNull() && !m.ReadOnlyCostExplorer.ValueBool()}
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
	sets := identityCenterSets(ctx, &m, partitionOf(r.client), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	extra, additional := map[string][]string{}, map[string][]string{}
	var roleKeys []string
	for _, s := range sets {
		at := path.Root("additional_groups").AtMapKey(s.Key)
		if !s.Additional {
			roleKeys = append(roleKeys, s.Key)
			extra[s.Key] = slices.DeleteFunc(slices.Clone(s.ManagedPolicyARNs), func(a string) bool {
				return a == baseline.AWSManagedPolicyARN(s.Key, partitionOf(r.client))
			})
			continue
		}
		additional[s.Key] = s.ManagedPolicyARNs
		if s.InlinePolicy == "" {
			continue
		}
		// Terraform cannot always point at a key of a nested map in the source: the detail names it.
		var lintDiags diag.Diagnostics
		addPolicyLintDiagnostics(&lintDiags, at.AtName("inline_policy"), s.InlinePolicy, lint.Options{Kind: lint.KindPermissionSetInlinePolicy})
		for _, d := range lintDiags {
			detail := fmt.Sprintf("additional_groups[%q].inline_policy: %s", s.Key, d.Detail())
			if d.Severity() == diag.SeverityError {
				resp.Diagnostics.AddAttributeError(at.AtName("inline_policy"), d.Summary(), detail)
			} else {
				resp.Diagnostics.AddAttributeWarning(at.AtName("inline_policy"), d.Summary(), detail)
			}
		}
	}
	addManagedPolicyWarnings(&resp.Diagnostics, m.PolicyStyle.ValueString() == policyStyleAWSManaged, roleKeys, partitionOf(r.client), extra, additional)
}

// identityCenterKnown: the inputs of the names and documents are known (account_ids need not be).
func identityCenterKnown(m identityCenterBaselineModel) bool {
	return !m.Groups.IsUnknown() && elementsKnown(m.Groups.Elements()) && !m.NamePrefix.IsUnknown() &&
		!m.PolicyStyle.IsUnknown() && !m.SessionDurations.IsUnknown() && !m.RelayState.IsUnknown() &&
		!m.AllowedRegions.IsUnknown() && !m.DeveloperS3BucketARNs.IsUnknown() && !m.ExtraPolicyARNs.IsUnknown() &&
		!m.ReadOnlyCostExplorer.IsUnknown() && additionalGroupsKnown(m.AdditionalGroups)
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
		if s.InlinePolicy != "" && !s.Additional {
			docs[s.Key] = s.InlinePolicy
		}
	}
	m.GroupNames = stringMapValue(names)
	m.TagsAll = plannedTagsAll(r.client, m.Tags)
	if claimPermissionSetNames(r.plans, m.NamePrefix.ValueString(), sets, !req.State.Raw.IsNull(), &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
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

// claimPermissionSetNames claims the permission sets (and so the identity-store groups of the same
// names) an Identity Center baseline plans to own, so that two baselines of one configuration with
// the same name_prefix, or an additional group repeating another's set, fail at plan instead of
// adopting each other's sets at apply.
func claimPermissionSetNames(plans *planRegistry, prefix string, sets []awssso.SetSpec, update bool, diags *diag.Diagnostics) {
	for _, s := range sets {
		at := path.Root("name_prefix")
		if s.Additional {
			at = path.Root("additional_groups").AtMapKey(s.Key)
		}
		checkNameUnclaimed(plans, at, "iambaseline_identity_center_baseline", "IAM Identity Center permission set", s.Name,
			fmt.Sprintf("name_prefix %q, group %q", prefix, s.Key),
			"Give each baseline its own name_prefix (e.g. \"acme-\" and \"acme-data-\"), or keep one baseline; an additional group's name must not repeat another baseline's set either.", update, diags)
		if diags.HasError() {
			return // one error per baseline is enough
		}
	}
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
	tags := r.client.MergeTags(stringMapFrom(ctx, m.Tags, diags))
	if len(tags) == 0 {
		tags = nil
	}
	for i := range sets {
		sets[i].Tags = tags
	}
	hadTags := !m.TagsAll.IsNull() && !m.TagsAll.IsUnknown() && len(m.TagsAll.Elements()) > 0
	return awssso.BaselineSpec{
		InstanceARN: in.ARN, IdentityStoreID: in.IdentityStoreID, Sets: sets, AccountIDs: accounts,
		ForceDestroy: m.ForceDestroy.ValueBool(), ReadTags: len(tags) > 0 || hadTags,
	}, true
}

// fill records what exists: ids, ARNs, and per role key the accounts where the job function is in
// place (assigned, provisioned, policies as the spec says).
func (r *identityCenterBaselineResource) fill(_ context.Context, m *identityCenterBaselineModel, spec awssso.BaselineSpec, cur *awssso.BaselineState) {
	names, ids, arns, docs := map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	var tagsAll map[string]string
	if len(spec.Sets) > 0 {
		tagsAll = spec.Sets[0].Tags // every set has the same tags
	}
	for _, s := range spec.Sets {
		names[s.Key] = s.Name
		if s.InlinePolicy != "" && !s.Additional {
			docs[s.Key] = s.InlinePolicy
		}
		if st := cur.Sets[s.Name]; st != nil && st.Tags != nil && !maps.Equal(st.Tags, s.Tags) && maps.Equal(tagsAll, s.Tags) {
			tagsAll = st.Tags // the first set whose tags drifted: tags_all differs from the plan, and apply repairs every set
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
	m.TagsAll = tagsAllValue(tagsAll)
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
