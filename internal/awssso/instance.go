package awssso

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
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

// FindInstance returns the instance of arn, or the one instance when arn is "". Several instances
// with no arn given is an error that lists them.
func (c *Client) FindInstance(ctx context.Context, arn string) (Instance, error) {
	var all []Instance
	p := ssoadmin.NewListInstancesPaginator(c.admin, &ssoadmin.ListInstancesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return Instance{}, fmt.Errorf("listing IAM Identity Center instances: %w", err)
		}
		for _, i := range page.Instances {
			all = append(all, Instance{
				ARN: aws.ToString(i.InstanceArn), IdentityStoreID: aws.ToString(i.IdentityStoreId),
				OwnerAccountID: aws.ToString(i.OwnerAccountId), Name: aws.ToString(i.Name), Status: string(i.Status),
			})
		}
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
