// Package awsactivity is the AWS I/O of iambaseline_activity_alerts: CloudTrail, CloudWatch Logs,
// CloudWatch alarms, SNS and S3. It has awsiam's shape: clients built from the provider's
// configuration (the same credentials, region, retries, endpoints and call counting, through
// awsiam.Client.ServiceConfig), finders returning typed not-found errors, bounded retries, bulk reads.
// It returns its own types, never SDK types, and knows nothing of Terraform.
package awsactivity

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// Endpoint keys of the provider's endpoints block (and of AWS_ENDPOINT_URL_<KEY>, which the SDK
// reads by itself).
const (
	EndpointCloudTrail = "cloudtrail"
	EndpointLogs       = "logs"
	EndpointCloudWatch = "cloudwatch"
	EndpointSNS        = "sns"
	EndpointS3         = "s3"
)

// Client talks to the services of the activity alerts. IAM (the CloudTrail delivery role) goes
// through the awsiam client it was built from.
type Client struct {
	iam        *awsiam.Client
	cloudtrail *cloudtrail.Client
	logs       *cloudwatchlogs.Client
	cloudwatch *cloudwatch.Client
	sns        *sns.Client
	s3         *s3.Client
	region     string
}

// New builds the clients from the configuration the provider gave awsiam.
func New(c *awsiam.Client) *Client {
	cfg, _ := c.ServiceConfig(EndpointCloudTrail)
	endpoint := func(key string) *string {
		if _, url := c.ServiceConfig(key); url != "" {
			return aws.String(url)
		}
		return nil
	}
	return &Client{
		iam:        c,
		region:     cfg.Region,
		cloudtrail: cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) { o.BaseEndpoint = orDefault(endpoint(EndpointCloudTrail), o.BaseEndpoint) }),
		logs:       cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.BaseEndpoint = orDefault(endpoint(EndpointLogs), o.BaseEndpoint) }),
		cloudwatch: cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) { o.BaseEndpoint = orDefault(endpoint(EndpointCloudWatch), o.BaseEndpoint) }),
		sns:        sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = orDefault(endpoint(EndpointSNS), o.BaseEndpoint) }),
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.BaseEndpoint = orDefault(endpoint(EndpointS3), o.BaseEndpoint)
			// Emulators and custom endpoints answer on one host name: address buckets by path.
			o.UsePathStyle = o.BaseEndpoint != nil || os.Getenv("AWS_ENDPOINT_URL_S3") != ""
		}),
	}
}

func orDefault(v, def *string) *string {
	if v != nil {
		return v
	}
	return def
}

// Region is the region the trail's home resources (log group, alarms, topic) live in.
func (c *Client) Region() string { return c.region }

// Partition is the AWS partition of the region.
func (c *Client) Partition() string { return c.iam.Partition }

// AccountID is the caller's account.
func (c *Client) AccountID(ctx context.Context) (string, error) { return c.iam.AccountID(ctx) }
