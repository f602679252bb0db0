package awsiam

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

const kindUser = "IAM user"

// UserInfo is what the provider knows of one IAM user after a read: the user itself plus the
// memberships, tags and status that the onboarded-user resource reports.
type UserInfo struct {
	Name                string
	Path                string
	ARN                 string
	UserID              string
	CreateDate          time.Time
	PermissionsBoundary string
	Tags                map[string]string
	Groups              []string   // sorted
	PasswordLastUsed    *time.Time // nil: never signed in with a password
}

// markUserNew remembers that this client created the user now: a read of it that misses the snapshot
// within IAM's propagation window may be the propagation delay rather than a deletion.
func (c *Client) markUserNew(name string) { c.markFresh(userRef(name)) }

// UserIsNew tells whether this client created (or renamed to) the user within the propagation window.
func (c *Client) UserIsNew(name string) bool { return c.isFresh(userRef(name)) }

// FindUserInSnapshot reads a user from the process's bulk snapshot (the refresh path). A user missing
// from the snapshot is read directly (GetUser and ListGroupsForUser): it is gone only when GetUser
// says so.
func (c *Client) FindUserInSnapshot(ctx context.Context, name string) (*UserInfo, error) {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if d, ok := snap.users[name]; ok {
		info := &UserInfo{
			Name:       aws.ToString(d.UserName),
			Path:       aws.ToString(d.Path),
			ARN:        aws.ToString(d.Arn),
			UserID:     aws.ToString(d.UserId),
			CreateDate: aws.ToTime(d.CreateDate),
			Tags:       tagMap(d.Tags),
			Groups:     slices.Sorted(slices.Values(d.GroupList)),
		}
		info.PermissionsBoundary = boundaryARN(d.PermissionsBoundary)
		info.PasswordLastUsed, err = c.userPasswordLastUsed(ctx, snap, info)
		if err != nil {
			return nil, err
		}
		return info, nil
	}
	// Absent from one bulk answer is not gone: a lagging replica, or pages shifted by a concurrent
	// writer, leave users out. One GetUser confirms (riding out propagation for a user this process
	// made or renamed moments ago); only its NoSuchEntity removes the user from the state.
	u, err := c.findUserByName(ctx, name, c.UserIsNew(name))
	if err != nil {
		return nil, err
	}
	groups, err := c.ListUserGroups(ctx, name)
	if err != nil {
		return nil, err
	}
	info := userInfoFrom(u)
	info.Groups = groups
	return info, nil
}

// userPasswordLastUsed is when a user of the snapshot last signed in with a password. A credential
// report this process generated (as fresh as a live read) answers for every user it has a row of
// with password_enabled=true; a user it has no row for, or shows without a password (AWS may write
// N/A there while ListUsers still has a date), and every user when the report was reused or is
// unavailable, is looked up in the snapshot's ListUsers, read once for all of them.
func (c *Client) userPasswordLastUsed(ctx context.Context, snap *Snapshot, info *UserInfo) (*time.Time, error) {
	report, err := c.freshReport(ctx)
	if err != nil {
		return nil, err
	}
	if row, ok := report.row(info.Name, info.ARN, info.CreateDate); ok && row.PasswordEnabled {
		return row.PasswordLastUsed, nil
	}
	used, err := snap.loadPasswordLastUsed(ctx)
	if err != nil {
		return nil, err
	}
	if t, ok := used[info.Name]; ok {
		return &t, nil
	}
	return nil, nil
}

func userInfoFrom(u *types.User) *UserInfo {
	info := &UserInfo{
		Name:             aws.ToString(u.UserName),
		Path:             aws.ToString(u.Path),
		ARN:              aws.ToString(u.Arn),
		UserID:           aws.ToString(u.UserId),
		CreateDate:       aws.ToTime(u.CreateDate),
		Tags:             tagMap(u.Tags),
		PasswordLastUsed: u.PasswordLastUsed,
	}
	info.PermissionsBoundary = boundaryARN(u.PermissionsBoundary)
	return info
}

// findUserByName reads a user directly with GetUser. NoSuchEntity is retried during the propagation
// window when isNew says the caller just created the user, or this process created or renamed it.
func (c *Client) findUserByName(ctx context.Context, name string, isNew bool) (*types.User, error) {
	out, err := RetryWhenNew(ctx, isNew || c.UserIsNew(name), func(ctx context.Context) (*iam.GetUserOutput, error) {
		return c.iamAPI.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
	})
	if err != nil {
		return nil, notFound(kindUser, name, fmt.Errorf("reading IAM user (%s): %w", name, err))
	}
	if out.User == nil {
		return nil, &NotFoundError{Kind: kindUser, Name: name}
	}
	return out.User, nil
}

// FindUserTags reads the user's tags directly with GetUser (one request), for updates that must
// start from what the user carries now.
func (c *Client) FindUserTags(ctx context.Context, name string) (map[string]string, error) {
	u, err := c.findUserByName(ctx, name, false)
	if err != nil {
		return nil, err
	}
	return tagMap(u.Tags), nil
}

// FindUserInfo is a direct read of the user plus the user's groups, for checks that bypass the snapshot.
func (c *Client) FindUserInfo(ctx context.Context, name string) (*UserInfo, error) {
	u, err := c.findUserByName(ctx, name, false)
	if err != nil {
		return nil, err
	}
	info := userInfoFrom(u)
	if info.Groups, err = c.ListUserGroups(ctx, name); err != nil {
		return nil, err
	}
	return info, nil
}

// CreateUserInput is what a new user is made of.
type CreateUserInput struct {
	Name                string
	Path                string
	PermissionsBoundary string
	Tags                map[string]string // complete: record, own and default tags
	// Claim identifies the resource instance that creates the user (baseline.InstanceClaim): the
	// create marker carries it, so that another instance's create never adopts this one's user.
	Claim string
}

// CreateUser creates the user with its tags, the create marker and boundary in one request. The caller
// removes the marker with ClearUserCreateMarker once the whole create has succeeded.
func (c *Client) CreateUser(ctx context.Context, in CreateUserInput) (*UserInfo, error) {
	input := &iam.CreateUserInput{UserName: aws.String(in.Name), Path: aws.String(in.Path)}
	if in.PermissionsBoundary != "" {
		input.PermissionsBoundary = aws.String(in.PermissionsBoundary)
	}
	// The create marker goes with the user: a user without it was not made by an unfinished create
	// of this resource, so no later create may adopt it (baseline.AdoptionRefusal).
	tags := maps.Clone(in.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	markerKey, markerValue := createMarker(in.Claim)
	tags[markerKey] = markerValue
	input.Tags = tagList(tags)
	out, err := createOnce(ctx, alreadyExists, func(ctx context.Context) (*iam.CreateUserOutput, error) {
		return RetryOnModify(ctx, func(ctx context.Context) (*iam.CreateUserOutput, error) {
			return c.iamAPI.CreateUser(ctx, input)
		})
	}, func(ctx context.Context) (*iam.CreateUserOutput, bool, error) {
		return c.userIsOurs(ctx, input)
	})
	if err != nil {
		return nil, explainLimit(err, OpCreateUser, fmt.Sprintf("creating IAM user (%s)", in.Name), in.Name, "")
	}
	c.markUserNew(in.Name)
	if out.User != nil {
		// The new user's ARN tells the account: no sts:GetCallerIdentity for the sign-in URL.
		c.learnAccountID(accountOfARN(aws.ToString(out.User.Arn)))
	}
	return userInfoFrom(out.User), nil
}

// UpdateUserNameAndPath renames the user and/or moves it to another path.
func (c *Client) UpdateUserNameAndPath(ctx context.Context, oldName, newName, newPath string) error {
	input := &iam.UpdateUserInput{UserName: aws.String(oldName)}
	if newName != oldName {
		input.NewUserName = aws.String(newName)
	}
	if newPath != "" {
		input.NewPath = aws.String(newPath)
	}
	_, err := retryWrite(ctx, c, func(ctx context.Context) (*iam.UpdateUserOutput, error) {
		return c.iamAPI.UpdateUser(ctx, input)
	}, userRef(oldName))
	if err != nil {
		return fmt.Errorf("updating IAM user (%s): %w", oldName, err)
	}
	if newName != oldName {
		// Reads of the new name lag behind the rename the way reads of a new user do.
		c.markUserNew(newName)
		c.forget(userRef(oldName))
	}
	return nil
}

// SyncUserTags makes the user's tags exactly want, given that it has have now.
func (c *Client) SyncUserTags(ctx context.Context, name string, have, want map[string]string) error {
	return syncTags(ctx, c, userRef(name), have, want, fmt.Sprintf("untagging IAM user (%s)", name), func(ctx context.Context, keys []string) (*iam.UntagUserOutput, error) {
		return c.iamAPI.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String(name), TagKeys: keys})
	}, explained{OpTagUser, fmt.Sprintf("tagging IAM user (%s)", name), name, ""}, func(ctx context.Context, tags []types.Tag) (*iam.TagUserOutput, error) {
		return c.iamAPI.TagUser(ctx, &iam.TagUserInput{UserName: aws.String(name), Tags: tags})
	})
}

// syncTags moves an entity's tags (ref) from have to want with the fewest requests: untag for the
// keys to remove (a failure wrapped in untagDoing), tag for the values to set (a failure explained
// as tagWhy says).
func syncTags[U, T any](ctx context.Context, c *Client, ref entityRef, have, want map[string]string,
	untagDoing string, untag func(context.Context, []string) (U, error),
	tagWhy explained, tag func(context.Context, []types.Tag) (T, error),
) error {
	remove, set := awscore.TagChanges(have, want)
	if len(remove) > 0 {
		if _, err := retryWrite(ctx, c, func(ctx context.Context) (U, error) { return untag(ctx, remove) }, ref); err != nil {
			return fmt.Errorf("%s: %w", untagDoing, err)
		}
	}
	if len(set) > 0 {
		return writeExplained(ctx, c, tagWhy, func(ctx context.Context) (T, error) { return tag(ctx, tagList(set)) }, ref)
	}
	return nil
}

// SetUserPermissionsBoundary puts the boundary, or deletes it when arn is "".
func (c *Client) SetUserPermissionsBoundary(ctx context.Context, name, arn string) error {
	if arn == "" {
		_, err := retryWrite(ctx, c, func(ctx context.Context) (*iam.DeleteUserPermissionsBoundaryOutput, error) {
			return c.iamAPI.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String(name)})
		}, userRef(name))
		if err != nil && !IsNotFound(err) {
			return fmt.Errorf("deleting permissions boundary of IAM user (%s): %w", name, err)
		}
		return nil
	}
	_, err := retryWrite(ctx, c, func(ctx context.Context) (*iam.PutUserPermissionsBoundaryOutput, error) {
		return c.iamAPI.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{
			UserName: aws.String(name), PermissionsBoundary: aws.String(arn),
		})
	}, userRef(name), policyRef(arn))
	if err != nil {
		return fmt.Errorf("setting permissions boundary of IAM user (%s): %w", name, err)
	}
	return nil
}

// ListUserGroups returns the sorted names of the groups the user belongs to.
func (c *Client) ListUserGroups(ctx context.Context, name string) ([]string, error) {
	p := iam.NewListGroupsForUserPaginator(c.iamAPI, &iam.ListGroupsForUserInput{UserName: aws.String(name)})
	out, err := awscore.Collect(ctx, p, func(page *iam.ListGroupsForUserOutput) []string {
		return awscore.Each(page.Groups, func(g types.Group) string { return aws.ToString(g.GroupName) })
	})
	if err != nil {
		return nil, notFound(kindUser, name, fmt.Errorf("listing groups of IAM user (%s): %w", name, err))
	}
	sort.Strings(out)
	return out, nil
}

// AddUserToGroups adds the user to each group; only this user's membership is touched.
func (c *Client) AddUserToGroups(ctx context.Context, name string, groups []string) error {
	for _, g := range groups {
		if err := writeExplained(ctx, c, explained{OpAddUserToGroup, fmt.Sprintf("adding IAM user (%s) to group (%s)", name, g), name, g}, func(ctx context.Context) (*iam.AddUserToGroupOutput, error) {
			return c.iamAPI.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(name), GroupName: aws.String(g)})
		}, userRef(name), groupRef(g)); err != nil {
			return err
		}
	}
	return nil
}

// RemoveUserFromGroups removes the user from each group; a membership already gone is fine.
func (c *Client) RemoveUserFromGroups(ctx context.Context, name string, groups []string) error {
	return removeEach(groups, func(g string) error {
		return c.removeMembership(ctx, name, g, fmt.Sprintf("removing IAM user (%s) from group (%s)", name, g))
	})
}

// DeleteUser deletes the user itself; NoSuchEntity is success.
func (c *Client) DeleteUser(ctx context.Context, name string) error {
	return deleteEntity(ctx, c, fmt.Sprintf("deleting IAM user (%s)", name), userRef(name), func(ctx context.Context) (*iam.DeleteUserOutput, error) {
		return c.iamAPI.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(name)})
	})
}
