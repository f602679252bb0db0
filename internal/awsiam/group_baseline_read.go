package awsiam

import (
	"context"
	"maps"
	"slices"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// ObservedGroupBaseline is what exists of the baseline a spec describes.
type ObservedGroupBaseline struct {
	Groups   map[string]*GroupState  // by group key
	Policies map[string]*PolicyState // by customer policy key
}

// Empty reports that none of the baseline's groups and policies exists.
func (o *ObservedGroupBaseline) Empty() bool { return len(o.Groups) == 0 && len(o.Policies) == 0 }

func observeGroupBaseline(snap *Snapshot, rules baseline.GroupBaseline) *ObservedGroupBaseline {
	o := &ObservedGroupBaseline{Groups: map[string]*GroupState{}, Policies: map[string]*PolicyState{}}
	for _, k := range rules.GroupKeys() {
		if g, ok := snap.Group(rules.GroupName(k)); ok {
			o.Groups[k] = g
		}
	}
	for _, k := range rules.CustomerPolicyKeys() {
		if p, ok := snap.PolicyByName(rules.CustomerPolicyName(k)); ok {
			o.Policies[k] = p
		}
	}
	return o
}

// ObserveGroupBaseline reads what exists of the baseline spec describes, from the snapshot. A group
// missing from the bulk read (a lagging replica, pages shifted by a concurrent writer) is confirmed
// with GetGroup before it is reported gone; if one exists after all, the account is read once more.
func (c *Client) ObserveGroupBaseline(ctx context.Context, spec GroupBaselineSpec) (*ObservedGroupBaseline, error) {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	observed := observeGroupBaseline(snap, spec.Rules)
	var missing []string
	for _, k := range spec.Rules.GroupKeys() {
		if _, ok := observed.Groups[k]; !ok {
			missing = append(missing, spec.Rules.GroupName(k))
		}
	}
	if len(missing) == 0 {
		return observed, nil
	}
	found, err := c.AnyGroupExists(ctx, missing)
	if err != nil || !found {
		return observed, err
	}
	if snap, err = c.ReloadSnapshot(ctx); err != nil {
		return nil, err
	}
	return observeGroupBaseline(snap, spec.Rules), nil
}

// Outcome is what exists, as the computed attributes say it. Documents equivalent to the rendered
// ones (spec.Documents) keep the rendered bytes, so that AWS's reordering and URL-encoding are no
// drift.
func (o *ObservedGroupBaseline) Outcome(spec GroupBaselineSpec) GroupBaselineOutcome {
	out := newGroupBaselineOutcome(map[string]string{})
	for k, g := range o.Groups {
		out.GroupNames[k] = g.Name
		out.GroupARNs[k] = g.ARN
		out.Attached[k] = slices.Clone(g.AttachedPolicyARNs)
		if out.Attached[k] == nil {
			out.Attached[k] = []string{}
		}
	}
	for k, p := range o.Policies {
		doc := p.Document
		if want, ok := spec.Documents[k]; ok {
			if same, err := baseline.PoliciesEquivalent(doc, want); err == nil && same {
				doc = want
			}
		}
		out.Documents[k] = doc
		// policy_arns holds each group's baseline policy; further parts are in Attached.
		if _, part := baseline.ParsePolicyPartKey(k); baseline.IsSharedPolicyKey(k) {
			out.SharedPolicyARNs[k] = p.ARN
		} else if part == 1 {
			out.PolicyARNs[k] = p.ARN
		}
	}
	if spec.Rules.AWSManaged {
		for _, k := range spec.Rules.RoleKeys {
			out.PolicyARNs[k] = baseline.AWSManagedPolicyARN(k, spec.Rules.Partition)
		}
	}
	return out
}

// InlineNames are the inline policies the baseline's groups hold, by group key.
func (o *ObservedGroupBaseline) InlineNames() map[string][]string {
	out := map[string][]string{}
	for k, g := range o.Groups {
		out[k] = slices.Sorted(maps.Keys(g.InlinePolicies))
		if out[k] == nil {
			out[k] = []string{}
		}
	}
	return out
}

// InferredGroupBaseline is what an import recovers of a baseline from the groups and policies
// under its prefix and path. RoleKeys is empty when no group of the baseline exists.
type InferredGroupBaseline struct {
	RoleKeys                      []string
	AWSManaged                    bool
	EnforceMFA                    bool
	AllowFirstLoginPasswordChange bool
	DelegateAppRoles              bool                // delegate_app_roles (baseline.InferDelegatesAppRoles)
	Options                       baseline.Options    // what the group documents were rendered from
	Extra                         map[string][]string // other managed policies of the role groups
	// PolicyTags are the tags of the first customer managed policy; nil when there is none.
	PolicyTags map[string]string
}

// InferGroupBaseline recovers the arguments of the baseline named by prefix and path (an import).
func (c *Client) InferGroupBaseline(ctx context.Context, prefix, iamPath string) (*InferredGroupBaseline, error) {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	partition := c.Partition
	if partition == "" {
		partition = baseline.DefaultPartition
	}
	probe := baseline.GroupBaseline{Prefix: prefix, Path: iamPath, Partition: partition}
	inf := &InferredGroupBaseline{AllowFirstLoginPasswordChange: true, Extra: map[string][]string{}}
	docs := map[string]string{}
	partARNs := map[string]bool{}
	leastPrivilege, awsManaged := false, false
	for _, k := range baseline.RoleKeys() {
		g, ok := snap.Group(probe.GroupName(k))
		if !ok {
			continue
		}
		inf.RoleKeys = append(inf.RoleKeys, k)
		if p, ok := snap.PolicyByName(probe.PolicyName(k)); ok {
			leastPrivilege = true
			docs[k] = p.Document
			// Further parts of a policy split over several managed policies.
			for n := 2; n <= baseline.MaxPolicyPartsPerGroup; n++ {
				part := baseline.PolicyPartKey(k, n)
				if p, ok := snap.PolicyByName(probe.CustomerPolicyName(part)); ok {
					docs[part] = p.Document
					partARNs[p.ARN] = true
				}
			}
		}
		if slices.Contains(g.AttachedPolicyARNs, baseline.AWSManagedPolicyARN(k, partition)) {
			awsManaged = true
		}
	}
	if len(inf.RoleKeys) == 0 {
		return inf, nil
	}
	inf.AWSManaged = awsManaged && !leastPrivilege
	probe.AWSManaged, probe.RoleKeys = inf.AWSManaged, inf.RoleKeys

	mfa, hasMFA := snap.PolicyByName(probe.MFAPolicyName())
	inf.EnforceMFA = hasMFA
	if hasMFA {
		if strict, err := baseline.MFAPolicyForPartition(partition, false).JSON(); err == nil {
			if same, err := baseline.PoliciesEquivalent(mfa.Document, strict); err == nil && same {
				inf.AllowFirstLoginPasswordChange = false
			}
		}
	}
	// The guardrail policy (an older release put its statements in the group documents).
	guardrails, hasGuardrails := snap.PolicyByName(probe.GuardrailPolicyName())
	if hasGuardrails {
		docs[baseline.GuardrailsDocumentKey] = guardrails.Document
	}
	inf.DelegateAppRoles = baseline.InferDelegatesAppRoles(docs)
	inf.Options = baseline.InferOptions(partition, prefix, docs)

	// Extra policies: whatever else is attached to the role groups.
	for _, k := range inf.RoleKeys {
		g, _ := snap.Group(probe.GroupName(k))
		for _, arn := range g.AttachedPolicyARNs {
			if hasMFA && arn == mfa.ARN || hasGuardrails && arn == guardrails.ARN || partARNs[arn] {
				continue
			}
			if p, ok := snap.PolicyByName(probe.PolicyName(k)); ok && !inf.AWSManaged && p.ARN == arn {
				continue
			}
			if inf.AWSManaged && arn == baseline.AWSManagedPolicyARN(k, partition) {
				continue
			}
			inf.Extra[k] = append(inf.Extra[k], arn)
		}
	}

	var tagged string
	for _, k := range inf.RoleKeys {
		if p, ok := snap.PolicyByName(probe.PolicyName(k)); ok {
			tagged = p.ARN
			break
		}
	}
	if tagged == "" && hasMFA {
		tagged = mfa.ARN
	}
	if tagged == "" && hasGuardrails {
		tagged = guardrails.ARN
	}
	if tagged != "" {
		if inf.PolicyTags, err = c.FindPolicyTags(ctx, tagged); err != nil {
			return nil, err
		}
	}
	return inf, nil
}
