package awsiam

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Snapshot is one consistent, bulk read of the account's IAM entities, shared by every Read of a
// provider process. A refresh of N users costs a handful of paginated calls instead of several calls
// per user: GetAccountAuthorizationDetails (users with tags, groups and attachments; groups; roles;
// customer managed policies with every version's document), and, only when a Read needs them (see
// PasswordLastUsed and VirtualMFA), ListUsers (PasswordLastUsed, which the authorization details
// lack) and ListVirtualMFADevices (which virtual device each user has). The two lazy parts are read
// at most once per snapshot, so they are as fresh as the snapshot.
type Snapshot struct {
	users    map[string]*types.UserDetail          // by user name
	groups   map[string]*types.GroupDetail         // by group name
	roles    map[string]*types.RoleDetail          // by role name
	policies map[string]*types.ManagedPolicyDetail // customer managed, by ARN
	// groupMembers lists the members of each group, derived from the users' group lists.
	groupMembers map[string][]string
	LoadedAt     time.Time

	api *iam.Client
	// passwordLastUsed by user name; absent when the user never signed in with a password. Loaded
	// by loadPasswordLastUsed (ListUsers).
	pwMu             sync.Mutex
	passwordLastUsed map[string]time.Time
	// virtualMFA lists the serial numbers of the virtual MFA devices assigned to each user, and
	// rootVirtualMFA tells whether the root user has one. Loaded by loadVirtualMFA
	// (ListVirtualMFADevices).
	mfaMu          sync.Mutex
	virtualMFA     map[string][]string
	rootVirtualMFA bool
}

// loadPasswordLastUsed reads ListUsers once per snapshot (a failure is not kept: the next caller
// asks again) and returns PasswordLastUsed by user name.
func (s *Snapshot) loadPasswordLastUsed(ctx context.Context) (map[string]time.Time, error) {
	s.pwMu.Lock()
	defer s.pwMu.Unlock()
	if s.passwordLastUsed != nil {
		return s.passwordLastUsed, nil
	}
	out := map[string]time.Time{}
	users := iam.NewListUsersPaginator(s.api, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
	for users.HasMorePages() {
		page, err := users.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing IAM users: %w", err)
		}
		for _, u := range page.Users {
			if u.PasswordLastUsed != nil {
				out[aws.ToString(u.UserName)] = *u.PasswordLastUsed
			}
		}
	}
	s.passwordLastUsed = out
	return out, nil
}

// loadVirtualMFA reads ListVirtualMFADevices (assigned devices) once per snapshot (a failure is not
// kept) and returns the serials by user name.
func (s *Snapshot) loadVirtualMFA(ctx context.Context) (map[string][]string, error) {
	s.mfaMu.Lock()
	defer s.mfaMu.Unlock()
	if s.virtualMFA != nil {
		return s.virtualMFA, nil
	}
	out, root := map[string][]string{}, false
	mfa := iam.NewListVirtualMFADevicesPaginator(s.api, &iam.ListVirtualMFADevicesInput{
		AssignmentStatus: types.AssignmentStatusTypeAssigned, MaxItems: aws.Int32(1000),
	})
	for mfa.HasMorePages() {
		page, err := mfa.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing virtual MFA devices: %w", err)
		}
		for _, d := range page.VirtualMFADevices {
			if d.User == nil {
				continue
			}
			if strings.HasSuffix(aws.ToString(d.User.Arn), ":root") {
				root = true
				continue
			}
			name := aws.ToString(d.User.UserName)
			out[name] = append(out[name], aws.ToString(d.SerialNumber))
		}
	}
	s.virtualMFA, s.rootVirtualMFA = out, root
	return out, nil
}

// loadLazyParts reads both lazy parts (the audit needs everything).
func (s *Snapshot) loadLazyParts(ctx context.Context) error {
	if _, err := s.loadPasswordLastUsed(ctx); err != nil {
		return err
	}
	_, err := s.loadVirtualMFA(ctx)
	return err
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
	c.learnAccountID(s.accountID())
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
		users:        map[string]*types.UserDetail{},
		groups:       map[string]*types.GroupDetail{},
		roles:        map[string]*types.RoleDetail{},
		policies:     map[string]*types.ManagedPolicyDetail{},
		groupMembers: map[string][]string{},
		LoadedAt:     time.Now(),
		api:          api,
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
	return s, nil
}

// CachedSnapshot returns the last bulk read of this client even when writes happened since, and
// loads one only when there is none. It serves plan-time checks that tolerate a stale view (does a
// group exist? who owns this name?): a create re-planned during apply must not reload the account,
// and reloading after every write of an apply would cost one bulk read per resource. Apply-time
// checks read what exists directly.
func (c *Client) CachedSnapshot(ctx context.Context) (*Snapshot, error) {
	c.snapMu.Lock()
	s := c.snap
	c.snapMu.Unlock()
	if s != nil {
		return s, nil
	}
	return c.Snapshot(ctx)
}

// accountID is the account in the ARNs of the snapshot's entities, "" when it holds none.
func (s *Snapshot) accountID() string {
	for _, u := range s.users {
		if id := accountOfARN(aws.ToString(u.Arn)); id != "" {
			return id
		}
	}
	for _, g := range s.groups {
		if id := accountOfARN(aws.ToString(g.Arn)); id != "" {
			return id
		}
	}
	for _, r := range s.roles {
		if id := accountOfARN(aws.ToString(r.Arn)); id != "" {
			return id
		}
	}
	for arn := range s.policies {
		if id := accountOfARN(arn); id != "" {
			return id
		}
	}
	return ""
}
