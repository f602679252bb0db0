package awsiam

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// IAM answers LimitExceeded (HTTP 409) when a write would break one of its quotas. The error is not
// retryable: a later attempt fails the same way until someone removes something or raises the
// quota. QuotaError says in plain words which quota was hit and how to proceed.

// IAM operations whose LimitExceeded answer QuotaError explains.
const (
	OpAttachGroupPolicy        = "AttachGroupPolicy"
	OpAttachRolePolicy         = "AttachRolePolicy"
	OpAttachUserPolicy         = "AttachUserPolicy"
	OpAddUserToGroup           = "AddUserToGroup"
	OpCreateUser               = "CreateUser"
	OpCreateGroup              = "CreateGroup"
	OpCreateRole               = "CreateRole"
	OpUpdateAssumeRolePolicy   = "UpdateAssumeRolePolicy"
	OpCreatePolicy             = "CreatePolicy"
	OpCreatePolicyVersion      = "CreatePolicyVersion"
	OpPutGroupPolicy           = "PutGroupPolicy"
	OpPutRolePolicy            = "PutRolePolicy"
	OpPutUserPolicy            = "PutUserPolicy"
	OpTagUser                  = "TagUser"
	OpTagRole                  = "TagRole"
	OpTagPolicy                = "TagPolicy"
	OpCreateInstanceProfile    = "CreateInstanceProfile"
	OpAddRoleToInstanceProfile = "AddRoleToInstanceProfile"
	OpCreateLoginProfile       = "CreateLoginProfile"
)

// QuotaError is a write IAM refused with LimitExceeded, explained.
type QuotaError struct {
	Operation string // IAM operation, e.g. "AttachGroupPolicy"
	Refused   string // "IAM refused to attach policy X to IAM group (Y)"
	Quota     string // which quota, in plain words
	Fix       string // how to proceed
	Err       error  // the SDK error
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("%s: %s. %s (IAM answered LimitExceeded, which retrying cannot clear: %s)", e.Refused, e.Quota, e.Fix, apiMessage(e.Err))
}

func (e *QuotaError) Unwrap() error { return e.Err }

// IsQuotaError is true when err is, or wraps, a QuotaError.
func IsQuotaError(err error) bool {
	var q *QuotaError
	return errors.As(err, &q)
}

var quotaMessage = regexp.MustCompile(`quota for (\w+): (\d+)`)

// quotaFromMessage reads the quota name and limit from IAM's message, e.g. "Cannot exceed quota for
// PoliciesPerGroup: 10" -> ("PoliciesPerGroup", 10).
func quotaFromMessage(err error) (string, int) {
	m := quotaMessage.FindStringSubmatch(apiMessage(err))
	if m == nil {
		return "", 0
	}
	n, _ := strconv.Atoi(m[2])
	return m[1], n
}

func apiMessage(err error) string {
	var apiErr interface{ ErrorMessage() string }
	if errors.As(err, &apiErr) {
		return apiErr.ErrorMessage()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// limitOr returns the limit IAM named, or def when it named none.
func limitOr(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

// explainLimit turns a LimitExceeded answer to op into a *QuotaError; any other error (or nil) is
// wrapped as fmt.Errorf("<doing>: %w"). entity is the name of the entity written to (user, group,
// role, policy), target the other one involved (the policy attached, the group joined), if any.
func explainLimit(err error, op, doing, entity, target string) error {
	if err == nil {
		return nil
	}
	if !HasCode(err, "LimitExceeded") {
		return fmt.Errorf("%s: %w", doing, err)
	}
	q := &QuotaError{Operation: op, Err: err}
	name, n := quotaFromMessage(err)
	switch op {
	case OpAttachGroupPolicy:
		q.Refused = fmt.Sprintf("IAM refused to attach policy %s to IAM group (%s)", target, entity)
		q.Quota = fmt.Sprintf("the group already has %d managed policies attached, the IAM quota of managed policies per group (%d, not adjustable)", limitOr(n, baseline.ManagedPoliciesPerGroup), limitOr(n, baseline.ManagedPoliciesPerGroup))
		q.Fix = "Detach a policy from the group (attachments made outside Terraform count too), combine policies into one customer managed policy, " +
			"or move statements into the group's inline policy (additional_groups[*].inline_policy), then apply again"
	case OpAttachRolePolicy:
		q.Refused = fmt.Sprintf("IAM refused to attach policy %s to IAM role (%s)", target, entity)
		q.Quota = fmt.Sprintf("the role already has %d managed policies attached, the IAM quota of managed policies per role (default 10, raisable to 20 via Service Quotas: IAM > \"Managed policies per role\")", limitOr(n, baseline.ManagedPoliciesPerRoleDefault))
		q.Fix = "Remove an ARN from managed_policy_arns (attachments made outside Terraform count too), combine policies into one customer managed policy or an inline policy, " +
			"or request a quota increase in Service Quotas, then apply again"
	case OpAttachUserPolicy:
		q.Refused = fmt.Sprintf("IAM refused to attach policy %s to IAM user (%s)", target, entity)
		q.Quota = fmt.Sprintf("the user already has %d managed policies attached, the IAM quota of managed policies per user (default 10, raisable to 20 via Service Quotas)", limitOr(n, baseline.ManagedPoliciesPerUserDefault))
		q.Fix = "Detach a policy from the user, or grant permissions through groups instead, then apply again"
	case OpAddUserToGroup:
		q.Refused = fmt.Sprintf("IAM refused to add IAM user (%s) to group (%s)", entity, target)
		q.Quota = fmt.Sprintf("the user is already in %d groups, the IAM quota of groups per user (%d, not adjustable)", limitOr(n, baseline.GroupsPerUser), limitOr(n, baseline.GroupsPerUser))
		q.Fix = "Remove the user from a group it no longer needs (memberships made outside Terraform count too) or list fewer groups in groups, then apply again"
	case OpCreatePolicyVersion:
		q.Refused = fmt.Sprintf("IAM refused to create a new version of policy %s", entity)
		q.Quota = "the policy already has 5 versions, the IAM quota of versions per managed policy (not adjustable)"
		q.Fix = "Something else created a version while this apply ran: delete a non-default version (aws iam delete-policy-version) and apply again"
	case OpCreatePolicy:
		q.Refused = fmt.Sprintf("IAM refused to create the customer managed policy %s", entity)
		if name == "PolicySize" {
			q.Quota = fmt.Sprintf("its document is larger than the IAM quota of %d non-whitespace characters per managed policy (not adjustable)", limitOr(n, baseline.ManagedPolicyMaxChars))
			q.Fix = "Split the document into several policies or shorten it (fewer resources or wildcards), then apply again"
		} else {
			q.Quota = "the account reached its quota of customer managed policies (default 1,500, raisable to 5,000 via Service Quotas: IAM > \"Customer managed policies per account\")"
			q.Fix = "Delete unused customer managed policies or request a quota increase, then apply again"
		}
	case OpCreateUser:
		q.Refused = fmt.Sprintf("IAM refused to create IAM user (%s)", entity)
		q.Quota = fmt.Sprintf("the account reached the IAM quota of %d users (not adjustable)", limitOr(n, baseline.UsersPerAccount))
		q.Fix = "Delete users who left, or move people to IAM Identity Center, then apply again"
	case OpCreateGroup:
		q.Refused = fmt.Sprintf("IAM refused to create IAM group (%s)", entity)
		q.Quota = "the account reached its quota of groups (default 300, raisable to 500 via Service Quotas: IAM > \"Groups per account\")"
		q.Fix = "Delete unused groups or request a quota increase, then apply again"
	case OpCreateRole, OpUpdateAssumeRolePolicy:
		q.Refused = fmt.Sprintf("IAM refused to write IAM role (%s)", entity)
		if op == OpUpdateAssumeRolePolicy || name == "ACLSizePerRole" {
			q.Quota = fmt.Sprintf("its trust policy is longer than the IAM quota of %d characters (default 2,048, raisable to 4,096 via Service Quotas: IAM > \"Role trust policy length\")", limitOr(n, 2048))
			q.Fix = "Trust fewer principals (e.g. fewer trusted_account_ids) or request a quota increase, then apply again"
		} else {
			q.Quota = "the account reached its quota of roles (default 1,000, raisable to 5,000 via Service Quotas: IAM > \"Roles per account\")"
			q.Fix = "Delete unused roles or request a quota increase, then apply again"
		}
	case OpPutGroupPolicy, OpPutRolePolicy, OpPutUserPolicy:
		kind, limit := map[string]string{OpPutGroupPolicy: "group", OpPutRolePolicy: "role", OpPutUserPolicy: "user"}[op],
			map[string]int{OpPutGroupPolicy: 5120, OpPutRolePolicy: 10240, OpPutUserPolicy: 2048}[op]
		q.Refused = fmt.Sprintf("IAM refused to put inline policy %s of IAM %s (%s)", target, kind, entity)
		q.Quota = fmt.Sprintf("the inline policies of one %s may total at most %d non-whitespace characters, an IAM quota (not adjustable)", kind, limitOr(n, limit))
		q.Fix = "Shorten the inline policies, or move statements into a customer managed policy and attach it, then apply again"
	case OpTagUser, OpTagRole, OpTagPolicy:
		kind := map[string]string{OpTagUser: "IAM user", OpTagRole: "IAM role", OpTagPolicy: "IAM policy"}[op]
		q.Refused = fmt.Sprintf("IAM refused to tag %s (%s)", kind, entity)
		q.Quota = fmt.Sprintf("an IAM entity carries at most %d tags (not adjustable), counting the provider's default_tags and tags added outside Terraform", limitOr(n, 50))
		q.Fix = "Remove tags (from tags, default_tags, or those added outside Terraform), then apply again"
	case OpCreateInstanceProfile:
		q.Refused = fmt.Sprintf("IAM refused to create instance profile (%s)", entity)
		q.Quota = "the account reached its quota of instance profiles (default 1,000, raisable to 5,000 via Service Quotas)"
		q.Fix = "Delete unused instance profiles or request a quota increase, then apply again"
	case OpAddRoleToInstanceProfile:
		q.Refused = fmt.Sprintf("IAM refused to add IAM role (%s) to instance profile (%s)", entity, target)
		q.Quota = "the instance profile already holds a role, and an instance profile holds at most one (not adjustable)"
		q.Fix = "Remove the other role from that instance profile or delete the instance profile, then apply again"
	default:
		q.Refused = "IAM refused " + doing
		q.Quota = "an IAM quota was reached"
		if name != "" {
			q.Quota = fmt.Sprintf("the IAM quota %s (%d) was reached", name, n)
		}
		q.Fix = "Remove something that counts against it or request an increase in Service Quotas, then apply again"
	}
	return q
}
