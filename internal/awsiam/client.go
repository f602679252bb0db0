// Package awsiam is the only code of the provider that talks to AWS: client construction from the
// provider's configuration, finders, retry and propagation helpers, error classification and bulk reads.
// It knows nothing of Terraform types.
package awsiam

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Config is what the provider block says about reaching AWS. Empty fields leave the SDK's own
// resolution (environment, shared config and credentials files, SSO profiles, AWS_ENDPOINT_URL_*) alone.
type Config struct {
	Region                    string
	Profile                   string
	MaxRetries                int    // 0: AWS_MAX_ATTEMPTS (or the shared config), else awscore.DefaultMaxAttempts
	RetryMode                 string // "": AWS_RETRY_MODE (or the shared config), else awscore.DefaultRetryMode
	SkipCredentialsValidation bool
	AllowedAccountIDs         []string
	ForbiddenAccountIDs       []string
	AssumeRole                *AssumeRole
	IAMEndpoint               string
	STSEndpoint               string
	DefaultTags               map[string]string
	// DefaultTagsUnknown: default_tags are not known yet (they depend on values known only at
	// apply time), so the resources cannot plan tags_all.
	DefaultTagsUnknown bool
	// ServiceEndpoints are the endpoints block's URLs of the other services, by SDK service key
	// ("cloudtrail", "logs", "cloudwatch", "sns", "s3"); sibling packages read them with ServiceConfig.
	ServiceEndpoints map[string]string

	// HTTPClient replaces the SDK's HTTP client; tests use it to capture requests.
	HTTPClient aws.HTTPClient

	// retryBackoff and attemptBudget shorten the SDK's backoff and the total bound in tests.
	retryBackoff  retry.BackoffDelayer
	attemptBudget time.Duration
}

// AssumeRole is the provider's assume_role block.
type AssumeRole struct {
	RoleARN     string
	SessionName string
	ExternalID  string
}

// Client carries the SDK clients and what the provider learned at configure time.
type Client struct {
	iamAPI      *iam.Client
	stsAPI      *sts.Client
	DefaultTags map[string]string
	// DefaultTagsUnknown: see Config.DefaultTagsUnknown.
	DefaultTagsUnknown bool
	Partition          string
	// ConfigWarnings are what configure found doubtful but not wrong (a region from the
	// environment that the provider does not know), for the provider to show as warnings.
	ConfigWarnings []string
	Calls          *awscore.CallCounter

	mu        sync.Mutex
	accountID string

	snapMu  sync.Mutex
	snap    *Snapshot
	snapGen uint64

	reportMu sync.Mutex
	report   reportState

	pwMu     sync.Mutex
	pwPolicy *AccountPasswordPolicy // cached by PasswordPolicy

	// fresh: "<kind>:<name>" -> time.Time this client created or renamed the entity (see fresh.go).
	fresh sync.Map

	sdkConfig        aws.Config
	serviceEndpoints map[string]string
}

// ServiceConfig is the SDK configuration (credentials, region, retries, call counting) and the
// endpoints block's URL for service ("" when not set), for the sibling packages that talk to other
// AWS services with the same setup.
func (c *Client) ServiceConfig(service string) (aws.Config, string) {
	return c.sdkConfig.Copy(), c.serviceEndpoints[service]
}

// ValidRetryModes are the values retry_mode accepts.
var ValidRetryModes = []string{string(aws.RetryModeStandard), string(aws.RetryModeAdaptive)}

// Validate checks the configuration without any AWS call.
func (c Config) Validate() error {
	if c.RetryMode != "" && !slices.Contains(ValidRetryModes, c.RetryMode) {
		return fmt.Errorf("retry_mode %q is not supported: use %q or %q", c.RetryMode, ValidRetryModes[0], ValidRetryModes[1])
	}
	if c.MaxRetries < 0 {
		return fmt.Errorf("max_retries must be zero or more, got %d", c.MaxRetries)
	}
	if len(c.AllowedAccountIDs) > 0 && len(c.ForbiddenAccountIDs) > 0 {
		return errors.New("allowed_account_ids and forbidden_account_ids cannot both be set: keep one of them")
	}
	if c.SkipCredentialsValidation && (len(c.AllowedAccountIDs) > 0 || len(c.ForbiddenAccountIDs) > 0) {
		return errors.New("allowed_account_ids and forbidden_account_ids need the account ID from sts:GetCallerIdentity: remove skip_credentials_validation or the account lists")
	}
	if c.AssumeRole != nil && c.AssumeRole.RoleARN == "" {
		return errors.New("assume_role.role_arn is required when the assume_role block is set")
	}
	return nil
}

// NewClient builds the SDK clients from the configuration and, unless skip_credentials_validation is
// set, validates the credentials with one request (see validateCredentials).
func NewClient(ctx context.Context, c Config) (*Client, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	counter := awscore.NewCallCounter()
	opts := []func(*config.LoadOptions) error{
		config.WithAPIOptions(counter.APIOptions()),
	}
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	if c.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.Profile))
	}
	if c.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(c.HTTPClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, explainLoadError(err)
	}
	regionWarning, err := checkRegionName(cfg.Region, c)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		// IAM is global; any region signs its requests.
		cfg.Region = "us-east-1"
	}
	retries := c.retrySettings(cfg)
	cfg.Retryer = retries.Retryer()
	cfg.RetryMaxAttempts, cfg.RetryMode = 0, retries.Mode // the retryer carries both; no second wrapping by the clients
	cfg.APIOptions = append(cfg.APIOptions, awscore.RetryBound(retries))

	stsOpts := func(o *sts.Options) {
		if c.STSEndpoint != "" {
			o.BaseEndpoint = aws.String(c.STSEndpoint)
		}
	}
	baseCredentials := cfg.Credentials
	if c.AssumeRole != nil {
		base := sts.NewFromConfig(cfg, stsOpts)
		provider := stscreds.NewAssumeRoleProvider(base, c.AssumeRole.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			if c.AssumeRole.SessionName != "" {
				o.RoleSessionName = c.AssumeRole.SessionName
			}
			if c.AssumeRole.ExternalID != "" {
				o.ExternalID = aws.String(c.AssumeRole.ExternalID)
			}
		})
		cfg.Credentials = aws.NewCredentialsCache(provider)
	}

	client := &Client{
		ConfigWarnings: regionWarnings(regionWarning),
		iamAPI: iam.NewFromConfig(cfg, func(o *iam.Options) {
			if c.IAMEndpoint != "" {
				o.BaseEndpoint = aws.String(c.IAMEndpoint)
			}
		}),
		stsAPI:             sts.NewFromConfig(cfg, stsOpts),
		DefaultTags:        c.DefaultTags,
		DefaultTagsUnknown: c.DefaultTagsUnknown,
		Partition:          baseline.PartitionForRegion(cfg.Region),
		Calls:              counter,
		sdkConfig:          cfg,
		serviceEndpoints:   c.ServiceEndpoints,
	}

	if !c.SkipCredentialsValidation {
		if err := checkCredentials(ctx, c, baseCredentials); err != nil {
			return nil, err
		}
		if err := client.validateCredentials(ctx, c); err != nil {
			return nil, err
		}
	}
	return client, nil
}

// retrySettings resolves the retry behaviour: the provider block wins, then what the SDK read
// (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, the shared config), then awscore's defaults (25 attempts,
// adaptive).
func (c Config) retrySettings(loaded aws.Config) awscore.RetrySettings {
	return awscore.RetrySettings{
		MaxAttempts:   cmp.Or(c.MaxRetries, loaded.RetryMaxAttempts, awscore.DefaultMaxAttempts),
		Mode:          cmp.Or(aws.RetryMode(c.RetryMode), loaded.RetryMode, awscore.DefaultRetryMode),
		Backoff:       c.retryBackoff,
		AttemptBudget: c.attemptBudget,
	}
}

// validateCredentials proves the credentials at configure time with one authenticated request.
// With allowed_account_ids or forbidden_account_ids it is sts:GetCallerIdentity, whose account ID
// the lists are checked against. Otherwise it is iam:GetCredentialReport, which the refresh needs
// anyway (see probeCredentialReport); only when that request proves nothing (AccessDenied, an
// endpoint that does not implement it) does it fall back to sts:GetCallerIdentity.
func (c *Client) validateCredentials(ctx context.Context, cfg Config) error {
	if len(cfg.AllowedAccountIDs) == 0 && len(cfg.ForbiddenAccountIDs) == 0 {
		fallback, err := c.probeCredentialReport(ctx)
		if err != nil {
			return explainValidationError(err, cfg, requestCredentialReport)
		}
		if fallback == nil {
			return nil
		}
	}
	id, err := c.callerAccountID(ctx)
	if err != nil {
		return explainValidationError(err, cfg, requestCallerIdentity)
	}
	if len(cfg.AllowedAccountIDs) > 0 && !slices.Contains(cfg.AllowedAccountIDs, id) {
		return fmt.Errorf("AWS account %s is not in allowed_account_ids (%s): refusing to manage it", id, baseline.JoinWords(cfg.AllowedAccountIDs))
	}
	if slices.Contains(cfg.ForbiddenAccountIDs, id) {
		return fmt.Errorf("AWS account %s is listed in forbidden_account_ids: refusing to manage it", id)
	}
	return nil
}

// AccountID returns the caller's account ID: the one configure or a bulk read already told (the
// ARNs of the credential report or of the snapshot), else sts:GetCallerIdentity, asked once per
// client.
func (c *Client) AccountID(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.accountID != "" {
		return c.accountID, nil
	}
	return c.askCallerIdentity(ctx)
}

// callerAccountID asks sts:GetCallerIdentity even when an ARN already told the account: the
// account lists are checked against the caller's own identity.
func (c *Client) callerAccountID(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.askCallerIdentity(ctx)
}

// askCallerIdentity sends sts:GetCallerIdentity (the caller holds mu).
func (c *Client) askCallerIdentity(ctx context.Context) (string, error) {
	out, err := c.stsAPI.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", err
	}
	c.accountID = aws.ToString(out.Account)
	return c.accountID, nil
}

// learnAccountID remembers the account ID an ARN of a bulk read told, unless it is known already.
func (c *Client) learnAccountID(id string) {
	if id == "" {
		return
	}
	c.mu.Lock()
	if c.accountID == "" {
		c.accountID = id
	}
	c.mu.Unlock()
}

// MergeTags returns the provider's default tags overlaid by the resource's own tags (own win, keys
// compared as IAM does, ignoring case).
func (c *Client) MergeTags(own map[string]string) map[string]string {
	out := make(map[string]string, len(c.DefaultTags)+len(own))
	for k, v := range c.DefaultTags {
		out[k] = v
	}
	for k, v := range own {
		// IAM tag keys are case-insensitive: the resource's own key replaces a default key that
		// differs from it only by case.
		for dk := range c.DefaultTags {
			if dk != k && strings.EqualFold(dk, k) {
				delete(out, dk)
			}
		}
		out[k] = v
	}
	return out
}
