package awsiam

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Destroy believes only a confirmed absence. A read during a destroy can answer NoSuchEntity, or a
// bulk read leave an entity out, while the entity exists (a lagging replica, an entity created a
// moment ago): taken for "already gone", such an answer would end the destroy with the entity left
// in IAM and no state owning it. So a destroy always sends the delete itself, and only the delete's
// NoSuchEntity means gone; a delete refused because the entity still holds something
// (DeleteConflict) is preceded by a fresh read of what it holds. What could not be removed is
// reported, every entity of the resource tried.

const codeDeleteConflict = "DeleteConflict"

// deleteConflictAttempts bounds how often a delete refused for what the entity still holds is
// retried after reading again what it holds.
const deleteConflictAttempts = 3

// DeletePolicy detaches the policy from every group, user and role, deletes its non-default versions
// and deletes it. A policy that is already gone is success; a NoSuchEntity from a read is not taken
// for that: the DeletePolicy is sent anyway.
func (c *Client) DeletePolicy(ctx context.Context, arn string) error {
	return deleteEmptied(ctx, c, fmt.Sprintf("deleting IAM policy (%s)", arn), policyRef(arn), true, func(ctx context.Context) (*iam.DeletePolicyOutput, error) {
		return c.iamAPI.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	}, func(ctx context.Context) error { return c.emptyPolicy(ctx, arn) })
}

// deleteEmptied sends the delete (through RetryOnModify) until it succeeds or answers NoSuchEntity,
// then forgets that this process made ref; a delete refused with DeleteConflict is tried again,
// deleteConflictAttempts times in all, empty reading again what the entity holds and removing it
// before each delete (emptyFirst) or after each refused one. Any other error ends the tries: the
// error is the last delete's, after doing.
func deleteEmptied[T any](ctx context.Context, c *Client, doing string, ref entityRef, emptyFirst bool,
	del func(context.Context) (T, error), empty func(context.Context) error,
) error {
	var err error
	for range deleteConflictAttempts {
		if emptyFirst {
			if err := empty(ctx); err != nil {
				return err
			}
		}
		_, err = RetryOnModify(ctx, del)
		if err == nil || IsNotFound(err) {
			c.forget(ref)
			return nil
		}
		if !HasCode(err, codeDeleteConflict) {
			break
		}
		if !emptyFirst {
			if err := empty(ctx); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// emptyPolicy detaches the policy from everything and deletes its non-default versions. A read that
// answers NoSuchEntity leaves that part to the delete, which fails with DeleteConflict when the read
// lagged and the policy still holds something.
func (c *Client) emptyPolicy(ctx context.Context, arn string) error {
	entities := iam.NewListEntitiesForPolicyPaginator(c.iamAPI, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn)})
	for entities.HasMorePages() {
		page, err := entities.NextPage(ctx)
		if IsNotFound(err) {
			break
		}
		if err != nil {
			return fmt.Errorf("listing entities of IAM policy (%s): %w", arn, err)
		}
		for _, g := range page.PolicyGroups {
			if err := c.DetachGroupPolicy(ctx, aws.ToString(g.GroupName), arn); err != nil {
				return err
			}
		}
		for _, u := range page.PolicyUsers {
			if _, err := c.iamAPI.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: u.UserName, PolicyArn: aws.String(arn)}); err != nil && !IsNotFound(err) {
				return fmt.Errorf("detaching IAM policy (%s) from user (%s): %w", arn, aws.ToString(u.UserName), err)
			}
		}
		for _, r := range page.PolicyRoles {
			if _, err := c.iamAPI.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: r.RoleName, PolicyArn: aws.String(arn)}); err != nil && !IsNotFound(err) {
				return fmt.Errorf("detaching IAM policy (%s) from role (%s): %w", arn, aws.ToString(r.RoleName), err)
			}
		}
	}
	versions, err := c.listPolicyVersions(ctx, arn)
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("listing versions of IAM policy (%s): %w", arn, err)
	}
	for _, v := range versions {
		if !v.IsDefaultVersion {
			if err := c.deletePolicyVersion(ctx, arn, aws.ToString(v.VersionId)); err != nil {
				return err
			}
		}
	}
	return nil
}

// deleteGroupUnseen deletes a group the bulk read did not list: the DeleteGroup is sent, and when
// IAM refuses it because the group still holds members or policies, those are read with point reads
// and removed (members only with force), and the delete is sent again.
func (c *Client) deleteGroupUnseen(ctx context.Context, name string, force bool) error {
	return deleteEmptied(ctx, c, fmt.Sprintf("deleting IAM group (%s)", name), groupRef(name), false, func(ctx context.Context) (*iam.DeleteGroupOutput, error) {
		return c.iamAPI.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(name)})
	}, func(ctx context.Context) error {
		members, rerr := c.FindGroupMembers(ctx, name)
		if rerr != nil && !IsNotFound(rerr) {
			return rerr
		}
		if err := checkMembers(map[string]*GroupState{name: {Name: name, Members: members}}, []string{name}, force); err != nil {
			return err
		}
		if err := c.RemoveGroupMembers(ctx, name, members); err != nil {
			return err
		}
		attached, rerr := c.FindGroupAttachedPolicyARNs(ctx, name)
		if rerr != nil && !IsNotFound(rerr) {
			return rerr
		}
		inline, rerr := c.iamAPI.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String(name)})
		var inlineNames []string
		if rerr == nil {
			inlineNames = inline.PolicyNames
		} else if !IsNotFound(rerr) {
			return fmt.Errorf("listing inline policies of IAM group (%s): %w", name, rerr)
		}
		return c.emptyGroup(ctx, name, attached, inlineNames)
	})
}

// customerPolicyARN is the ARN the baseline's customer managed policy of key has (or would have).
func (c *Client) customerPolicyARN(ctx context.Context, spec GroupBaselineSpec, key string) (string, error) {
	account, err := c.AccountID(ctx)
	if err != nil {
		return "", err
	}
	return PolicyARN(cmp.Or(spec.Rules.Partition, "aws"), account, cmp.Or(spec.Rules.Path, "/"), spec.Rules.CustomerPolicyName(key)), nil
}

// DestroyGroupBaseline deletes every group and customer managed policy spec owns, refusing before
// any change when a group the snapshot lists has members and force_destroy is off. What the
// snapshot does not list is deleted by name all the same (absent from one bulk answer is not gone).
// Every entity is tried; the error names each one that could not be removed.
func (c *Client) DestroyGroupBaseline(ctx context.Context, spec GroupBaselineSpec) error {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return err
	}
	observed := observeGroupBaseline(snap, spec.Rules)
	keys := spec.Rules.GroupKeys()
	if err := checkMembers(observed.Groups, keys, spec.ForceDestroy); err != nil {
		return err
	}
	var failed []error
	for _, k := range keys {
		g, ok := observed.Groups[k]
		if !ok {
			if err := c.deleteGroupUnseen(ctx, spec.Rules.GroupName(k), spec.ForceDestroy); err != nil {
				failed = append(failed, err)
			}
			continue
		}
		err := c.RemoveGroupMembers(ctx, g.Name, g.Members)
		if err == nil {
			err = c.EmptyAndDeleteGroup(ctx, g.Name, g.AttachedPolicyARNs, slices.Sorted(maps.Keys(g.InlinePolicies)))
		}
		if err != nil {
			failed = append(failed, err)
		}
	}
	for _, key := range spec.Rules.CustomerPolicyKeys() {
		arn := ""
		if p, ok := observed.Policies[key]; ok {
			arn = p.ARN
		} else if arn, err = c.customerPolicyARN(ctx, spec, key); err != nil {
			failed = append(failed, err)
			continue
		}
		if err := c.DeletePolicy(ctx, arn); err != nil {
			failed = append(failed, err)
		}
	}
	return destroyFailed("startup group baseline "+spec.Rules.Prefix, failed)
}

// destroyFailed is nil when nothing failed, and otherwise an error that says that these entities
// are left in IAM, each with its reason.
func destroyFailed(what string, failed []error) error {
	if len(failed) == 0 {
		return nil
	}
	noun := "entities"
	if len(failed) == 1 {
		noun = "entity"
	}
	return &DestroyIncompleteError{
		msg:    fmt.Sprintf("destroying the %s left %d %s in IAM (run destroy again once the cause is fixed):\n%s", what, len(failed), noun, bulletList(failed)),
		Failed: failed,
	}
}

// DestroyIncompleteError is a destroy that could not remove every entity: Failed holds one error
// per entity left.
type DestroyIncompleteError struct {
	msg    string
	Failed []error
}

func (e *DestroyIncompleteError) Error() string   { return e.msg }
func (e *DestroyIncompleteError) Unwrap() []error { return e.Failed }

// bulletList is one "- " line per error, for the entities a destroy or an undo left in IAM.
func bulletList(errs []error) string {
	lines := make([]string, len(errs))
	for i, err := range errs {
		lines[i] = "- " + err.Error()
	}
	return strings.Join(lines, "\n")
}
