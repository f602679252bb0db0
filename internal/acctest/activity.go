package acctest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// ActivityClients are SDK clients of the services of iambaseline_activity_alerts, built from the
// environment, for checks that must not go through Terraform.
type ActivityClients struct {
	CloudTrail *cloudtrail.Client
	Logs       *cloudwatchlogs.Client
	CloudWatch *cloudwatch.Client
	SNS        *sns.Client
	S3         *s3.Client
}

// Activity returns the clients.
func Activity(t testing.TB) ActivityClients {
	t.Helper()
	cfg := loadConfig(t)
	return ActivityClients{
		CloudTrail: cloudtrail.NewFromConfig(cfg),
		Logs:       cloudwatchlogs.NewFromConfig(cfg),
		CloudWatch: cloudwatch.NewFromConfig(cfg),
		SNS:        sns.NewFromConfig(cfg),
		S3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.UsePathStyle = EmulatorEndpoint() != ""
		}),
	}
}
