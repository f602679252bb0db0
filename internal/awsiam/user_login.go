package awsiam

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// LoginProfile is a user's console password setting (never the password).
type LoginProfile struct {
	PasswordResetRequired bool
}

// FindLoginProfile returns the user's login profile, or a NotFoundError when the user has no console
// access.
func (c *Client) FindLoginProfile(ctx context.Context, name string) (*LoginProfile, error) {
	out, err := retryReadWhenFresh(ctx, c, loginProfileRef(name), func(ctx context.Context) (*iam.GetLoginProfileOutput, error) {
		return c.iamAPI.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(name)})
	})
	if err != nil {
		return nil, notFound("IAM login profile", name, fmt.Errorf("reading login profile of IAM user (%s): %w", name, err))
	}
	lp := &LoginProfile{}
	if out.LoginProfile != nil {
		lp.PasswordResetRequired = out.LoginProfile.PasswordResetRequired
	}
	return lp, nil
}

// SetLoginProfilePassword gives the user console access with password, which must be changed at the
// first sign-in (PasswordResetRequired). An existing login profile gets the new password. The
// password is never part of an error or log.
func (c *Client) SetLoginProfilePassword(ctx context.Context, name, password string) error {
	_, err := retryWrite(ctx, c, func(ctx context.Context) (*iam.CreateLoginProfileOutput, error) {
		return c.iamAPI.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
			UserName: aws.String(name), Password: aws.String(password), PasswordResetRequired: true,
		})
	}, userRef(name))
	if HasCode(err, "EntityAlreadyExists") {
		_, err = RetryOnModify(ctx, func(ctx context.Context) (*iam.UpdateLoginProfileOutput, error) {
			return c.iamAPI.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{
				UserName: aws.String(name), Password: aws.String(password), PasswordResetRequired: aws.Bool(true),
			})
		})
	}
	if err != nil {
		return fmt.Errorf("setting the console password of IAM user (%s): %w", name, err)
	}
	c.markFresh(loginProfileRef(name))
	return nil
}

// loginProfileConfirm bounds the re-reads that confirm a login profile is gone (FindLoginProfileConfirmed).
var loginProfileConfirm = awscore.Backoff{Start: 500 * time.Millisecond, Max: 4 * time.Second, Retries: 4}

// FindLoginProfileConfirmed is FindLoginProfile for a user whose state says it has console access:
// a NoSuchEntity may come from a replica lagging behind the CreateLoginProfile of a moment ago, so it
// is believed only after loginProfileConfirm.Retries more reads (0.5 s, 1 s, 2 s, 4 s apart) say
// the same. Costs nothing when the first read finds the profile.
func (c *Client) FindLoginProfileConfirmed(ctx context.Context, name string) (*LoginProfile, error) {
	return awscore.Retry(ctx, loginProfileConfirm, IsNotFound, func(ctx context.Context) (*LoginProfile, error) {
		return c.FindLoginProfile(ctx, name)
	})
}

// DeleteLoginProfile removes console access; none to remove is success.
func (c *Client) DeleteLoginProfile(ctx context.Context, name string) error {
	return removeOrGone(ctx, fmt.Sprintf("deleting login profile of IAM user (%s)", name), func(ctx context.Context) (*iam.DeleteLoginProfileOutput, error) {
		return c.iamAPI.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(name)})
	})
}

// AccountPasswordPolicy is the part of the account password policy a generated password must meet.
type AccountPasswordPolicy struct {
	MinimumLength    int
	RequireLowercase bool
	RequireUppercase bool
	RequireNumbers   bool
	RequireSymbols   bool
	// Default is true when the account has no custom policy and AWS's default applies.
	Default bool
}

// DefaultAccountPasswordPolicy is AWS's policy for accounts without a custom one: at least 8
// characters and three of the four character classes (a password with all four meets it).
var DefaultAccountPasswordPolicy = AccountPasswordPolicy{
	MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, Default: true,
}

// PasswordPolicy returns the account password policy, read once per client (provider process) and
// again after this process changed it (UpdateAccountPasswordPolicy, DeleteAccountPasswordPolicy):
// concurrent creates wait for the first one's request instead of each sending their own.
func (c *Client) PasswordPolicy(ctx context.Context) (AccountPasswordPolicy, error) {
	c.pwMu.Lock()
	defer c.pwMu.Unlock()
	if c.pwPolicy != nil {
		return *c.pwPolicy, nil
	}
	pp, err := c.GetAccountPasswordPolicy(ctx)
	if err != nil {
		return AccountPasswordPolicy{}, err
	}
	p := DefaultAccountPasswordPolicy
	if pp != nil {
		p = AccountPasswordPolicy{
			MinimumLength:    pp.MinimumPasswordLength,
			RequireLowercase: pp.RequireLowercaseCharacters,
			RequireUppercase: pp.RequireUppercaseCharacters,
			RequireNumbers:   pp.RequireNumbers,
			RequireSymbols:   pp.RequireSymbols,
		}
	}
	c.pwPolicy = &p
	return p, nil
}

// Rules is the part of the policy that decides whether a password is acceptable.
func (p AccountPasswordPolicy) Rules() baseline.PasswordPolicy {
	return baseline.PasswordPolicy{
		MinimumLength:    p.MinimumLength,
		RequireLowercase: p.RequireLowercase,
		RequireUppercase: p.RequireUppercase,
		RequireNumbers:   p.RequireNumbers,
		RequireSymbols:   p.RequireSymbols,
	}
}
