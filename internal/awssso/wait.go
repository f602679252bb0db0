package awssso

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

type opState int

const (
	inProgress opState = iota
	succeeded
	failed
)

type opStatus struct {
	state  opState
	reason string
}

func statusOf(s ssotypes.StatusValues, reason *string) opStatus {
	switch s {
	case ssotypes.StatusValuesSucceeded:
		return opStatus{state: succeeded}
	case ssotypes.StatusValuesFailed:
		return opStatus{state: failed, reason: aws.ToString(reason)}
	default:
		return opStatus{state: inProgress}
	}
}

// poll describes an asynchronous request until it leaves IN_PROGRESS, the poll window passes or ctx
// is cancelled. Conflicts and throttling of the describe call are waited out like IN_PROGRESS.
func (c *Client) poll(ctx context.Context, describe func(context.Context) (opStatus, error)) (opStatus, error) {
	deadline := time.Now().Add(c.backoff.pollWindow)
	wait := c.backoff.start
	for {
		if err := sleep(ctx, wait); err != nil {
			return opStatus{}, err
		}
		st, err := retryOnConflict(ctx, c.backoff, describe)
		if err != nil {
			return opStatus{}, err
		}
		if st.state != inProgress {
			return st, nil
		}
		if time.Now().Add(wait).After(deadline) {
			return opStatus{}, fmt.Errorf("still IN_PROGRESS after %s: run terraform apply again to resume waiting (nothing is lost)", c.backoff.pollWindow)
		}
		wait = min(2*wait, c.backoff.max)
	}
}

// OperationFailedError is a provisioning or assignment request AWS reported FAILED.
type OperationFailedError struct {
	Operation string
	Reason    string
}

func (e *OperationFailedError) Error() string {
	reason := e.Reason
	if reason == "" {
		reason = "AWS gave no reason"
	}
	return fmt.Sprintf("%s: FAILED: %s. %s", e.Operation, reason, failureHint(e.Reason))
}

// failureHint says what usually causes a provisioning or assignment failure and how to fix it.
func failureHint(reason string) string {
	switch {
	case containsAny(reason, "policy", "Policy", "MalformedPolicy", "LimitExceeded"):
		return "The permission set's policies were refused in the target account: a customer managed policy reference must exist in every account, and the inline policy must fit the account's IAM limits."
	case containsAny(reason, "role", "Role", "AWSReservedSSO"):
		return "The role IAM Identity Center creates in the account (AWSReservedSSO_...) could not be written: check for an SCP that denies iam:* on AWSReservedSSO_* roles, or a role of that name edited by hand."
	case containsAny(reason, "account", "Account"):
		return "Check the account is an active member of the organization and not suspended."
	default:
		return "Check the AWS CloudTrail events of sso.amazonaws.com in the target account, then run terraform apply again."
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
