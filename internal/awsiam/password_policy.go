package awsiam

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// PasswordPolicyID is the fixed identifier of the account's password policy, a singleton.
const PasswordPolicyID = "iam-account-password-policy"

// PasswordPolicySettings is the account's password policy as a whole. MaxPasswordAge and
// PasswordReusePrevention 0 mean "never expire" and "no reuse check".
type PasswordPolicySettings struct {
	MinimumPasswordLength      int
	RequireLowercaseCharacters bool
	RequireUppercaseCharacters bool
	RequireNumbers             bool
	RequireSymbols             bool
	AllowUsersToChangePassword bool
	MaxPasswordAge             int
	PasswordReusePrevention    int
	HardExpiry                 bool
	// ExpirePasswords is what AWS reports (read only).
	ExpirePasswords bool
}

func passwordPolicySettingsFrom(p *types.PasswordPolicy) *PasswordPolicySettings {
	if p == nil {
		return nil
	}
	return &PasswordPolicySettings{
		MinimumPasswordLength:      int(aws.ToInt32(p.MinimumPasswordLength)),
		RequireLowercaseCharacters: p.RequireLowercaseCharacters,
		RequireUppercaseCharacters: p.RequireUppercaseCharacters,
		RequireNumbers:             p.RequireNumbers,
		RequireSymbols:             p.RequireSymbols,
		AllowUsersToChangePassword: p.AllowUsersToChangePassword,
		MaxPasswordAge:             int(aws.ToInt32(p.MaxPasswordAge)),
		PasswordReusePrevention:    int(aws.ToInt32(p.PasswordReusePrevention)),
		HardExpiry:                 aws.ToBool(p.HardExpiry),
		ExpirePasswords:            p.ExpirePasswords,
	}
}

// updateInput maps the settings to the API request. AWS takes "no value" for "never expire" and
// "no reuse check", and rejects 0 for both.
func (s PasswordPolicySettings) updateInput() *iam.UpdateAccountPasswordPolicyInput {
	in := &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength:      aws.Int32(int32(s.MinimumPasswordLength)),
		RequireLowercaseCharacters: s.RequireLowercaseCharacters,
		RequireUppercaseCharacters: s.RequireUppercaseCharacters,
		RequireNumbers:             s.RequireNumbers,
		RequireSymbols:             s.RequireSymbols,
		AllowUsersToChangePassword: s.AllowUsersToChangePassword,
		HardExpiry:                 aws.Bool(s.HardExpiry),
	}
	if s.MaxPasswordAge > 0 {
		in.MaxPasswordAge = aws.Int32(int32(s.MaxPasswordAge))
	}
	if s.PasswordReusePrevention > 0 {
		in.PasswordReusePrevention = aws.Int32(int32(s.PasswordReusePrevention))
	}
	return in
}

// GetAccountPasswordPolicy returns the account's password policy, or nil (and no error) when the
// account has none, i.e. AWS's defaults apply.
func (c *Client) GetAccountPasswordPolicy(ctx context.Context) (*PasswordPolicySettings, error) {
	out, err := c.iamAPI.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil {
		if IsNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading IAM account password policy: %w", err)
	}
	return passwordPolicySettingsFrom(out.PasswordPolicy), nil
}

// UpdateAccountPasswordPolicy creates or replaces the account's password policy.
func (c *Client) UpdateAccountPasswordPolicy(ctx context.Context, s PasswordPolicySettings) error {
	in := s.updateInput()
	_, err := RetryOnModify(ctx, func(ctx context.Context) (*iam.UpdateAccountPasswordPolicyOutput, error) {
		return c.iamAPI.UpdateAccountPasswordPolicy(ctx, in)
	})
	c.forgetPasswordPolicy()
	if err != nil {
		return fmt.Errorf("updating IAM account password policy: %w", err)
	}
	return nil
}

// DeleteAccountPasswordPolicy removes the account's password policy; none at all is success.
func (c *Client) DeleteAccountPasswordPolicy(ctx context.Context) error {
	err := removeOrGone(ctx, "deleting IAM account password policy", func(ctx context.Context) (*iam.DeleteAccountPasswordPolicyOutput, error) {
		return c.iamAPI.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
	})
	c.forgetPasswordPolicy()
	return err
}

// forgetPasswordPolicy drops the policy PasswordPolicy cached: this process changed it (or may have:
// a write whose answer was lost counts too), so the next password is generated for the new one.
func (c *Client) forgetPasswordPolicy() {
	c.pwMu.Lock()
	c.pwPolicy = nil
	c.pwMu.Unlock()
}
