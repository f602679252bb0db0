package awsiam

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// The startup group baseline, applied to IAM: ApplyGroupBaseline makes the groups and customer
// managed policies a spec describes exist, ObserveGroupBaseline reads what exists of them,
// DestroyGroupBaseline deletes them and InferGroupBaseline recovers a spec for an import. Every one
// starts from the account snapshot (one bulk read, shared by every resource of a run), and each
// step of the apply first looks at what is there, so an apply interrupted at any point converges
// when run again. The rules (names, attachments, what may be adopted) are baseline.GroupBaseline's.

// GroupBaselineSpec is what a group baseline is: its rules, and what the apply writes.
type GroupBaselineSpec struct {
	Rules baseline.GroupBaseline
	// Documents are the rendered customer managed policy documents by key (role key and part key, or
	// a baseline-wide policy's key: "mfa", "guardrails").
	Documents map[string]string
	// Tags are the baseline's own tags; the provider's default tags are merged in (MergeTags).
	Tags map[string]string
	// TagsAll is what a prior state says the policies carry (nil when unknown).
	TagsAll      map[string]string
	ForceDestroy bool
}

// GroupBaselineOutcome is what the baseline is in AWS, by group key (role key or additional group
// name) and customer policy key.
type GroupBaselineOutcome struct {
	GroupNames, GroupARNs, PolicyARNs, Documents map[string]string
	// SharedPolicyARNs are the ARNs of the baseline-wide policies (baseline.SharedPolicies) by key.
	SharedPolicyARNs map[string]string
	Attached         map[string][]string
}

func newGroupBaselineOutcome(docs map[string]string) GroupBaselineOutcome {
	return GroupBaselineOutcome{
		GroupNames: map[string]string{}, GroupARNs: map[string]string{}, PolicyARNs: map[string]string{},
		Documents: docs, SharedPolicyARNs: map[string]string{}, Attached: map[string][]string{},
	}
}

// groupBaselineRun is one apply: the snapshot it started from, and what the groups hold now, kept
// up to date as the steps change them.
type groupBaselineRun struct {
	c         *Client
	snap      *Snapshot
	old       *GroupBaselineSpec // nil on create
	spec      GroupBaselineSpec
	groups    map[string]*GroupState
	attached  map[string][]string
	inline    map[string]map[string]string
	marked    map[string]bool   // existing policies (by ARN) that carry the create marker
	unmark    []string          // policies whose create marker is removed once everything else is done
	policyARN map[string]string // by customer policy key
	out       GroupBaselineOutcome
}

// ApplyGroupBaseline makes AWS match spec. old is the prior state's spec (nil on create): only what
// it owned is removed. It works the same for a create, an update and a repair of drift.
func (c *Client) ApplyGroupBaseline(ctx context.Context, old *GroupBaselineSpec, spec GroupBaselineSpec) (GroupBaselineOutcome, error) {
	run := &groupBaselineRun{
		c: c, old: old, spec: spec,
		groups: map[string]*GroupState{}, attached: map[string][]string{}, inline: map[string]map[string]string{},
		marked: map[string]bool{}, policyARN: map[string]string{}, out: newGroupBaselineOutcome(spec.Documents),
	}
	var err error
	if run.snap, err = c.Snapshot(ctx); err != nil {
		return run.out, err
	}
	for _, k := range spec.Rules.GroupKeys() {
		if g, ok := run.snap.Group(spec.Rules.GroupName(k)); ok {
			run.track(k, g)
		}
	}
	for _, step := range []func(context.Context) error{
		run.checkAdoptable, run.dropGroups, run.applyPolicies, run.applyGroups, run.clearMarkers,
	} {
		if err := step(ctx); err != nil {
			return run.out, err
		}
	}
	return run.out, nil
}

func (r *groupBaselineRun) track(key string, g *GroupState) {
	r.groups[key], r.attached[key], r.inline[key] = g, g.AttachedPolicyARNs, g.InlinePolicies
}

func (r *groupBaselineRun) ownedPolicyKeys() []string {
	if r.old == nil {
		return nil
	}
	return r.old.Rules.CustomerPolicyKeys()
}

// checkAdoptable: groups and policies this baseline did not own before are adopted only when they
// are what an interrupted apply of this very baseline leaves; anything else fails before any change.
// The snapshot holds no policy tags: they are read for the policies that may be adopted.
func (r *groupBaselineRun) checkAdoptable(ctx context.Context) error {
	rules := r.spec.Rules
	for _, key := range rules.CustomerPolicyKeys() {
		if slices.Contains(r.ownedPolicyKeys(), key) && r.old.Rules.CustomerPolicyName(key) == rules.CustomerPolicyName(key) {
			continue // owned: not checked
		}
		if p, exists := r.snap.PolicyByName(rules.CustomerPolicyName(key)); exists {
			tags, err := r.c.FindPolicyTags(ctx, p.ARN)
			if err != nil {
				return fmt.Errorf("reading tags of IAM policy (%s): %w", p.ARN, err)
			}
			_, r.marked[p.ARN] = tags[baseline.CreateMarkerTag]
		}
	}
	var owned *baseline.GroupBaseline
	if r.old != nil {
		owned = &r.old.Rules
	}
	group := func(name string) (baseline.ExistingGroup, bool) {
		g, ok := r.snap.Group(name)
		if !ok {
			return baseline.ExistingGroup{}, false
		}
		return existingGroup(g), true
	}
	policy := func(name string) (baseline.ExistingPolicy, bool) {
		p, ok := r.snap.PolicyByName(name)
		if !ok {
			return baseline.ExistingPolicy{}, false
		}
		return baseline.ExistingPolicy{Name: p.Name, Path: p.Path, ARN: p.ARN, Document: p.Document, Marked: r.marked[p.ARN]}, true
	}
	return rules.CheckAdoptable(owned, r.spec.Documents, group, policy)
}

// dropGroups deletes the groups the prior state owned and the spec drops, refusing before any
// change when they have members and force_destroy is off.
func (r *groupBaselineRun) dropGroups(ctx context.Context) error {
	if r.old == nil {
		return nil
	}
	var dropped []string
	for _, k := range r.old.Rules.GroupKeys() {
		if !slices.Contains(r.spec.Rules.GroupKeys(), k) {
			if g, ok := r.snap.Group(r.old.Rules.GroupName(k)); ok {
				dropped = append(dropped, k)
				r.track(k, g)
			}
		}
	}
	if err := checkMembers(r.groups, dropped, r.spec.ForceDestroy); err != nil {
		return err
	}
	for _, k := range dropped {
		g := r.groups[k]
		if err := r.c.RemoveGroupMembers(ctx, g.Name, g.Members); err != nil {
			return err
		}
		if err := r.c.EmptyAndDeleteGroup(ctx, g.Name, r.attached[k], slices.Sorted(maps.Keys(r.inline[k]))); err != nil {
			return err
		}
		delete(r.groups, k)
	}
	return nil
}

func (r *groupBaselineRun) forgetAttachment(arn string) {
	for k, arns := range r.attached {
		r.attached[k] = slices.DeleteFunc(slices.Clone(arns), func(a string) bool { return a == arn })
	}
}

// applyPolicies creates, replaces (a path change: IAM cannot move a policy), updates and deletes the
// customer managed policies, and brings their tags to the merged tags. The baseline-wide policies go
// first, each attached at once to the existing groups that hold it, so that no group's grants are
// ever in force without the guardrail policy's denies (an upgrade moves the denies out of the
// group documents; a detached guardrail policy is put back before anything else changes).
func (r *groupBaselineRun) applyPolicies(ctx context.Context) error {
	wanted, owned := r.spec.Rules.CustomerPolicyKeys(), r.ownedPolicyKeys()
	mergedTags := r.c.MergeTags(r.spec.Tags)
	var shared, own []string
	for _, key := range baseline.SortedUnique(append(slices.Clone(wanted), owned...)) {
		if baseline.IsSharedPolicyKey(key) {
			shared = append(shared, key)
		} else {
			own = append(own, key)
		}
	}
	for _, key := range shared {
		if err := r.applyPolicy(ctx, key, wanted, owned, mergedTags); err != nil {
			return err
		}
	}
	if err := r.attachSharedPolicies(ctx); err != nil {
		return err
	}
	for _, key := range own {
		if err := r.applyPolicy(ctx, key, wanted, owned, mergedTags); err != nil {
			return err
		}
	}
	return nil
}

// attachSharedPolicies attaches the baseline-wide policies to the existing groups that should hold
// them and do not.
func (r *groupBaselineRun) attachSharedPolicies(ctx context.Context) error {
	desired, _ := r.spec.Rules.Attachments(func(key string) string { return r.policyARN[key] })
	for _, k := range r.spec.Rules.GroupKeys() {
		g, ok := r.groups[k]
		if !ok {
			continue
		}
		for _, p := range baseline.SharedPolicies() {
			arn := r.policyARN[p.Key]
			if arn == "" || !slices.Contains(desired[k], arn) || slices.Contains(r.attached[k], arn) {
				continue
			}
			if err := r.c.AttachGroupPolicy(ctx, g.Name, arn); err != nil {
				return err
			}
			r.attached[k] = append(slices.Clone(r.attached[k]), arn)
		}
	}
	return nil
}

// applyPolicy brings one customer managed policy to the spec (see applyPolicies).
func (r *groupBaselineRun) applyPolicy(ctx context.Context, key string, wanted, owned []string, mergedTags map[string]string) error {
	name := r.spec.Rules.CustomerPolicyName(key)
	actual, exists := r.snap.PolicyByName(name)
	if !slices.Contains(wanted, key) {
		if exists && slices.Contains(owned, key) {
			if err := r.c.DeletePolicy(ctx, actual.ARN); err != nil {
				return err
			}
			r.forgetAttachment(actual.ARN)
		}
		return nil
	}
	doc := r.spec.Documents[key]
	if exists && actual.Path != r.spec.Rules.Path {
		if err := r.c.DeletePolicy(ctx, actual.ARN); err != nil {
			return err
		}
		r.forgetAttachment(actual.ARN)
		exists = false
	}
	if !exists {
		p, err := r.c.CreatePolicy(ctx, name, r.spec.Rules.Path, r.spec.Rules.CustomerPolicyDescription(key), doc, mergedTags)
		if err != nil {
			return err
		}
		r.policyARN[key] = p.ARN
		r.unmark = append(r.unmark, p.ARN)
		return nil
	}
	r.policyARN[key] = actual.ARN
	if same, err := baseline.PoliciesEquivalent(actual.Document, doc); err != nil || !same {
		if err := r.c.CreatePolicyVersion(ctx, actual.ARN, doc); err != nil {
			return err
		}
	}
	return r.applyPolicyTags(ctx, key, actual.ARN, mergedTags)
}

// applyPolicyTags: nothing to do when the prior state's tags_all (what the last apply wrote; a state
// written before tags_all existed had the defaults of its time) already is what is wanted.
// Otherwise, and for a policy the prior state did not own, it starts from the tags the policy
// really has (one request), so that a tag changed out of band is repaired too.
func (r *groupBaselineRun) applyPolicyTags(ctx context.Context, key, arn string, mergedTags map[string]string) error {
	var oldTags map[string]string
	read := r.old == nil || !slices.Contains(r.ownedPolicyKeys(), key)
	if !read {
		oldTags = r.old.TagsAll
		if oldTags == nil {
			oldTags = r.c.MergeTags(r.old.Tags)
		}
		read = !maps.Equal(oldTags, mergedTags)
	}
	if read {
		var err error
		if oldTags, err = r.c.FindPolicyTags(ctx, arn); err != nil {
			return fmt.Errorf("reading tags of IAM policy (%s): %w", arn, err)
		}
	}
	wantTags := mergedTags
	if r.marked[arn] {
		// Adopted from an interrupted create: the marker stays until this run is done.
		wantTags = maps.Clone(mergedTags)
		wantTags[baseline.CreateMarkerTag] = oldTags[baseline.CreateMarkerTag]
		r.unmark = append(r.unmark, arn)
	}
	if maps.Equal(oldTags, wantTags) {
		return nil
	}
	return r.c.UpdatePolicyTags(ctx, arn, oldTags, wantTags)
}

// applyGroups creates or moves the groups and brings their attachments and inline policies to the
// spec.
func (r *groupBaselineRun) applyGroups(ctx context.Context) error {
	rules := r.spec.Rules
	desired, _ := rules.Attachments(func(key string) string { return r.policyARN[key] })
	for _, k := range rules.GroupKeys() {
		name := rules.GroupName(k)
		g, exists := r.groups[k]
		switch {
		case !exists:
			created, err := r.c.CreateGroup(ctx, name, rules.Path)
			if err != nil {
				return err
			}
			r.out.GroupARNs[k] = created.ARN
		case g.Path != rules.Path:
			if err := r.c.UpdateGroupPath(ctx, name, rules.Path); err != nil {
				return err
			}
			r.out.GroupARNs[k] = strings.Replace(g.ARN, ":group"+g.Path, ":group"+rules.Path, 1)
		default:
			r.out.GroupARNs[k] = g.ARN
		}
		r.out.GroupNames[k] = name
		if err := r.applyAttachments(ctx, name, r.attached[k], desired[k]); err != nil {
			return err
		}
		r.out.Attached[k] = desired[k]
		if err := r.applyInline(ctx, k); err != nil {
			return err
		}
	}
	for _, k := range rules.RoleKeys {
		r.out.PolicyARNs[k] = rules.BaselinePolicyARN(k, func(key string) string { return r.policyARN[key] })
	}
	for _, p := range baseline.SharedPolicies() {
		if arn := r.policyARN[p.Key]; arn != "" {
			r.out.SharedPolicyARNs[p.Key] = arn
		}
	}
	return nil
}

func (r *groupBaselineRun) applyAttachments(ctx context.Context, group string, have, want []string) error {
	for _, arn := range want {
		if !slices.Contains(have, arn) {
			if err := r.c.AttachGroupPolicy(ctx, group, arn); err != nil {
				return err
			}
		}
	}
	for _, arn := range have {
		if !slices.Contains(want, arn) {
			if err := r.c.DetachGroupPolicy(ctx, group, arn); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyInline deletes the inline policies of group key k that the spec does not write, and puts an
// additional group's own inline policy.
func (r *groupBaselineRun) applyInline(ctx context.Context, k string) error {
	rules := r.spec.Rules
	name := rules.GroupName(k)
	current := r.inline[k]
	add, additional := rules.Additional[k]
	want := rules.InlinePolicyNames()[k]
	for _, p := range slices.Sorted(maps.Keys(current)) {
		if slices.Contains(want, p) || p == baseline.AdditionalInlinePolicy && additional {
			continue // the additional group's own policy is handled below
		}
		if err := r.c.DeleteGroupInlinePolicy(ctx, name, p); err != nil {
			return fmt.Errorf("deleting foreign inline policy %s of IAM group (%s): %w", p, name, err)
		}
	}
	if !additional {
		return nil
	}
	doc, has := current[baseline.AdditionalInlinePolicy]
	switch {
	case add.InlinePolicy == "" && has:
		return r.c.DeleteGroupInlinePolicy(ctx, name, baseline.AdditionalInlinePolicy)
	case add.InlinePolicy != "":
		if same, err := baseline.PoliciesEquivalent(doc, add.InlinePolicy); !has || err != nil || !same {
			return r.c.PutGroupInlinePolicy(ctx, name, baseline.AdditionalInlinePolicy, add.InlinePolicy)
		}
	}
	return nil
}

// clearMarkers comes last: from now on these policies (and the groups holding them) are this
// state's, and no other create may adopt them.
func (r *groupBaselineRun) clearMarkers(ctx context.Context) error {
	for _, arn := range r.unmark {
		if err := r.c.ClearPolicyCreateMarker(ctx, arn); err != nil {
			return err
		}
	}
	return nil
}

// checkMembers refuses to delete groups that have members unless force is on (the rule is
// baseline.CheckMembers).
func checkMembers(groups map[string]*GroupState, keys []string, force bool) error {
	var existing []baseline.ExistingGroup
	for _, k := range keys {
		if g, ok := groups[k]; ok {
			existing = append(existing, existingGroup(g))
		}
	}
	return baseline.CheckMembers(existing, force)
}

// existingGroup is g as the baseline's adoption and member rules see it.
func existingGroup(g *GroupState) baseline.ExistingGroup {
	return baseline.ExistingGroup{
		Name: g.Name, Path: g.Path, ARN: g.ARN, AttachedPolicyARNs: g.AttachedPolicyARNs,
		InlinePolicyNames: slices.Sorted(maps.Keys(g.InlinePolicies)), Members: g.Members,
	}
}
