package awscore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
)

func apiError(code string) error { return &smithy.GenericAPIError{Code: code, Message: code} }

func TestNotFound(t *testing.T) {
	err := NotFound("CloudTrail trail", "main", fmt.Errorf("getting: %w", apiError("TrailNotFoundException")), "TrailNotFoundException")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Kind != "CloudTrail trail" || nf.Name != "main" || !IsNotFound(err) {
		t.Fatalf("got %v, want a NotFoundError of the trail", err)
	}
	if other := NotFound("x", "y", apiError("AccessDenied"), "TrailNotFoundException"); IsNotFound(other) || errors.As(other, &nf) {
		t.Fatalf("AccessDenied taken for not found: %v", other)
	}
	if !IsNotFound(apiError("NoSuchEntity"), "NoSuchEntity") || IsNotFound(apiError("NoSuchEntity")) {
		t.Fatal("IsNotFound does not follow the codes it is given")
	}
	if NotFound("x", "y", nil, "NoSuchEntity") != nil {
		t.Fatal("nil is not passed through")
	}
}

func TestRetry(t *testing.T) {
	b := Backoff{Start: time.Millisecond, Max: 2 * time.Millisecond, Window: time.Second}
	calls := 0
	out, err := Retry(context.Background(), b, OnCodes("Conflict"), func(context.Context) (int, error) {
		calls++
		if calls < 3 {
			return 0, apiError("Conflict")
		}
		return calls, nil
	})
	if err != nil || out != 3 {
		t.Fatalf("got %d, %v after %d calls, want success on the third", out, err, calls)
	}
	calls = 0
	if _, err := Retry(context.Background(), b, OnCodes("Conflict"), func(context.Context) (int, error) {
		calls++
		return 0, apiError("AccessDenied")
	}); ErrorCode(err) != "AccessDenied" || calls != 1 {
		t.Fatalf("another error was retried: %v after %d calls", err, calls)
	}
	// Bounded: the window ends the loop with the last error.
	calls = 0
	short := Backoff{Start: 5 * time.Millisecond, Max: 5 * time.Millisecond, Window: 20 * time.Millisecond}
	if _, err := Retry(context.Background(), short, OnCodes("Conflict"), func(context.Context) (int, error) {
		calls++
		return 0, apiError("Conflict")
	}); ErrorCode(err) != "Conflict" || calls < 2 || calls > 5 {
		t.Fatalf("window: %v after %d calls", err, calls)
	}
	// Counted: Retries ends the loop after that many retries, the window unused.
	calls = 0
	counted := Backoff{Start: time.Millisecond, Max: 2 * time.Millisecond, Retries: 3}
	if _, err := Retry(context.Background(), counted, OnCodes("Conflict"), func(context.Context) (int, error) {
		calls++
		return 0, apiError("Conflict")
	}); ErrorCode(err) != "Conflict" || calls != 4 {
		t.Fatalf("counted: %v after %d calls, want 4", err, calls)
	}
	// Cancellable: a cancelled context stops the wait at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	long := Backoff{Start: time.Hour, Max: time.Hour, Window: 2 * time.Hour}
	start := time.Now()
	if _, err := Retry(ctx, long, OnCodes("Conflict"), func(context.Context) (int, error) { return 0, apiError("Conflict") }); ErrorCode(err) != "Conflict" || time.Since(start) > time.Second {
		t.Fatalf("cancelled retry: %v after %s", err, time.Since(start))
	}
}

func TestTagChanges(t *testing.T) {
	remove, set := TagChanges(map[string]string{"a": "1", "b": "2", "c": "3"}, map[string]string{"a": "1", "b": "9", "d": "4"})
	if !slices.Equal(remove, []string{"c"}) || len(set) != 2 || set["b"] != "9" || set["d"] != "4" {
		t.Fatalf("remove %v, set %v", remove, set)
	}
}

func TestCallCounterReadsAndWrites(t *testing.T) {
	c := NewCallCounter()
	c.record("IAM", "GetUser")
	c.record("IAM", "ListUsers")
	gen := c.WriteGeneration()
	c.record("IAM", "CreateUser")
	if c.WriteGeneration() == gen || c.Total() != 3 || c.Counts()["IAM:GetUser"] != 1 {
		t.Fatalf("counts %v, generation %d -> %d", c.Counts(), gen, c.WriteGeneration())
	}
	if got := c.Summary(); got != "3 AWS requests: IAM:CreateUser=1 IAM:GetUser=1 IAM:ListUsers=1" {
		t.Fatalf("summary %q", got)
	}
}

// pages is a paginator over fixed pages; failAt (1-based, 0 for never) is the page that fails.
type pages struct {
	pages  [][]int
	read   int
	failAt int
}

type pageOut struct{ Items []int }

type pageOptions struct{}

func (p *pages) HasMorePages() bool { return p.read < len(p.pages) }

func (p *pages) NextPage(context.Context, ...func(*pageOptions)) (*pageOut, error) {
	p.read++
	if p.read == p.failAt {
		return nil, apiError("Throttling")
	}
	return &pageOut{Items: p.pages[p.read-1]}, nil
}

func TestCollect(t *testing.T) {
	p := &pages{pages: [][]int{{1, 2}, {}, {3}}}
	got, err := Collect(context.Background(), p, func(o *pageOut) []int { return o.Items })
	if err != nil || !slices.Equal(got, []int{1, 2, 3}) || p.read != 3 {
		t.Fatalf("got %v, %v after %d pages", got, err, p.read)
	}
	p = &pages{pages: [][]int{{1}, {2}, {3}}, failAt: 2}
	got, err = Collect(context.Background(), p, func(o *pageOut) []int { return o.Items })
	if ErrorCode(err) != "Throttling" || got != nil || p.read != 2 {
		t.Fatalf("a failed page: got %v, %v after %d pages", got, err, p.read)
	}
	if s := Each([]int{1, 2}, func(i int) string { return strings.Repeat("x", i) }); !slices.Equal(s, []string{"x", "xx"}) {
		t.Fatalf("Each: %v", s)
	}
}
