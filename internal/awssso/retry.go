package awssso

import (
	"context"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
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

// IsNotFound is true when err says the thing does not exist (IAM's NoSuchEntity included).
func IsNotFound(err error) bool {
	return awscore.IsNotFound(err, "ResourceNotFoundException", "NoSuchEntity")
}

func notFound(kind, name string, err error) error {
	return awscore.NotFound(kind, name, err, notFoundCodes...)
}

// retryOnConflict calls fn until it succeeds, fails with an error that is not a conflict or
// throttling, the retry window passes or ctx is cancelled (then ctx's error is returned); the wait
// doubles up to b.max.
func retryOnConflict[T any](ctx context.Context, b backoff, fn func(context.Context) (T, error)) (T, error) {
	out, err := awscore.Retry(ctx, awscore.Backoff{Start: b.start, Max: b.max, Window: b.retryWindow}, awscore.OnCodes(retryableCodes...), fn)
	if err != nil && ctx.Err() != nil {
		var zero T
		return zero, ctx.Err()
	}
	return out, err
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
