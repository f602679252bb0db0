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

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
)

func (r *startupGroupBaselineResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	m, ok := readModel[startupGroupBaselineModel](ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	prefix := m.NamePrefix.ValueString()
	// additional_groups: names, inline policies and the attachment quota.
	if !m.AdditionalGroups.IsNull() && !m.AdditionalGroups.IsUnknown() {
		for name, v := range m.AdditionalGroups.Elements() {
			at := path.Root("additional_groups").AtMapKey(name)
			for _, k := range baseline.RoleKeys() {
				if strings.EqualFold(name, k) {
					resp.Diagnostics.AddAttributeError(at, "Additional group clashes with a standard group",
						fmt.Sprintf("%q is the role key of a standard group (IAM group names are case-insensitive): choose another name, or select %s in groups.", name, k))
				}
			}
			if !m.NamePrefix.IsUnknown() && (len(prefix+name) > 128 || !iamNamePattern.MatchString(name)) {
				resp.Diagnostics.AddAttributeError(at, "Invalid additional group name",
					fmt.Sprintf("%q: the group name name_prefix + name (%q) must be 1-128 characters of letters, digits and +=,.@_-.", name, prefix+name))
			}
			obj, ok := v.(types.Object)
			if !ok || obj.IsUnknown() || obj.IsNull() {
				continue
			}
			if inline, ok := obj.Attributes()["inline_policy"].(types.String); ok && !inline.IsNull() && !inline.IsUnknown() {
				// Terraform cannot always point at a key of a nested map in the source, so the
				// detail names the attribute too.
				var lintDiags diag.Diagnostics
				addPolicyLintDiagnostics(&lintDiags, at.AtName("inline_policy"), inline.ValueString(), lint.Options{Kind: lint.KindGroupInlinePolicy})
				for _, d := range lintDiags {
					detail := fmt.Sprintf("additional_groups[%q].inline_policy: %s", name, d.Detail())
					if d.Severity() == diag.SeverityError {
						resp.Diagnostics.AddAttributeError(at.AtName("inline_policy"), d.Summary(), detail)
					} else {
						resp.Diagnostics.AddAttributeWarning(at.AtName("inline_policy"), d.Summary(), detail)
					}
				}
			}
		}
	}
	if !m.inputsKnown() {
		return
	}
	spec, ok := r.spec(ctx, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	// extra_policy_arns keys must be selected groups.
	for key := range spec.Extra {
		if !slices.Contains(spec.Policy.RoleKeys, key) {
			resp.Diagnostics.AddAttributeError(path.Root("extra_policy_arns").AtMapKey(key), "Extra policies for a group that is not created",
				fmt.Sprintf("%q is not in groups (%s): add it to groups or remove its extra_policy_arns entry.", key, baseline.JoinQuoted(spec.Policy.RoleKeys)))
		}
	}
	// At most 10 managed policies per group.
	counts, _ := spec.attachments(func(key string) string { return "customer:" + key })
	for _, k := range spec.groupKeys() {
		if n := len(counts[k]); n > maxManagedPoliciesPerGroup {
			at := path.Root("extra_policy_arns").AtMapKey(k)
			if _, ok := spec.Additional[k]; ok {
				at = path.Root("additional_groups").AtMapKey(k).AtName("policy_arns")
			}
			resp.Diagnostics.AddAttributeError(at, "Too many managed policies for one group",
				fmt.Sprintf("Group %s would have %d managed policies (baseline policy and its parts, MFA, guardrails and extra ones); IAM allows %d per group. Remove some, or combine them into one customer managed policy.",
					spec.groupName(k), n, maxManagedPoliciesPerGroup))
		}
	}
	validatePolicyArgs(spec.Policy, "policy_documents", &resp.Diagnostics)
	addManagedPolicyWarnings(&resp.Diagnostics, spec.Style == policyStyleAWSManaged, spec.Policy.RoleKeys, spec.Policy.Partition, spec.Extra, additionalPolicyARNs(spec.Additional))
}

// ModifyPlan puts the desired computed values into the plan, so that drift the refresh found (a
// deleted group, a detached or foreign policy, an edited document) shows as a change.
func (r *startupGroupBaselineResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	plan, ok := plannedModel[startupGroupBaselineModel](ctx, req.Plan, &resp.Diagnostics)
	if !ok || !plan.inputsKnown() {
		return
	}
	var state startupGroupBaselineModel
	spec := plan.spec(ctx, partitionOf(r.client), &resp.Diagnostics)
	docs := validatePolicyArgs(spec.Policy, "policy_documents", &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	account := ""
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		account = accountFromState(ctx, state)
	}
	if account == "" && r.client != nil {
		// The account ID is known at configure time: ARNs are known at plan time, even on create.
		account, _ = r.client.AccountID(ctx)
	}
	desired, complete := spec.desiredOutcome(account, docs)
	plan.InlinePolicyNames = inlineNamesValue(ctx, spec.desiredInlineNames(), &resp.Diagnostics)
	reportForeignInlinePolicies(ctx, state, spec, &resp.Diagnostics)
	if r.client != nil {
		// Users planned after this baseline (they use its group_names) may name its new groups.
		r.plans.planGroups(slices.Collect(maps.Values(desired.GroupNames))...)
		if claimGroupNames(r.plans, plan.NamePrefix.ValueString(), desired.GroupNames, !req.State.Raw.IsNull(), &resp.Diagnostics); resp.Diagnostics.HasError() {
			return
		}
		if req.State.Raw.IsNull() {
			// Names another state (or a person) owns: refused now, not halfway through the apply.
			if err := r.client.GroupBaselineCollision(ctx, spec.iam(docs)); err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("name_prefix"), "The baseline's IAM groups or policies already exist", err.Error())
				return
			}
		}
	}
	if !req.State.Raw.IsNull() {
		checkDroppedGroupsEmpty(ctx, r.client, state.spec(ctx, partitionOf(r.client), &resp.Diagnostics), spec, &resp.Diagnostics)
	}
	plan.ID = types.StringValue(spec.id())
	plan.TagsAll = plannedTagsAll(r.client, plan.Tags)
	plan.GroupNames = stringMap(ctx, desired.GroupNames, &resp.Diagnostics)
	plan.PolicyDocuments = stringMap(ctx, desired.Documents, &resp.Diagnostics)
	plan.AppScope = appScopeValue(spec.Policy.options().ResolvedAppScope())
	if complete {
		desired.setOn(ctx, &plan, &resp.Diagnostics)
		reportForeignPolicies(ctx, state, desired, &resp.Diagnostics)
	} else {
		plan.GroupARNs = types.MapUnknown(types.StringType)
		plan.PolicyARNs = types.MapUnknown(types.StringType)
		plan.AttachedPolicyARNs = types.MapUnknown(stringSetType)
		rules := spec.rules()
		for key, attr := range plan.sharedPolicyARNAttributes() {
			*attr = types.StringNull()
			if p, ok := baseline.SharedPolicyByKey(key); ok && p.In(rules) {
				*attr = types.StringUnknown()
			}
		}
	}
	priorDocuments := types.MapNull(types.StringType)
	if !req.State.Raw.IsNull() {
		priorDocuments = state.PolicyDocuments
	}
	plan.PolicyDocuments, plan.PolicyDocumentSummaries = plannedPolicyDocuments(desired.Documents, priorDocuments)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// observedGroupNames is a state map of what AWS holds by group (group key => policy ARNs or
// names); ok is false when the state has none (null or unknown) or it does not read.
func observedGroupNames(ctx context.Context, m types.Map) (names map[string][]string, ok bool) {
	if m.IsNull() || m.IsUnknown() {
		return nil, false
	}
	if d := m.ElementsAs(ctx, &names, false); d.HasError() {
		return nil, false
	}
	return names, true
}

// reportForeignPolicies warns about managed policies attached to baseline groups out of band, which
// the apply will detach.
func reportForeignPolicies(ctx context.Context, state startupGroupBaselineModel, desired baselineOutcome, diags *diag.Diagnostics) {
	actual, ok := observedGroupNames(ctx, state.AttachedPolicyARNs)
	if !ok {
		return
	}
	// What the prior state itself attached is not foreign, even when the new configuration drops it.
	var own map[string]string
	_ = state.PolicyARNs.ElementsAs(ctx, &own, false)
	var d diag.Diagnostics
	prior := state.spec(ctx, desired.partition, &d)
	sharedARNs := state.sharedPolicyARNAttributes()
	owned, _ := prior.attachments(func(key string) string {
		if attr, ok := sharedARNs[key]; ok {
			return attr.ValueString()
		}
		return own[key]
	})
	var foreign []string
	for _, k := range slices.Sorted(maps.Keys(actual)) {
		want, ok := desired.Attached[k]
		if !ok {
			continue
		}
		for _, arn := range actual[k] {
			if !slices.Contains(want, arn) && !slices.Contains(owned[k], arn) {
				foreign = append(foreign, fmt.Sprintf("%s on group %s", arn, desired.GroupNames[k]))
			}
		}
	}
	if len(foreign) > 0 {
		diags.AddAttributeWarning(path.Root("attached_policy_arns"), "Foreign managed policies on baseline groups",
			"These managed policies were attached outside this baseline and will be detached by apply (the baseline owns "+
				"its groups' attachments): "+strings.Join(foreign, "; ")+". To keep one, add it to extra_policy_arns "+
				"(or the additional group's policy_arns).")
	}
}

func (m startupGroupBaselineModel) policyValues() policyArgsValues {
	return policyArgsValues{
		Groups: m.Groups, EnforceMFA: m.EnforceMFA, AllowFirstLoginPasswordChange: m.AllowFirstLoginPasswordChange,
		AllowedRegions: m.AllowedRegions, DeveloperS3BucketARNs: m.DeveloperS3BucketARNs,
		RegionExemptActions: m.RegionExemptActions, NamePrefix: m.NamePrefix, AppScope: m.AppScope,
		ReadOnlyCostExplorer: m.ReadOnlyCostExplorer, DelegateAppRoles: m.DelegateAppRoles,
	}
}

// inputsKnown reports whether every argument is known, so the desired baseline can be computed.
func (m startupGroupBaselineModel) inputsKnown() bool {
	if !m.policyValues().known() || m.NamePrefix.IsUnknown() || m.Path.IsUnknown() || m.PolicyStyle.IsUnknown() ||
		m.ExtraPolicyARNs.IsUnknown() || m.AdditionalGroups.IsUnknown() || m.Tags.IsUnknown() || m.ForceDestroy.IsUnknown() {
		return false
	}
	for _, v := range m.ExtraPolicyARNs.Elements() {
		l, isList := v.(types.List)
		if v.IsUnknown() || (isList && !elementsKnown(l.Elements())) {
			return false
		}
	}
	for _, v := range m.AdditionalGroups.Elements() {
		if v.IsUnknown() {
			return false
		}
		o, isObject := v.(types.Object)
		if !isObject {
			continue
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
	for _, v := range m.Tags.Elements() {
		if v.IsUnknown() {
			return false
		}
	}
	return true
}

// additionalGroupSpec is one entry of additional_groups.
type additionalGroupSpec = baseline.AdditionalGroup

// baselineSpec is what a configuration (or a prior state) says the baseline is, in plain Go.
type baselineSpec struct {
	Prefix, Path string
	Style        string
	Policy       policyArgs
	Extra        map[string][]string // role key => ARNs
	Additional   map[string]additionalGroupSpec
	Tags         map[string]string
	// TagsAll is what the state says the policies carry (nil when unknown or null): a prior
	// state's tags_all, from which the apply moves the tags.
	TagsAll      map[string]string
	ForceDestroy bool
	// PolicyParts are how many customer managed policies a group's grants take, when more than one.
	PolicyParts map[string]int
}

func (m startupGroupBaselineModel) spec(ctx context.Context, partition string, diags *diag.Diagnostics) baselineSpec {
	s := baselineSpec{
		Prefix:       m.NamePrefix.ValueString(),
		Path:         m.Path.ValueString(),
		Style:        m.PolicyStyle.ValueString(),
		Extra:        map[string][]string{},
		Additional:   map[string]additionalGroupSpec{},
		Tags:         map[string]string{},
		ForceDestroy: m.ForceDestroy.ValueBool(),
	}
	if s.Path == "" {
		s.Path = "/"
	}
	if s.Style == "" {
		s.Style = policyStyleLeastPrivilege
	}
	s.Policy = m.policyValues().args(ctx, partition, s.Style == policyStyleLeastPrivilege, diags)
	// The app boundary Developers delegate under is at the baseline's path.
	s.Policy.PolicyPath = s.Path
	// How many managed policies each group's grants take; a rendering error is reported by
	// validatePolicyArgs.
	if docs, err := s.Policy.renderDocuments(); err == nil {
		s.PolicyParts = baseline.PolicyPartCounts(docs)
	}
	if !m.ExtraPolicyARNs.IsNull() {
		diags.Append(m.ExtraPolicyARNs.ElementsAs(ctx, &s.Extra, false)...)
	}
	if !m.AdditionalGroups.IsNull() {
		var groups map[string]additionalGroupModel
		diags.Append(m.AdditionalGroups.ElementsAs(ctx, &groups, false)...)
		for name, g := range groups {
			spec := additionalGroupSpec{
				InlinePolicy: g.InlinePolicy.ValueString(), EnforceMFA: g.EnforceMFA.IsNull() || g.EnforceMFA.ValueBool(),
				OmitGuardrails: !g.Guardrails.IsNull() && !g.Guardrails.ValueBool(),
			}
			if !g.PolicyARNs.IsNull() {
				diags.Append(g.PolicyARNs.ElementsAs(ctx, &spec.PolicyARNs, false)...)
			}
			s.Additional[name] = spec
		}
	}
	if !m.Tags.IsNull() {
		diags.Append(m.Tags.ElementsAs(ctx, &s.Tags, false)...)
	}
	if !m.TagsAll.IsNull() && !m.TagsAll.IsUnknown() {
		s.TagsAll = map[string]string{}
		diags.Append(m.TagsAll.ElementsAs(ctx, &s.TagsAll, false)...)
	}
	return s
}

// rules is the spec as baseline's GroupBaseline, where the naming, attachment and adoption rules live.
func (s baselineSpec) rules() baseline.GroupBaseline {
	return baseline.GroupBaseline{
		Prefix: s.Prefix, Path: s.Path, AWSManaged: s.Style == policyStyleAWSManaged,
		RoleKeys: s.Policy.RoleKeys, EnforceMFA: s.Policy.EnforceMFA, Partition: s.Policy.Partition,
		Extra: s.Extra, Additional: s.Additional, PolicyParts: s.PolicyParts,
		DelegateAppRoles: s.Policy.DelegateAppRoles,
	}
}

func (s baselineSpec) groupName(key string) string          { return s.rules().GroupName(key) }
func (s baselineSpec) groupKeys() []string                  { return s.rules().GroupKeys() }
func (s baselineSpec) customerPolicyKeys() []string         { return s.rules().CustomerPolicyKeys() }
func (s baselineSpec) customerPolicyName(key string) string { return s.rules().CustomerPolicyName(key) }
func (s baselineSpec) id() string                           { return s.rules().ID() }

func (s baselineSpec) baselinePolicyARN(roleKey string, customerARN func(key string) string) string {
	return s.rules().BaselinePolicyARN(roleKey, customerARN)
}

func (s baselineSpec) attachments(customerARN func(key string) string) (map[string][]string, bool) {
	return s.rules().Attachments(customerARN)
}

// accountFromState finds the account ID in any ARN the prior state holds.
func accountFromState(ctx context.Context, m startupGroupBaselineModel) string {
	if a := baseline.ARNAccount(m.MFAPolicyARN.ValueString()); a != "" && a != "aws" {
		return a
	}
	for _, mp := range []types.Map{m.GroupARNs, m.PolicyARNs} {
		var arns map[string]string
		if mp.IsNull() || mp.IsUnknown() {
			continue
		}
		_ = mp.ElementsAs(ctx, &arns, false)
		for _, arn := range arns {
			if a := baseline.ARNAccount(arn); a != "" && a != "aws" {
				return a
			}
		}
	}
	return ""
}

// iam is the spec as awsiam applies, observes and destroys it; docs are the rendered documents.
func (s baselineSpec) iam(docs map[string]string) awsiam.GroupBaselineSpec {
	return awsiam.GroupBaselineSpec{Rules: s.rules(), Documents: docs, Tags: s.Tags, TagsAll: s.TagsAll, ForceDestroy: s.ForceDestroy}
}

// baselineOutcome is what the computed attributes say about the baseline.
type baselineOutcome struct {
	awsiam.GroupBaselineOutcome
	partition string
}

func (o baselineOutcome) setOn(ctx context.Context, m *startupGroupBaselineModel, diags *diag.Diagnostics) {
	m.GroupNames = stringMap(ctx, o.GroupNames, diags)
	m.GroupARNs = stringMap(ctx, o.GroupARNs, diags)
	m.PolicyARNs = stringMap(ctx, o.PolicyARNs, diags)
	m.PolicyDocuments = stringMap(ctx, o.Documents, diags)
	m.PolicyDocumentSummaries = stringMap(ctx, baseline.PolicySummaries(o.Documents), diags)
	for key, attr := range m.sharedPolicyARNAttributes() {
		if arn := o.SharedPolicyARNs[key]; arn == "" {
			*attr = types.StringNull()
		} else {
			*attr = types.StringValue(arn)
		}
	}
	attached := map[string]attr.Value{}
	for k, arns := range o.Attached {
		v, d := types.SetValueFrom(ctx, types.StringType, arns)
		diags.Append(d...)
		attached[k] = v
	}
	v, d := types.MapValue(stringSetType, attached)
	diags.Append(d...)
	m.AttachedPolicyARNs = v
}

// desiredOutcome is what the computed attributes will be once the baseline matches spec, with the
// policy documents rendered. Without the account ID the ARNs are unknown (ok=false).
func (s baselineSpec) desiredOutcome(accountID string, docs map[string]string) (baselineOutcome, bool) {
	o := baselineOutcome{GroupBaselineOutcome: awsiam.GroupBaselineOutcome{
		GroupNames: map[string]string{}, GroupARNs: map[string]string{}, PolicyARNs: map[string]string{},
		Documents: docs, SharedPolicyARNs: map[string]string{},
	}, partition: s.Policy.Partition}
	for _, k := range s.groupKeys() {
		o.GroupNames[k] = s.groupName(k)
	}
	if accountID == "" {
		return o, false
	}
	partition := s.Policy.Partition
	customerARN := func(key string) string {
		if !slices.Contains(s.customerPolicyKeys(), key) {
			return ""
		}
		return baseline.PolicyARN(partition, accountID, s.Path, s.customerPolicyName(key))
	}
	for _, k := range s.groupKeys() {
		o.GroupARNs[k] = baseline.GroupARN(partition, accountID, s.Path, s.groupName(k))
	}
	for _, k := range s.Policy.RoleKeys {
		o.PolicyARNs[k] = s.baselinePolicyARN(k, customerARN)
	}
	for _, p := range baseline.SharedPolicies() {
		if p.In(s.rules()) {
			o.SharedPolicyARNs[p.Key] = customerARN(p.Key)
		}
	}
	attached, ok := s.attachments(customerARN)
	o.Attached = attached
	return o, ok
}

// The baseline owns its groups' inline policies as it owns their managed policy attachments: a
// group holds only the inline policy of additional_groups' inline_policy. An inline policy put on a
// baseline group out of band shows in inline_policy_names as a change, with a warning naming it, and
// apply deletes it.

const inlinePolicyNamesDescription = "Inline policies of each group, by role key or additional group name, as found in AWS: none, or " +
	"`" + baseline.AdditionalInlinePolicy + "` for an additional group with `inline_policy`. An inline policy put on a baseline group " +
	"out of band shows here as a change (with a warning naming it) and apply deletes it: the baseline owns its groups' policies."

// desiredInlineNames are the inline policies each group should hold.
func (s baselineSpec) desiredInlineNames() map[string][]string { return s.rules().InlinePolicyNames() }

func inlineNamesValue(ctx context.Context, names map[string][]string, diags *diag.Diagnostics) types.Map {
	elems := map[string]attr.Value{}
	for k, v := range names {
		set, d := types.SetValueFrom(ctx, types.StringType, v)
		diags.Append(d...)
		elems[k] = set
	}
	m, d := types.MapValue(stringSetType, elems)
	diags.Append(d...)
	return m
}

// reportForeignInlinePolicies warns about inline policies on baseline groups that apply will delete.
func reportForeignInlinePolicies(ctx context.Context, state startupGroupBaselineModel, spec baselineSpec, diags *diag.Diagnostics) {
	actual, ok := observedGroupNames(ctx, state.InlinePolicyNames)
	if !ok {
		return
	}
	want := spec.desiredInlineNames()
	var foreign []string
	for _, k := range slices.Sorted(maps.Keys(actual)) {
		if _, ours := want[k]; !ours {
			continue
		}
		for _, name := range actual[k] {
			if !slices.Contains(want[k], name) {
				foreign = append(foreign, fmt.Sprintf("%s on group %s", name, spec.groupName(k)))
			}
		}
	}
	if len(foreign) > 0 {
		diags.AddAttributeWarning(path.Root("inline_policy_names"), "Foreign inline policies on baseline groups",
			"These inline policies were put on baseline groups outside this baseline and will be deleted by apply (the baseline owns "+
				"its groups' policies): "+strings.Join(foreign, "; ")+". To keep what one grants, make it a customer managed policy and add its ARN "+
				"to extra_policy_arns (or, for an additional group, to its policy_arns or inline_policy).")
	}
}

// checkDroppedGroupsEmpty fails the plan when the change deletes groups that still have members and
// force_destroy is off. Terraform applies the baseline before the onboarded users that use its
// group_names, so moving the people out in the same change cannot empty the group in time: the apply
// would fail halfway. The error names the groups and members and the two ways that work.
func checkDroppedGroupsEmpty(ctx context.Context, c *awsiam.Client, old, spec baselineSpec, diags *diag.Diagnostics) {
	if c == nil || spec.ForceDestroy {
		return
	}
	keep := map[string]bool{}
	for _, k := range spec.groupKeys() {
		keep[spec.groupName(k)] = true
	}
	var dropped []string
	for _, k := range old.groupKeys() {
		if !keep[old.groupName(k)] {
			dropped = append(dropped, k)
		}
	}
	if len(dropped) == 0 {
		return
	}
	snap, err := c.CachedSnapshot(ctx)
	if err != nil {
		return // the apply checks again
	}
	var busy, keys []string
	for _, k := range dropped {
		if g, ok := snap.Group(old.groupName(k)); ok && len(g.Members) > 0 {
			busy = append(busy, fmt.Sprintf("%s (members: %s)", g.Name, strings.Join(g.Members, ", ")))
			keys = append(keys, fmt.Sprintf("%q", k))
		}
	}
	if len(busy) == 0 {
		return
	}
	slices.Sort(busy)
	diags.AddAttributeError(path.Root("groups"), "Groups to delete still have members",
		fmt.Sprintf("This change deletes %s. Terraform applies the baseline before the onboarded users that use its group_names, "+
			"so moving these people to other groups in the same change cannot empty the groups in time, and the apply would fail halfway. Either:\n"+
			"  1. use two applies: first move the people (change their groups, keep %s in groups) and apply; then remove %s from groups and apply again; or\n"+
			"  2. set force_destroy = true on this baseline: the apply removes the members, deletes the groups, and the users then join their new groups in the same apply.",
			strings.Join(busy, "; "), strings.Join(keys, ", "), strings.Join(keys, ", ")))
}
