package awsiam

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// No unowned leftovers. A create that fails after some of its writes leaves entities that no state
// records: destroy would never remove them. So a create that fails undoes what it made itself
// (nothing it adopted or found), and says what it could not undo. An interrupted create (Terraform
// cancelled the request: Ctrl-C, a timeout) is not undone: its entities carry the create marker
// (baseline.CreateMarkerTag), and the next apply of the same resource adopts them.

// undoTimeout bounds the undo of a failed create; it runs on after the request's context ended.
const undoTimeout = 2 * time.Minute

// groupBaselineResourceType names the resource in ownership messages.
const groupBaselineResourceType = "iambaseline_startup_group_baseline"

// undo deletes the groups and policies the run created, after the run failed with cause. It
// returns the error to report: cause, and what is left in IAM when the undo failed too.
func (r *groupBaselineRun) undo(ctx context.Context, cause error) error {
	if len(r.createdGroups)+len(r.createdPolicies) == 0 || ctx.Err() != nil {
		return cause
	}
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	var failed []error
	for _, name := range r.createdGroups {
		if err := r.c.deleteGroupUnseen(uctx, name, true); err != nil {
			failed = append(failed, err)
		}
	}
	for _, arn := range r.createdPolicies {
		if err := r.c.DeletePolicy(uctx, arn); err != nil {
			failed = append(failed, err)
		}
	}
	return undoFailed(cause, failed)
}

// undoFailed is cause, followed by what the undo could not delete.
func undoFailed(cause error, failed []error) error {
	if len(failed) == 0 {
		return fmt.Errorf("%w\n\nWhat this create had made is deleted again.", cause)
	}
	return fmt.Errorf("%w\n\nUndoing this create failed too; left in IAM, carrying the %s tag, so that the next apply of this resource adopts them:\n%s",
		cause, baseline.CreateMarkerTag, bulletList(failed))
}

// raceLost explains a create that met EntityAlreadyExists although the snapshot it started from had
// no such entity: another apply (another state, or another resource of this configuration, with the
// same name_prefix) created it at the same moment. It is that one's.
func raceLost(kind, name string, err error) error {
	if !HasCode(err, alreadyExists...) {
		return err
	}
	return fmt.Errorf("%s (%s) already exists and this resource cannot prove it made it: another apply created it while this one ran "+
		"(another Terraform state or resource with the same name_prefix, applying at the same moment), so it is that one's.\n\n%s: %w",
		kind, name, baseline.OwnershipRemedy(groupBaselineResourceType, name), err)
}

// undoUser deletes the user a failed create made, with everything the create gave it, and returns
// the error to report. A *MissingGroupError has undone its user already.
func (c *Client) undoUser(ctx context.Context, name string, cause error) error {
	var missing *MissingGroupError
	if cause == nil || ctx.Err() != nil || errors.As(cause, &missing) {
		return cause
	}
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	// The step stays outermost: the provider names the failed step and prints its error.
	step, inner := UserStepOf(cause)
	undone := &undoneError{cause: inner, msg: fmt.Sprintf("%s\n\nThe IAM user (%s) this create had made is deleted again.", inner, name)}
	if err := c.OffboardUser(uctx, name, true); err != nil {
		undone.msg = undoFailed(inner, []error{err}).Error()
	}
	if step == "" {
		return undone
	}
	return stepErr(step, undone)
}

// undoneError is a create's error with what its undo did said after it; it unwraps to the create's
// error, so that the step and codes of the failure stay visible to callers.
type undoneError struct {
	cause error
	msg   string
}

func (e *undoneError) Error() string { return e.msg }
func (e *undoneError) Unwrap() error { return e.cause }
