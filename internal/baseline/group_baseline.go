package baseline

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The startup group baseline as a whole: what its groups and policies are named, which managed
// policies each group holds, and which existing groups and policies of those names it may take over.

// Names the baseline gives what it creates. They are part of the import contract: an import by
// "<name_prefix>|<path>" finds the groups and policies by these names.
const (
	GroupPolicySuffix         = "Policy"     // acme-Developers => acme-DevelopersPolicy
	MFAPolicySuffix           = "EnforceMFA" // acme-EnforceMFA
	AdditionalInlinePolicy    = "InlinePolicy"
	GroupBaselineImportIDSep  = "|"
	groupBaselineCustomerMark = "customer:"
)

// MaxGroupBaselinePrefixLen is the longest name_prefix: IAM names are at most 128 characters and
// the longest suffix is "DatabaseAdmins" + "Policy" + a part number.
var MaxGroupBaselinePrefixLen = 128 - len(RoleDatabaseAdmins+GroupPolicySuffix+strconv.Itoa(MaxPolicyPartsPerGroup))

// AdditionalGroup is one group beyond the four standard ones.
type AdditionalGroup struct {
	PolicyARNs   []string
	InlinePolicy string // "" = none
	EnforceMFA   bool
	// OmitGuardrails leaves the guardrail policy off the group (the guardrails = false opt-out).
	OmitGuardrails bool
}

// GroupBaseline is what a startup_group_baseline is, in plain Go.
type GroupBaseline struct {
	Prefix, Path string
	AWSManaged   bool     // attach the AWS job-function policies instead of rendered ones
	RoleKeys     []string // canonical order
	EnforceMFA   bool
	Partition    string
	Extra        map[string][]string // role key => extra managed policy ARNs
	Additional   map[string]AdditionalGroup
	// PolicyParts are how many customer managed policies a role group's grants take, when more
	// than one (PolicyPartCounts of the rendered documents; policy_parts.go).
	PolicyParts map[string]int
	// DelegateAppRoles: Developers create app roles under the app permissions boundary
	// (Options.DelegateAppRoles), so the baseline owns that policy (AppBoundaryDocumentKey). It is
	// created only in the least_privilege style with Developers among the groups, and attached to no
	// group.
	DelegateAppRoles bool
}

// GroupName is the IAM name of the group of a role key or additional group name.
func (b GroupBaseline) GroupName(key string) string { return b.Prefix + key }

// PolicyName is the name of a role group's customer managed policy.
func (b GroupBaseline) PolicyName(roleKey string) string {
	return b.Prefix + roleKey + GroupPolicySuffix
}

// MFAPolicyName is the name of the MFA-enforcement policy.
func (b GroupBaseline) MFAPolicyName() string { return b.Prefix + MFAPolicySuffix }

// ID is the resource ID and import ID, "<name_prefix>|<path>".
func (b GroupBaseline) ID() string { return b.Prefix + GroupBaselineImportIDSep + b.Path }

var (
	groupBaselinePrefixShape = regexp.MustCompile(`^[\w+=,.@-]*$`)
	groupBaselinePathShape   = regexp.MustCompile(`^/([\x21-\x7E]+/)?$`)
)

// ParseGroupBaselineImportID splits "<name_prefix>|<path>".
func ParseGroupBaselineImportID(id string) (prefix, iamPath string, err error) {
	prefix, iamPath, ok := strings.Cut(id, GroupBaselineImportIDSep)
	if !ok || !groupBaselinePathShape.MatchString(iamPath) || !groupBaselinePrefixShape.MatchString(prefix) {
		return "", "", fmt.Errorf("import ID %q must be <name_prefix>|<path>, e.g. \"acme-|/\" or \"|/teams/\"", id)
	}
	return prefix, iamPath, nil
}

// GroupKeys are the role keys followed by the additional groups' names, sorted.
func (b GroupBaseline) GroupKeys() []string {
	keys := slices.Clone(b.RoleKeys)
	extra := make([]string, 0, len(b.Additional))
	for k := range b.Additional {
		extra = append(extra, k)
	}
	sort.Strings(extra)
	return append(keys, extra...)
}

// InlinePolicyNames are the inline policies each group holds, by group key: none, or
// AdditionalInlinePolicy for an additional group with an inline policy. The baseline owns its
// groups' inline policies: any other one is deleted by apply.
func (b GroupBaseline) InlinePolicyNames() map[string][]string {
	out := map[string][]string{}
	for _, k := range b.GroupKeys() {
		out[k] = []string{}
		if add, ok := b.Additional[k]; ok && add.InlinePolicy != "" {
			out[k] = []string{AdditionalInlinePolicy}
		}
	}
	return out
}

// CustomerPolicyKeys are the keys of the customer managed policies the baseline owns: role keys (and
// their parts) in the least_privilege style, then the baseline-wide policies it has ("mfa" when MFA
// is enforced, "guardrails" always, "app_boundary" when HasAppBoundary; shared_policies.go).
func (b GroupBaseline) CustomerPolicyKeys() []string {
	var keys []string
	if !b.AWSManaged {
		for _, k := range b.RoleKeys {
			keys = append(keys, b.rolePolicyKeys(k)...)
		}
	}
	for _, p := range sharedPolicies {
		if p.In(b) {
			keys = append(keys, p.Key)
		}
	}
	return keys
}

// HasAppBoundary reports whether the baseline owns the app permissions boundary: it delegates app
// roles, in the least_privilege style, with Developers among its groups.
func (b GroupBaseline) HasAppBoundary() bool {
	return b.DelegateAppRoles && !b.AWSManaged && slices.Contains(b.RoleKeys, RoleDevelopers)
}

// rolePolicyKeys are the keys of the customer managed policies of a role group: its role key, then
// its further parts.
func (b GroupBaseline) rolePolicyKeys(roleKey string) []string {
	keys := []string{roleKey}
	for n := 2; n <= b.PolicyParts[roleKey]; n++ {
		keys = append(keys, PolicyPartKey(roleKey, n))
	}
	return keys
}

// CustomerPolicyName is the name of the customer managed policy of a key of CustomerPolicyKeys
// (part n > 1 of a role group's policy: <name_prefix><role key>Policy<n>).
func (b GroupBaseline) CustomerPolicyName(key string) string {
	if p, ok := SharedPolicyByKey(key); ok {
		return b.SharedPolicyName(p)
	}
	if role, n := ParsePolicyPartKey(key); n > 1 {
		return b.PolicyName(role) + strconv.Itoa(n)
	}
	return b.PolicyName(key)
}

// CustomerPolicyDescription is the description of the customer managed policy of a key.
func (b GroupBaseline) CustomerPolicyDescription(key string) string {
	if p, ok := SharedPolicyByKey(key); ok {
		return p.Describe(b)
	}
	if role, n := ParsePolicyPartKey(key); n > 1 {
		return fmt.Sprintf("Least-privilege policy of the %s group, part %d (iambaseline)", b.GroupName(role), n)
	}
	return "Least-privilege policy of the " + b.GroupName(key) + " group (iambaseline)"
}

// BaselinePolicyARN is the ARN of a role group's baseline policy: the customer managed one, found
// with customerARN, or the AWS job-function policy.
func (b GroupBaseline) BaselinePolicyARN(roleKey string, customerARN func(key string) string) string {
	if b.AWSManaged {
		return AWSManagedPolicyARN(roleKey, b.Partition)
	}
	return customerARN(roleKey)
}

// Attachments are the managed policy ARNs each group should have, by group key: its baseline
// policy (and its parts), the baseline-wide policies attached to it (the MFA policy when enforced,
// the guardrail policy unless an additional group opts out), and the extra ones. customerARN gives the ARN of a customer
// managed policy by key ("" when unknown, which makes the result incomplete: ok=false).
func (b GroupBaseline) Attachments(customerARN func(key string) string) (map[string][]string, bool) {
	ok := true
	need := func(key string) string {
		arn := customerARN(key)
		if arn == "" {
			ok = false
		}
		return arn
	}
	out := map[string][]string{}
	for _, key := range b.RoleKeys {
		arns := []string{b.BaselinePolicyARN(key, need)}
		if !b.AWSManaged {
			for _, part := range b.rolePolicyKeys(key)[1:] {
				arns = append(arns, need(part))
			}
		}
		arns = append(arns, b.sharedAttachments(key, need)...)
		arns = append(arns, b.Extra[key]...)
		out[key] = SortedUnique(arns)
	}
	for name, g := range b.Additional {
		arns := slices.Clone(g.PolicyARNs)
		arns = append(arns, b.sharedAttachments(name, need)...)
		out[name] = SortedUnique(arns)
	}
	return out, ok
}

// sharedAttachments are the ARNs of the baseline-wide policies the group of a group key holds.
func (b GroupBaseline) sharedAttachments(groupKey string, customerARN func(key string) string) []string {
	var arns []string
	for _, p := range sharedPolicies {
		if p.In(b) && p.AttachedTo(b, groupKey) {
			arns = append(arns, customerARN(p.Key))
		}
	}
	return arns
}

// SortedUnique is a sorted copy of in without duplicates.
func SortedUnique(in []string) []string {
	out := append([]string{}, in...)
	sort.Strings(out)
	return slices.Compact(out)
}

// ExistingGroup is what exists of an IAM group.
type ExistingGroup struct {
	Name, Path, ARN    string
	AttachedPolicyARNs []string
	InlinePolicyNames  []string
	Members            []string
}

// ExistingPolicy is what exists of a customer managed policy.
type ExistingPolicy struct {
	Name, Path, ARN string
	Document        string // default version
	Marked          bool   // carries CreateMarkerTag: an unfinished create of a baseline made it
}

// CheckMembers refuses to delete groups that have members unless force is on, naming them.
func CheckMembers(groups []ExistingGroup, force bool) error {
	if force {
		return nil
	}
	var busy []string
	for _, g := range groups {
		if len(g.Members) > 0 {
			busy = append(busy, fmt.Sprintf("%s (members: %s)", g.Name, strings.Join(g.Members, ", ")))
		}
	}
	if len(busy) == 0 {
		return nil
	}
	sort.Strings(busy)
	return fmt.Errorf("cannot delete IAM groups that still have members: %s. Remove these users from the groups "+
		"(e.g. from their iambaseline_onboarded_user groups) or set force_destroy = true to remove them automatically",
		strings.Join(busy, "; "))
}

// CheckAdoptable refuses to take over existing groups and customer managed policies that carry the
// baseline's names but are not provably its own (the ownership rule, ownership.go). Only entities the
// prior state (owned; nil on create) did not own are checked. A policy is adopted when it carries
// CreateMarkerTag (a baseline create sends it and removes it last), its path is b's and its default
// document is equivalent to the one being applied (docs, by customer policy key). IAM groups take no
// tags, so a group is adopted when its path is b's and it is either untouched (no policy, inline
// policy or member) or holds one of these marked policies, and nothing but what the baseline
// attaches and writes. That is exactly what an interrupted create of this baseline leaves; an
// identical configuration in another state or under another address proves nothing.
func (b GroupBaseline) CheckAdoptable(owned *GroupBaseline, docs map[string]string,
	group func(name string) (ExistingGroup, bool), policy func(name string) (ExistingPolicy, bool)) error {
	ownedGroup := func(k string) bool {
		return owned != nil && slices.Contains(owned.GroupKeys(), k) && owned.GroupName(k) == b.GroupName(k)
	}
	ownedPolicy := func(k string) bool {
		return owned != nil && slices.Contains(owned.CustomerPolicyKeys(), k) && owned.CustomerPolicyName(k) == b.CustomerPolicyName(k)
	}
	var problems []string
	markedARN := map[string]bool{}
	for _, k := range b.CustomerPolicyKeys() {
		p, ok := policy(b.CustomerPolicyName(k))
		if !ok || ownedPolicy(k) {
			continue
		}
		markedARN[p.ARN] = p.Marked
		var why []string
		if !p.Marked {
			why = append(why, "it does not carry the "+CreateMarkerTag+" tag that an interrupted create of this baseline leaves")
		}
		if p.Path != b.Path {
			why = append(why, fmt.Sprintf("its path is %s, not %s", p.Path, b.Path))
		}
		if same, err := PoliciesEquivalent(p.Document, docs[k]); err != nil || !same {
			why = append(why, "its document differs from the one this configuration renders")
		}
		if len(why) > 0 {
			problems = append(problems, fmt.Sprintf("customer managed policy %s (%s): %s", p.Name, p.ARN, strings.Join(why, "; ")))
		}
	}
	desired, _ := b.Attachments(func(key string) string { return groupBaselineCustomerMark + key })
	for _, k := range b.GroupKeys() {
		g, ok := group(b.GroupName(k))
		if !ok || ownedGroup(k) {
			continue
		}
		own, ownCustomer := map[string]bool{}, map[string]bool{}
		for _, arns := range desired {
			for _, a := range arns {
				if key, isCustomer := strings.CutPrefix(a, groupBaselineCustomerMark); isCustomer {
					a = PolicyARN(b.Partition, ARNAccount(g.ARN), b.Path, b.CustomerPolicyName(key))
					ownCustomer[a] = true
				}
				own[a] = true
			}
		}
		var why []string
		if g.Path != b.Path {
			why = append(why, fmt.Sprintf("its path is %s, not %s", g.Path, b.Path))
		}
		var foreign []string
		provenByPolicy := false
		for _, a := range g.AttachedPolicyARNs {
			if !own[a] {
				foreign = append(foreign, a)
			}
			provenByPolicy = provenByPolicy || (ownCustomer[a] && markedARN[a])
		}
		// A group that holds anything is this baseline's only when it holds one of the marked
		// policies an unfinished create of this baseline made.
		if !provenByPolicy {
			switch {
			case len(g.Members) > 0:
				why = append(why, "it has members ("+strings.Join(g.Members, ", ")+") and none of the policies an interrupted create of this baseline leaves (tagged "+CreateMarkerTag+") attached")
			case len(g.AttachedPolicyARNs) > 0 || len(g.InlinePolicyNames) > 0:
				why = append(why, "it holds policies but none of those an interrupted create of this baseline leaves (tagged "+CreateMarkerTag+")")
			}
		}
		if len(foreign) > 0 {
			why = append(why, "it has managed policies this baseline does not attach ("+strings.Join(foreign, ", ")+")")
		}
		var inline []string
		for _, name := range g.InlinePolicyNames {
			if _, additional := b.Additional[k]; !additional || name != AdditionalInlinePolicy {
				inline = append(inline, name)
			}
		}
		if len(inline) > 0 {
			sort.Strings(inline)
			why = append(why, "it has inline policies this baseline does not write ("+strings.Join(inline, ", ")+")")
		}
		if len(why) > 0 {
			problems = append(problems, fmt.Sprintf("IAM group %s (%s): %s", g.Name, g.ARN, strings.Join(why, "; ")))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("these IAM entities carry the names of this baseline but are not provably its own (an interrupted create of this "+
		"baseline leaves policies tagged %s with the documents it renders, and groups at its path that are empty or hold those policies), so nothing was changed:\n  - %s\n\n"+
		"If another address of this configuration manages them (a renamed resource, or a changed count or for_each key), declare the move with a `moved` block "+
		"so that Terraform updates them in place. "+
		"To manage them with this resource as they are, import them first: terraform import iambaseline_startup_group_baseline.<name> '%s' "+
		"(the next apply then makes their managed policy attachments and documents the baseline's; members stay). "+
		"Otherwise remove or rename them, or choose another name_prefix or path.",
		CreateMarkerTag, strings.Join(problems, "\n  - "), b.ID())
}
