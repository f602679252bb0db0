package awsiam

import (
	"context"
	"fmt"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// IAM is eventually consistent: an entity just created may answer NoSuchEntity for a while, and
// concurrent changes to one entity fail with ConcurrentModification. These windows are bounded.
const (
	PropagationTimeout = 2 * time.Minute
	ModifyTimeout      = 2 * time.Minute
)

// retriedOnModify are the error codes that a later attempt of the same write can clear.
var retriedOnModify = []string{"ConcurrentModification", "EntityTemporarilyUnmodifiable", "ServiceFailure"}

// existingLagWindow is how long a read of an entity that IAM has just called existing
// (EntityAlreadyExists) may answer NoSuchEntity, its replicas lagging, before that answer is taken
// for the truth (the entity is elsewhere: another path). Tests shorten it.
var existingLagWindow = 15 * time.Second

// Backoff between attempts of the helpers below; tests shorten it.
var (
	backoffStart = 200 * time.Millisecond
	backoffMax   = 5 * time.Second
)

// retryWhile calls fn until it succeeds, fails with an error retryable says no to, the timeout
// passes, or ctx is cancelled (awscore.Retry with this package's backoff). The last error is returned.
func retryWhile[T any](ctx context.Context, timeout time.Duration, retryable func(error) bool, fn func(context.Context) (T, error)) (T, error) {
	return awscore.Retry(ctx, awscore.Backoff{Start: backoffStart, Max: backoffMax, Window: timeout}, retryable, fn)
}

// RetryWhenNew retries fn on NoSuchEntity during IAM's propagation window, for reads right after a
// create (isNew) only: a read of an older entity that answers NoSuchEntity means it is gone.
func RetryWhenNew[T any](ctx context.Context, isNew bool, fn func(context.Context) (T, error)) (T, error) {
	if !isNew {
		return fn(ctx)
	}
	return retryWhile(ctx, PropagationTimeout, IsNotFound, fn)
}

// RetryOnModify retries a write that failed with ConcurrentModification or
// EntityTemporarilyUnmodifiable. NoSuchEntity is retried only by retryWrite, for entities this
// process made moments ago (fresh.go).
func RetryOnModify[T any](ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	return retryWhile(ctx, ModifyTimeout, awscore.OnCodes(retriedOnModify...), fn)
}

// removeEach calls remove for every item in turn, stopping at the first failure.
func removeEach[T any](items []T, remove func(T) error) error {
	for _, item := range items {
		if err := remove(item); err != nil {
			return err
		}
	}
	return nil
}

// removeOrGone sends a removal through RetryOnModify: what is already gone (or was never there) is
// success; any other failure is wrapped in doing ("deleting IAM group (x)").
func removeOrGone[T any](ctx context.Context, doing string, fn func(context.Context) (T, error)) error {
	if _, err := RetryOnModify(ctx, fn); err != nil && !IsNotFound(err) {
		return fmt.Errorf("%s: %w", doing, err)
	}
	return nil
}

// deleteEntity deletes an entity through removeOrGone and, once it is gone, forgets that this
// process made it (ref).
func deleteEntity[T any](ctx context.Context, c *Client, doing string, ref entityRef, fn func(context.Context) (T, error)) error {
	if err := removeOrGone(ctx, doing, fn); err != nil {
		return err
	}
	c.forget(ref)
	return nil
}
