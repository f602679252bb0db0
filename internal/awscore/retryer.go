package awscore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
)

// DefaultMaxAttempts is the attempts of one AWS request when neither max_retries nor the SDK's
// own settings (AWS_MAX_ATTEMPTS, max_attempts of the shared config) say otherwise: what
// hashicorp/aws uses, enough for a real account's throttling (the SDK's 3 is not).
const DefaultMaxAttempts = 25

// DefaultRetryMode is the retry mode when neither retry_mode nor AWS_RETRY_MODE says otherwise:
// adaptive, whose client-side rate limit slows the provider down when AWS throttles it instead of
// spending the attempts at the throttled rate.
const DefaultRetryMode = aws.RetryModeAdaptive

// DefaultAttemptBudget is the time one attempt adds to a request's total bound (see RetryBound):
// 10 s, so 25 attempts are bounded at about 4 minutes, backoff and client-side waits included.
const DefaultAttemptBudget = 10 * time.Second

// RetrySettings are the retry behaviour of the SDK clients. Zero values take the defaults above.
type RetrySettings struct {
	MaxAttempts int
	Mode        aws.RetryMode
	// Backoff replaces the SDK's exponential jitter backoff (20 s at most); tests shorten it.
	Backoff retry.BackoffDelayer
	// AttemptBudget replaces DefaultAttemptBudget; tests shorten it.
	AttemptBudget time.Duration
}

func (s RetrySettings) attempts() int {
	if s.MaxAttempts > 0 {
		return s.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (s RetrySettings) mode() aws.RetryMode {
	if s.Mode != "" {
		return s.Mode
	}
	return DefaultRetryMode
}

// Bound is the total time one request may take, all attempts included: attempts × budget.
func (s RetrySettings) Bound() time.Duration {
	budget := s.AttemptBudget
	if budget <= 0 {
		budget = DefaultAttemptBudget
	}
	return time.Duration(s.attempts()) * budget
}

// Retryer builds the SDK retryer of the settings. The retry quota is off (ratelimit.None): under
// steady throttling the SDK's quota of 500 tokens runs out after about a hundred retries across
// the whole client, and every later throttled request would then fail at its first answer; the
// attempts of each request and the total bound are what limit retrying here. Adaptive mode adds
// its client-side rate limit on top of the same standard retryer.
func (s RetrySettings) Retryer() func() aws.Retryer {
	standard := func(o *retry.StandardOptions) {
		o.MaxAttempts = s.attempts()
		o.RateLimiter = ratelimit.None
		if s.Backoff != nil {
			o.Backoff = s.Backoff
		}
	}
	if s.mode() == aws.RetryModeAdaptive {
		return func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, standard)
			})
		}
	}
	return func() aws.Retryer { return retry.NewStandard(standard) }
}

// RetryExhaustedError says a request kept failing with retryable errors until its attempts or its
// total time ran out, and which setting gives it more.
type RetryExhaustedError struct {
	Operation string
	Attempts  int           // the attempts made, when they ran out
	Bound     time.Duration // the total time bound, when it ran out
	Err       error
}

func (e *RetryExhaustedError) Error() string {
	if e.Bound > 0 {
		return fmt.Sprintf("%s did not succeed within %s, the time bound of max_retries attempts: AWS kept answering with retryable errors (%v); "+
			"raise max_retries in the provider block (or AWS_MAX_ATTEMPTS) to wait longer", e.Operation, e.Bound, e.Err)
	}
	return fmt.Sprintf("%s failed after %d attempts (max_retries): AWS kept answering with retryable errors (%v); "+
		"raise max_retries in the provider block (or AWS_MAX_ATTEMPTS) to retry longer", e.Operation, e.Attempts, e.Err)
}

func (e *RetryExhaustedError) Unwrap() error { return e.Err }

// RetryBound is the API option that bounds each request's total time (s.Bound, cancelled early
// with the caller's ctx) and turns running out of attempts or time into a *RetryExhaustedError.
func RetryBound(s RetrySettings) func(*middleware.Stack) error {
	bound := s.Bound()
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("iambaselineRetryBound",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				bounded, cancel := context.WithTimeout(ctx, bound)
				defer cancel()
				out, md, err := next.HandleInitialize(bounded, in)
				if err == nil {
					return out, md, nil
				}
				op := awsmiddleware.GetServiceID(ctx) + " " + awsmiddleware.GetOperationName(ctx)
				var maxErr *retry.MaxAttemptsError
				switch {
				case errors.As(err, &maxErr):
					return out, md, &RetryExhaustedError{Operation: op, Attempts: maxErr.Attempt, Err: maxErr.Err}
				case ctx.Err() == nil && errors.Is(bounded.Err(), context.DeadlineExceeded):
					return out, md, &RetryExhaustedError{Operation: op, Bound: bound, Err: err}
				}
				return out, md, err
			}), middleware.Before)
	}
}
