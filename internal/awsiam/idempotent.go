package awsiam

import (
	"context"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// IAM's creates take no client token. When the answer to an attempt that IAM executed is lost (the
// connection is reset or times out after the request went out), the SDK retries the same request
// and the retry meets the entity the first attempt made: EntityAlreadyExists (LimitExceeded for a
// policy version at the quota). Such a create did succeed. createOnce tells it apart from a name
// taken by someone else: it counts the attempts the SDK sent, and only when there was more than one
// does it look at the entity that exists; the entity is adopted only when it is provably what this
// very request made (same path, document and tags, and nothing attached or added since). Anything
// else keeps the create's error.

// createOnce runs create. When it fails with one of the codes a retried create meets (codes) after
// more than one attempt, ours reads what exists: when ours says it is what this request made, its
// value is returned as the create's result. Otherwise the create's error is returned unchanged.
func createOnce[T any](ctx context.Context, codes []string, create func(context.Context) (T, error), ours func(context.Context) (T, bool, error)) (T, error) {
	cctx, attempts := awscore.WithAttemptCount(ctx)
	out, err := create(cctx)
	if err == nil || !HasCode(err, codes...) || attempts.Load() < 2 {
		return out, err
	}
	// IAM said the entity exists: a NoSuchEntity from reading it is its replicas' lag, waited out.
	type found struct {
		v  T
		ok bool
	}
	res, oerr := retryWhile(ctx, existingLagWindow, IsNotFound, func(ctx context.Context) (found, error) {
		v, ok, err := ours(ctx)
		return found{v, ok}, err
	})
	got, ok := res.v, res.ok
	if oerr != nil {
		return out, fmt.Errorf("%w (after %d attempts; reading what exists failed: %v)", err, attempts.Load(), oerr)
	}
	if !ok {
		return out, err
	}
	return got, nil
}

var alreadyExists = []string{"EntityAlreadyExists"}

// sameTags compares tags, the create marker aside: its value is the time of the create, which a
// fake playing the lost attempt's entity cannot know; the rest of what was sent identifies it.
func sameTags(got []types.Tag, sent map[string]string) bool {
	a, b := tagMap(got), maps.Clone(sent)
	delete(a, baseline.CreateMarkerTag)
	delete(b, baseline.CreateMarkerTag)
	return maps.Equal(a, b)
}

func equivalentDocuments(got, sent string) bool {
	doc, err := DecodePolicyDocument(got)
	if err != nil {
		return false
	}
	same, err := baseline.PoliciesEquivalent(doc, sent)
	return err == nil && same
}

// policyIsOurs: the policy at account/path/name has the description, tags and single version
// holding the document sent.
func (c *Client) policyIsOurs(ctx context.Context, name, path, description, document string, tags map[string]string) (*types.Policy, bool, error) {
	account, err := c.AccountID(ctx)
	if err != nil {
		return nil, false, err
	}
	arn := PolicyARN(c.Partition, account, path, name)
	p, err := c.FindCustomerManagedPolicy(ctx, arn)
	if err != nil {
		// NoSuchEntity: another path (not ours), or the lag of our own create; createOnce waits
		// for it within PropagationTimeout.
		return nil, false, err
	}
	if aws.ToString(p.Policy.Path) != path || aws.ToString(p.Policy.DefaultVersionId) != "v1" ||
		aws.ToString(p.Policy.Description) != description || !equivalentDocuments(p.Document, document) {
		return nil, false, nil
	}
	gotTags, err := c.FindPolicyTags(ctx, arn)
	if err != nil {
		return nil, false, err
	}
	if !sameTags(tagList(gotTags), tags) {
		return nil, false, nil
	}
	return p.Policy, true, nil
}

// groupIsOurs: the group has the path and is empty: no members, no attached or inline policies.
func (c *Client) groupIsOurs(ctx context.Context, name, path string) (*types.Group, bool, error) {
	out, err := c.iamAPI.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(name)})
	if err != nil {
		return nil, false, err
	}
	if out.Group == nil || aws.ToString(out.Group.Path) != path || len(out.Users) > 0 {
		return nil, false, nil
	}
	attached, err := c.FindGroupAttachedPolicyARNs(ctx, name)
	if err != nil {
		return nil, false, err
	}
	inline, err := c.iamAPI.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String(name)})
	if err != nil {
		return nil, false, err
	}
	if len(attached) > 0 || len(inline.PolicyNames) > 0 {
		return nil, false, nil
	}
	return out.Group, true, nil
}

// roleIsOurs: the role has the path, an equivalent trust policy, the description, boundary and tags
// sent, and no attached or inline policies.
func (c *Client) roleIsOurs(ctx context.Context, in *iam.CreateRoleInput) (*iam.CreateRoleOutput, bool, error) {
	name := aws.ToString(in.RoleName)
	out, err := c.iamAPI.GetRole(ctx, &iam.GetRoleInput{RoleName: in.RoleName})
	if err != nil {
		return nil, false, err
	}
	r := out.Role
	boundary := boundaryARN(r.PermissionsBoundary)
	if aws.ToString(r.Path) != aws.ToString(in.Path) || aws.ToString(r.Description) != aws.ToString(in.Description) ||
		boundary != aws.ToString(in.PermissionsBoundary) || !sameTags(r.Tags, tagMap(in.Tags)) ||
		!equivalentDocuments(aws.ToString(r.AssumeRolePolicyDocument), aws.ToString(in.AssumeRolePolicyDocument)) {
		return nil, false, nil
	}
	attached, err := c.listAttachedRolePolicies(ctx, name)
	if err != nil {
		return nil, false, err
	}
	inline, err := c.listRolePolicyNames(ctx, name)
	if err != nil {
		return nil, false, err
	}
	if len(attached) > 0 || len(inline) > 0 {
		return nil, false, nil
	}
	return &iam.CreateRoleOutput{Role: r}, true, nil
}

// userIsOurs: the user has the path, boundary and tags sent, and is in no group and has no
// policies (a user that was just made has none).
func (c *Client) userIsOurs(ctx context.Context, in *iam.CreateUserInput) (*iam.CreateUserOutput, bool, error) {
	out, err := c.iamAPI.GetUser(ctx, &iam.GetUserInput{UserName: in.UserName})
	if err != nil {
		return nil, false, err
	}
	u := out.User
	boundary := boundaryARN(u.PermissionsBoundary)
	if aws.ToString(u.Path) != aws.ToString(in.Path) || boundary != aws.ToString(in.PermissionsBoundary) || !sameTags(u.Tags, tagMap(in.Tags)) {
		return nil, false, nil
	}
	groups, err := c.iamAPI.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: in.UserName})
	if err != nil {
		return nil, false, err
	}
	if len(groups.Groups) > 0 {
		return nil, false, nil
	}
	return &iam.CreateUserOutput{User: u}, true, nil
}
