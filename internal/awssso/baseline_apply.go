package awssso

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// ApplyBaseline makes what exists (cur, from ReadBaseline) match spec, set by set, in the order AWS
// needs: the group, the permission set, its inline and managed policies, provisioning to each
// account that lacks it or whose copy is stale, then the group's assignment in each account.
// Assignments are keyed by set and account: adding a set or an account never touches the others.
// Every step first looks at cur, so a re-run after an interrupted apply converges. cur is updated
// as steps succeed, so that the caller can record what exists even when a later step fails.
func (c *Client) ApplyBaseline(ctx context.Context, spec BaselineSpec, cur *BaselineState) error {
	if cur.Sets == nil {
		cur.Sets = map[string]*SetState{}
	}
	for _, s := range spec.Sets {
		st := cur.Sets[s.Name]
		if st == nil {
			st = &SetState{Name: s.Name}
			cur.Sets[s.Name] = st
		}
		if err := c.applySet(ctx, spec, s, st); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) applySet(ctx context.Context, spec BaselineSpec, s SetSpec, st *SetState) error {
	if st.GroupID == "" {
		var found string
		out, done, err := writeOnce(ctx, c.backoff, func(ctx context.Context) (*identitystore.CreateGroupOutput, error) {
			return c.store.CreateGroup(ctx, &identitystore.CreateGroupInput{
				IdentityStoreId: aws.String(spec.IdentityStoreID), DisplayName: aws.String(s.Name),
				Description: aws.String(s.Description),
			})
		}, func(ctx context.Context) (bool, error) {
			var err error
			found, err = c.FindGroupID(ctx, spec.IdentityStoreID, s.Name)
			return err == nil, nil
		})
		if err != nil {
			st.GroupID = landed(ctx, func(ctx context.Context) (string, error) { return c.FindGroupID(ctx, spec.IdentityStoreID, s.Name) })
			return landedErr(fmt.Sprintf("creating identity store group (%s)", s.Name), KindGroup, s.Name, st.GroupID, err)
		}
		if st.GroupID = found; !done {
			st.GroupID = aws.ToString(out.GroupId)
		}
	}
	changed, err := c.applyPermissionSet(ctx, spec, s, st)
	if err != nil {
		return err
	}
	for _, account := range spec.AccountIDs {
		if changed || !slices.Contains(st.ProvisionedAccounts, account) {
			if err := c.provision(ctx, spec.InstanceARN, st, account); err != nil {
				return err
			}
		}
		if !slices.Contains(st.AssignedAccounts, account) {
			if err := c.assign(ctx, spec.InstanceARN, st, account); err != nil {
				return err
			}
		}
	}
	for _, account := range slices.Clone(st.AssignedAccounts) {
		if !slices.Contains(spec.AccountIDs, account) {
			if err := c.unassign(ctx, spec.InstanceARN, st, Assignment{AccountID: account, PrincipalType: "GROUP", PrincipalID: st.GroupID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyPermissionSet creates or updates the set and its policies; changed says a provisioned copy
// is now stale.
func (c *Client) applyPermissionSet(ctx context.Context, spec BaselineSpec, s SetSpec, st *SetState) (bool, error) {
	in := aws.String(spec.InstanceARN)
	changed := false
	if st.ARN == "" {
		in := &ssoadmin.CreatePermissionSetInput{
			InstanceArn: in, Name: aws.String(s.Name), Description: aws.String(s.Description),
			SessionDuration: aws.String(s.SessionDuration),
		}
		if s.RelayState != "" {
			in.RelayState = aws.String(s.RelayState)
		}
		in.Tags = ssoTags(s.Tags)
		var found string
		out, done, err := writeOnce(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.CreatePermissionSetOutput, error) {
			return c.admin.CreatePermissionSet(ctx, in)
		}, func(ctx context.Context) (bool, error) {
			sets, err := c.permissionSetsByName(ctx, spec.InstanceARN)
			found = sets[s.Name].ARN
			return found != "", err
		})
		if err != nil {
			st.ARN = landed(ctx, func(ctx context.Context) (string, error) {
				sets, err := c.permissionSetsByName(ctx, spec.InstanceARN)
				return sets[s.Name].ARN, err
			})
			return false, landedErr(fmt.Sprintf("creating IAM Identity Center permission set (%s)", s.Name), KindPermissionSet, s.Name, st.ARN, err)
		}
		if st.ARN = found; !done {
			st.ARN = aws.ToString(out.PermissionSet.PermissionSetArn)
		}
		st.Description, st.SessionDuration, st.RelayState = s.Description, s.SessionDuration, s.RelayState
		st.Tags = maps.Clone(s.Tags)
		changed = true
	} else if st.Description != s.Description || st.SessionDuration != s.SessionDuration || st.RelayState != s.RelayState {
		up := &ssoadmin.UpdatePermissionSetInput{
			InstanceArn: in, PermissionSetArn: aws.String(st.ARN), Description: aws.String(s.Description),
			SessionDuration: aws.String(s.SessionDuration),
		}
		if s.RelayState != "" {
			up.RelayState = aws.String(s.RelayState)
		}
		if _, err := retryOnConflict(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.UpdatePermissionSetOutput, error) {
			return c.admin.UpdatePermissionSet(ctx, up)
		}); err != nil {
			return false, fmt.Errorf("updating IAM Identity Center permission set (%s): %w", s.Name, err)
		}
		st.Description, st.SessionDuration, st.RelayState = s.Description, s.SessionDuration, s.RelayState
		changed = true
	}
	if err := c.applyTags(ctx, spec, s, st); err != nil {
		return false, err
	}
	ps := aws.String(st.ARN)
	switch {
	case s.InlinePolicy != "" && !policiesEquivalent(st.InlinePolicy, s.InlinePolicy):
		if _, err := retryOnConflict(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.PutInlinePolicyToPermissionSetOutput, error) {
			return c.admin.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: in, PermissionSetArn: ps, InlinePolicy: aws.String(s.InlinePolicy)})
		}); err != nil {
			return false, fmt.Errorf("putting inline policy of IAM Identity Center permission set (%s): %w", s.Name, err)
		}
		st.InlinePolicy = s.InlinePolicy
		changed = true
	case s.InlinePolicy == "" && st.InlinePolicy != "":
		if _, err := retryOnConflict(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.DeleteInlinePolicyFromPermissionSetOutput, error) {
			return c.admin.DeleteInlinePolicyFromPermissionSet(ctx, &ssoadmin.DeleteInlinePolicyFromPermissionSetInput{InstanceArn: in, PermissionSetArn: ps})
		}); err != nil {
			return false, fmt.Errorf("deleting inline policy of IAM Identity Center permission set (%s): %w", s.Name, err)
		}
		st.InlinePolicy = ""
		changed = true
	}
	for _, arn := range s.ManagedPolicyARNs {
		if slices.Contains(st.ManagedPolicyARNs, arn) {
			continue
		}
		if _, _, err := writeOnce(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.AttachManagedPolicyToPermissionSetOutput, error) {
			return c.admin.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: in, PermissionSetArn: ps, ManagedPolicyArn: aws.String(arn)})
		}, func(ctx context.Context) (bool, error) {
			have := SetState{Name: st.Name, ARN: st.ARN}
			err := c.readSetPolicies(ctx, spec.InstanceARN, &have)
			return slices.Contains(have.ManagedPolicyARNs, arn), err
		}); err != nil {
			return false, fmt.Errorf("attaching managed policy (%s) to IAM Identity Center permission set (%s): %w", arn, s.Name, err)
		}
		st.ManagedPolicyARNs = append(st.ManagedPolicyARNs, arn)
		changed = true
	}
	for _, arn := range slices.Clone(st.ManagedPolicyARNs) {
		if slices.Contains(s.ManagedPolicyARNs, arn) {
			continue
		}
		if err := removeOrGone(ctx, c.backoff, fmt.Sprintf("detaching managed policy (%s) from IAM Identity Center permission set (%s)", arn, s.Name), func(ctx context.Context) (*ssoadmin.DetachManagedPolicyFromPermissionSetOutput, error) {
			return c.admin.DetachManagedPolicyFromPermissionSet(ctx, &ssoadmin.DetachManagedPolicyFromPermissionSetInput{InstanceArn: in, PermissionSetArn: ps, ManagedPolicyArn: aws.String(arn)})
		}); err != nil {
			return false, err
		}
		st.ManagedPolicyARNs = slices.DeleteFunc(st.ManagedPolicyARNs, func(a string) bool { return a == arn })
		changed = true
	}
	slices.Sort(st.ManagedPolicyARNs)
	return changed, nil
}

// applyTags moves the set's tags to s.Tags when they were read (a tag is not part of the
// provisioned copy: no provisioning follows).
func (c *Client) applyTags(ctx context.Context, spec BaselineSpec, s SetSpec, st *SetState) error {
	if st.Tags == nil && len(s.Tags) == 0 {
		return nil
	}
	remove, set := awscore.TagChanges(st.Tags, s.Tags)
	in, ps := aws.String(spec.InstanceARN), aws.String(st.ARN)
	if len(remove) > 0 {
		if _, err := retryOnConflict(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.UntagResourceOutput, error) {
			return c.admin.UntagResource(ctx, &ssoadmin.UntagResourceInput{InstanceArn: in, ResourceArn: ps, TagKeys: remove})
		}); err != nil {
			return fmt.Errorf("untagging IAM Identity Center permission set (%s): %w", s.Name, err)
		}
	}
	if len(set) > 0 {
		if _, err := retryOnConflict(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.TagResourceOutput, error) {
			return c.admin.TagResource(ctx, &ssoadmin.TagResourceInput{InstanceArn: in, ResourceArn: ps, Tags: ssoTags(set)})
		}); err != nil {
			return fmt.Errorf("tagging IAM Identity Center permission set (%s): %w", s.Name, err)
		}
	}
	st.Tags = maps.Clone(s.Tags)
	if st.Tags == nil {
		st.Tags = map[string]string{}
	}
	return nil
}

// ssoTags are tags in the SDK's shape, sorted by key (nil for none).
func ssoTags(tags map[string]string) []ssotypes.Tag {
	var out []ssotypes.Tag
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, ssotypes.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	return out
}

func policiesEquivalent(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	eq, err := baseline.PoliciesEquivalent(a, b)
	return err == nil && eq
}

// provision provisions the set to account and waits for the outcome; writes to one account are
// serialized.
func (c *Client) provision(ctx context.Context, instanceARN string, st *SetState, account string) error {
	defer c.accounts.lock(account)()
	out, err := retryOnConflict(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.ProvisionPermissionSetOutput, error) {
		return c.admin.ProvisionPermissionSet(ctx, &ssoadmin.ProvisionPermissionSetInput{
			InstanceArn: aws.String(instanceARN), PermissionSetArn: aws.String(st.ARN),
			TargetType: ssotypes.ProvisionTargetTypeAwsAccount, TargetId: aws.String(account),
		})
	})
	if err != nil {
		return fmt.Errorf("provisioning IAM Identity Center permission set (%s) to account %s: %w", st.Name, account, err)
	}
	s := out.PermissionSetProvisioningStatus
	status := statusOf(s.Status, s.FailureReason)
	if status.state == inProgress {
		status, err = c.poll(ctx, func(ctx context.Context) (opStatus, error) {
			d, err := c.admin.DescribePermissionSetProvisioningStatus(ctx, &ssoadmin.DescribePermissionSetProvisioningStatusInput{
				InstanceArn: aws.String(instanceARN), ProvisionPermissionSetRequestId: s.RequestId,
			})
			if err != nil {
				return opStatus{}, err
			}
			return statusOf(d.PermissionSetProvisioningStatus.Status, d.PermissionSetProvisioningStatus.FailureReason), nil
		})
		if err != nil {
			return fmt.Errorf("waiting for IAM Identity Center permission set (%s) provisioning to account %s: %w", st.Name, account, err)
		}
	}
	if status.state == failed {
		return &OperationFailedError{Operation: fmt.Sprintf("provisioning IAM Identity Center permission set (%s) to account %s", st.Name, account), Reason: status.reason}
	}
	if !slices.Contains(st.ProvisionedAccounts, account) {
		st.ProvisionedAccounts = append(st.ProvisionedAccounts, account)
	}
	return nil
}

// assign assigns the set to its group in account and waits for the outcome; a request re-sent after
// a lost answer is success once a read shows the group assigned (writeOnce).
func (c *Client) assign(ctx context.Context, instanceARN string, st *SetState, account string) error {
	defer c.accounts.lock(account)()
	in := &ssoadmin.CreateAccountAssignmentInput{
		InstanceArn: aws.String(instanceARN), PermissionSetArn: aws.String(st.ARN),
		PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: aws.String(st.GroupID),
		TargetType: ssotypes.TargetTypeAwsAccount, TargetId: aws.String(account),
	}
	what := fmt.Sprintf("assigning IAM Identity Center permission set (%s) to group (%s) in account %s", st.Name, st.Name, account)
	out, done, err := writeOnce(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.CreateAccountAssignmentOutput, error) {
		return c.admin.CreateAccountAssignment(ctx, in)
	}, func(ctx context.Context) (bool, error) { return c.groupAssigned(ctx, instanceARN, *st, account) })
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if done {
		st.AssignedAccounts = append(st.AssignedAccounts, account)
		return nil
	}
	if err := c.waitAssignment(ctx, what, instanceARN, out.AccountAssignmentCreationStatus, false); err != nil {
		return err
	}
	st.AssignedAccounts = append(st.AssignedAccounts, account)
	return nil
}

// groupAssigned is true when the set is assigned to its group in account.
func (c *Client) groupAssigned(ctx context.Context, instanceARN string, st SetState, account string) (bool, error) {
	as, err := c.setAssignments(ctx, instanceARN, st, account)
	if err != nil {
		return false, err
	}
	return slices.Contains(as, Assignment{AccountID: account, PrincipalType: string(ssotypes.PrincipalTypeGroup), PrincipalID: st.GroupID}), nil
}

func (c *Client) unassign(ctx context.Context, instanceARN string, st *SetState, a Assignment) error {
	defer c.accounts.lock(a.AccountID)()
	out, err := retryOnConflict(ctx, c.backoff, func(ctx context.Context) (*ssoadmin.DeleteAccountAssignmentOutput, error) {
		return c.admin.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{
			InstanceArn: aws.String(instanceARN), PermissionSetArn: aws.String(st.ARN),
			PrincipalType: ssotypes.PrincipalType(a.PrincipalType), PrincipalId: aws.String(a.PrincipalID),
			TargetType: ssotypes.TargetTypeAwsAccount, TargetId: aws.String(a.AccountID),
		})
	})
	what := fmt.Sprintf("removing assignment of IAM Identity Center permission set (%s) to %s (%s) in account %s", st.Name, a.PrincipalType, a.PrincipalID, a.AccountID)
	switch {
	case IsNotFound(err): // already gone
	case err != nil:
		return fmt.Errorf("%s: %w", what, err)
	default:
		if err := c.waitAssignment(ctx, what, instanceARN, out.AccountAssignmentDeletionStatus, true); err != nil {
			return err
		}
	}
	if a.PrincipalType == "GROUP" && a.PrincipalID == st.GroupID {
		st.AssignedAccounts = slices.DeleteFunc(st.AssignedAccounts, func(x string) bool { return x == a.AccountID })
	}
	return nil
}

// waitAssignment waits out the account-assignment creation (or, with deletion, deletion) that
// started as s.
func (c *Client) waitAssignment(ctx context.Context, what, instanceARN string, s *ssotypes.AccountAssignmentOperationStatus, deletion bool) error {
	status := statusOf(s.Status, s.FailureReason)
	var err error
	if status.state == inProgress {
		status, err = c.poll(ctx, func(ctx context.Context) (opStatus, error) {
			d, err := c.assignmentStatus(ctx, instanceARN, s.RequestId, deletion)
			if err != nil {
				return opStatus{}, err
			}
			return statusOf(d.Status, d.FailureReason), nil
		})
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
	}
	if status.state == failed {
		return &OperationFailedError{Operation: what, Reason: status.reason}
	}
	return nil
}

// assignmentStatus is the status of the account-assignment creation (or deletion) requestID.
func (c *Client) assignmentStatus(ctx context.Context, instanceARN string, requestID *string, deletion bool) (*ssotypes.AccountAssignmentOperationStatus, error) {
	if deletion {
		d, err := c.admin.DescribeAccountAssignmentDeletionStatus(ctx, &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
			InstanceArn: aws.String(instanceARN), AccountAssignmentDeletionRequestId: requestID,
		})
		if err != nil {
			return nil, err
		}
		return d.AccountAssignmentDeletionStatus, nil
	}
	d, err := c.admin.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{
		InstanceArn: aws.String(instanceARN), AccountAssignmentCreationRequestId: requestID,
	})
	if err != nil {
		return nil, err
	}
	return d.AccountAssignmentCreationStatus, nil
}

// DestroyBaseline removes spec's sets: the group's assignments (and, with ForceDestroy, every other
// assignment of the set in spec's accounts), the permission set, then the group. Missing pieces are
// success.
func (c *Client) DestroyBaseline(ctx context.Context, spec BaselineSpec, cur *BaselineState) error {
	for _, s := range slices.Backward(spec.Sets) {
		st := cur.Sets[s.Name]
		if st == nil {
			continue
		}
		if st.ARN != "" {
			if len(st.OtherAssignments) > 0 && !spec.ForceDestroy {
				a := st.OtherAssignments[0]
				return fmt.Errorf("deleting IAM Identity Center permission set (%s): it is also assigned to %d principals outside this baseline (e.g. %s %s in account %s); remove those assignments or set force_destroy = true",
					s.Name, len(st.OtherAssignments), a.PrincipalType, a.PrincipalID, a.AccountID)
			}
			for _, account := range slices.Clone(st.AssignedAccounts) {
				if err := c.unassign(ctx, spec.InstanceARN, st, Assignment{AccountID: account, PrincipalType: "GROUP", PrincipalID: st.GroupID}); err != nil {
					return err
				}
			}
			for _, a := range st.OtherAssignments {
				if err := c.unassign(ctx, spec.InstanceARN, st, a); err != nil {
					return err
				}
			}
			if err := removeOrGone(ctx, c.backoff, fmt.Sprintf("deleting IAM Identity Center permission set (%s)", s.Name), func(ctx context.Context) (*ssoadmin.DeletePermissionSetOutput, error) {
				return c.admin.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: aws.String(spec.InstanceARN), PermissionSetArn: aws.String(st.ARN)})
			}); err != nil {
				return err
			}
			st.ARN = ""
		}
		if st.GroupID != "" {
			if err := removeOrGone(ctx, c.backoff, fmt.Sprintf("deleting identity store group (%s)", s.Name), func(ctx context.Context) (*identitystore.DeleteGroupOutput, error) {
				return c.store.DeleteGroup(ctx, &identitystore.DeleteGroupInput{IdentityStoreId: aws.String(spec.IdentityStoreID), GroupId: aws.String(st.GroupID)})
			}); err != nil {
				return err
			}
			st.GroupID = ""
		}
		delete(cur.Sets, s.Name)
	}
	return nil
}

// SetMatches is true when what exists of a set (its settings and policies) is what s asks for.
func SetMatches(s SetSpec, st *SetState) bool {
	managed := slices.Clone(s.ManagedPolicyARNs)
	slices.Sort(managed)
	have := slices.Clone(st.ManagedPolicyARNs)
	slices.Sort(have)
	return st.SessionDuration == s.SessionDuration && st.Description == s.Description && st.RelayState == s.RelayState &&
		policiesEquivalent(st.InlinePolicy, s.InlinePolicy) && slices.Equal(managed, have)
}
