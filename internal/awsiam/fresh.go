package awsiam

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// IAM answers NoSuchEntity for a while about an entity that was just created or renamed (its
// replicas lag). That answer is worth waiting out only for entities this process made (or renamed)
// within PropagationTimeout: about anything else it is the truth (a mistyped group, a policy ARN that
// does not exist, an entity deleted out of band), and waiting two minutes for it only delays the
// failure and leaves half-made entities behind.

// entityRef names an IAM entity a request depends on.
type entityRef struct {
	kind string // "user", "group", "role", "policy" (by ARN), "instanceprofile", "loginprofile"
	name string
}

func (r entityRef) key() string { return r.kind + ":" + r.name }

func userRef(name string) entityRef            { return entityRef{"user", name} }
func groupRef(name string) entityRef           { return entityRef{"group", name} }
func roleRef(name string) entityRef            { return entityRef{"role", name} }
func policyRef(arn string) entityRef           { return entityRef{"policy", arn} }
func instanceProfileRef(name string) entityRef { return entityRef{"instanceprofile", name} }
func loginProfileRef(user string) entityRef    { return entityRef{"loginprofile", user} }

// markFresh remembers that this process created (or renamed to) the entity now.
func (c *Client) markFresh(r entityRef) { c.fresh.Store(r.key(), time.Now()) }

// forget drops the entity from what this process made (it deleted it).
func (c *Client) forget(r entityRef) { c.fresh.Delete(r.key()) }

// isFresh tells whether this process created or renamed the entity within the propagation window.
func (c *Client) isFresh(r entityRef) bool {
	v, ok := c.fresh.Load(r.key())
	created, isTime := v.(time.Time)
	return ok && isTime && time.Since(created) < PropagationTimeout
}

// retryReadWhenFresh retries a read of an entity while this process's own create or rename of it
// propagates; a read of any other entity is sent once (NoSuchEntity then means it is gone).
func retryReadWhenFresh[T any](ctx context.Context, c *Client, r entityRef, fn func(context.Context) (T, error)) (T, error) {
	return retryWhile(ctx, PropagationTimeout, func(err error) bool {
		return IsNotFound(err) && c.isFresh(r)
	}, fn)
}

// retryWrite sends a write that names refs. It retries ConcurrentModification and the like within
// ModifyTimeout. NoSuchEntity is retried only while one of refs is fresh (made by this process
// moments ago) and every other one is confirmed to exist by a point read: then the answer is IAM's
// propagation delay. Otherwise the write fails at once, naming the entity that does not exist.
func retryWrite[T any](ctx context.Context, c *Client, fn func(context.Context) (T, error), refs ...entityRef) (T, error) {
	confirmed := map[string]bool{}
	var missing error
	out, err := retryWhile(ctx, PropagationTimeout, func(err error) bool {
		if HasCode(err, retriedOnModify...) {
			return true
		}
		if !IsNotFound(err) {
			return false
		}
		anyFresh := false
		for _, r := range refs {
			if c.isFresh(r) {
				anyFresh = true
			}
		}
		if !anyFresh {
			return false
		}
		for _, r := range refs {
			if c.isFresh(r) || confirmed[r.key()] {
				continue
			}
			exists, cerr := c.exists(ctx, r)
			if cerr != nil || !exists {
				if cerr == nil {
					missing = &NotFoundError{Kind: kindOf(r), Name: r.name, Err: err}
				}
				return false
			}
			confirmed[r.key()] = true
		}
		return true
	}, fn)
	if missing != nil {
		return out, missing
	}
	return out, err
}

func kindOf(r entityRef) string {
	switch r.kind {
	case "user":
		return kindUser
	case "group":
		return "IAM group"
	case "role":
		return kindRole
	case "policy":
		return "IAM policy"
	case "instanceprofile":
		return kindInstanceProfile
	}
	return "IAM " + r.kind
}

// exists reads the entity once, without waiting for propagation.
func (c *Client) exists(ctx context.Context, r entityRef) (bool, error) {
	var err error
	switch r.kind {
	case "user":
		_, err = c.iamAPI.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(r.name)})
	case "group":
		_, err = c.iamAPI.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(r.name), MaxItems: aws.Int32(1)})
	case "role":
		_, err = c.iamAPI.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(r.name)})
	case "policy":
		_, err = c.iamAPI.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(r.name)})
	case "instanceprofile":
		_, err = c.iamAPI.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(r.name)})
	default:
		return false, fmt.Errorf("no point read for %s", r.key())
	}
	if IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// explained is how a failed write is explained (explainLimit): the quota operation, what was being
// done, and the entity and target it names.
type explained struct{ op, doing, entity, target string }

// writeExplained sends a write through retryWrite (refs: the entities this process may have made
// moments ago) and explains a failure the way why says, naming the IAM quota it hit.
func writeExplained[T any](ctx context.Context, c *Client, why explained, fn func(context.Context) (T, error), refs ...entityRef) error {
	if _, err := retryWrite(ctx, c, fn, refs...); err != nil {
		return explainLimit(err, why.op, why.doing, why.entity, why.target)
	}
	return nil
}
