package awsiam

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// One person's IAM user, onboarded and offboarded: OnboardUser creates (or adopts what an
// interrupted create of the same resource left) and finishes the onboarding, ReadOnboardedUser
// reads what a refresh needs, UpdateOnboardedUser applies a change and OffboardUser removes the
// user. Each is a sequence of named steps; a failing step is returned as a *UserStepError naming
// it, so that the caller can say what failed. Each converges when run again: a create that stopped
// halfway leaves the create marker, and the next create adopts the user.

// UserStep names a step of the onboarding, refresh, update or offboarding of a user.
type UserStep string

// The steps, in the order they run.
const (
	StepCreateUser        UserStep = "create user"
	StepAddToGroups       UserStep = "add to groups"
	StepPasswordPolicy    UserStep = "read password policy"
	StepGeneratePassword  UserStep = "generate password"
	StepDeliverPassword   UserStep = "deliver password"
	StepSetPassword       UserStep = "set password"
	StepRemoveConsole     UserStep = "remove console access"
	StepDeactivateKeys    UserStep = "deactivate access keys"
	StepAccountID         UserStep = "read account ID"
	StepReadMFA           UserStep = "read MFA devices"
	StepReadUser          UserStep = "read user"
	StepReadConsole       UserStep = "read console access"
	StepReadAccessKeys    UserStep = "read access keys"
	StepRename            UserStep = "rename or move"
	StepReadTags          UserStep = "read tags"
	StepUpdateTags        UserStep = "update tags"
	StepPermissionsBound  UserStep = "set permissions boundary"
	StepUpdateGroups      UserStep = "update groups"
	StepListAttachments   UserStep = "list attachments"
	StepRemoveAttachments UserStep = "remove attachments"
	StepListGroups        UserStep = "list groups"
	StepRemoveFromGroups  UserStep = "remove from groups"
	StepDeleteUser        UserStep = "delete user"
)

// UserStepError is the error of one step.
type UserStepError struct {
	Step UserStep
	Err  error
}

func (e *UserStepError) Error() string { return string(e.Step) + ": " + e.Err.Error() }
func (e *UserStepError) Unwrap() error { return e.Err }

func stepErr(step UserStep, err error) error {
	if err == nil {
		return nil
	}
	return &UserStepError{Step: step, Err: err}
}

// MissingGroupError is a create that named a group that does not exist (a typo): the user it had
// just made is deleted again, so that nothing is left half-made.
type MissingGroupError struct{ Err error }

func (e *MissingGroupError) Error() string { return e.Err.Error() }
func (e *MissingGroupError) Unwrap() error { return e.Err }

// OffboardingBlockedError is a destroy refused because the user holds what was made outside
// Terraform and force_destroy is off.
type OffboardingBlockedError struct {
	Name        string
	Attachments *UserAttachments
}

func (e *OffboardingBlockedError) Error() string {
	return fmt.Sprintf("IAM user (%s) holds %s", e.Name, e.Attachments.Describe())
}

// PasswordSpec says where a new temporary password comes from and how it is delivered.
type PasswordSpec struct {
	Value  string // the caller's (write-only) password; generated when ""
	Length int    // the length of a generated one (the account password policy's minimum wins)
	// Deliver is called with the password before it is sent to IAM (to encrypt or keep it); an
	// error stops the step before the login profile changes.
	Deliver func(password string) error
}

// OnboardedUserSpec is what an onboarded user should be.
type OnboardedUserSpec struct {
	Name, Path, PermissionsBoundary string
	Tags                            map[string]string // every tag, the person's record included
	Groups                          []string
	Claim                           string // the create marker's claim (baseline.InstanceClaim)
	Resource                        string // the resource type, named by an adoption refusal
	Console                         bool
	Suspended                       bool
	Password                        PasswordSpec
}

// OnboardedUser is what OnboardUser made or adopted.
type OnboardedUser struct {
	Info       *UserInfo
	Adopted    bool
	AccountID  string
	MFASerials []string // sorted; only an adopted user can have any
	// MarkerErr is set when the create marker could not be removed: the user is made, and the next
	// change of its tags removes the marker.
	MarkerErr error
}

// OnboardUser creates the user and finishes the onboarding: groups, console access, suspension.
// A create that fails after the user was made deletes the user again (undo.go); a user it adopted
// stays, and so does one whose create was interrupted (it carries the marker for the next apply).
func (c *Client) OnboardUser(ctx context.Context, spec OnboardedUserSpec) (_ *OnboardedUser, err error) {
	info, adopted, err := c.createOrAdoptUser(ctx, spec)
	if err != nil {
		return nil, stepErr(StepCreateUser, err)
	}
	if !adopted {
		defer func() { err = c.undoUser(ctx, spec.Name, err) }()
		if err := c.AddUserToGroups(ctx, spec.Name, spec.Groups); err != nil {
			if IsNotFound(err) && c.DeleteUser(ctx, spec.Name) == nil {
				return nil, &MissingGroupError{Err: err}
			}
			return nil, stepErr(StepAddToGroups, err)
		}
	}
	switch {
	case spec.Console:
		if err := c.setTemporaryPassword(ctx, spec.Name, spec.Password); err != nil {
			return nil, err
		}
	case adopted:
		if err := c.DeleteLoginProfile(ctx, spec.Name); err != nil {
			return nil, stepErr(StepRemoveConsole, err)
		}
	}
	if adopted && spec.Suspended {
		if _, err := c.DeactivateAccessKeys(ctx, spec.Name); err != nil {
			return nil, stepErr(StepDeactivateKeys, err)
		}
	}
	out := &OnboardedUser{Info: info, Adopted: adopted}
	if out.AccountID, err = c.AccountID(ctx); err != nil {
		return nil, stepErr(StepAccountID, fmt.Errorf("reading the account ID for the console sign-in URL: %w", err))
	}
	if adopted {
		devices, err := c.ListUserMFADevices(ctx, spec.Name)
		if err != nil {
			return nil, stepErr(StepReadMFA, err)
		}
		for _, d := range devices {
			out.MFASerials = append(out.MFASerials, d.SerialNumber)
		}
		slices.Sort(out.MFASerials)
	}
	// Last: from now on the user is this state's, and no other create may adopt it.
	out.MarkerErr = c.ClearUserCreateMarker(ctx, spec.Name)
	return out, nil
}

// createOrAdoptUser creates the user. When the name is taken, the existing user is adopted and
// brought to the spec only when it is what an interrupted create of the same resource left: it
// carries the create marker and was never used (baseline.AdoptionRefusal). Anyone else's user is
// an error that names `moved` blocks and import: an identical record proves nothing.
func (c *Client) createOrAdoptUser(ctx context.Context, spec OnboardedUserSpec) (*UserInfo, bool, error) {
	u, err := c.CreateUser(ctx, CreateUserInput{
		Name: spec.Name, Path: spec.Path, PermissionsBoundary: spec.PermissionsBoundary, Tags: spec.Tags, Claim: spec.Claim,
	})
	if err == nil {
		u.PasswordLastUsed = nil // a user created now has never signed in
		return u, false, nil
	}
	if !HasCode(err, "EntityAlreadyExists") {
		return nil, false, err
	}
	// IAM said the user exists: a NoSuchEntity from reading it is its replicas' lag, waited out.
	type found struct {
		info *UserInfo
		ev   baseline.OwnershipEvidence
	}
	res, ferr := retryWhile(ctx, existingLagWindow, IsNotFound, func(ctx context.Context) (found, error) {
		info, ev, err := c.UserOwnership(ctx, spec.Name)
		return found{info, ev}, err
	})
	existing, evidence := res.info, res.ev
	if ferr != nil {
		return nil, false, fmt.Errorf("%w (and reading the existing user failed: %v)", err, ferr)
	}
	evidence.Claimant = spec.Claim
	if refusal := baseline.AdoptionRefusal(spec.Resource, evidence); refusal != nil {
		return nil, false, refusal
	}
	// The marker stays until the create has finished (OnboardUser removes it last).
	marked := maps.Clone(spec.Tags)
	marked[baseline.CreateMarkerTag] = existing.Tags[baseline.CreateMarkerTag]
	if err := c.SyncUserTags(ctx, spec.Name, existing.Tags, marked); err != nil {
		return nil, false, err
	}
	if existing.PermissionsBoundary != spec.PermissionsBoundary {
		if err := c.SetUserPermissionsBoundary(ctx, spec.Name, spec.PermissionsBoundary); err != nil {
			return nil, false, err
		}
	}
	if err := c.SyncUserGroups(ctx, spec.Name, existing.Groups, spec.Groups); err != nil {
		return nil, false, err
	}
	return existing, true, nil
}

// SyncUserGroups moves the user from the groups in have to those in want.
func (c *Client) SyncUserGroups(ctx context.Context, name string, have, want []string) error {
	var add, remove []string
	for _, g := range want {
		if !slices.Contains(have, g) {
			add = append(add, g)
		}
	}
	for _, g := range have {
		if !slices.Contains(want, g) {
			remove = append(remove, g)
		}
	}
	if err := c.RemoveUserFromGroups(ctx, name, remove); err != nil {
		return err
	}
	return c.AddUserToGroups(ctx, name, add)
}

// setTemporaryPassword sets a new temporary password (reset required at the first sign-in): the
// caller's, or one generated to the account password policy.
func (c *Client) setTemporaryPassword(ctx context.Context, name string, p PasswordSpec) error {
	password := p.Value
	if password == "" {
		policy, err := c.PasswordPolicy(ctx)
		if err != nil {
			return stepErr(StepPasswordPolicy, err)
		}
		if password, err = baseline.GenerateTemporaryPassword(p.Length, policy.MinimumLength); err != nil {
			return stepErr(StepGeneratePassword, err)
		}
	}
	if p.Deliver != nil {
		if err := p.Deliver(password); err != nil {
			return stepErr(StepDeliverPassword, err)
		}
	}
	return stepErr(StepSetPassword, c.SetLoginProfilePassword(ctx, name, password))
}

// UserReadOptions say what the state believes, which decides how much a refresh reads.
type UserReadOptions struct {
	// ConfirmConsole: the state says there is console access, so one NoSuchEntity of the login
	// profile is believed only once re-reads confirm it (it may come from a replica lagging behind
	// the password set a moment ago).
	ConfirmConsole bool
	// Suspended: the access keys are read, to find access that came back out of band.
	Suspended bool
}

// ObservedUser is what a refresh reads of an onboarded user.
type ObservedUser struct {
	Info         *UserInfo
	LoginProfile *LoginProfile // nil without console access
	MFA          *UserMFA
	AccountID    string
	AccessKeys   []AccessKey // read only for a suspended user
}

// ReadOnboardedUser reads the user from the snapshot, and its console access, MFA devices and (when
// suspended) access keys. A missing user is a *NotFoundError, not wrapped in a step.
func (c *Client) ReadOnboardedUser(ctx context.Context, name string, opts UserReadOptions) (*ObservedUser, error) {
	info, err := c.FindUserInSnapshot(ctx, name)
	if IsNotFound(err) {
		return nil, err
	}
	if err != nil {
		return nil, stepErr(StepReadUser, err)
	}
	out := &ObservedUser{Info: info}
	findLoginProfile := c.FindLoginProfile
	if opts.ConfirmConsole {
		findLoginProfile = c.FindLoginProfileConfirmed
	}
	out.LoginProfile, err = findLoginProfile(ctx, name)
	if err != nil && !IsNotFound(err) {
		return nil, stepErr(StepReadConsole, err)
	}
	if err != nil {
		out.LoginProfile = nil
	}
	if out.MFA, err = c.FindUserMFA(ctx, name); err != nil {
		return nil, stepErr(StepReadMFA, err)
	}
	if out.AccountID, err = c.AccountID(ctx); err != nil {
		return nil, stepErr(StepAccountID, err)
	}
	if opts.Suspended {
		if out.AccessKeys, err = c.ListAccessKeys(ctx, name); err != nil {
			return nil, stepErr(StepReadAccessKeys, err)
		}
	}
	return out, nil
}

// OnboardedUserChange is an update: the user as the state has it, the spec it should become, and
// which parts differ.
type OnboardedUserChange struct {
	OldName string
	Spec    OnboardedUserSpec
	Move    bool // the path changed
	Retag   bool // the tags may differ: they are read and brought to Spec.Tags
	// SetBoundary: the permissions boundary changed.
	SetBoundary bool
	// OldGroups, when not nil, are the groups the user is in: it is moved to Spec.Groups.
	OldGroups []string
	// KeepDelivered: console access comes back without a new password version. When a login
	// profile exists after all (the read that said otherwise was stale), the password already
	// delivered stays valid and is not rotated because of a read.
	KeepDelivered bool
	NewPassword   bool // set a new temporary password (Spec.Password)
	RemoveConsole bool // delete the login profile
	Suspend       bool // deactivate every access key
}

// UpdatedUser is what an update did.
type UpdatedUser struct {
	Renamed       bool // the user has its new name and path, even when a later step failed
	KeptDelivered bool // the login profile existed: no new password was set
}

// UpdateOnboardedUser applies a change: rename and move, tags, permissions boundary, groups,
// console access and suspension, in this order.
func (c *Client) UpdateOnboardedUser(ctx context.Context, ch OnboardedUserChange) (UpdatedUser, error) {
	var out UpdatedUser
	name := ch.Spec.Name
	if ch.OldName != name || ch.Move {
		newPath := ""
		if ch.Move {
			newPath = ch.Spec.Path
		}
		if err := c.UpdateUserNameAndPath(ctx, ch.OldName, name, newPath); err != nil {
			return out, stepErr(StepRename, err)
		}
		out.Renamed = true
	}
	if ch.Retag {
		have, err := c.FindUserTags(ctx, name)
		if err != nil {
			return out, stepErr(StepReadTags, err)
		}
		if err := c.SyncUserTags(ctx, name, have, ch.Spec.Tags); err != nil {
			return out, stepErr(StepUpdateTags, err)
		}
	}
	if ch.SetBoundary {
		if err := c.SetUserPermissionsBoundary(ctx, name, ch.Spec.PermissionsBoundary); err != nil {
			return out, stepErr(StepPermissionsBound, err)
		}
	}
	if ch.OldGroups != nil {
		if err := c.SyncUserGroups(ctx, name, ch.OldGroups, ch.Spec.Groups); err != nil {
			return out, stepErr(StepUpdateGroups, err)
		}
	}
	if ch.KeepDelivered {
		_, err := c.FindLoginProfile(ctx, name)
		out.KeptDelivered = err == nil
	}
	switch {
	case out.KeptDelivered:
	case ch.NewPassword:
		if err := c.setTemporaryPassword(ctx, name, ch.Spec.Password); err != nil {
			return out, err
		}
	case ch.RemoveConsole:
		if err := c.DeleteLoginProfile(ctx, name); err != nil {
			return out, stepErr(StepRemoveConsole, err)
		}
	}
	if ch.Suspend {
		if _, err := c.DeactivateAccessKeys(ctx, name); err != nil {
			return out, stepErr(StepDeactivateKeys, err)
		}
	}
	return out, nil
}

// OffboardUser deletes the user: what was made outside Terraform first (only with force; otherwise
// an *OffboardingBlockedError), then console access and group memberships. A user already gone is
// no error.
//
// A NoSuchEntity from a read is not taken for "gone" (destroy.go): the DeleteUser is sent anyway, and
// when IAM refuses it because the user still holds something the reads missed, they are read again.
func (c *Client) OffboardUser(ctx context.Context, name string, force bool) error {
	var err error
	for range deleteConflictAttempts {
		if err = c.offboardUserOnce(ctx, name, force); !HasCode(err, codeDeleteConflict) {
			return err
		}
	}
	return err
}

func (c *Client) offboardUserOnce(ctx context.Context, name string, force bool) error {
	attachments, err := c.ListUserAttachments(ctx, name)
	if IsNotFound(err) {
		attachments, err = &UserAttachments{}, nil
	}
	if err != nil {
		return stepErr(StepListAttachments, err)
	}
	if !attachments.Empty() {
		if !force {
			return &OffboardingBlockedError{Name: name, Attachments: attachments}
		}
		if err := c.RemoveUserAttachments(ctx, name, attachments); err != nil {
			return stepErr(StepRemoveAttachments, err)
		}
	}
	if err := c.DeleteLoginProfile(ctx, name); err != nil {
		return stepErr(StepRemoveConsole, err)
	}
	groups, err := c.ListUserGroups(ctx, name)
	if err != nil && !IsNotFound(err) {
		return stepErr(StepListGroups, err)
	}
	if err := c.RemoveUserFromGroups(ctx, name, groups); err != nil {
		return stepErr(StepRemoveFromGroups, err)
	}
	return stepErr(StepDeleteUser, c.DeleteUser(ctx, name))
}

// UserStepOf is the step a user orchestration error comes from ("" when it names none) and the
// error of that step.
func UserStepOf(err error) (UserStep, error) {
	var se *UserStepError
	if errors.As(err, &se) {
		return se.Step, se.Err
	}
	return "", err
}
