package awssso

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// Instance is an IAM Identity Center instance.
type Instance struct {
	ARN             string
	IdentityStoreID string
	OwnerAccountID  string
	Name            string
	Status          string
}

// ErrNoInstance says the caller sees no IAM Identity Center instance.
var ErrNoInstance = errors.New("no IAM Identity Center instance is visible to these credentials: enable IAM Identity Center " +
	"for your organization in the management account (IAM Identity Center console > Enable, \"Enable with AWS Organizations\"), " +
	"or use credentials of the management account or of the delegated administrator account")

// ErrAccountInstance says the instance is an account instance, which cannot hold permission sets.
var ErrAccountInstance = errors.New("is an account instance of IAM Identity Center, which has no permission sets and cannot " +
	"assign access to accounts: enable the organization instance in the management account (IAM Identity Center console > " +
	"Enable, \"Enable with AWS Organizations\") and use credentials of the management or delegated administrator account")

// FindInstance returns the organization instance of arn, or the one instance when arn is "".
// Several instances with no arn given is an error that lists them; an account instance is
// ErrAccountInstance.
func (c *Client) FindInstance(ctx context.Context, arn string) (Instance, error) {
	if in, ok := c.memo.instance(arn); ok {
		return in, nil
	}
	in, err := c.findInstance(ctx, arn)
	if err == nil {
		err = c.requireOrganizationInstance(ctx, in)
	}
	if err != nil {
		return in, err
	}
	c.memo.setInstance(arn, in)
	return in, nil
}

// requireOrganizationInstance asks DescribeInstance whether the instance has permission sets (only
// organization instances do). An endpoint that cannot answer (no sso:DescribeInstance permission,
// an emulator without the call) is not evidence either way, and is asked once, not retried.
func (c *Client) requireOrganizationInstance(ctx context.Context, in Instance) error {
	d, err := c.admin.DescribeInstance(ctx, &ssoadmin.DescribeInstanceInput{InstanceArn: aws.String(in.ARN)}, func(o *ssoadmin.Options) { o.RetryMaxAttempts = 1 })
	if err != nil {
		return nil //nolint:nilerr // an answer we cannot get is no evidence of an account instance
	}
	if d.PermissionSetsEnabled == nil || *d.PermissionSetsEnabled {
		return nil
	}
	return fmt.Errorf("IAM Identity Center instance (%s, owned by account %s) %w", in.ARN, in.OwnerAccountID, ErrAccountInstance)
}

func (c *Client) findInstance(ctx context.Context, arn string) (Instance, error) {
	p := ssoadmin.NewListInstancesPaginator(c.admin, &ssoadmin.ListInstancesInput{})
	all, err := awscore.Collect(ctx, p, func(page *ssoadmin.ListInstancesOutput) []Instance {
		return awscore.Each(page.Instances, func(i ssotypes.InstanceMetadata) Instance {
			return Instance{
				ARN: aws.ToString(i.InstanceArn), IdentityStoreID: aws.ToString(i.IdentityStoreId),
				OwnerAccountID: aws.ToString(i.OwnerAccountId), Name: aws.ToString(i.Name), Status: string(i.Status),
			}
		})
	})
	if err != nil {
		return Instance{}, fmt.Errorf("listing IAM Identity Center instances: %w", err)
	}
	if arn != "" {
		for _, i := range all {
			if i.ARN == arn {
				return i, nil
			}
		}
		return Instance{}, fmt.Errorf("IAM Identity Center instance (%s) is not visible to these credentials (%d visible): check instance_arn and the account of the credentials", arn, len(all))
	}
	switch len(all) {
	case 0:
		return Instance{}, ErrNoInstance
	case 1:
		return all[0], nil
	default:
		arns := make([]string, len(all))
		for i, in := range all {
			arns[i] = in.ARN
		}
		return Instance{}, fmt.Errorf("%d IAM Identity Center instances are visible (%v): set instance_arn to the organization instance", len(all), arns)
	}
}
