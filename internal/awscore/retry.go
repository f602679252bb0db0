package awscore

import (
	"context"
	"time"
)

// Backoff bounds a retry loop: the first wait, the longest wait (each doubles up to it), and the
// window after which the last error is returned. Retries, when above 0, bounds the loop by a count
// instead: at most that many attempts after the first, however long they take (Window is not used).
type Backoff struct {
	Start, Max, Window time.Duration
	Retries            int
}

// over is true when the retry after attempt (0 for the first) would wait beyond b's bound.
func (b Backoff) over(attempt int, wait time.Duration, deadline time.Time) bool {
	if b.Retries > 0 {
		return attempt >= b.Retries
	}
	return time.Now().Add(wait).After(deadline)
}

// Retry calls fn until it succeeds, fails with an error retryable says no to, the next wait would
// end after the window, or ctx is cancelled. The last answer is returned: a cancelled wait returns
// the error of the attempt before it.
func Retry[T any](ctx context.Context, b Backoff, retryable func(error) bool, fn func(context.Context) (T, error)) (T, error) {
	deadline := time.Now().Add(b.Window)
	wait := b.Start
	for attempt := 0; ; attempt++ {
		out, err := fn(ctx)
		if err == nil || !retryable(err) || b.over(attempt, wait, deadline) {
			return out, err
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return out, err
		case <-timer.C:
		}
		wait = min(wait*2, b.Max)
	}
}

// OnCodes is a retryable predicate: the error carries one of codes.
func OnCodes(codes ...string) func(error) bool {
	return func(err error) bool { return HasCode(err, codes...) }
}
