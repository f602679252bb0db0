package awssso

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// The user verbs: ReadUser observes, ApplyUser converges (create or update the record, then
// exactly the memberships; suspension removes every membership and every direct assignment),
// DeleteUser offboards (all access removed, then the user). Each step looks at what was read, so a
// re-run after an interrupted apply converges; cur is updated as steps succeed so that the caller
// can record what exists even when a later step fails.

// ReadUser reads the user of spec.UserName: the record, the memberships (with group names) and the
// assignments to the user itself. A missing user is a *NotFoundError.
func (c *Client) ReadUser(ctx context.Context, spec UserSpec) (*UserState, error) {
	id, err := c.FindUserID(ctx, spec.IdentityStoreID, spec.UserName)
	if err != nil {
		return nil, err
	}
	return c.ReadUserByID(ctx, spec, id)
}

// ReadUserByID is ReadUser for a known user id.
func (c *Client) ReadUserByID(ctx context.Context, spec UserSpec, id string) (*UserState, error) {
	d, err := c.store.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(spec.IdentityStoreID), UserId: aws.String(id)})
	if err != nil {
		return nil, notFound(KindUser, spec.UserName, fmt.Errorf("describing identity store user (%s): %w", spec.UserName, err))
	}
	st := &UserState{
		UserID: id, Status: string(d.UserStatus),
		UserRecord: UserRecord{UserName: aws.ToString(d.UserName), DisplayName: aws.ToString(d.DisplayName), JobTitle: aws.ToString(d.Title)},
	}
	if d.Name != nil {
		st.GivenName, st.FamilyName = aws.ToString(d.Name.GivenName), aws.ToString(d.Name.FamilyName)
	}
	st.Email = primaryEmail(d.Emails)
	if st.Memberships, err = c.memberships(ctx, spec, id); err != nil {
		return nil, err
	}
	if spec.InstanceARN != "" {
		if st.DirectAssignments, err = c.userAssignments(ctx, spec.InstanceARN, id); err != nil {
			return nil, err
		}
	}
	return st, c.countPortalGroups(ctx, spec, st)
}

func primaryEmail(emails []idtypes.Email) string {
	for _, e := range emails {
		if e.Primary {
			return aws.ToString(e.Value)
		}
	}
	if len(emails) > 0 {
		return aws.ToString(emails[0].Value)
	}
	return ""
}

// FindUserID is the id of the identity-store user of user name name.
func (c *Client) FindUserID(ctx context.Context, identityStoreID, name string) (string, error) {
	out, err := c.store.GetUserId(ctx, &identitystore.GetUserIdInput{
		IdentityStoreId: aws.String(identityStoreID), AlternateIdentifier: byUniqueAttribute("userName", name),
	})
	return foundID(KindUser, "identity store user", name, out, err, func(o *identitystore.GetUserIdOutput) *string { return o.UserId })
}

func (c *Client) memberships(ctx context.Context, spec UserSpec, userID string) ([]Membership, error) {
	var out []Membership
	names := map[string]string{}
	p := identitystore.NewListGroupMembershipsForMemberPaginator(c.store, &identitystore.ListGroupMembershipsForMemberInput{
		IdentityStoreId: aws.String(spec.IdentityStoreID), MemberId: &idtypes.MemberIdMemberUserId{Value: userID},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing group memberships of identity store user (%s): %w", spec.UserName, err)
		}
		for _, m := range page.GroupMemberships {
			gid := aws.ToString(m.GroupId)
			name, ok := names[gid]
			if !ok {
				name, ok = c.memo.groupName(gid)
			}
			if !ok {
				g, err := c.store.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: aws.String(spec.IdentityStoreID), GroupId: aws.String(gid)})
				if IsNotFound(err) {
					continue // a membership of a group deleted a moment ago
				}
				if err != nil {
					return nil, fmt.Errorf("describing identity store group (%s): %w", gid, err)
				}
				name = aws.ToString(g.DisplayName)
				c.memo.setGroupName(gid, name)
				names[gid] = name
			}
			out = append(out, Membership{MembershipID: aws.ToString(m.MembershipId), GroupID: gid, GroupName: name})
		}
	}
	slices.SortFunc(out, func(a, b Membership) int { return cmp.Compare(a.GroupName, b.GroupName) })
	return out, nil
}

// PrincipalAssignments lists the account assignments of one principal (USER or GROUP).
func (c *Client) PrincipalAssignments(ctx context.Context, instanceARN, principalType, principalID string) ([]Assignment, []string, error) {
	p := ssoadmin.NewListAccountAssignmentsForPrincipalPaginator(c.admin, &ssoadmin.ListAccountAssignmentsForPrincipalInput{
		InstanceArn: aws.String(instanceARN), PrincipalType: ssotypes.PrincipalType(principalType), PrincipalId: aws.String(principalID),
	})
	listed, err := awscore.Collect(ctx, p, func(page *ssoadmin.ListAccountAssignmentsForPrincipalOutput) []ssotypes.AccountAssignmentForPrincipal {
		return page.AccountAssignments
	})
	if err != nil {
		return nil, nil, fmt.Errorf("listing IAM Identity Center assignments of %s (%s): %w", principalType, principalID, err)
	}
	var out []Assignment
	var sets []string
	for _, a := range listed {
		if string(a.PrincipalType) != principalType || aws.ToString(a.PrincipalId) != principalID {
			continue // an assignment through a group, listed with the user's
		}
		as, set := Assignment{AccountID: aws.ToString(a.AccountId), PrincipalType: principalType, PrincipalID: principalID}, aws.ToString(a.PermissionSetArn)
		if listedAlready(out, sets, as, set) {
			continue // listed twice by an endpoint that stored a re-sent request twice
		}
		out = append(out, as)
		sets = append(sets, set)
	}
	return out, sets, nil
}

func listedAlready(out []Assignment, sets []string, a Assignment, set string) bool {
	for i := range out {
		if out[i] == a && sets[i] == set {
			return true
		}
	}
	return false
}

func (c *Client) userAssignments(ctx context.Context, instanceARN, userID string) ([]UserAssignment, error) {
	as, sets, err := c.PrincipalAssignments(ctx, instanceARN, "USER", userID)
	if err != nil {
		return nil, err
	}
	out := make([]UserAssignment, len(as))
	for i, a := range as {
		out[i] = UserAssignment{AccountID: a.AccountID, PermissionSetARN: sets[i]}
	}
	return out, nil
}

// countPortalGroups counts the user's groups assigned a permission set in at least one account:
// what a member sees in the access portal.
func (c *Client) countPortalGroups(ctx context.Context, spec UserSpec, st *UserState) error {
	st.PortalGroups = 0
	if spec.InstanceARN == "" {
		return nil
	}
	for _, m := range st.Memberships {
		as, _, err := c.PrincipalAssignments(ctx, spec.InstanceARN, "GROUP", m.GroupID)
		if err != nil {
			return err
		}
		if len(as) > 0 {
			st.PortalGroups++
		}
	}
	return nil
}

// ApplyUser makes the user match spec: the record (created, or updated attribute by attribute),
// then exactly spec's memberships (none while suspended), and, while suspended, no assignment to
// the user itself. A group of spec that does not exist is an error naming it, before any write.
func (c *Client) ApplyUser(ctx context.Context, spec UserSpec, cur *UserState) error {
	wanted := map[string]string{} // group name => id
	if !spec.Suspended {
		for _, g := range spec.Groups {
			if slices.ContainsFunc(cur.Memberships, func(m Membership) bool { return m.GroupName == g }) {
				continue
			}
			id, err := c.FindGroupID(ctx, spec.IdentityStoreID, g)
			if IsNotFound(err) {
				return fmt.Errorf("identity store group (%s) does not exist: create it (iambaseline_identity_center_baseline creates the job-function groups) or correct groups", g)
			}
			if err != nil {
				return err
			}
			wanted[g] = id
		}
	}
	if cur.UserID == "" {
		if err := c.createUser(ctx, spec, cur); err != nil {
			return err
		}
	} else if err := c.updateUser(ctx, spec, cur); err != nil {
		return err
	}
	for _, g := range spec.Groups {
		id, ok := wanted[g]
		if !ok {
			continue
		}
		var found string
		out, done, err := writeOnce(ctx, c.backoff, func(ctx context.Context) (*identitystore.CreateGroupMembershipOutput, error) {
			return c.store.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{
				IdentityStoreId: aws.String(spec.IdentityStoreID), GroupId: aws.String(id), MemberId: &idtypes.MemberIdMemberUserId{Value: cur.UserID},
			})
		}, func(ctx context.Context) (bool, error) {
			ms, err := c.memberships(ctx, spec, cur.UserID)
			for _, m := range ms {
				if m.GroupID == id {
					found = m.MembershipID
				}
			}
			return found != "", err
		})
		if err != nil {
			return fmt.Errorf("adding identity store user (%s) to group (%s): %w", spec.UserName, g, err)
		}
		if !done {
			found = aws.ToString(out.MembershipId)
		}
		cur.Memberships = append(cur.Memberships, Membership{MembershipID: found, GroupID: id, GroupName: g})
	}
	keep := spec.Groups
	if spec.Suspended {
		keep = nil
	}
	if err := c.removeMemberships(ctx, spec, cur, keep); err != nil {
		return err
	}
	if spec.Suspended {
		if err := c.removeUserAssignments(ctx, spec, cur); err != nil {
			return err
		}
	}
	return c.countPortalGroups(ctx, spec, cur)
}

func (c *Client) createUser(ctx context.Context, spec UserSpec, cur *UserState) error {
	in := &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(spec.IdentityStoreID), UserName: aws.String(spec.UserName),
		DisplayName: aws.String(spec.DisplayName),
		Name:        &idtypes.Name{GivenName: aws.String(spec.GivenName), FamilyName: aws.String(spec.FamilyName)},
		Emails:      []idtypes.Email{{Value: aws.String(spec.Email), Type: aws.String("work"), Primary: true}},
	}
	if spec.JobTitle != "" {
		in.Title = aws.String(spec.JobTitle)
	}
	var found string
	out, done, err := writeOnce(ctx, c.backoff, func(ctx context.Context) (*identitystore.CreateUserOutput, error) {
		return c.store.CreateUser(ctx, in)
	}, func(ctx context.Context) (bool, error) {
		var err error
		found, err = c.FindUserID(ctx, spec.IdentityStoreID, spec.UserName)
		return err == nil, nil
	})
	if err != nil {
		if id := landed(ctx, func(ctx context.Context) (string, error) {
			return c.FindUserID(ctx, spec.IdentityStoreID, spec.UserName)
		}); id != "" {
			*cur = UserState{UserID: id, UserRecord: spec.UserRecord}
			return landedErr(fmt.Sprintf("creating identity store user (%s)", spec.UserName), KindUser, spec.UserName, id, err)
		}
		return fmt.Errorf("creating identity store user (%s): %w", spec.UserName, err)
	}
	if !done {
		found = aws.ToString(out.UserId)
	}
	*cur = UserState{UserID: found, UserRecord: spec.UserRecord}
	return nil
}

// updateUser sends one UpdateUser with an operation per attribute that differs.
func (c *Client) updateUser(ctx context.Context, spec UserSpec, cur *UserState) error {
	var ops []idtypes.AttributeOperation
	op := func(path string, value document.Interface) {
		ops = append(ops, idtypes.AttributeOperation{AttributePath: aws.String(path), AttributeValue: value})
	}
	if cur.GivenName != spec.GivenName {
		op("name.givenName", stringDocument(spec.GivenName))
	}
	if cur.FamilyName != spec.FamilyName {
		op("name.familyName", stringDocument(spec.FamilyName))
	}
	if cur.DisplayName != spec.DisplayName {
		op("displayName", stringDocument(spec.DisplayName))
	}
	if cur.Email != spec.Email {
		op("emails", document.NewLazyDocument([]map[string]any{{"value": spec.Email, "type": "work", "primary": true}}))
	}
	if cur.JobTitle != spec.JobTitle {
		if spec.JobTitle == "" {
			op("title", nil) // no value removes the attribute
		} else {
			op("title", stringDocument(spec.JobTitle))
		}
	}
	if len(ops) == 0 {
		return nil
	}
	if _, err := retryOnConflict(ctx, c.backoff, func(ctx context.Context) (*identitystore.UpdateUserOutput, error) {
		return c.store.UpdateUser(ctx, &identitystore.UpdateUserInput{IdentityStoreId: aws.String(spec.IdentityStoreID), UserId: aws.String(cur.UserID), Operations: ops})
	}); err != nil {
		return fmt.Errorf("updating identity store user (%s): %w", spec.UserName, err)
	}
	cur.GivenName, cur.FamilyName, cur.DisplayName, cur.Email, cur.JobTitle = spec.GivenName, spec.FamilyName, spec.DisplayName, spec.Email, spec.JobTitle
	return nil
}

// removeMemberships deletes every membership of a group not in keep.
func (c *Client) removeMemberships(ctx context.Context, spec UserSpec, cur *UserState, keep []string) error {
	for _, m := range slices.Clone(cur.Memberships) {
		if slices.Contains(keep, m.GroupName) {
			continue
		}
		if err := removeOrGone(ctx, c.backoff, fmt.Sprintf("removing identity store user (%s) from group (%s)", spec.UserName, m.GroupName), func(ctx context.Context) (*identitystore.DeleteGroupMembershipOutput, error) {
			return c.store.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{IdentityStoreId: aws.String(spec.IdentityStoreID), MembershipId: aws.String(m.MembershipID)})
		}); err != nil {
			return err
		}
		cur.Memberships = slices.DeleteFunc(cur.Memberships, func(x Membership) bool { return x.MembershipID == m.MembershipID })
	}
	return nil
}

// removeUserAssignments deletes every assignment made to the user itself, waiting for each.
func (c *Client) removeUserAssignments(ctx context.Context, spec UserSpec, cur *UserState) error {
	for _, a := range slices.Clone(cur.DirectAssignments) {
		st := &SetState{Name: a.PermissionSetARN, ARN: a.PermissionSetARN}
		if err := c.unassign(ctx, spec.InstanceARN, st, Assignment{AccountID: a.AccountID, PrincipalType: "USER", PrincipalID: cur.UserID}); err != nil {
			return err
		}
		cur.DirectAssignments = slices.DeleteFunc(cur.DirectAssignments, func(x UserAssignment) bool { return x == a })
	}
	return nil
}

// DeleteUser offboards: every membership and direct assignment removed, then the user. A user
// already gone is success.
func (c *Client) DeleteUser(ctx context.Context, spec UserSpec, cur *UserState) error {
	if cur == nil || cur.UserID == "" {
		return nil
	}
	if err := c.removeMemberships(ctx, spec, cur, nil); err != nil {
		return err
	}
	if err := c.removeUserAssignments(ctx, spec, cur); err != nil {
		return err
	}
	if err := removeOrGone(ctx, c.backoff, fmt.Sprintf("deleting identity store user (%s)", spec.UserName), func(ctx context.Context) (*identitystore.DeleteUserOutput, error) {
		return c.store.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: aws.String(spec.IdentityStoreID), UserId: aws.String(cur.UserID)})
	}); err != nil {
		return err
	}
	cur.UserID = ""
	return nil
}
