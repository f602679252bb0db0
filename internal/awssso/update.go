package awssso

import (
	"context"
	"slices"
)

// RemoveSetsError is the failure of UpdateBaseline's first step, removing the job functions no
// longer wanted; nothing of the new spec has been applied yet.
type RemoveSetsError struct{ Err error }

func (e *RemoveSetsError) Error() string { return e.Err.Error() }
func (e *RemoveSetsError) Unwrap() error { return e.Err }

// UpdateBaseline moves a baseline last applied as old to spec, in two steps that each read what
// exists first: the sets of old that spec no longer names are destroyed (a failure is a
// *RemoveSetsError), then spec is applied over what exists, reading the accounts and tags old had
// too so that dropped assignments and tags are removed. The state is the one read before the apply
// step, updated as its writes succeed (nil when that read failed), so that the caller can record
// what exists even when a later write fails.
func (c *Client) UpdateBaseline(ctx context.Context, old, spec BaselineSpec) (*BaselineState, error) {
	removed := old
	removed.Sets = slices.DeleteFunc(slices.Clone(old.Sets), func(s SetSpec) bool {
		return slices.ContainsFunc(spec.Sets, func(n SetSpec) bool { return n.Name == s.Name })
	})
	removed.ForceDestroy = spec.ForceDestroy
	if len(removed.Sets) > 0 {
		gone, err := c.ReadBaseline(ctx, removed)
		if err == nil {
			err = c.DestroyBaseline(ctx, removed, gone)
		}
		if err != nil {
			return nil, &RemoveSetsError{Err: err}
		}
	}
	read := spec
	read.AccountIDs = appendMissing(spec.AccountIDs, old.AccountIDs)
	read.ReadTags = spec.ReadTags || old.ReadTags // tags to remove are read too
	cur, err := c.ReadBaseline(ctx, read)
	if err != nil {
		return nil, err
	}
	return cur, c.ApplyBaseline(ctx, spec, cur)
}

// UpdateUser reads the user of spec and makes it match spec (ApplyUser). The state is nil when the
// read failed, else what exists, updated as writes succeed.
func (c *Client) UpdateUser(ctx context.Context, spec UserSpec) (*UserState, error) {
	cur, err := c.ReadUser(ctx, spec)
	if err != nil {
		return nil, err
	}
	return cur, c.ApplyUser(ctx, spec, cur)
}

// appendMissing is a and the elements of b not in a, in order.
func appendMissing(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
