package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Names the baseline gives what it creates. They are part of the import contract: an import by
// "<name_prefix>|<path>" finds the groups and policies by these names.
const (
	baselinePolicySuffix  = "Policy"     // acme-Developers => acme-DevelopersPolicy
	mfaPolicySuffix       = "EnforceMFA" // acme-EnforceMFA
	additionalInlineName  = "InlinePolicy"
	mfaDocumentKey        = baseline.MFADocumentKey
	baselineImportIDSplit = "|"
)

type startupGroupBaselineModel struct {
	ID                            types.String `tfsdk:"id"`
	NamePrefix                    types.String `tfsdk:"name_prefix"`
	Path                          types.String `tfsdk:"path"`
	Groups                        types.Set    `tfsdk:"groups"`
	PolicyStyle                   types.String `tfsdk:"policy_style"`
	EnforceMFA                    types.Bool   `tfsdk:"enforce_mfa"`
	AllowFirstLoginPasswordChange types.Bool   `tfsdk:"allow_first_login_password_change"`
	AllowedRegions                types.List   `tfsdk:"allowed_regions"`
	DeveloperS3BucketARNs         types.List   `tfsdk:"developer_s3_bucket_arns"`
	RegionExemptActions           types.List   `tfsdk:"region_exempt_actions"`
	AppScope                      types.Object `tfsdk:"app_scope"`
	ExtraPolicyARNs               types.Map    `tfsdk:"extra_policy_arns"`
	AdditionalGroups              types.Map    `tfsdk:"additional_groups"`
	ForceDestroy                  types.Bool   `tfsdk:"force_destroy"`
	Tags                          types.Map    `tfsdk:"tags"`
	TagsAll                       types.Map    `tfsdk:"tags_all"`
	GroupNames                    types.Map    `tfsdk:"group_names"`
	GroupARNs                     types.Map    `tfsdk:"group_arns"`
	PolicyARNs                    types.Map    `tfsdk:"policy_arns"`
	MFAPolicyARN                  types.String `tfsdk:"mfa_policy_arn"`
	PolicyDocuments               types.Map    `tfsdk:"policy_documents"`
	AttachedPolicyARNs            types.Map    `tfsdk:"attached_policy_arns"`
}

type additionalGroupModel struct {
	PolicyARNs   types.List   `tfsdk:"policy_arns"`
	InlinePolicy types.String `tfsdk:"inline_policy"`
	EnforceMFA   types.Bool   `tfsdk:"enforce_mfa"`
}

var additionalGroupAttrTypes = map[string]attr.Type{
	"policy_arns":   types.ListType{ElemType: types.StringType},
	"inline_policy": types.StringType,
	"enforce_mfa":   types.BoolType,
}

var (
	additionalGroupObjectType = types.ObjectType{AttrTypes: additionalGroupAttrTypes}
	stringListType            = types.ListType{ElemType: types.StringType}
	stringSetType             = types.SetType{ElemType: types.StringType}
)

func (m startupGroupBaselineModel) policyValues() policyArgsValues {
	return policyArgsValues{
		Groups: m.Groups, EnforceMFA: m.EnforceMFA, AllowFirstLoginPasswordChange: m.AllowFirstLoginPasswordChange,
		AllowedRegions: m.AllowedRegions, DeveloperS3BucketARNs: m.DeveloperS3BucketARNs,
		RegionExemptActions: m.RegionExemptActions, NamePrefix: m.NamePrefix, AppScope: m.AppScope,
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
type additionalGroupSpec struct {
	PolicyARNs   []string
	InlinePolicy string // "" = none
	EnforceMFA   bool
}

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
	if !m.ExtraPolicyARNs.IsNull() {
		diags.Append(m.ExtraPolicyARNs.ElementsAs(ctx, &s.Extra, false)...)
	}
	if !m.AdditionalGroups.IsNull() {
		var groups map[string]additionalGroupModel
		diags.Append(m.AdditionalGroups.ElementsAs(ctx, &groups, false)...)
		for name, g := range groups {
			spec := additionalGroupSpec{InlinePolicy: g.InlinePolicy.ValueString(), EnforceMFA: g.EnforceMFA.IsNull() || g.EnforceMFA.ValueBool()}
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

func (s baselineSpec) groupName(key string) string { return s.Prefix + key }
func (s baselineSpec) policyName(roleKey string) string {
	return s.Prefix + roleKey + baselinePolicySuffix
}
func (s baselineSpec) mfaPolicyName() string { return s.Prefix + mfaPolicySuffix }

// groupKeys are the role keys followed by the additional groups' names, sorted.
func (s baselineSpec) groupKeys() []string {
	keys := slices.Clone(s.Policy.RoleKeys)
	extra := make([]string, 0, len(s.Additional))
	for k := range s.Additional {
		extra = append(extra, k)
	}
	sort.Strings(extra)
	return append(keys, extra...)
}

// customerPolicyKeys are the keys of the customer managed policies the baseline owns: role keys in the
// least_privilege style, and "mfa" when MFA is enforced.
func (s baselineSpec) customerPolicyKeys() []string {
	var keys []string
	if s.Style == policyStyleLeastPrivilege {
		keys = append(keys, s.Policy.RoleKeys...)
	}
	if s.Policy.EnforceMFA {
		keys = append(keys, mfaDocumentKey)
	}
	return keys
}

func (s baselineSpec) customerPolicyName(key string) string {
	if key == mfaDocumentKey {
		return s.mfaPolicyName()
	}
	return s.policyName(key)
}

// baselinePolicyARN is the ARN of a role group's baseline policy: the customer managed one, found with
// customerARN, or the AWS job-function policy.
func (s baselineSpec) baselinePolicyARN(roleKey string, customerARN func(key string) string) string {
	if s.Style == policyStyleAWSManaged {
		return baseline.AWSManagedPolicyARN(roleKey, s.Policy.Partition)
	}
	return customerARN(roleKey)
}

// attachments are the managed policy ARNs each group should have, by group key. customerARN gives the
// ARN of a customer managed policy by key ("" when unknown, which makes the result incomplete: ok=false).
func (s baselineSpec) attachments(customerARN func(key string) string) (map[string][]string, bool) {
	ok := true
	need := func(key string) string {
		arn := customerARN(key)
		if arn == "" {
			ok = false
		}
		return arn
	}
	out := map[string][]string{}
	for _, key := range s.Policy.RoleKeys {
		arns := []string{s.baselinePolicyARN(key, need)}
		if s.Policy.EnforceMFA {
			arns = append(arns, need(mfaDocumentKey))
		}
		arns = append(arns, s.Extra[key]...)
		out[key] = sortedUnique(arns)
	}
	for name, g := range s.Additional {
		arns := slices.Clone(g.PolicyARNs)
		if s.Policy.EnforceMFA && g.EnforceMFA {
			arns = append(arns, need(mfaDocumentKey))
		}
		out[name] = sortedUnique(arns)
	}
	return out, ok
}

func sortedUnique(in []string) []string {
	out := append([]string{}, in...)
	sort.Strings(out)
	return slices.Compact(out)
}

func (s baselineSpec) id() string { return s.Prefix + baselineImportIDSplit + s.Path }

func parseBaselineImportID(id string) (prefix, iamPath string, err error) {
	prefix, iamPath, ok := strings.Cut(id, baselineImportIDSplit)
	if !ok || !iamPathPattern.MatchString(iamPath) || !regexp.MustCompile(`^[\w+=,.@-]*$`).MatchString(prefix) {
		return "", "", fmt.Errorf("import ID %q must be <name_prefix>|<path>, e.g. \"acme-|/\" or \"|/teams/\"", id)
	}
	return prefix, iamPath, nil
}

// arnAccount returns the account ID in an IAM ARN, or "".
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// accountFromState finds the account ID in any ARN the prior state holds.
func accountFromState(ctx context.Context, m startupGroupBaselineModel) string {
	if a := arnAccount(m.MFAPolicyARN.ValueString()); a != "" && a != "aws" {
		return a
	}
	for _, mp := range []types.Map{m.GroupARNs, m.PolicyARNs} {
		var arns map[string]string
		if mp.IsNull() || mp.IsUnknown() {
			continue
		}
		_ = mp.ElementsAs(ctx, &arns, false)
		for _, arn := range arns {
			if a := arnAccount(arn); a != "" && a != "aws" {
				return a
			}
		}
	}
	return ""
}

// outcome is what the computed attributes say about the baseline.
type baselineOutcome struct {
	GroupNames, GroupARNs, PolicyARNs, Documents map[string]string
	MFAPolicyARN                                 string
	Attached                                     map[string][]string
	partition                                    string
}

func (o baselineOutcome) setOn(ctx context.Context, m *startupGroupBaselineModel, diags *diag.Diagnostics) {
	m.GroupNames = stringMap(ctx, o.GroupNames, diags)
	m.GroupARNs = stringMap(ctx, o.GroupARNs, diags)
	m.PolicyARNs = stringMap(ctx, o.PolicyARNs, diags)
	m.PolicyDocuments = stringMap(ctx, o.Documents, diags)
	if o.MFAPolicyARN == "" {
		m.MFAPolicyARN = types.StringNull()
	} else {
		m.MFAPolicyARN = types.StringValue(o.MFAPolicyARN)
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

func stringMap(ctx context.Context, in map[string]string, diags *diag.Diagnostics) types.Map {
	if in == nil {
		in = map[string]string{}
	}
	v, d := types.MapValueFrom(ctx, types.StringType, in)
	diags.Append(d...)
	return v
}

// desiredOutcome is what the computed attributes will be once the baseline matches spec, with the
// policy documents rendered. Without the account ID the ARNs are unknown (ok=false).
func (s baselineSpec) desiredOutcome(accountID string, docs map[string]string) (baselineOutcome, bool) {
	o := baselineOutcome{
		GroupNames: map[string]string{}, GroupARNs: map[string]string{}, PolicyARNs: map[string]string{},
		Documents: docs, partition: s.Policy.Partition,
	}
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
		return awsiam.PolicyARN(partition, accountID, s.Path, s.customerPolicyName(key))
	}
	for _, k := range s.groupKeys() {
		o.GroupARNs[k] = awsiam.GroupARN(partition, accountID, s.Path, s.groupName(k))
	}
	for _, k := range s.Policy.RoleKeys {
		o.PolicyARNs[k] = s.baselinePolicyARN(k, customerARN)
	}
	if s.Policy.EnforceMFA {
		o.MFAPolicyARN = customerARN(mfaDocumentKey)
	}
	attached, ok := s.attachments(customerARN)
	o.Attached = attached
	return o, ok
}
