package awsiam

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// What an existing entity shows about where it comes from (baseline.CreateMarkerTag) and whether it
// was used since, for baseline.AdoptionRefusal. The plan reads it from the bulk snapshot (no request
// per resource); the create confirms it with point reads before adopting anything.

// createMarker is the tag a create sends with the entity, naming the claim of the resource
// instance that creates it (baseline.InstanceClaim, "" when unknown); the caller removes it once
// the create has finished (ClearUserCreateMarker), CreateRole itself for roles.
func createMarker(claim string) (string, string) {
	return baseline.CreateMarkerTag, baseline.CreateMarkerValue(time.Now(), claim)
}

// markerClaim is the claim of the create marker among tags, "" when there is none.
func markerClaim(tags map[string]string) string {
	return baseline.CreateMarkerClaim(tags[baseline.CreateMarkerTag])
}

// UserOwnership is the evidence the snapshot holds on an existing user; ok is false when the
// snapshot has no user of that name. Only for a user it has does it read the snapshot's lazy parts
// (ListUsers, ListVirtualMFADevices). Access keys are not in the snapshot: the create checks them.
func (s *Snapshot) UserOwnership(ctx context.Context, name string) (ev baseline.OwnershipEvidence, ok bool, err error) {
	u, ok := s.users[name]
	if !ok {
		return baseline.OwnershipEvidence{}, false, nil
	}
	used, err := s.loadPasswordLastUsed(ctx)
	if err != nil {
		return ev, false, err
	}
	virtual, err := s.loadVirtualMFA(ctx)
	if err != nil {
		return ev, false, err
	}
	_, marked := tagMap(u.Tags)[baseline.CreateMarkerTag]
	_, passwordUsed := used[name]
	return baseline.OwnershipEvidence{Kind: kindUser, Name: name, Marked: marked, PasswordUsed: passwordUsed, MFADevices: len(virtual[name])}, true, nil
}

// UserOwnership reads an existing user and the evidence of its origin and use: GetUser,
// ListGroupsForUser, ListMFADevices and ListAccessKeys.
func (c *Client) UserOwnership(ctx context.Context, name string) (*UserInfo, baseline.OwnershipEvidence, error) {
	ev := baseline.OwnershipEvidence{Kind: kindUser, Name: name}
	info, err := c.FindUserInfo(ctx, name)
	if err != nil {
		return nil, ev, err
	}
	_, ev.Marked = info.Tags[baseline.CreateMarkerTag]
	ev.MarkerClaim = markerClaim(info.Tags)
	ev.PasswordUsed = info.PasswordLastUsed != nil
	mfa, err := c.ListUserMFADevices(ctx, name)
	if err != nil {
		return nil, ev, err
	}
	keys, err := c.ListAccessKeys(ctx, name)
	if err != nil {
		return nil, ev, err
	}
	ev.MFADevices, ev.AccessKeys = len(mfa), len(keys)
	return info, ev, nil
}

// ClearUserCreateMarker removes the create marker: the create has finished and Terraform is about
// to record the user, so from now on no other create may adopt it.
func (c *Client) ClearUserCreateMarker(ctx context.Context, name string) error {
	return clearCreateMarker(ctx, c, kindUser, name, userRef(name), func(ctx context.Context, keys []string) (*iam.UntagUserOutput, error) {
		return c.iamAPI.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String(name), TagKeys: keys})
	})
}

// clearCreateMarker sends untag (with the create marker's key) through retryWrite for the entity
// ref names; a failure names the marker and the entity (kind, id).
func clearCreateMarker[T any](ctx context.Context, c *Client, kind, id string, ref entityRef, untag func(context.Context, []string) (T, error)) error {
	_, err := retryWrite(ctx, c, func(ctx context.Context) (T, error) {
		return untag(ctx, []string{baseline.CreateMarkerTag})
	}, ref)
	if err != nil {
		return fmt.Errorf("removing the %s tag of %s (%s): %w", baseline.CreateMarkerTag, kind, id, err)
	}
	return nil
}

// RoleOwnership is the evidence the snapshot holds on an existing role; ok is false when the
// snapshot has no role of that name. Policies attached that spec does not attach are signs of use.
func (s *Snapshot) RoleOwnership(name string, spec *RoleSpec) (baseline.OwnershipEvidence, bool) {
	r, ok := s.roles[name]
	if !ok {
		return baseline.OwnershipEvidence{}, false
	}
	_, marked := tagMap(r.Tags)[baseline.CreateMarkerTag]
	ev := baseline.OwnershipEvidence{Kind: kindRole, Name: name, Marked: marked}
	if r.RoleLastUsed != nil && r.RoleLastUsed.LastUsedDate != nil {
		ev.Uses = append(ev.Uses, "it has been assumed (last used "+r.RoleLastUsed.LastUsedDate.UTC().Format(time.RFC3339)+")")
	}
	if spec != nil {
		var managed []string
		for _, p := range r.AttachedManagedPolicies {
			managed = append(managed, aws.ToString(p.PolicyArn))
		}
		var inline []string
		for _, p := range r.RolePolicyList {
			inline = append(inline, aws.ToString(p.PolicyName))
		}
		ev.Uses = append(ev.Uses, foreignRolePolicies(managed, inline, *spec)...)
	}
	return ev, true
}

func foreignRolePolicies(managed, inline []string, spec RoleSpec) []string {
	var uses, foreign []string
	for _, arn := range managed {
		if !slices.Contains(spec.ManagedPolicyARNs, arn) {
			foreign = append(foreign, arn)
		}
	}
	if len(foreign) > 0 {
		uses = append(uses, "it has managed policies this resource does not attach ("+strings.Join(foreign, ", ")+")")
	}
	foreign = nil
	for _, name := range inline {
		if _, ok := spec.InlinePolicies[name]; !ok {
			foreign = append(foreign, name)
		}
	}
	if len(foreign) > 0 {
		uses = append(uses, "it has inline policies this resource does not write ("+strings.Join(foreign, ", ")+")")
	}
	return uses
}

// roleOwnership reads an existing role directly and the evidence of its origin and use.
func (c *Client) roleOwnership(ctx context.Context, spec RoleSpec) (*Role, baseline.OwnershipEvidence, error) {
	ev := baseline.OwnershipEvidence{Kind: kindRole, Name: spec.Name}
	out, err := c.iamAPI.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(spec.Name)})
	if err != nil {
		return nil, ev, notFound(kindRole, spec.Name, fmt.Errorf("reading IAM role (%s): %w", spec.Name, err))
	}
	role, err := c.findRoleDirect(ctx, out.Role)
	if err != nil {
		return nil, ev, err
	}
	_, ev.Marked = role.Tags[baseline.CreateMarkerTag]
	ev.MarkerClaim, ev.Claimant = markerClaim(role.Tags), spec.claim()
	if u := out.Role.RoleLastUsed; u != nil && u.LastUsedDate != nil {
		ev.Uses = append(ev.Uses, "it has been assumed (last used "+u.LastUsedDate.UTC().Format(time.RFC3339)+")")
	}
	ev.Uses = append(ev.Uses, foreignRolePolicies(role.ManagedPolicyARNs, mapKeys(role.InlinePolicies), spec)...)
	return role, ev, nil
}

func mapKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ClearPolicyCreateMarker removes the create marker of a customer managed policy once the create
// that made (or adopted) it has finished.
func (c *Client) ClearPolicyCreateMarker(ctx context.Context, arn string) error {
	return clearCreateMarker(ctx, c, "IAM policy", arn, policyRef(arn), func(ctx context.Context, keys []string) (*iam.UntagPolicyOutput, error) {
		return c.iamAPI.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: aws.String(arn), TagKeys: keys})
	})
}

// AnyGroupExists tells whether one of the groups exists, by point reads (GetGroup), for a refresh
// that did not find them in the bulk snapshot: absent from one bulk answer is not gone.
func (c *Client) AnyGroupExists(ctx context.Context, names []string) (bool, error) {
	for _, name := range names {
		exists, err := c.exists(ctx, groupRef(name))
		if err != nil || exists {
			return exists, err
		}
	}
	return false, nil
}

// ReloadSnapshot drops the process's bulk read and reads the account again.
func (c *Client) ReloadSnapshot(ctx context.Context) (*Snapshot, error) {
	c.InvalidateSnapshot()
	return c.Snapshot(ctx)
}

// GroupBaselineCollision is the plan-time check of a baseline's create: nil when none of the
// groups and policies it names exists, or when what exists may be adopted (what an interrupted
// create of this baseline leaves), and otherwise the refusal the create would meet at apply. It reads
// the snapshot the process already has (the one bulk read of the plan), and the tags of a policy
// only when one of the baseline's exists. A failed read is no refusal: the create checks again.
func (c *Client) GroupBaselineCollision(ctx context.Context, spec GroupBaselineSpec) error {
	snap, err := c.CachedSnapshot(ctx)
	if snap == nil || err != nil {
		return nil //nolint:nilerr // the create checks again with point reads
	}
	run := &groupBaselineRun{c: c, snap: snap, spec: spec, marked: map[string]bool{}}
	if err := run.checkAdoptable(ctx); err != nil && !IsNotFound(err) && ErrorCode(err) == "" {
		return err
	}
	return nil
}
