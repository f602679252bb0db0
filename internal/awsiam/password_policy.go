package awsiam

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// PasswordPolicyID is the fixed identifier of the account's password policy, a singleton.
const PasswordPolicyID = "iam-account-password-policy"

// GetAccountPasswordPolicy returns the account's password policy, or nil (and no error) when the
// account has none, i.e. AWS's defaults apply.
func (c *Client) GetAccountPasswordPolicy(ctx context.Context) (*types.PasswordPolicy, error) {
	out, err := c.IAM.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil {
		if IsNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading IAM account password policy: %w", err)
	}
	return out.PasswordPolicy, nil
}

// UpdateAccountPasswordPolicy creates or replaces the account's password policy.
func (c *Client) UpdateAccountPasswordPolicy(ctx context.Context, in *iam.UpdateAccountPasswordPolicyInput) error {
	_, err := RetryOnModify(ctx, func(ctx context.Context) (*iam.UpdateAccountPasswordPolicyOutput, error) {
		return c.IAM.UpdateAccountPasswordPolicy(ctx, in)
	})
	c.forgetPasswordPolicy()
	if err != nil {
		return fmt.Errorf("updating IAM account password policy: %w", err)
	}
	return nil
}

// DeleteAccountPasswordPolicy removes the account's password policy; none at all is success.
func (c *Client) DeleteAccountPasswordPolicy(ctx context.Context) error {
	_, err := RetryOnModify(ctx, func(ctx context.Context) (*iam.DeleteAccountPasswordPolicyOutput, error) {
		return c.IAM.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
	})
	c.forgetPasswordPolicy()
	if err != nil && !IsNotFound(err) {
		return fmt.Errorf("deleting IAM account password policy: %w", err)
	}
	return nil
}

// forgetPasswordPolicy drops the policy PasswordPolicy cached: this process changed it (or may have:
// a write whose answer was lost counts too), so the next password is generated for the new one.
func (c *Client) forgetPasswordPolicy() {
	c.pwMu.Lock()
	c.pwPolicy = nil
	c.pwMu.Unlock()
}
