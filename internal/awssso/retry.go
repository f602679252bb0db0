package awssso

import (
	"context"
	"fmt"
	"strings"
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

// writeOnce calls write as retryOnConflict does, and makes it idempotent: the SDK sends a request
// again when the answer to the first copy was lost (a connection reset under load), and AWS answers
// the second copy of a create that went through with a ConflictException or "already exists". Such
// an answer is success (done = true, out the zero value) once confirm reads the result in place;
// otherwise it is a conflict with another operation, and retried.
func writeOnce[T any](ctx context.Context, b backoff, write func(context.Context) (T, error), confirm func(context.Context) (bool, error)) (out T, done bool, err error) {
	out, err = retryOnConflict(ctx, b, func(ctx context.Context) (T, error) {
		out, err := write(ctx)
		if err == nil || !maybeDoneAlready(err) {
			return out, err
		}
		if ok, cerr := confirm(ctx); cerr != nil || !ok {
			return out, err // not there (yet): retried as a conflict
		}
		done = true
		var zero T
		return zero, nil
	})
	return out, done, err
}

// maybeDoneAlready is true for the answers AWS gives a write whose result exists (or is being made
// by an earlier copy of the request).
func maybeDoneAlready(err error) bool {
	msg := strings.ToLower(err.Error())
	return awscore.HasCode(err, "ConflictException") || strings.Contains(msg, "already exist") || strings.Contains(msg, "already attached") ||
		strings.Contains(msg, "duplicate")
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

// removeOrGone sends a removal through retryOnConflict: what is already gone is success; another
// failure is wrapped in doing ("deleting identity store user (x)").
func removeOrGone[T any](ctx context.Context, b backoff, doing string, fn func(context.Context) (T, error)) error {
	if _, err := retryOnConflict(ctx, b, fn); err != nil && !IsNotFound(err) {
		return fmt.Errorf("%s: %w", doing, err)
	}
	return nil
}
