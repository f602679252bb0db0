package awssso

import (
	"context"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// backoff bounds the retries of ConflictException and throttling and the polling of asynchronous
// operations.
type backoff struct {
	start, max time.Duration
	// retryWindow bounds how long a write is retried on conflicts and throttling.
	retryWindow time.Duration
	// pollWindow bounds how long a provisioning or assignment request is polled.
	pollWindow time.Duration
}

var defaultBackoff = backoff{start: 500 * time.Millisecond, max: 10 * time.Second, retryWindow: 5 * time.Minute, pollWindow: 10 * time.Minute}

// retryableCodes are the answers that mean "try again later": another operation on the same account
// or permission set is in flight, or the caller is throttled. The SDK's own retryer retries
// throttling a few times; bursts at scale outlast it.
var retryableCodes = []string{"ConflictException", "ThrottlingException", "TooManyRequestsException", "Throttling"}

// notFoundCodes are the answers of a missing permission set, group, user or assignment.
var notFoundCodes = []string{"ResourceNotFoundException"}

// IsNotFound is true when err says the thing does not exist.
func IsNotFound(err error) bool {
	return awsiam.IsNotFound(err) || awsiam.HasCode(err, notFoundCodes...)
}

func notFound(kind, name string, err error) error {
	if err != nil && awsiam.HasCode(err, notFoundCodes...) {
		return &awsiam.NotFoundError{Kind: kind, Name: name, Err: err}
	}
	return err
}

// retryOnConflict calls fn until it succeeds, fails with an error that is not a conflict or
// throttling, the retry window passes or ctx is cancelled; the wait doubles up to b.max.
func retryOnConflict[T any](ctx context.Context, b backoff, fn func(context.Context) (T, error)) (T, error) {
	deadline := time.Now().Add(b.retryWindow)
	wait := b.start
	for {
		out, err := fn(ctx)
		if err == nil || !awsiam.HasCode(err, retryableCodes...) || time.Now().Add(wait).After(deadline) {
			return out, err
		}
		if err := sleep(ctx, wait); err != nil {
			var zero T
			return zero, err
		}
		wait = min(2*wait, b.max)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
