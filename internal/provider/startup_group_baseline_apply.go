package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// reconcileBaseline makes AWS match spec, starting from what the snapshot holds. old is the prior
// state's spec (nil on create): only what it owned is removed. It works the same for a create, an
// update and a repair of drift, and converges when re-run after an interrupted apply.
func reconcileBaseline(ctx context.Context, c *awsiam.Client, old *baselineSpec, spec baselineSpec, docs map[string]string) (baselineOutcome, error) {
	out := baselineOutcome{
		GroupNames: map[string]string{}, GroupARNs: map[string]string{}, PolicyARNs: map[string]string{},
		Documents: docs, Attached: map[string][]string{},
	}
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return out, err
	}
	// What the groups hold now, kept up to date as this function changes them.
	attachedNow := map[string][]string{}
	inlineNow := map[string]map[string]string{}
	groupNow := map[string]*awsiam.GroupState{}
	lookupGroup := func(key string, s baselineSpec) {
		if g, ok := snap.Group(s.groupName(key)); ok {
			groupNow[key] = g
			attachedNow[key] = g.AttachedPolicyARNs
			inlineNow[key] = g.InlinePolicies
		}
	}
	for _, k := range spec.groupKeys() {
		lookupGroup(k, spec)
	}
	// 0. Groups and policies this baseline did not own before are adopted only when they are what an
	//    interrupted apply of this very baseline leaves; anything else fails before any change.
	if err := checkAdoptable(snap, old, spec, docs); err != nil {
		return out, err
	}

	// 1. Groups the prior state owned and the new spec drops: refuse before changing anything when
	//    they have members and force_destroy is off.
	var dropped []string
	if old != nil {
		for _, k := range old.groupKeys() {
			if !slices.Contains(spec.groupKeys(), k) {
				if g, ok := snap.Group(old.groupName(k)); ok {
					dropped = append(dropped, k)
					groupNow[k], attachedNow[k], inlineNow[k] = g, g.AttachedPolicyARNs, g.InlinePolicies
				}
			}
		}
	}
	if err := checkMembers(groupNow, dropped, spec.ForceDestroy); err != nil {
		return out, err
	}
	for _, k := range dropped {
		g := groupNow[k]
		if err := c.RemoveGroupMembers(ctx, g.Name, g.Members); err != nil {
			return out, err
		}
		if err := c.EmptyAndDeleteGroup(ctx, g.Name, attachedNow[k], slices.Sorted(maps.Keys(inlineNow[k]))); err != nil {
			return out, err
		}
		delete(groupNow, k)
	}

	// 2. Customer managed policies.
	forgetAttachment := func(arn string) {
		for k, arns := range attachedNow {
			attachedNow[k] = slices.DeleteFunc(slices.Clone(arns), func(a string) bool { return a == arn })
		}
	}
	policyARN := map[string]string{}
	wanted := spec.customerPolicyKeys()
	var owned []string
	if old != nil {
		owned = old.customerPolicyKeys()
	}
	mergedTags := c.MergeTags(spec.Tags)
	for _, key := range sortedUnique(append(slices.Clone(wanted), owned...)) {
		name := spec.customerPolicyName(key)
		actual, exists := snap.PolicyByName(name)
		if !slices.Contains(wanted, key) {
			if exists && slices.Contains(owned, key) {
				if err := c.DeletePolicy(ctx, actual.ARN); err != nil {
					return out, err
				}
				forgetAttachment(actual.ARN)
			}
			continue
		}
		doc := docs[key]
		if exists && actual.Path != spec.Path {
			// IAM cannot move a policy: replace it under the new path.
			if err := c.DeletePolicy(ctx, actual.ARN); err != nil {
				return out, err
			}
			forgetAttachment(actual.ARN)
			exists = false
		}
		if !exists {
			p, err := c.CreatePolicy(ctx, name, spec.Path, policyDescription(spec, key), doc, mergedTags)
			if err != nil {
				return out, err
			}
			policyARN[key] = aws.ToString(p.Arn)
			continue
		}
		policyARN[key] = actual.ARN
		if same, err := baseline.PoliciesEquivalent(actual.Document, doc); err != nil || !same {
			if err := c.CreatePolicyVersion(ctx, actual.ARN, doc); err != nil {
				return out, err
			}
		}
		// Tags: nothing to do when the prior state's tags_all (what the last apply wrote; a state
		// written before tags_all existed had the defaults of its time) already is what is wanted.
		// Otherwise, and for a policy the prior state did not own, start from the tags the policy
		// really has (one request), so that a tag changed out of band is repaired too.
		var oldTags map[string]string
		read := old == nil || !slices.Contains(owned, key)
		if !read {
			oldTags = old.TagsAll
			if oldTags == nil {
				oldTags = c.MergeTags(old.Tags)
			}
			read = !maps.Equal(oldTags, mergedTags)
		}
		if read {
			if oldTags, err = c.FindPolicyTags(ctx, actual.ARN); err != nil {
				return out, fmt.Errorf("reading tags of IAM policy (%s): %w", actual.ARN, err)
			}
		}
		if !maps.Equal(oldTags, mergedTags) {
			if err := c.UpdatePolicyTags(ctx, actual.ARN, oldTags, mergedTags); err != nil {
				return out, err
			}
		}
	}

	// 3. Groups, their attachments and inline policies.
	desired, _ := spec.attachments(func(key string) string { return policyARN[key] })
	for _, k := range spec.groupKeys() {
		name := spec.groupName(k)
		g, exists := groupNow[k]
		switch {
		case !exists:
			created, err := c.CreateGroup(ctx, name, spec.Path)
			if err != nil {
				return out, err
			}
			out.GroupARNs[k] = aws.ToString(created.Arn)
		case g.Path != spec.Path:
			if err := c.UpdateGroupPath(ctx, name, spec.Path); err != nil {
				return out, err
			}
			out.GroupARNs[k] = strings.Replace(g.ARN, ":group"+g.Path, ":group"+spec.Path, 1)
		default:
			out.GroupARNs[k] = g.ARN
		}
		out.GroupNames[k] = name
		for _, arn := range desired[k] {
			if !slices.Contains(attachedNow[k], arn) {
				if err := c.AttachGroupPolicy(ctx, name, arn); err != nil {
					return out, err
				}
			}
		}
		for _, arn := range attachedNow[k] {
			if !slices.Contains(desired[k], arn) {
				if err := c.DetachGroupPolicy(ctx, name, arn); err != nil {
					return out, err
				}
			}
		}
		out.Attached[k] = desired[k]
		if add, ok := spec.Additional[k]; ok {
			current, has := inlineNow[k][additionalInlineName]
			switch {
			case add.InlinePolicy == "" && has:
				if err := c.DeleteGroupInlinePolicy(ctx, name, additionalInlineName); err != nil {
					return out, err
				}
			case add.InlinePolicy != "":
				if same, err := baseline.PoliciesEquivalent(current, add.InlinePolicy); !has || err != nil || !same {
					if err := c.PutGroupInlinePolicy(ctx, name, additionalInlineName, add.InlinePolicy); err != nil {
						return out, err
					}
				}
			}
		}
	}
	for _, k := range spec.Policy.RoleKeys {
		out.PolicyARNs[k] = spec.baselinePolicyARN(k, func(key string) string { return policyARN[key] })
	}
	out.MFAPolicyARN = policyARN[mfaDocumentKey]
	return out, nil
}

func policyDescription(spec baselineSpec, key string) string {
	if key == mfaDocumentKey {
		return "MFA enforcement of the " + spec.Prefix + "* baseline groups: manage your own credentials, nothing else until signed in with MFA (iambaseline)"
	}
	return "Least-privilege policy of the " + spec.groupName(key) + " group (iambaseline)"
}

// checkMembers refuses to delete groups that have members unless force_destroy is on, naming them.
func checkMembers(groups map[string]*awsiam.GroupState, keys []string, force bool) error {
	if force {
		return nil
	}
	var busy []string
	for _, k := range keys {
		if g, ok := groups[k]; ok && len(g.Members) > 0 {
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

// destroyBaseline deletes every group and customer managed policy spec owns.
func destroyBaseline(ctx context.Context, c *awsiam.Client, spec baselineSpec) error {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return err
	}
	groups := map[string]*awsiam.GroupState{}
	keys := spec.groupKeys()
	for _, k := range keys {
		if g, ok := snap.Group(spec.groupName(k)); ok {
			groups[k] = g
		}
	}
	if err := checkMembers(groups, keys, spec.ForceDestroy); err != nil {
		return err
	}
	for _, k := range keys {
		g, ok := groups[k]
		if !ok {
			continue
		}
		if err := c.RemoveGroupMembers(ctx, g.Name, g.Members); err != nil {
			return err
		}
		if err := c.EmptyAndDeleteGroup(ctx, g.Name, g.AttachedPolicyARNs, slices.Sorted(maps.Keys(g.InlinePolicies))); err != nil {
			return err
		}
	}
	for _, key := range spec.customerPolicyKeys() {
		if p, ok := snap.PolicyByName(spec.customerPolicyName(key)); ok {
			if err := c.DeletePolicy(ctx, p.ARN); err != nil {
				return err
			}
		}
	}
	return nil
}

// observedBaseline is what exists of the baseline spec describes, from the snapshot.
type observedBaseline struct {
	Groups   map[string]*awsiam.GroupState  // by group key
	Policies map[string]*awsiam.PolicyState // by customer policy key
}

func (o observedBaseline) empty() bool { return len(o.Groups) == 0 && len(o.Policies) == 0 }

func observeBaseline(snap *awsiam.Snapshot, spec baselineSpec, policyKeys []string) observedBaseline {
	o := observedBaseline{Groups: map[string]*awsiam.GroupState{}, Policies: map[string]*awsiam.PolicyState{}}
	for _, k := range spec.groupKeys() {
		if g, ok := snap.Group(spec.groupName(k)); ok {
			o.Groups[k] = g
		}
	}
	for _, k := range policyKeys {
		if p, ok := snap.PolicyByName(spec.customerPolicyName(k)); ok {
			o.Policies[k] = p
		}
	}
	return o
}

// observedOutcome turns what exists into the computed attributes. Documents equivalent to the
// rendered ones keep the rendered bytes, so that AWS's reordering and URL-encoding are no drift.
func (o observedBaseline) outcome(spec baselineSpec, rendered map[string]string) baselineOutcome {
	out := baselineOutcome{
		GroupNames: map[string]string{}, GroupARNs: map[string]string{}, PolicyARNs: map[string]string{},
		Documents: map[string]string{}, Attached: map[string][]string{},
	}
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
		if want, ok := rendered[k]; ok {
			if same, err := baseline.PoliciesEquivalent(doc, want); err == nil && same {
				doc = want
			}
		}
		out.Documents[k] = doc
		if k == mfaDocumentKey {
			out.MFAPolicyARN = p.ARN
		} else {
			out.PolicyARNs[k] = p.ARN
		}
	}
	if spec.Style == policyStyleAWSManaged {
		for _, k := range spec.Policy.RoleKeys {
			out.PolicyARNs[k] = baseline.AWSManagedPolicyARN(k, spec.Policy.Partition)
		}
	}
	return out
}

// checkAdoptable refuses to take over existing groups and customer managed policies that carry the
// baseline's names but are not provably its own. Only entities the prior state (old) did not own are
// checked: on create, all of them. A group is adopted when its path is spec's, it has no members, no
// inline policy but the baseline's own, and only managed policies the baseline attaches; a policy
// when its path is spec's and its default document is equivalent to the one being applied. That is
// exactly what an interrupted apply of this configuration leaves.
func checkAdoptable(snap *awsiam.Snapshot, old *baselineSpec, spec baselineSpec, docs map[string]string) error {
	ownedGroup := func(k string) bool {
		return old != nil && slices.Contains(old.groupKeys(), k) && old.groupName(k) == spec.groupName(k)
	}
	ownedPolicy := func(k string) bool {
		return old != nil && slices.Contains(old.customerPolicyKeys(), k) && old.customerPolicyName(k) == spec.customerPolicyName(k)
	}
	var problems []string
	for _, k := range spec.customerPolicyKeys() {
		p, ok := snap.PolicyByName(spec.customerPolicyName(k))
		if !ok || ownedPolicy(k) {
			continue
		}
		var why []string
		if p.Path != spec.Path {
			why = append(why, fmt.Sprintf("its path is %s, not %s", p.Path, spec.Path))
		}
		if same, err := baseline.PoliciesEquivalent(p.Document, docs[k]); err != nil || !same {
			why = append(why, "its document differs from the one this configuration renders")
		}
		if len(why) > 0 {
			problems = append(problems, fmt.Sprintf("customer managed policy %s (%s): %s", p.Name, p.ARN, strings.Join(why, "; ")))
		}
	}
	desired, _ := spec.attachments(func(key string) string { return "customer:" + key })
	for _, k := range spec.groupKeys() {
		g, ok := snap.Group(spec.groupName(k))
		if !ok || ownedGroup(k) {
			continue
		}
		own, ownCustomer := map[string]bool{}, map[string]bool{}
		for _, arns := range desired {
			for _, a := range arns {
				if key, isCustomer := strings.CutPrefix(a, "customer:"); isCustomer {
					a = awsiam.PolicyARN(spec.Policy.Partition, arnAccount(g.ARN), spec.Path, spec.customerPolicyName(key))
					ownCustomer[a] = true
				}
				own[a] = true
			}
		}
		var why []string
		if g.Path != spec.Path {
			why = append(why, fmt.Sprintf("its path is %s, not %s", g.Path, spec.Path))
		}
		var foreign []string
		provenByPolicy := false
		for _, a := range g.AttachedPolicyARNs {
			if !own[a] {
				foreign = append(foreign, a)
			}
			provenByPolicy = provenByPolicy || ownCustomer[a]
		}
		// Members arrive only after a whole run of this baseline, which also attached its own customer
		// managed policies (checked above to be the documents this configuration renders): such a group
		// is what an apply killed before it saved the state leaves. Members without that proof may be
		// someone else's group.
		if len(g.Members) > 0 && !provenByPolicy {
			why = append(why, "it has members ("+strings.Join(g.Members, ", ")+") and none of this baseline's own policies attached")
		}
		if len(foreign) > 0 {
			why = append(why, "it has managed policies this baseline does not attach ("+strings.Join(foreign, ", ")+")")
		}
		var inline []string
		for name := range g.InlinePolicies {
			if _, additional := spec.Additional[k]; !additional || name != additionalInlineName {
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
	return fmt.Errorf("these IAM entities carry the names of this baseline but are not provably its own (an interrupted apply of this "+
		"configuration leaves groups at its path that hold only the baseline's policies, members only where its own customer managed policies are attached, and the policies it renders), so nothing was changed:\n  - %s\n\n"+
		"To manage them with this resource as they are, import them first: terraform import iambaseline_startup_group_baseline.<name> '%s' "+
		"(the next apply then makes their managed policy attachments and documents the baseline's; members stay). "+
		"Otherwise remove or rename them, or choose another name_prefix or path.",
		strings.Join(problems, "\n  - "), spec.id())
}
