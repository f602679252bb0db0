package awsactivity

import (
	"context"
	"fmt"
)

// UpdateStep names the step of Update that failed.
type UpdateStep string

// The steps of Update, in order.
const (
	StepRead         UpdateStep = "read"
	StepApply        UpdateStep = "apply"
	StepReleaseTopic UpdateStep = "release topic"
	StepTag          UpdateStep = "tag"
)

// UpdateError is the error of one step of Update.
type UpdateError struct {
	Step UpdateStep
	Err  error
}

func (e *UpdateError) Error() string { return fmt.Sprintf("%s: %v", e.Step, e.Err) }
func (e *UpdateError) Unwrap() error { return e.Err }

// Change is what an update moves from: the topic the alarms notified (and whether it was the
// resource's own, and the subscriptions the resource had on it) and the tags the pieces carried.
type Change struct {
	OldTopicARN  string
	OwnOldTopic  bool
	OldEndpoints []string
	OldTags      map[string]string
	RetagNeeded  bool // the tags changed: every piece is retagged from OldTags
}

// Update makes what exists match spec after a change of the configuration: it reads the current
// state, applies spec (Apply), releases the previous topic when the alarms moved to another one
// (deleting the resource's own topic, or taking its subscriptions off the user's), and retags the
// pieces when the tags changed.
func (c *Client) Update(ctx context.Context, spec Spec, ch Change) error {
	cur, err := c.ReadState(ctx, spec.Names)
	if err != nil {
		return &UpdateError{StepRead, err}
	}
	if err := c.Apply(ctx, spec, cur); err != nil {
		return &UpdateError{StepApply, err}
	}
	if ch.OldTopicARN != "" && ch.OldTopicARN != spec.TopicARN {
		if err := c.ReleaseTopic(ctx, ch.OldTopicARN, ch.OwnOldTopic, ch.OldEndpoints); err != nil {
			return &UpdateError{StepReleaseTopic, err}
		}
	}
	if ch.RetagNeeded {
		after, err := c.ReadState(ctx, spec.Names)
		if err == nil {
			err = c.UpdateTags(ctx, spec, ch.OldTags, after)
		}
		if err != nil {
			return &UpdateError{StepTag, err}
		}
	}
	return nil
}
