package awssso

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// ReadIdentityCenterFacts reads what the audit checks of the instance the credentials see: every
// permission set with its session, policies, the accounts of its latest and of a stale copy, and
// its assignments in those accounts. No organization instance is (nil, nil): the checks then do
// not run.
func (c *Client) ReadIdentityCenterFacts(ctx context.Context) (*baseline.IdentityCenterFacts, error) {
	in, err := c.FindInstance(ctx, "")
	if errors.Is(err, ErrNoInstance) || errors.Is(err, ErrAccountInstance) {
		return nil, nil // the checks are about the organization instance
	}
	if err != nil {
		return nil, err
	}
	f := &baseline.IdentityCenterFacts{InstanceARN: in.ARN, IdentityStoreID: in.IdentityStoreID}
	sets, err := c.permissionSetsByName(ctx, in.ARN)
	if err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(sets)) {
		s := sets[name]
		if err := c.readSetPolicies(ctx, in.ARN, &s); err != nil {
			return nil, err
		}
		ps := baseline.PermissionSetFacts{
			Name: s.Name, ARN: s.ARN, SessionDuration: s.SessionDuration, InlinePolicy: s.InlinePolicy,
			ManagedPolicyARNs: s.ManagedPolicyARNs,
		}
		if ps.ProvisionedAccounts, err = c.provisionedAccounts(ctx, in.ARN, s, ssotypes.ProvisioningStatusLatestPermissionSetProvisioned); err != nil {
			return nil, err
		}
		if ps.OutdatedAccounts, err = c.provisionedAccounts(ctx, in.ARN, s, ssotypes.ProvisioningStatusLatestPermissionSetNotProvisioned); err != nil {
			return nil, err
		}
		for _, account := range union(ps.ProvisionedAccounts, ps.OutdatedAccounts) {
			as, err := c.setAssignments(ctx, in.ARN, s, account)
			if err != nil {
				return nil, err
			}
			for _, a := range as {
				ps.Assignments = append(ps.Assignments, baseline.AssignmentFacts{AccountID: a.AccountID, PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID})
			}
		}
		f.PermissionSets = append(f.PermissionSets, ps)
	}
	return f, nil
}

func (c *Client) provisionedAccounts(ctx context.Context, instanceARN string, s SetState, status ssotypes.ProvisioningStatus) ([]string, error) {
	p := ssoadmin.NewListAccountsForProvisionedPermissionSetPaginator(c.admin, &ssoadmin.ListAccountsForProvisionedPermissionSetInput{
		InstanceArn: aws.String(instanceARN), PermissionSetArn: aws.String(s.ARN), ProvisioningStatus: status,
	})
	out, err := awscore.Collect(ctx, p, func(page *ssoadmin.ListAccountsForProvisionedPermissionSetOutput) []string { return page.AccountIds })
	if err != nil {
		return nil, fmt.Errorf("listing accounts of IAM Identity Center permission set (%s): %w", s.Name, err)
	}
	return out, nil
}

func (c *Client) setAssignments(ctx context.Context, instanceARN string, s SetState, account string) ([]Assignment, error) {
	p := ssoadmin.NewListAccountAssignmentsPaginator(c.admin, &ssoadmin.ListAccountAssignmentsInput{
		InstanceArn: aws.String(instanceARN), PermissionSetArn: aws.String(s.ARN), AccountId: aws.String(account),
	})
	listed, err := awscore.Collect(ctx, p, func(page *ssoadmin.ListAccountAssignmentsOutput) []ssotypes.AccountAssignment {
		return page.AccountAssignments
	})
	if err != nil {
		return nil, fmt.Errorf("listing assignments of IAM Identity Center permission set (%s) in account %s: %w", s.Name, account, err)
	}
	var out []Assignment
	for _, a := range listed {
		as := Assignment{AccountID: account, PrincipalType: string(a.PrincipalType), PrincipalID: aws.ToString(a.PrincipalId)}
		// One principal is assigned a set in an account once; an endpoint that stored a re-sent
		// request twice (the emulator does) lists it twice.
		if !slices.Contains(out, as) {
			out = append(out, as)
		}
	}
	return out, nil
}

// union is the accounts of a and b, each once, sorted.
func union(a, b []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(a), b...))))
}
