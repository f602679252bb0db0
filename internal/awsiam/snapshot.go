package awsiam

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Snapshot is one consistent, bulk read of the account's IAM entities, shared by every Read of a
// provider process. A refresh of N users costs a handful of paginated calls instead of several calls
// per user: GetAccountAuthorizationDetails (users with tags, groups and attachments; groups; roles;
// customer managed policies with every version's document), ListUsers (PasswordLastUsed, which the
// authorization details lack) and ListVirtualMFADevices (which virtual device each user has).
type Snapshot struct {
	users    map[string]*types.UserDetail          // by user name
	groups   map[string]*types.GroupDetail         // by group name
	roles    map[string]*types.RoleDetail          // by role name
	policies map[string]*types.ManagedPolicyDetail // customer managed, by ARN
	// passwordLastUsed by user name; absent when the user never signed in with a password.
	passwordLastUsed map[string]time.Time
	// virtualMFA lists the serial numbers of the virtual MFA devices assigned to each user.
	virtualMFA map[string][]string
	// groupMembers lists the members of each group, derived from the users' group lists.
	groupMembers map[string][]string
	LoadedAt     time.Time
}

// Snapshot returns the process's bulk read, loading it on first use and again after any write this
// process sent since it was loaded, so that it never serves what the process itself changed.
func (c *Client) Snapshot(ctx context.Context) (*Snapshot, error) {
	c.snapMu.Lock()
	defer c.snapMu.Unlock()
	gen := c.Calls.WriteGeneration()
	if c.snap != nil && c.snapGen == gen {
		return c.snap, nil
	}
	s, err := loadSnapshot(ctx, c.iamAPI)
	if err != nil {
		return nil, err
	}
	c.snap, c.snapGen = s, gen
	return s, nil
}

// InvalidateSnapshot drops the cached bulk read (tests, and callers that know the account changed).
func (c *Client) InvalidateSnapshot() {
	c.snapMu.Lock()
	c.snap = nil
	c.snapMu.Unlock()
}

func loadSnapshot(ctx context.Context, api *iam.Client) (*Snapshot, error) {
	s := &Snapshot{
		users:            map[string]*types.UserDetail{},
		groups:           map[string]*types.GroupDetail{},
		roles:            map[string]*types.RoleDetail{},
		policies:         map[string]*types.ManagedPolicyDetail{},
		passwordLastUsed: map[string]time.Time{},
		virtualMFA:       map[string][]string{},
		groupMembers:     map[string][]string{},
		LoadedAt:         time.Now(),
	}
	details := iam.NewGetAccountAuthorizationDetailsPaginator(api, &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeUser, types.EntityTypeGroup, types.EntityTypeRole, types.EntityTypeLocalManagedPolicy},
	})
	for details.HasMorePages() {
		page, err := details.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading IAM account authorization details: %w", err)
		}
		for i := range page.UserDetailList {
			u := &page.UserDetailList[i]
			s.users[aws.ToString(u.UserName)] = u
			for _, g := range u.GroupList {
				s.groupMembers[g] = append(s.groupMembers[g], aws.ToString(u.UserName))
			}
		}
		for i := range page.GroupDetailList {
			g := &page.GroupDetailList[i]
			s.groups[aws.ToString(g.GroupName)] = g
		}
		for i := range page.RoleDetailList {
			r := &page.RoleDetailList[i]
			s.roles[aws.ToString(r.RoleName)] = r
		}
		for i := range page.Policies {
			p := &page.Policies[i]
			s.policies[aws.ToString(p.Arn)] = p
		}
	}
	users := iam.NewListUsersPaginator(api, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
	for users.HasMorePages() {
		page, err := users.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing IAM users: %w", err)
		}
		for _, u := range page.Users {
			if u.PasswordLastUsed != nil {
				s.passwordLastUsed[aws.ToString(u.UserName)] = *u.PasswordLastUsed
			}
		}
	}
	mfa := iam.NewListVirtualMFADevicesPaginator(api, &iam.ListVirtualMFADevicesInput{
		AssignmentStatus: types.AssignmentStatusTypeAssigned, MaxItems: aws.Int32(1000),
	})
	for mfa.HasMorePages() {
		page, err := mfa.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing virtual MFA devices: %w", err)
		}
		for _, d := range page.VirtualMFADevices {
			if d.User != nil {
				name := aws.ToString(d.User.UserName)
				s.virtualMFA[name] = append(s.virtualMFA[name], aws.ToString(d.SerialNumber))
			}
		}
	}
	return s, nil
}

// CachedSnapshot returns the last bulk read of this client even when writes happened since, and
// loads one only when there is none. It serves plan-time checks that tolerate a stale view (does a
// group exist?), where reloading after every write of an apply would cost one bulk read per resource.
func (c *Client) CachedSnapshot(ctx context.Context) (*Snapshot, error) {
	c.snapMu.Lock()
	s := c.snap
	c.snapMu.Unlock()
	if s != nil {
		return s, nil
	}
	return c.Snapshot(ctx)
}
