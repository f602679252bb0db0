package provider

import (
	"slices"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsactivity"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

func healthyActivity() (awsactivity.Spec, *awsactivity.State) {
	arns := baseline.ActivityARNs{Region: "us-east-1", AccountID: "123456789012", Trail: "main", Bucket: "b", LogGroup: "aws-cloudtrail-logs-main",
		Topic: "arn:aws:sns:us-east-1:123456789012:iambaseline-main-alerts"}
	js := func(d baseline.PolicyDocument) string { s, _ := d.JSON(); return s }
	spec := awsactivity.Spec{
		Names: awsactivity.Names{Trail: "main", Bucket: "b", LogGroup: arns.LogGroup, AlertPrefix: "iambaseline-main-", TopicARN: arns.Topic,
			Role: "iambaseline-main-cloudtrail"},
		LogGroupARN: arns.LogGroupARN(), BucketPolicy: js(baseline.TrailBucketPolicy(arns)), ManageTopic: true,
		TopicPolicy: js(baseline.AlertTopicPolicy(arns)), RoleTrust: js(baseline.CloudTrailLogsTrustPolicy()),
		RolePolicyName: baseline.CloudTrailLogsRolePolicyName, RolePolicy: js(baseline.CloudTrailLogsRolePolicy(arns)),
		Alerts: baseline.EnabledActivityAlerts("main", nil, nil),
	}
	st := &awsactivity.State{
		Trail: &awsactivity.Trail{Name: "main", Bucket: "b", MultiRegion: true, GlobalServiceEvents: true, LogFileValidation: true,
			LogGroupARN: spec.LogGroupARN, Logging: true, AllManagementEvents: true},
		BucketExists: true, BucketPolicy: spec.BucketPolicy,
		LogGroup: &awsactivity.LogGroup{Name: spec.LogGroup, RetentionDays: 365},
		Role:     &awsiam.Role{Name: spec.Role, TrustPolicy: spec.RoleTrust, InlinePolicies: map[string]string{spec.RolePolicyName: spec.RolePolicy}},
		Topic:    &awsactivity.Topic{ARN: spec.TopicARN, Policy: spec.TopicPolicy},
		Filters:  map[string]awsactivity.MetricFilter{}, Alarms: map[string]awsactivity.Alarm{},
	}
	for _, a := range spec.Alerts {
		st.Filters[a.Name] = awsactivity.MetricFilter{Name: a.Name, Pattern: a.Pattern, MetricName: a.Name, Namespace: baseline.ActivityMetricNamespace}
		st.Alarms[a.Name] = awsactivity.Alarm{Name: a.Name, MetricName: a.Name, Namespace: baseline.ActivityMetricNamespace,
			Description: a.Description, Actions: []string{spec.TopicARN}, ActionsEnable: true}
	}
	return spec, st
}

// Each kind of out-of-band change is named in out_of_band_changes; a healthy account has none.
func TestActivityDrift(t *testing.T) {
	root := baseline.ActivityAlertName("main", baseline.AlertRootUsage)
	for _, tc := range []struct {
		name   string
		change func(*awsactivity.State)
		want   string
	}{
		{"healthy", func(*awsactivity.State) {}, ""},
		{"logging stopped", func(s *awsactivity.State) { s.Trail.Logging = false }, "CloudTrail trail main is not logging"},
		{"single region", func(s *awsactivity.State) { s.Trail.MultiRegion = false }, "CloudTrail trail main is not multi-region"},
		{"validation off", func(s *awsactivity.State) { s.Trail.LogFileValidation = false }, "CloudTrail trail main does not validate its log files"},
		{"write events only", func(s *awsactivity.State) { s.Trail.AllManagementEvents = false }, "CloudTrail trail main does not record all read and write management events"},
		{"re-pointed", func(s *awsactivity.State) { s.Trail.Bucket = "evil" }, `CloudTrail trail main delivers to bucket "evil" instead of "b"`},
		{"no CloudWatch Logs", func(s *awsactivity.State) { s.Trail.LogGroupARN = "" }, `CloudTrail trail main delivers to log group "" instead of "arn:aws:logs:us-east-1:123456789012:log-group:aws-cloudtrail-logs-main:*"`},
		{"bucket policy", func(s *awsactivity.State) { s.BucketPolicy = `{"Version":"2012-10-17","Statement":[]}` }, "the policy of S3 bucket b differs from the CloudTrail bucket policy"},
		{"bucket gone", func(s *awsactivity.State) { s.BucketExists = false }, "S3 bucket b is missing"},
		{"log group gone", func(s *awsactivity.State) { s.LogGroup = nil }, "CloudWatch Logs log group aws-cloudtrail-logs-main is missing"},
		{"role gone", func(s *awsactivity.State) { s.Role = nil }, "IAM role iambaseline-main-cloudtrail (CloudTrail delivery to CloudWatch Logs) is missing"},
		{"topic gone", func(s *awsactivity.State) { s.Topic = nil }, "SNS topic arn:aws:sns:us-east-1:123456789012:iambaseline-main-alerts is missing"},
		{"filter gone", func(s *awsactivity.State) { delete(s.Filters, root) }, "metric filter " + root + " is missing"},
		{"filter edited", func(s *awsactivity.State) { f := s.Filters[root]; f.Pattern = "{ $.x = 1 }"; s.Filters[root] = f }, "metric filter " + root + " differs (pattern or metric)"},
		{"alarm gone", func(s *awsactivity.State) { delete(s.Alarms, root) }, "alarm " + root + " is missing"},
		{"alarm silenced", func(s *awsactivity.State) { a := s.Alarms[root]; a.ActionsEnable = false; s.Alarms[root] = a }, "alarm " + root + " differs"},
		{"foreign alarm of the trail", func(s *awsactivity.State) { s.Alarms["iambaseline-main-extra"] = awsactivity.Alarm{} }, "alarm iambaseline-main-extra is not configured and will be deleted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, st := healthyActivity()
			tc.change(st)
			got := activityDrift(spec, st)
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("drift on a healthy account: %v", got)
				}
				return
			}
			if !slices.ContainsFunc(got, func(s string) bool { return len(s) >= len(tc.want) && s[:len(tc.want)] == tc.want }) {
				t.Fatalf("drift %v lacks %q", got, tc.want)
			}
		})
	}
}
