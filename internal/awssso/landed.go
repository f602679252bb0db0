package awssso

import (
	"context"
	"fmt"
	"time"
)

// No unowned leftovers (issue 25 item 2). A create of this package records what it made as each
// step succeeds (cur of ApplyBaseline and ApplyUser), and the provider records that state even when
// a later step fails: Terraform then marks the resource tainted, the next apply replaces it and
// destroy removes it. What a step that failed may have made is recorded too: a create whose answer
// never came (every copy of the request answered with an error after the first went through, or
// Terraform cancelled the request while it was in flight) is looked up by its name once, after the
// failure and whatever the request's context, and recorded when it is there. The name did not exist
// when the apply read it (the resource refuses to create over an existing one), so what is found
// under it is this apply's.

// landedTimeout bounds the look-up after a failed create; it runs on after the request's context ended.
const landedTimeout = 30 * time.Second

// landed returns the id find gives (what a failed create made after all), or "" when there is none
// or the look-up fails too.
func landed(ctx context.Context, find func(context.Context) (string, error)) string {
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), landedTimeout)
	defer cancel()
	id, err := find(lctx)
	if err != nil {
		return ""
	}
	return id
}

// landedErr is the error of a failed create of kind (name), saying what became of it.
func landedErr(what, kind, name, id string, err error) error {
	if id == "" {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w\n\nThe %s (%s, %s) was made all the same: it is recorded in state, so that the next apply goes on from it (replacing a tainted resource) and destroy removes it.",
		what, err, kind, name, id)
}
