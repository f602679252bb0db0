package awsiam

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// CreateRole creates the role, then its policies and instance profile. When a later step fails the
// returned Role still names what was created, so that the caller can record it (and a re-apply
// replaces it) instead of leaving an orphan.
func (c *Client) CreateRole(ctx context.Context, spec RoleSpec) (*Role, error) {
	markerKey, markerValue := createMarker(spec.claim())
	marked := spec
	marked.Tags = maps.Clone(spec.Tags)
	if marked.Tags == nil {
		marked.Tags = map[string]string{}
	}
	marked.Tags[markerKey] = markerValue
	in := &iam.CreateRoleInput{
		RoleName:                 aws.String(spec.Name),
		AssumeRolePolicyDocument: aws.String(spec.TrustPolicy),
		Path:                     aws.String(spec.Path),
		Tags:                     tagList(marked.Tags),
	}
	if spec.Description != "" {
		in.Description = aws.String(spec.Description)
	}
	if spec.MaxSessionDuration > 0 {
		in.MaxSessionDuration = aws.Int32(spec.MaxSessionDuration)
	}
	if spec.PermissionsBoundary != "" {
		in.PermissionsBoundary = aws.String(spec.PermissionsBoundary)
	}
	// A trust policy naming a principal created moments ago may be refused until it propagates.
	out, err := createOnce(ctx, alreadyExists, func(ctx context.Context) (*iam.CreateRoleOutput, error) {
		return RetryOnModify(ctx, func(ctx context.Context) (*iam.CreateRoleOutput, error) {
			return c.iamAPI.CreateRole(ctx, in)
		})
	}, func(ctx context.Context) (*iam.CreateRoleOutput, bool, error) {
		return c.roleIsOurs(ctx, in)
	})
	if HasCode(err, "EntityAlreadyExists") {
		return c.adoptRole(ctx, marked, err)
	}
	if err != nil {
		return nil, explainLimit(err, OpCreateRole, fmt.Sprintf("creating IAM role (%s)", spec.Name), spec.Name, "")
	}
	c.markFresh(roleRef(spec.Name))
	r := &Role{
		Name:        spec.Name,
		Path:        aws.ToString(out.Role.Path),
		Description: spec.Description,
		ARN:         aws.ToString(out.Role.Arn),
		UniqueID:    aws.ToString(out.Role.RoleId),
	}
	for _, arn := range spec.ManagedPolicyARNs {
		if err := c.attachRolePolicy(ctx, spec.Name, arn); err != nil {
			return r, err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(spec.InlinePolicies)) {
		if err := c.putRolePolicy(ctx, spec.Name, name, spec.InlinePolicies[name]); err != nil {
			return r, err
		}
	}
	if spec.InstanceProfile {
		if r.InstanceProfileARN, err = c.ensureInstanceProfile(ctx, spec.Name, spec.Path); err != nil {
			return r, err
		}
	}
	return r, c.clearRoleCreateMarker(ctx, spec.Name)
}

// adoptRole handles a create that met an existing role of its name: the role is adopted (brought
// to marked, the spec with the create marker, then unmarked) only when it is what an interrupted
// create of this resource left (see baseline.AdoptionRefusal); otherwise the create fails.
func (c *Client) adoptRole(ctx context.Context, marked RoleSpec, createErr error) (*Role, error) {
	existing, ev, err := c.roleOwnership(ctx, marked)
	if err != nil {
		return nil, fmt.Errorf("creating IAM role (%s): %w (and reading the existing role failed: %v)", marked.Name, createErr, err)
	}
	if refusal := baseline.AdoptionRefusal("iambaseline_service_role", ev); refusal != nil {
		return nil, fmt.Errorf("creating IAM role (%s): %w\n\n%w", marked.Name, createErr, refusal)
	}
	marked.Tags[baseline.CreateMarkerTag] = existing.Tags[baseline.CreateMarkerTag]
	profile, err := c.UpdateRole(ctx, *existing, marked)
	r := &Role{Name: marked.Name, Path: existing.Path, Description: marked.Description, ARN: existing.ARN, UniqueID: existing.UniqueID, InstanceProfileARN: profile}
	if err != nil {
		return r, err
	}
	return r, c.clearRoleCreateMarker(ctx, marked.Name)
}

// clearRoleCreateMarker removes the create marker once the create has finished.
func (c *Client) clearRoleCreateMarker(ctx context.Context, name string) error {
	return clearCreateMarker(ctx, c, kindRole, name, roleRef(name), func(ctx context.Context, keys []string) (*iam.UntagRoleOutput, error) {
		return c.iamAPI.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String(name), TagKeys: keys})
	})
}

// UpdateRole brings the role from old (what exists) to spec. It returns the instance profile's ARN
// ("" when there is none).
func (c *Client) UpdateRole(ctx context.Context, old Role, spec RoleSpec) (string, error) {
	name := spec.Name
	if old.Description != spec.Description || old.MaxSessionDuration != spec.MaxSessionDuration {
		_, err := retryWrite(ctx, c, func(ctx context.Context) (*iam.UpdateRoleOutput, error) {
			return c.iamAPI.UpdateRole(ctx, &iam.UpdateRoleInput{
				RoleName:           aws.String(name),
				Description:        aws.String(spec.Description),
				MaxSessionDuration: aws.Int32(spec.MaxSessionDuration),
			})
		}, roleRef(name))
		if err != nil {
			return old.InstanceProfileARN, fmt.Errorf("updating IAM role (%s): %w", name, err)
		}
	}
	if old.TrustPolicy != spec.TrustPolicy {
		_, err := retryWrite(ctx, c, func(ctx context.Context) (*iam.UpdateAssumeRolePolicyOutput, error) {
			return c.iamAPI.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{
				RoleName: aws.String(name), PolicyDocument: aws.String(spec.TrustPolicy),
			})
		}, roleRef(name))
		if err != nil {
			return old.InstanceProfileARN, explainLimit(err, OpUpdateAssumeRolePolicy, fmt.Sprintf("updating trust policy of IAM role (%s)", name), name, "")
		}
	}
	if old.PermissionsBoundary != spec.PermissionsBoundary {
		var err error
		if spec.PermissionsBoundary == "" {
			_, err = retryWrite(ctx, c, func(ctx context.Context) (*iam.DeleteRolePermissionsBoundaryOutput, error) {
				return c.iamAPI.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String(name)})
			}, roleRef(name))
		} else {
			_, err = retryWrite(ctx, c, func(ctx context.Context) (*iam.PutRolePermissionsBoundaryOutput, error) {
				return c.iamAPI.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{
					RoleName: aws.String(name), PermissionsBoundary: aws.String(spec.PermissionsBoundary),
				})
			}, roleRef(name), policyRef(spec.PermissionsBoundary))
		}
		if err != nil {
			return old.InstanceProfileARN, fmt.Errorf("setting permissions boundary of IAM role (%s): %w", name, err)
		}
	}
	if err := c.updateRoleTags(ctx, name, old.Tags, spec.Tags); err != nil {
		return old.InstanceProfileARN, err
	}
	for _, arn := range old.ManagedPolicyARNs {
		if !slices.Contains(spec.ManagedPolicyARNs, arn) {
			if err := c.detachRolePolicy(ctx, name, arn); err != nil {
				return old.InstanceProfileARN, err
			}
		}
	}
	for _, arn := range spec.ManagedPolicyARNs {
		if !slices.Contains(old.ManagedPolicyARNs, arn) {
			if err := c.attachRolePolicy(ctx, name, arn); err != nil {
				return old.InstanceProfileARN, err
			}
		}
	}
	for _, p := range slices.Sorted(maps.Keys(old.InlinePolicies)) {
		if _, keep := spec.InlinePolicies[p]; !keep {
			if err := c.deleteRolePolicy(ctx, name, p); err != nil {
				return old.InstanceProfileARN, err
			}
		}
	}
	for _, p := range slices.Sorted(maps.Keys(spec.InlinePolicies)) {
		if doc, ok := old.InlinePolicies[p]; !ok || doc != spec.InlinePolicies[p] {
			if err := c.putRolePolicy(ctx, name, p, spec.InlinePolicies[p]); err != nil {
				return old.InstanceProfileARN, err
			}
		}
	}
	switch {
	case spec.InstanceProfile && old.InstanceProfileARN == "":
		return c.ensureInstanceProfile(ctx, name, spec.Path)
	case !spec.InstanceProfile && old.InstanceProfileARN != "":
		if err := c.deleteOwnInstanceProfile(ctx, name); err != nil {
			return old.InstanceProfileARN, err
		}
		return "", nil
	}
	return old.InstanceProfileARN, nil
}

func (c *Client) updateRoleTags(ctx context.Context, name string, old, want map[string]string) error {
	return syncTags(ctx, c, roleRef(name), old, want, fmt.Sprintf("removing tags of IAM role (%s)", name), func(ctx context.Context, keys []string) (*iam.UntagRoleOutput, error) {
		return c.iamAPI.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String(name), TagKeys: keys})
	}, explained{OpTagRole, fmt.Sprintf("tagging IAM role (%s)", name), name, ""}, func(ctx context.Context, tags []iamtypes.Tag) (*iam.TagRoleOutput, error) {
		return c.iamAPI.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String(name), Tags: tags})
	})
}

func (c *Client) attachRolePolicy(ctx context.Context, role, arn string) error {
	return writeExplained(ctx, c, explained{OpAttachRolePolicy, fmt.Sprintf("attaching policy %s to IAM role (%s)", arn, role), role, arn}, func(ctx context.Context) (*iam.AttachRolePolicyOutput, error) {
		return c.iamAPI.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(role), PolicyArn: aws.String(arn)})
	}, roleRef(role), policyRef(arn))
}

func (c *Client) detachRolePolicy(ctx context.Context, role, arn string) error {
	return removeOrGone(ctx, fmt.Sprintf("detaching policy %s from IAM role (%s)", arn, role), func(ctx context.Context) (*iam.DetachRolePolicyOutput, error) {
		return c.iamAPI.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(role), PolicyArn: aws.String(arn)})
	})
}

func (c *Client) putRolePolicy(ctx context.Context, role, name, doc string) error {
	return writeExplained(ctx, c, explained{OpPutRolePolicy, fmt.Sprintf("putting inline policy %s of IAM role (%s)", name, role), role, name}, func(ctx context.Context) (*iam.PutRolePolicyOutput, error) {
		return c.iamAPI.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
			RoleName: aws.String(role), PolicyName: aws.String(name), PolicyDocument: aws.String(doc),
		})
	}, roleRef(role))
}

func (c *Client) deleteRolePolicy(ctx context.Context, role, name string) error {
	return removeOrGone(ctx, fmt.Sprintf("deleting inline policy %s of IAM role (%s)", name, role), func(ctx context.Context) (*iam.DeleteRolePolicyOutput, error) {
		return c.iamAPI.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name)})
	})
}

// ensureInstanceProfile makes the instance profile named like the role exist and hold the role. An
// instance profile left by an interrupted apply is adopted rather than duplicated.
func (c *Client) ensureInstanceProfile(ctx context.Context, name, path string) (string, error) {
	var arn string
	var holdsRole bool
	markerKey, markerValue := createMarker("")
	marked := true
	out, err := c.iamAPI.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{
		InstanceProfileName: aws.String(name), Path: aws.String(path), Tags: tagList(map[string]string{markerKey: markerValue}),
	})
	switch {
	case err == nil:
		arn = aws.ToString(out.InstanceProfile.Arn)
		c.markFresh(instanceProfileRef(name))
	case HasCode(err, "EntityAlreadyExists"):
		got, gerr := c.iamAPI.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(name)})
		if gerr != nil {
			return "", fmt.Errorf("reading IAM instance profile (%s): %w", name, gerr)
		}
		arn = aws.ToString(got.InstanceProfile.Arn)
		// Reused only when it is what an interrupted apply of this role leaves: empty, or holding
		// this role. One holding another role belongs to someone else.
		for _, r := range got.InstanceProfile.Roles {
			if other := aws.ToString(r.RoleName); other != name {
				return "", fmt.Errorf("instance profile (%s) already exists and holds another IAM role (%s), so it is not this role's: "+
					"remove that role from it (aws iam remove-role-from-instance-profile) or delete the instance profile, or set create_instance_profile = false, then apply again", name, other)
			}
			holdsRole = true
		}
		_, marked = tagMap(got.InstanceProfile.Tags)[markerKey]
		// An empty one is adopted only when an interrupted create of this role left it (the marker);
		// one that holds this role is this role's whatever made it.
		if !holdsRole {
			if refusal := baseline.AdoptionRefusal("iambaseline_service_role", baseline.OwnershipEvidence{Kind: kindInstanceProfile, Name: name, Marked: marked}); refusal != nil {
				return "", refusal
			}
		}
	default:
		return "", explainLimit(err, OpCreateInstanceProfile, fmt.Sprintf("creating IAM instance profile (%s)", name), name, "")
	}
	if !holdsRole {
		// An instance profile holds one role: a retry after a lost answer fails with LimitExceeded,
		// and the profile holding this role shows that the lost attempt did the job.
		_, err = createOnce(ctx, []string{"LimitExceeded", "EntityAlreadyExists"}, func(ctx context.Context) (*iam.AddRoleToInstanceProfileOutput, error) {
			return retryWrite(ctx, c, func(ctx context.Context) (*iam.AddRoleToInstanceProfileOutput, error) {
				return c.iamAPI.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{
					InstanceProfileName: aws.String(name), RoleName: aws.String(name),
				})
			}, instanceProfileRef(name), roleRef(name))
		}, func(ctx context.Context) (*iam.AddRoleToInstanceProfileOutput, bool, error) {
			got, err := c.iamAPI.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(name)})
			if err != nil {
				return nil, false, err
			}
			roles := got.InstanceProfile.Roles
			return &iam.AddRoleToInstanceProfileOutput{}, len(roles) == 1 && aws.ToString(roles[0].RoleName) == name, nil
		})
		if err != nil {
			return arn, explainLimit(err, OpAddRoleToInstanceProfile, fmt.Sprintf("adding IAM role (%s) to its instance profile", name), name, name)
		}
	}
	if marked {
		_, err = retryWrite(ctx, c, func(ctx context.Context) (*iam.UntagInstanceProfileOutput, error) {
			return c.iamAPI.UntagInstanceProfile(ctx, &iam.UntagInstanceProfileInput{InstanceProfileName: aws.String(name), TagKeys: []string{markerKey}})
		}, instanceProfileRef(name))
		if err != nil {
			return arn, fmt.Errorf("removing the %s tag of IAM instance profile (%s): %w", markerKey, name, err)
		}
	}
	return arn, nil
}

// removeRoleFromInstanceProfile takes role out of profile. The first attempt may remove it and lose
// its answer; the SDK's retry then fails (NoSuchEntity on AWS, an internal error on moto, whose
// remove fails when the role is not in the profile). So a failure is checked against the profile:
// a role no longer in it (or a profile gone) is the outcome asked for.
func (c *Client) removeRoleFromInstanceProfile(ctx context.Context, profile, role string) error {
	_, err := RetryOnModify(ctx, func(ctx context.Context) (*iam.RemoveRoleFromInstanceProfileOutput, error) {
		return c.iamAPI.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{
			InstanceProfileName: aws.String(profile), RoleName: aws.String(role),
		})
	})
	if err == nil || IsNotFound(err) || ctx.Err() != nil {
		if IsNotFound(err) {
			return nil
		}
		return err
	}
	got, gerr := c.iamAPI.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(profile)})
	if IsNotFound(gerr) {
		return nil
	}
	if gerr == nil && got.InstanceProfile != nil && !slices.ContainsFunc(got.InstanceProfile.Roles, func(r iamtypes.Role) bool {
		return aws.ToString(r.RoleName) == role
	}) {
		return nil
	}
	return err
}

// deleteOwnInstanceProfile removes the role from the instance profile of its name and deletes it.
func (c *Client) deleteOwnInstanceProfile(ctx context.Context, name string) error {
	if err := c.removeRoleFromInstanceProfile(ctx, name, name); err != nil {
		return fmt.Errorf("removing IAM role (%s) from its instance profile: %w", name, err)
	}
	return removeOrGone(ctx, fmt.Sprintf("deleting IAM instance profile (%s)", name), func(ctx context.Context) (*iam.DeleteInstanceProfileOutput, error) {
		return c.iamAPI.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String(name)})
	})
}

// DeleteRole detaches and deletes everything that would block the deletion, as it exists now
// (attachments made out of band included), then deletes the role. A role already gone is success.
//
// A NoSuchEntity from a read is not taken for "gone" (destroy.go): the DeleteRole is sent anyway, and
// when IAM refuses it because the role still holds something the reads missed, they are read again.
func (c *Client) DeleteRole(ctx context.Context, name string) error {
	var err error
	for range deleteConflictAttempts {
		if err = c.deleteRoleOnce(ctx, name); !HasCode(err, codeDeleteConflict) {
			return err
		}
	}
	return err
}

func (c *Client) deleteRoleOnce(ctx context.Context, name string) error {
	arns, err := c.listAttachedRolePolicies(ctx, name)
	if err != nil && !IsNotFound(err) {
		return err
	}
	if err := removeEach(arns, func(arn string) error { return c.detachRolePolicy(ctx, name, arn) }); err != nil {
		return err
	}
	inline, err := c.listRolePolicyNames(ctx, name)
	if err != nil && !IsNotFound(err) {
		return err
	}
	if err := removeEach(inline, func(p string) error { return c.deleteRolePolicy(ctx, name, p) }); err != nil {
		return err
	}
	profiles, err := c.listInstanceProfilesForRole(ctx, name)
	if err != nil && !IsNotFound(err) {
		return err
	}
	for _, p := range profiles {
		profile := aws.ToString(p.InstanceProfileName)
		if profile == name {
			if err := c.deleteOwnInstanceProfile(ctx, name); err != nil {
				return err
			}
			continue
		}
		// Someone else's instance profile: only take the role out of it.
		if err := c.removeRoleFromInstanceProfile(ctx, profile, name); err != nil {
			return fmt.Errorf("removing IAM role (%s) from instance profile %s: %w", name, profile, err)
		}
	}
	return removeOrGone(ctx, fmt.Sprintf("deleting IAM role (%s)", name), func(ctx context.Context) (*iam.DeleteRoleOutput, error) {
		return c.iamAPI.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
	})
}
