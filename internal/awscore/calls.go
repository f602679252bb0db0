package awscore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/timing"
)

// CallCounter counts the requests the provider sends to AWS, per operation, attempts included.
// It also keeps a write generation: every request that is not a read bumps it, which is how cached
// reads know they may be stale.
type CallCounter struct {
	mu     sync.Mutex
	counts map[string]int
	writes atomic.Uint64
}

// NewCallCounter returns an empty counter.
func NewCallCounter() *CallCounter { return &CallCounter{counts: map[string]int{}} }

// APIOptions installs the counting middleware on an SDK client. It also counts attempts for
// WithAttemptCount and the busy time of internal/timing.
func (c *CallCounter) APIOptions() []func(*middleware.Stack) error {
	return []func(*middleware.Stack) error{func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("iambaselineCallCounter",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				c.record(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx))
				countAttempt(ctx)
				defer timing.AWS.Start()()
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	}}
}

func (c *CallCounter) record(service, op string) {
	c.mu.Lock()
	c.counts[service+":"+op]++
	c.mu.Unlock()
	if !IsReadOperation(op) {
		c.writes.Add(1)
	}
}

// IsReadOperation tells whether an operation (IAM, STS, CloudTrail, Logs, CloudWatch, SNS, S3,
// sso-admin, identitystore) only reads.
func IsReadOperation(op string) bool {
	for _, p := range []string{"Get", "List", "Simulate", "Generate", "Describe", "Head", "Lookup"} {
		if strings.HasPrefix(op, p) {
			return true
		}
	}
	return false
}

// Writes is the operations of ops that change something (not IsReadOperation), in order.
func Writes(ops []string) []string {
	var out []string
	for _, op := range ops {
		if !IsReadOperation(op) {
			out = append(out, op)
		}
	}
	return out
}

// WriteGeneration changes whenever the process sends a write.
func (c *CallCounter) WriteGeneration() uint64 { return c.writes.Load() }

// Counts returns a copy of the per-operation counts ("IAM:GetUser" => 3).
func (c *CallCounter) Counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.counts)
}

// Total is the number of requests sent so far.
func (c *CallCounter) Total() int {
	total := 0
	for _, v := range c.Counts() {
		total += v
	}
	return total
}

// Summary renders the counts on one line, sorted by operation.
func (c *CallCounter) Summary() string {
	counts := c.Counts()
	parts := make([]string, 0, len(counts))
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, counts[k]))
	}
	return fmt.Sprintf("%d AWS requests: %s", c.Total(), strings.Join(parts, " "))
}

type attemptCountKey struct{}

// WithAttemptCount returns a context under which every attempt the SDK sends (retries included) is
// counted in the returned counter. It needs the counting middleware (CountAttempts, or a
// CallCounter's APIOptions).
func WithAttemptCount(ctx context.Context) (context.Context, *atomic.Int32) {
	n := new(atomic.Int32)
	return context.WithValue(ctx, attemptCountKey{}, n), n
}

// CountAttempts is the API option that counts attempts for WithAttemptCount, for SDK clients
// without a CallCounter.
func CountAttempts(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("iambaselineAttemptCounter",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			countAttempt(ctx)
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}

func countAttempt(ctx context.Context) {
	if n, ok := ctx.Value(attemptCountKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
}
