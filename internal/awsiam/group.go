package awsiam

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// GroupARN is the ARN IAM gives a group of that name and path.
func GroupARN(partition, accountID, path, name string) string {
	return baseline.GroupARN(partition, accountID, path, name)
}

// FindGroup returns the group, or a *NotFoundError.
func (c *Client) FindGroup(ctx context.Context, name string) (*Group, error) {
	out, err := c.iamAPI.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(name), MaxItems: aws.Int32(1)})
	if err != nil {
		return nil, notFound("IAM group", name, err)
	}
	if out.Group == nil {
		return nil, &NotFoundError{Kind: "IAM group", Name: name}
	}
	return groupFrom(out.Group), nil
}

// FindGroupMembers lists the user names of the group's members, sorted.
func (c *Client) FindGroupMembers(ctx context.Context, name string) ([]string, error) {
	p := iam.NewGetGroupPaginator(c.iamAPI, &iam.GetGroupInput{GroupName: aws.String(name)})
	members, err := awscore.Collect(ctx, p, func(page *iam.GetGroupOutput) []string {
		return awscore.Each(page.Users, func(u types.User) string { return aws.ToString(u.UserName) })
	})
	if err != nil {
		return nil, notFound("IAM group", name, err)
	}
	sort.Strings(members)
	return members, nil
}

// FindGroupAttachedPolicyARNs lists the ARNs of the managed policies attached to the group, sorted.
func (c *Client) FindGroupAttachedPolicyARNs(ctx context.Context, name string) ([]string, error) {
	p := iam.NewListAttachedGroupPoliciesPaginator(c.iamAPI, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(name)})
	arns, err := awscore.Collect(ctx, p, func(page *iam.ListAttachedGroupPoliciesOutput) []string { return attachedARNs(page.AttachedPolicies) })
	if err != nil {
		return nil, notFound("IAM group", name, err)
	}
	sort.Strings(arns)
	return arns, nil
}

// CreateGroup creates a group. An existing group of that name is an error the caller may inspect
// with HasCode(err, "EntityAlreadyExists"), unless it is the one this call made (see createOnce).
func (c *Client) CreateGroup(ctx context.Context, name, path string) (*Group, error) {
	g, err := createOnce(ctx, alreadyExists, func(ctx context.Context) (*types.Group, error) {
		out, err := RetryOnModify(ctx, func(ctx context.Context) (*iam.CreateGroupOutput, error) {
			return c.iamAPI.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name), Path: aws.String(path)})
		})
		if err != nil {
			return nil, err
		}
		return out.Group, nil
	}, func(ctx context.Context) (*types.Group, bool, error) {
		return c.groupIsOurs(ctx, name, path)
	})
	if err != nil {
		return nil, explainLimit(err, OpCreateGroup, fmt.Sprintf("creating IAM group (%s)", name), name, "")
	}
	c.markFresh(groupRef(name))
	if g != nil {
		c.learnAccountID(accountOfARN(aws.ToString(g.Arn)))
	}
	return groupFrom(g), nil
}

// UpdateGroupPath moves a group to another path (its name stays).
func (c *Client) UpdateGroupPath(ctx context.Context, name, path string) error {
	_, err := retryWrite(ctx, c, func(ctx context.Context) (*iam.UpdateGroupOutput, error) {
		return c.iamAPI.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String(name), NewPath: aws.String(path)})
	}, groupRef(name))
	if err != nil {
		return fmt.Errorf("updating path of IAM group (%s): %w", name, err)
	}
	return nil
}

// DeleteGroup deletes an empty group (no members, attachments or inline policies). A group that is
// already gone is success.
func (c *Client) DeleteGroup(ctx context.Context, name string) error {
	return deleteEntity(ctx, c, fmt.Sprintf("deleting IAM group (%s)", name), groupRef(name), func(ctx context.Context) (*iam.DeleteGroupOutput, error) {
		return c.iamAPI.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(name)})
	})
}

// AttachGroupPolicy attaches a managed policy to a group, waiting out IAM's propagation when either
// was created moments ago.
func (c *Client) AttachGroupPolicy(ctx context.Context, group, policyARN string) error {
	return writeExplained(ctx, c, explained{OpAttachGroupPolicy, fmt.Sprintf("attaching policy (%s) to IAM group (%s)", policyARN, group), group, policyARN}, func(ctx context.Context) (*iam.AttachGroupPolicyOutput, error) {
		return c.iamAPI.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(group), PolicyArn: aws.String(policyARN)})
	}, groupRef(group), policyRef(policyARN))
}

// DetachGroupPolicy detaches a managed policy from a group; not attached (or gone) is success.
func (c *Client) DetachGroupPolicy(ctx context.Context, group, policyARN string) error {
	return removeOrGone(ctx, fmt.Sprintf("detaching policy (%s) from IAM group (%s)", policyARN, group), func(ctx context.Context) (*iam.DetachGroupPolicyOutput, error) {
		return c.iamAPI.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(group), PolicyArn: aws.String(policyARN)})
	})
}

// PutGroupInlinePolicy creates or replaces an inline policy of a group.
func (c *Client) PutGroupInlinePolicy(ctx context.Context, group, policyName, document string) error {
	return writeExplained(ctx, c, explained{OpPutGroupPolicy, fmt.Sprintf("putting inline policy (%s) of IAM group (%s)", policyName, group), group, policyName}, func(ctx context.Context) (*iam.PutGroupPolicyOutput, error) {
		return c.iamAPI.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{
			GroupName: aws.String(group), PolicyName: aws.String(policyName), PolicyDocument: aws.String(document),
		})
	}, groupRef(group))
}

// DeleteGroupInlinePolicy deletes an inline policy of a group; gone is success.
func (c *Client) DeleteGroupInlinePolicy(ctx context.Context, group, policyName string) error {
	return removeOrGone(ctx, fmt.Sprintf("deleting inline policy (%s) of IAM group (%s)", policyName, group), func(ctx context.Context) (*iam.DeleteGroupPolicyOutput, error) {
		return c.iamAPI.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String(group), PolicyName: aws.String(policyName)})
	})
}

// RemoveGroupMembers removes the users from the group; a user no longer there is success.
func (c *Client) RemoveGroupMembers(ctx context.Context, group string, users []string) error {
	return removeEach(users, func(u string) error {
		return c.removeMembership(ctx, u, group, fmt.Sprintf("removing IAM user (%s) from IAM group (%s)", u, group))
	})
}

// removeMembership removes the user from the group; a membership already gone is success, another
// failure is wrapped in doing.
func (c *Client) removeMembership(ctx context.Context, user, group, doing string) error {
	return removeOrGone(ctx, doing, func(ctx context.Context) (*iam.RemoveUserFromGroupOutput, error) {
		return c.iamAPI.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String(group), UserName: aws.String(user)})
	})
}

// EmptyAndDeleteGroup detaches every managed policy (baseline or foreign), deletes the inline policies
// and deletes the group. Members must have been removed before.
func (c *Client) EmptyAndDeleteGroup(ctx context.Context, name string, attached, inline []string) error {
	if err := c.emptyGroup(ctx, name, attached, inline); err != nil {
		return err
	}
	return c.DeleteGroup(ctx, name)
}

// emptyGroup detaches the managed policies and deletes the inline policies of a group.
func (c *Client) emptyGroup(ctx context.Context, name string, attached, inline []string) error {
	if err := removeEach(attached, func(arn string) error { return c.DetachGroupPolicy(ctx, name, arn) }); err != nil {
		return err
	}
	return removeEach(inline, func(p string) error { return c.DeleteGroupInlinePolicy(ctx, name, p) })
}
