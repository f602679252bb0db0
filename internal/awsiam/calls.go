package awsiam

import (
	"context"
	"fmt"
	"sort"
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

// APIOptions installs the counting middleware on an SDK client.
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

// IsReadOperation tells whether an operation (IAM, STS, CloudTrail, Logs, CloudWatch, SNS, S3) only reads.
func IsReadOperation(op string) bool {
	for _, p := range []string{"Get", "List", "Simulate", "Generate", "Describe", "Head", "Lookup"} {
		if strings.HasPrefix(op, p) {
			return true
		}
	}
	return false
}

// WriteGeneration changes whenever the process sends a write.
func (c *CallCounter) WriteGeneration() uint64 { return c.writes.Load() }

// Counts returns a copy of the per-operation counts ("IAM:GetUser" => 3).
func (c *CallCounter) Counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
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
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, counts[k]))
	}
	return fmt.Sprintf("%d AWS requests: %s", c.Total(), strings.Join(parts, " "))
}
