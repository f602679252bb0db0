package awsiam

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Role is what exists of a service role: the role itself, its policies and the instance profile
// of the same name that holds it.
type Role struct {
	Name                string
	Path                string
	Description         string
	ARN                 string
	UniqueID            string
	TrustPolicy         string // decoded JSON as AWS stores it (reordered, possibly rewritten)
	MaxSessionDuration  int32
	PermissionsBoundary string
	Tags                map[string]string
	ManagedPolicyARNs   []string
	InlinePolicies      map[string]string // policy name => decoded JSON
	InstanceProfileARN  string            // "" when no instance profile named like the role holds it
}

// RoleSpec is what a service role should be.
type RoleSpec struct {
	Name                string
	Path                string
	Description         string
	TrustPolicy         string
	MaxSessionDuration  int32
	PermissionsBoundary string
	Tags                map[string]string // already merged with the provider's default tags
	ManagedPolicyARNs   []string
	InlinePolicies      map[string]string
	InstanceProfile     bool
}

// claim identifies the service role instance that creates the role by what it configures of the
// role's identity (baseline.InstanceClaim): another instance naming the same role with another
// trust, path or description never adopts it from a create marker.
func (s RoleSpec) claim() string {
	return baseline.InstanceClaim("iambaseline_service_role", s.Name, s.Path, s.Description, s.TrustPolicy)
}

const (
	kindRole            = "IAM role"
	kindInstanceProfile = "IAM instance profile"
)

// decodePolicy undoes the URL-encoding IAM applies to policy documents it returns, the same way for
// roles as for groups and policies (RFC 3986: "+" stays "+").
func decodePolicy(doc string) string { return baseline.DecodePolicyDocument(doc) }

// FindRole reads a role through the process's snapshot, plus one GetRole for what the
// authorization details lack (description, maximum session duration). A role missing from the
// snapshot is confirmed with GetRole: IAM's bulk read may lag behind a create moments ago.
func (c *Client) FindRole(ctx context.Context, name string) (*Role, error) {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	detail, inSnapshot := snap.roles[name]
	out, err := c.iamAPI.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		if IsNotFound(err) {
			return nil, &NotFoundError{Kind: kindRole, Name: name, Err: err}
		}
		return nil, fmt.Errorf("reading IAM role (%s): %w", name, err)
	}
	if !inSnapshot {
		return c.findRoleDirect(ctx, out.Role)
	}
	r := &Role{
		Name:               aws.ToString(detail.RoleName),
		Path:               aws.ToString(detail.Path),
		Description:        aws.ToString(out.Role.Description),
		ARN:                aws.ToString(detail.Arn),
		UniqueID:           aws.ToString(detail.RoleId),
		TrustPolicy:        decodePolicy(aws.ToString(detail.AssumeRolePolicyDocument)),
		MaxSessionDuration: aws.ToInt32(out.Role.MaxSessionDuration),
		Tags:               tagMap(detail.Tags),
		InlinePolicies:     map[string]string{},
	}
	r.PermissionsBoundary = boundaryARN(detail.PermissionsBoundary)
	for _, p := range detail.AttachedManagedPolicies {
		r.ManagedPolicyARNs = append(r.ManagedPolicyARNs, aws.ToString(p.PolicyArn))
	}
	for _, p := range detail.RolePolicyList {
		r.InlinePolicies[aws.ToString(p.PolicyName)] = decodePolicy(aws.ToString(p.PolicyDocument))
	}
	r.InstanceProfileARN = ownInstanceProfileARN(name, detail.InstanceProfileList)
	return r, nil
}

// FindRoleDirect reads a role with targeted calls, bypassing the snapshot: what an update starts
// from, without reloading the whole account in the middle of an apply.
func (c *Client) FindRoleDirect(ctx context.Context, name string) (*Role, error) {
	out, err := c.iamAPI.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		if IsNotFound(err) {
			return nil, &NotFoundError{Kind: kindRole, Name: name, Err: err}
		}
		return nil, fmt.Errorf("reading IAM role (%s): %w", name, err)
	}
	return c.findRoleDirect(ctx, out.Role)
}

// findRoleDirect reads a role that the snapshot does not show yet, one call per aspect.
func (c *Client) findRoleDirect(ctx context.Context, role *types.Role) (*Role, error) {
	name := aws.ToString(role.RoleName)
	r := &Role{
		Name:               name,
		Path:               aws.ToString(role.Path),
		Description:        aws.ToString(role.Description),
		ARN:                aws.ToString(role.Arn),
		UniqueID:           aws.ToString(role.RoleId),
		TrustPolicy:        decodePolicy(aws.ToString(role.AssumeRolePolicyDocument)),
		MaxSessionDuration: aws.ToInt32(role.MaxSessionDuration),
		Tags:               tagMap(role.Tags),
		InlinePolicies:     map[string]string{},
	}
	r.PermissionsBoundary = boundaryARN(role.PermissionsBoundary)
	var err error
	if r.ManagedPolicyARNs, err = c.listAttachedRolePolicies(ctx, name); err != nil {
		return nil, err
	}
	names, err := c.listRolePolicyNames(ctx, name)
	if err != nil {
		return nil, err
	}
	for _, p := range names {
		out, err := c.iamAPI.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(p)})
		if err != nil {
			return nil, fmt.Errorf("reading inline policy %s of IAM role (%s): %w", p, name, notFound(kindRole, name, err))
		}
		r.InlinePolicies[p] = decodePolicy(aws.ToString(out.PolicyDocument))
	}
	profiles, err := c.listInstanceProfilesForRole(ctx, name)
	if err != nil {
		return nil, err
	}
	r.InstanceProfileARN = ownInstanceProfileARN(name, profiles)
	return r, nil
}

func ownInstanceProfileARN(roleName string, profiles []types.InstanceProfile) string {
	for _, p := range profiles {
		if aws.ToString(p.InstanceProfileName) == roleName {
			return aws.ToString(p.Arn)
		}
	}
	return ""
}

func (c *Client) listAttachedRolePolicies(ctx context.Context, name string) ([]string, error) {
	pages := iam.NewListAttachedRolePoliciesPaginator(c.iamAPI, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	arns, err := awscore.Collect(ctx, pages, func(page *iam.ListAttachedRolePoliciesOutput) []string { return attachedARNs(page.AttachedPolicies) })
	if err != nil {
		return nil, fmt.Errorf("listing managed policies of IAM role (%s): %w", name, notFound(kindRole, name, err))
	}
	return arns, nil
}

// boundaryARN is the ARN of a permissions boundary ("" for none).
func boundaryARN(b *types.AttachedPermissionsBoundary) string {
	if b == nil {
		return ""
	}
	return aws.ToString(b.PermissionsBoundaryArn)
}

// attachedARNs are the ARNs of a page of attached managed policies.
func attachedARNs(attached []types.AttachedPolicy) []string {
	return awscore.Each(attached, func(p types.AttachedPolicy) string { return aws.ToString(p.PolicyArn) })
}

func (c *Client) listRolePolicyNames(ctx context.Context, name string) ([]string, error) {
	pages := iam.NewListRolePoliciesPaginator(c.iamAPI, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	names, err := awscore.Collect(ctx, pages, func(page *iam.ListRolePoliciesOutput) []string { return page.PolicyNames })
	if err != nil {
		return nil, fmt.Errorf("listing inline policies of IAM role (%s): %w", name, notFound(kindRole, name, err))
	}
	return names, nil
}

func (c *Client) listInstanceProfilesForRole(ctx context.Context, name string) ([]types.InstanceProfile, error) {
	pages := iam.NewListInstanceProfilesForRolePaginator(c.iamAPI, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String(name)})
	out, err := awscore.Collect(ctx, pages, func(page *iam.ListInstanceProfilesForRoleOutput) []types.InstanceProfile {
		return page.InstanceProfiles
	})
	if err != nil {
		return nil, fmt.Errorf("listing instance profiles of IAM role (%s): %w", name, notFound(kindRole, name, err))
	}
	return out, nil
}
