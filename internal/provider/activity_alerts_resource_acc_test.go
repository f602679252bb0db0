package provider_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/provider"
)

const activityAlertsAddress = "iambaseline_activity_alerts.test"

const testAccount = "123456789012"

func testAccActivityAlertsCase(t *testing.T, steps ...resource.TestStep) resource.TestCase {
	return acctest.Case(t, testAccCheckActivityAlertsDestroy(t), steps)
}

func testAccActivityAlertsConfig(trail, extra string) string {
	return fmt.Sprintf(`
resource "iambaseline_activity_alerts" "test" {
  trail_name      = %q
  email_addresses = ["security@example.com"]
  https_endpoints = ["https://hooks.example.com/aws-alerts"]
  force_destroy   = true
  tags            = { Team = "security" }
%s
}
`, trail, extra)
}

func testAccTrailName() string { return acctest.RandomName("tf-acc-trail") }

func TestAccActivityAlerts_basic(t *testing.T) {
	trail := testAccTrailName()
	alarms := map[string]knownvalue.Check{}
	for _, k := range baseline.ActivityAlertKeys() {
		alarms[k] = knownvalue.StringExact("iambaseline-" + trail + "-" + k)
	}
	resource.ParallelTest(t, testAccActivityAlertsCase(t,
		resource.TestStep{
			Config: testAccActivityAlertsConfig(trail, ""),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckActivityAlertsExists(t, trail, baseline.ActivityAlertKeys(), "security@example.com", "https://hooks.example.com/aws-alerts"),
				testAccCheckTrailBucket(t, "aws-cloudtrail-logs-"+testAccount+"-"+trail, trail),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("id"), knownvalue.StringExact(trail)),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("trail_arn"), knownvalue.StringExact("arn:aws:cloudtrail:us-east-1:"+testAccount+":trail/"+trail)),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("s3_bucket_name"), knownvalue.StringExact("aws-cloudtrail-logs-"+testAccount+"-"+trail)),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("log_group_name"), knownvalue.StringExact("aws-cloudtrail-logs-"+trail)),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("log_group_arn"), knownvalue.StringExact("arn:aws:logs:us-east-1:"+testAccount+":log-group:aws-cloudtrail-logs-"+trail)),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("topic_arn"), knownvalue.StringExact("arn:aws:sns:us-east-1:"+testAccount+":iambaseline-"+trail+"-alerts")),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("cloudtrail_role_arn"), knownvalue.StringExact("arn:aws:iam::"+testAccount+":role/service-role/iambaseline-"+trail+"-cloudtrail")),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("log_retention_days"), knownvalue.Int64Exact(365)),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("alarm_names"), knownvalue.MapExact(alarms)),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("out_of_band_changes"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("tags_all"), knownvalue.MapExact(map[string]knownvalue.Check{"Team": knownvalue.StringExact("security")})),
			},
		},
		resource.TestStep{
			ResourceName: activityAlertsAddress, ImportState: true, ImportStateVerify: true, ImportStateId: trail,
			// force_destroy is a destroy-time switch AWS does not record.
			ImportStateVerifyIgnore: []string{"force_destroy"},
		},
	))
}

func TestAccActivityAlerts_disappears(t *testing.T) {
	trail := testAccTrailName()
	resource.ParallelTest(t, testAccActivityAlertsCase(t, resource.TestStep{
		Config: testAccActivityAlertsConfig(trail, ""),
		Check: resource.ComposeTestCheckFunc(
			testAccCheckActivityAlertsExists(t, trail, baseline.ActivityAlertKeys()),
			func(*terraform.State) error {
				_, err := acctest.Activity(t).CloudTrail.DeleteTrail(context.Background(), &cloudtrail.DeleteTrailInput{Name: aws.String(trail)})
				return err
			},
		),
		ExpectNonEmptyPlan: true,
	}))
}

// Each step breaks one piece out of band; the refresh shows it (out_of_band_changes or the
// argument), the plan is an in-place update, and the apply repairs it.
func TestAccActivityAlerts_drift(t *testing.T) {
	trail := testAccTrailName()
	c := acctest.Activity(t)
	ctx := context.Background()
	name := func(key string) string { return baseline.ActivityAlertName(trail, key) }
	topic := "arn:aws:sns:us-east-1:" + testAccount + ":iambaseline-" + trail + "-alerts"
	bucket := "aws-cloudtrail-logs-" + testAccount + "-" + trail
	config := testAccActivityAlertsConfig(trail, "")
	repair := func(what string, breakIt func() error) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				if err := breakIt(); err != nil {
					t.Fatalf("breaking %s: %v", what, err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(activityAlertsAddress, plancheck.ResourceActionUpdate),
			}},
			Check: testAccCheckActivityAlertsExists(t, trail, baseline.ActivityAlertKeys(), "security@example.com", "https://hooks.example.com/aws-alerts"),
		}
	}
	resource.ParallelTest(t, testAccActivityAlertsCase(t,
		resource.TestStep{Config: config, Check: testAccCheckActivityAlertsExists(t, trail, baseline.ActivityAlertKeys())},
		repair("logging", func() error {
			_, err := c.CloudTrail.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String(trail)})
			return err
		}),
		repair("a metric filter", func() error {
			_, err := c.Logs.DeleteMetricFilter(ctx, &cloudwatchlogs.DeleteMetricFilterInput{
				LogGroupName: aws.String(baseline.ActivityLogGroupName(trail)), FilterName: aws.String(name(baseline.AlertRootUsage)),
			})
			return err
		}),
		repair("an alarm", func() error {
			_, err := c.CloudWatch.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{name(baseline.AlertCloudTrailChanges)}})
			return err
		}),
		repair("a subscription", func() error {
			subs, err := c.SNS.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
			if err != nil {
				return err
			}
			for _, s := range subs.Subscriptions {
				if aws.ToString(s.Protocol) == "email" {
					_, err = c.SNS.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: s.SubscriptionArn})
					return err
				}
			}
			return errors.New("no email subscription")
		}),
		repair("the bucket policy", func() error {
			_, err := c.S3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*"}]}`)})
			return err
		}),
		repair("the trail's bucket", func() error {
			other := strings.ToLower(acctest.RandomName("tf-acc-elsewhere"))
			if _, err := c.S3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(other)}); err != nil {
				return err
			}
			t.Cleanup(func() { _, _ = c.S3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(other)}) })
			_, err := c.CloudTrail.UpdateTrail(ctx, &cloudtrail.UpdateTrailInput{Name: aws.String(trail), S3BucketName: aws.String(other)})
			return err
		}),
		repair("the retention", func() error {
			_, err := c.Logs.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(baseline.ActivityLogGroupName(trail)), RetentionInDays: aws.Int32(7)})
			return err
		}),
	))
}

// The refresh names what drifted, in out_of_band_changes.
func TestAccActivityAlerts_driftIsNamed(t *testing.T) {
	trail := testAccTrailName()
	c := acctest.Activity(t)
	resource.ParallelTest(t, testAccActivityAlertsCase(t,
		resource.TestStep{Config: testAccActivityAlertsConfig(trail, "")},
		resource.TestStep{
			PreConfig: func() {
				if _, err := c.CloudTrail.StopLogging(context.Background(), &cloudtrail.StopLoggingInput{Name: aws.String(trail)}); err != nil {
					t.Fatal(err)
				}
			},
			RefreshState: true,
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(activityAlertsAddress, "out_of_band_changes.#", "1"),
				resource.TestCheckResourceAttr(activityAlertsAddress, "out_of_band_changes.0", "CloudTrail trail "+trail+" is not logging"),
			),
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{Config: testAccActivityAlertsConfig(trail, ""), Check: testAccCheckActivityAlertsExists(t, trail, baseline.ActivityAlertKeys())},
	))
}

func TestAccActivityAlerts_update(t *testing.T) {
	trail := testAccTrailName()
	enabled := slices.DeleteFunc(baseline.ActivityAlertKeys(), func(k string) bool { return k == baseline.AlertRootUsage })
	withCustom := append(slices.Clone(enabled), "kms_key_deletion")
	resource.ParallelTest(t, testAccActivityAlertsCase(t,
		resource.TestStep{Config: testAccActivityAlertsConfig(trail, "")},
		resource.TestStep{
			Config: fmt.Sprintf(`
resource "iambaseline_activity_alerts" "test" {
  trail_name         = %q
  email_addresses    = ["oncall@example.com"]
  log_retention_days = 400
  force_destroy      = true
  alerts             = { root_usage = false }
  custom_alerts = {
    kms_key_deletion = {
      pattern     = "{ ($.eventSource = \"kms.amazonaws.com\") && ($.eventName = \"ScheduleKeyDeletion\") }"
      description = "A KMS key was scheduled for deletion."
    }
  }
  tags = { Team = "platform", Env = "prod" }
}
`, trail),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(activityAlertsAddress, plancheck.ResourceActionUpdate),
			}},
			Check: resource.ComposeTestCheckFunc(
				testAccCheckActivityAlertsExists(t, trail, withCustom, "oncall@example.com"),
				testAccCheckRetention(t, trail, 400),
				testAccCheckNoSubscription(t, trail, "security@example.com"),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("alarm_names").AtMapKey("kms_key_deletion"), knownvalue.StringExact("iambaseline-"+trail+"-kms_key_deletion")),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("tags_all"), knownvalue.MapSizeExact(2)),
			},
		},
		resource.TestStep{
			ResourceName: activityAlertsAddress, ImportState: true, ImportStateVerify: true, ImportStateId: trail,
			ImportStateVerifyIgnore: []string{"force_destroy"},
		},
	))
}

// Creating a trail that exists fails before anything else is made, and says to import it.
func TestAccActivityAlerts_existingTrail(t *testing.T) {
	trail := testAccTrailName()
	resource.ParallelTest(t, testAccActivityAlertsCase(t,
		resource.TestStep{Config: testAccActivityAlertsConfig(trail, "")},
		resource.TestStep{
			Config:      testAccActivityAlertsConfig(trail, "") + strings.ReplaceAll(testAccActivityAlertsConfig(trail, ""), `"test"`, `"again"`),
			ExpectError: regexp.MustCompile(`CloudTrail trail already exists[\s\S]*terraform import`),
		},
	))
}

// The audit's CIS 3.x and 4.x checks pass with the resource applied.
func TestAccActivityAlerts_auditPasses(t *testing.T) {
	trail := testAccTrailName()
	resource.ParallelTest(t, testAccActivityAlertsCase(t, resource.TestStep{
		Config: testAccActivityAlertsConfig(trail, "") + `
data "iambaseline_audit" "review" {
  depends_on = [iambaseline_activity_alerts.test]
}
`,
		Check: func(s *terraform.State) error {
			ds := s.RootModule().Resources["data.iambaseline_audit.review"]
			if ds == nil {
				return errors.New("no audit in state")
			}
			n := 0
			for i := 0; ; i++ {
				id, ok := ds.Primary.Attributes[fmt.Sprintf("checks.%d.check_id", i)]
				if !ok {
					break
				}
				if strings.HasPrefix(id, "cloudtrail_") || strings.HasPrefix(id, "alert_") {
					n++
					if ds.Primary.Attributes[fmt.Sprintf("checks.%d.passed", i)] != "true" {
						return fmt.Errorf("audit check %s failed with the resource applied: %v", id, findingsOf(ds.Primary.Attributes, id))
					}
				}
			}
			if n != 10 {
				return fmt.Errorf("%d CIS section 3/4 checks, want 10 (summary: %s)", n, ds.Primary.Attributes["summary"])
			}
			return nil
		},
	}))
}

func findingsOf(attrs map[string]string, check string) []string {
	var out []string
	for i := 0; ; i++ {
		id, ok := attrs[fmt.Sprintf("findings.%d.check_id", i)]
		if !ok {
			return out
		}
		if id == check {
			out = append(out, attrs[fmt.Sprintf("findings.%d.message", i)])
		}
	}
}

// The AWS requests of one create and of one refresh, counted by the provider (TestAccActivityAlerts
// does not run in parallel: the calls file is process-wide).
func TestAccActivityAlerts_requestCount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calls.jsonl")
	t.Setenv(provider.CallsFileEnv, path)
	trail := testAccTrailName()
	resource.Test(t, testAccActivityAlertsCase(t,
		resource.TestStep{
			Config: testAccActivityAlertsConfig(trail, ""),
			Check: func(*terraform.State) error {
				ops := readCallsFile(t, path)
				create := ops["activity_alerts.Create"]
				total := 0
				for _, n := range create {
					total += n
				}
				t.Logf("create: %d requests (STS GetCallerIdentity at configure included): %v", total, create)
				if create["CloudTrail:CreateTrail"] != 1 || create["CloudWatch Logs:PutMetricFilter"] != len(baseline.ActivityAlerts) || create["CloudWatch:PutMetricAlarm"] != len(baseline.ActivityAlerts) {
					return fmt.Errorf("unexpected create requests: %v", create)
				}
				return nil
			},
		},
		resource.TestStep{
			RefreshState: true,
			Check: func(*terraform.State) error {
				read := readCallsFile(t, path)["activity_alerts.Read"]
				total := 0
				for _, n := range read {
					total += n
				}
				t.Logf("refresh: %d requests (STS GetCallerIdentity at configure included): %v", total, read)
				if total > 20 {
					return fmt.Errorf("a refresh sent %d requests, want at most 20 (bulk reads, independent of the number of alerts): %v", total, read)
				}
				return nil
			},
		},
	))
}

func testAccCheckActivityAlertsExists(t *testing.T, trail string, alertKeys []string, endpoints ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		c := acctest.Activity(t)
		got, err := c.CloudTrail.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(trail)})
		if err != nil {
			return fmt.Errorf("trail %s: %w", trail, err)
		}
		tr := got.Trail
		if b := aws.ToString(tr.S3BucketName); b != "aws-cloudtrail-logs-"+testAccount+"-"+trail {
			return fmt.Errorf("trail %s delivers to bucket %s", trail, b)
		}
		if !aws.ToBool(tr.IsMultiRegionTrail) || !aws.ToBool(tr.IncludeGlobalServiceEvents) || !aws.ToBool(tr.LogFileValidationEnabled) {
			return fmt.Errorf("trail %s: multi-region %v, global events %v, validation %v", trail,
				aws.ToBool(tr.IsMultiRegionTrail), aws.ToBool(tr.IncludeGlobalServiceEvents), aws.ToBool(tr.LogFileValidationEnabled))
		}
		logGroup := baseline.ActivityLogGroupName(trail)
		if !strings.Contains(aws.ToString(tr.CloudWatchLogsLogGroupArn), ":log-group:"+logGroup+":") {
			return fmt.Errorf("trail %s delivers to %q", trail, aws.ToString(tr.CloudWatchLogsLogGroupArn))
		}
		status, err := c.CloudTrail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(trail)})
		if err != nil || !aws.ToBool(status.IsLogging) {
			return fmt.Errorf("trail %s is not logging (%v)", trail, err)
		}
		filters, err := c.Logs.DescribeMetricFilters(ctx, &cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(logGroup)})
		if err != nil {
			return err
		}
		var filterNames []string
		for _, f := range filters.MetricFilters {
			filterNames = append(filterNames, aws.ToString(f.FilterName))
		}
		topic := "arn:aws:sns:us-east-1:" + testAccount + ":iambaseline-" + trail + "-alerts"
		alarms, err := c.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("iambaseline-" + trail + "-")})
		if err != nil {
			return err
		}
		alarmActions := map[string][]string{}
		for _, a := range alarms.MetricAlarms {
			alarmActions[aws.ToString(a.AlarmName)] = a.AlarmActions
		}
		var want []string
		for _, k := range alertKeys {
			name := baseline.ActivityAlertName(trail, k)
			want = append(want, name)
			if !slices.Contains(filterNames, name) {
				return fmt.Errorf("metric filter %s missing; filters: %v", name, filterNames)
			}
			if !slices.Contains(alarmActions[name], topic) {
				return fmt.Errorf("alarm %s missing or not notifying %s: %v", name, topic, alarmActions)
			}
		}
		if len(filterNames) != len(want) || len(alarmActions) != len(want) {
			return fmt.Errorf("%d filters and %d alarms, want %d", len(filterNames), len(alarmActions), len(want))
		}
		subs, err := c.SNS.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
		if err != nil {
			return err
		}
		for _, e := range endpoints {
			if !slices.ContainsFunc(subs.Subscriptions, func(s snstypes.Subscription) bool { return aws.ToString(s.Endpoint) == e }) {
				return fmt.Errorf("no subscription of %s on %s", e, topic)
			}
		}
		role, err := acctest.IAM(t).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(baseline.ActivityRoleName(trail))})
		if err != nil || aws.ToString(role.Role.Arn) != aws.ToString(tr.CloudWatchLogsRoleArn) {
			return fmt.Errorf("delivery role: %v (trail names %s)", err, aws.ToString(tr.CloudWatchLogsRoleArn))
		}
		return testAccCheckRetention(t, trail, 365)(nil)
	}
}

func testAccCheckRetention(t *testing.T, trail string, days int32) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := acctest.Activity(t).Logs.DescribeLogGroups(context.Background(), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(baseline.ActivityLogGroupName(trail))})
		if err != nil {
			return err
		}
		for _, g := range out.LogGroups {
			if aws.ToString(g.LogGroupName) == baseline.ActivityLogGroupName(trail) {
				if aws.ToInt32(g.RetentionInDays) != days && days != 365 || aws.ToInt32(g.RetentionInDays) < days {
					return fmt.Errorf("log group retention %d, want %d", aws.ToInt32(g.RetentionInDays), days)
				}
				return nil
			}
		}
		return fmt.Errorf("log group %s missing", baseline.ActivityLogGroupName(trail))
	}
}

func testAccCheckNoSubscription(t *testing.T, trail, endpoint string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		topic := "arn:aws:sns:us-east-1:" + testAccount + ":iambaseline-" + trail + "-alerts"
		subs, err := acctest.Activity(t).SNS.ListSubscriptionsByTopic(context.Background(), &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
		if err != nil {
			return err
		}
		for _, s := range subs.Subscriptions {
			if aws.ToString(s.Endpoint) == endpoint {
				return fmt.Errorf("%s is still subscribed to %s", endpoint, topic)
			}
		}
		return nil
	}
}

// testAccCheckTrailBucket: public access blocked, versioned, encrypted, and the CloudTrail policy
// scoped to the trail.
func testAccCheckTrailBucket(t *testing.T, bucket, trail string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		c := acctest.Activity(t).S3
		pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(bucket)})
		if err != nil {
			return fmt.Errorf("public access block of %s: %w", bucket, err)
		}
		p := pab.PublicAccessBlockConfiguration
		if !aws.ToBool(p.BlockPublicAcls) || !aws.ToBool(p.BlockPublicPolicy) || !aws.ToBool(p.IgnorePublicAcls) || !aws.ToBool(p.RestrictPublicBuckets) {
			return fmt.Errorf("bucket %s is not fully private: %+v", bucket, p)
		}
		v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
		if err != nil || v.Status != "Enabled" {
			return fmt.Errorf("bucket %s versioning %v (%v)", bucket, v, err)
		}
		if _, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(bucket)}); err != nil {
			return fmt.Errorf("bucket %s encryption: %w", bucket, err)
		}
		if _, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(bucket)}); err != nil {
			return fmt.Errorf("bucket %s lifecycle: %w", bucket, err)
		}
		pol, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
		if err != nil {
			return err
		}
		want, _ := baseline.TrailBucketPolicy(baseline.ActivityARNs{Region: "us-east-1", AccountID: testAccount, Trail: trail, Bucket: bucket}).JSON()
		if ok, err := baseline.PoliciesEquivalent(aws.ToString(pol.Policy), want); err != nil || !ok {
			return fmt.Errorf("bucket %s policy %s, want %s (%v)", bucket, aws.ToString(pol.Policy), want, err)
		}
		return nil
	}
}

// testAccCheckActivityAlertsDestroy: no trail, log group, alarm, topic, delivery role or bucket of
// any trail the tests made is left.
func testAccCheckActivityAlertsDestroy(t *testing.T) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		c := acctest.Activity(t)
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "iambaseline_activity_alerts" {
				continue
			}
			trail := rs.Primary.ID
			if _, err := c.CloudTrail.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(trail)}); err == nil {
				return fmt.Errorf("trail %s still exists", trail)
			} else if !awsiam.HasCode(err, "TrailNotFoundException") {
				return err
			}
			groups, err := c.Logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(baseline.ActivityLogGroupName(trail))})
			if err != nil {
				return err
			}
			for _, g := range groups.LogGroups {
				if aws.ToString(g.LogGroupName) == baseline.ActivityLogGroupName(trail) {
					return fmt.Errorf("log group %s still exists", aws.ToString(g.LogGroupName))
				}
			}
			alarms, err := c.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(baseline.ActivityAlertNamePrefix(trail))})
			if err != nil {
				return err
			}
			if len(alarms.MetricAlarms) > 0 {
				return fmt.Errorf("%d alarms of %s still exist", len(alarms.MetricAlarms), trail)
			}
			topic := rs.Primary.Attributes["topic_arn"]
			if rs.Primary.Attributes["sns_topic_arn"] == "" {
				if _, err := c.SNS.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)}); err == nil {
					return fmt.Errorf("topic %s still exists", topic)
				}
			}
			if _, err := acctest.IAM(t).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(baseline.ActivityRoleName(trail))}); !awsiam.IsNotFound(err) {
				return fmt.Errorf("delivery role of %s: %v", trail, err)
			}
			bucket := rs.Primary.Attributes["s3_bucket_name"]
			_, err = c.S3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
			if exists := err == nil; exists != (rs.Primary.Attributes["use_existing_bucket"] == "true") {
				return fmt.Errorf("bucket %s exists: %v; it must remain exactly when it was the user's (use_existing_bucket)", bucket, exists)
			}
		}
		return nil
	}
}

// tags_all is default_tags with the resource's own tags on every piece; a change of default_tags is
// an in-place update that retags the pieces.
func TestAccActivityAlerts_defaultTags(t *testing.T) {
	trail := testAccTrailName()
	config := func(env string) string {
		return fmt.Sprintf(`
provider "iambaseline" {
  default_tags {
    tags = { ManagedBy = "terraform", Env = %q }
  }
}
`, env) + testAccActivityAlertsConfig(trail, "")
	}
	resource.ParallelTest(t, testAccActivityAlertsCase(t,
		resource.TestStep{
			Config: config("staging"),
			Check:  testAccCheckActivityTags(t, trail, map[string]string{"ManagedBy": "terraform", "Env": "staging", "Team": "security"}),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"Team": knownvalue.StringExact("security")})),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("tags_all"), knownvalue.MapSizeExact(3)),
			},
		},
		resource.TestStep{
			Config: config("prod"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(activityAlertsAddress, plancheck.ResourceActionUpdate),
			}},
			Check: testAccCheckActivityTags(t, trail, map[string]string{"ManagedBy": "terraform", "Env": "prod", "Team": "security"}),
		},
	))
}

// testAccCheckActivityTags: the trail, an alarm and the topic carry exactly want.
func testAccCheckActivityTags(t *testing.T, trail string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		c := acctest.Activity(t)
		arn := "arn:aws:cloudtrail:us-east-1:" + testAccount + ":trail/" + trail
		tags, err := c.CloudTrail.ListTags(ctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{arn}})
		if err != nil {
			return err
		}
		var trailTags []cttypes.Tag
		for _, r := range tags.ResourceTagList {
			trailTags = append(trailTags, r.TagsList...)
		}
		if err := tagsExactly("trail", trailTags, func(tag cttypes.Tag) (*string, *string) { return tag.Key, tag.Value }, want); err != nil {
			return err
		}
		alarm := "arn:aws:cloudwatch:us-east-1:" + testAccount + ":alarm:" + baseline.ActivityAlertName(trail, baseline.AlertRootUsage)
		at, err := c.CloudWatch.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: aws.String(alarm)})
		if err != nil {
			return err
		}
		if err := tagsExactly("alarm", at.Tags, func(tag cwtypes.Tag) (*string, *string) { return tag.Key, tag.Value }, want); err != nil {
			return err
		}
		topic := "arn:aws:sns:us-east-1:" + testAccount + ":iambaseline-" + trail + "-alerts"
		tt, err := c.SNS.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String(topic)})
		if err != nil {
			return err
		}
		return tagsExactly("topic", tt.Tags, func(tag snstypes.Tag) (*string, *string) { return tag.Key, tag.Value }, want)
	}
}

// tagsExactly fails unless the tags of what, in one service's type (kv gives key and value), are
// exactly want.
func tagsExactly[T any](what string, tags []T, kv func(T) (*string, *string), want map[string]string) error {
	got := map[string]string{}
	for _, tag := range tags {
		k, v := kv(tag)
		got[aws.ToString(k)] = aws.ToString(v)
	}
	if !maps.Equal(got, want) {
		return fmt.Errorf("%s tags %v, want %v", what, got, want)
	}
	return nil
}

// Without a trail the audit's CIS section 3 and 4 checks fail, each with a message saying what to
// add. Not parallel: it needs an account without trails, and the parallel tests of this package make
// theirs only after the sequential ones are done (each cleans up in CheckDestroy).
func TestAccActivityAlerts_auditFailsWithout(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			trails, err := acctest.Activity(t).CloudTrail.DescribeTrails(context.Background(), &cloudtrail.DescribeTrailsInput{})
			if err != nil {
				t.Fatal(err)
			}
			if len(trails.TrailList) > 0 {
				t.Fatalf("the account already has %d trails (left by another run?): this test needs none", len(trails.TrailList))
			}
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `data "iambaseline_audit" "review" {}`,
			Check: func(s *terraform.State) error {
				attrs := s.RootModule().Resources["data.iambaseline_audit.review"].Primary.Attributes
				n := 0
				for i := 0; ; i++ {
					id, ok := attrs[fmt.Sprintf("checks.%d.check_id", i)]
					if !ok {
						break
					}
					if !strings.HasPrefix(id, "cloudtrail_") && !strings.HasPrefix(id, "alert_") {
						continue
					}
					n++
					if attrs[fmt.Sprintf("checks.%d.passed", i)] != "false" {
						return fmt.Errorf("audit check %s passed on an account without a trail", id)
					}
					msgs := findingsOf(attrs, id)
					if len(msgs) == 0 || !strings.Contains(strings.Join(msgs, " "), "iambaseline_activity_alerts") {
						return fmt.Errorf("audit check %s: findings %v do not say how to fix it", id, msgs)
					}
				}
				if n != 10 {
					return fmt.Errorf("%d CIS section 3/4 checks, want 10", n)
				}
				return nil
			},
		}},
	})
}

// With an existing bucket and topic the resource only puts the CloudTrail policy on the bucket and its
// subscriptions on the topic; destroy leaves both and takes only its subscriptions off the topic.
func TestAccActivityAlerts_existingBucketAndTopic(t *testing.T) {
	trail := testAccTrailName()
	bucket := strings.ToLower(acctest.RandomName("tf-acc-own-bucket"))
	topicName := acctest.RandomName("tf-acc-own-topic")
	topic := "arn:aws:sns:us-east-1:" + testAccount + ":" + topicName
	ctx := context.Background()
	c := acctest.Activity(t)
	check := testAccCheckActivityAlertsDestroy(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			if _, err := c.S3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(topicName)}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.SNS.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topic), Protocol: aws.String("email"), Endpoint: aws.String("someone-else@example.com")}); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				_, _ = c.SNS.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(topic)})
				_, _ = c.S3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
			})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := check(s); err != nil {
				return err
			}
			subs, err := c.SNS.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
			if err != nil {
				return fmt.Errorf("the user's topic is gone: %w", err)
			}
			var left []string
			for _, s := range subs.Subscriptions {
				left = append(left, aws.ToString(s.Endpoint))
			}
			if !slices.Equal(left, []string{"someone-else@example.com"}) {
				return fmt.Errorf("subscriptions left on the user's topic: %v, want only someone-else@example.com", left)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "iambaseline_activity_alerts" "test" {
  trail_name          = %q
  s3_bucket_name      = %q
  use_existing_bucket = true
  sns_topic_arn       = %q
  email_addresses     = ["security@example.com"]
}
`, trail, bucket, topic),
			Check: resource.ComposeTestCheckFunc(
				func(*terraform.State) error {
					pol, err := c.S3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
					if err != nil {
						return err
					}
					want, _ := baseline.TrailBucketPolicy(baseline.ActivityARNs{Region: "us-east-1", AccountID: testAccount, Trail: trail, Bucket: bucket}).JSON()
					if ok, err := baseline.PoliciesEquivalent(aws.ToString(pol.Policy), want); err != nil || !ok {
						return fmt.Errorf("bucket policy %s", aws.ToString(pol.Policy))
					}
					alarms, err := c.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(baseline.ActivityAlertNamePrefix(trail))})
					if err != nil {
						return err
					}
					for _, a := range alarms.MetricAlarms {
						if !slices.Equal(a.AlarmActions, []string{topic}) {
							return fmt.Errorf("alarm %s notifies %v, want the user's topic", aws.ToString(a.AlarmName), a.AlarmActions)
						}
					}
					return nil
				},
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("topic_arn"), knownvalue.StringExact(topic)),
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("s3_bucket_name"), knownvalue.StringExact(bucket)),
			},
		}, {
			// The import finds the user's bucket (not the default name) and topic again; on the user's
			// topic it cannot tell the resource's subscriptions from others', so it takes none.
			ResourceName: activityAlertsAddress, ImportState: true, ImportStateVerify: true, ImportStateId: trail,
			ImportStateVerifyIgnore: []string{"email_addresses"},
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if n := states[0].Attributes["email_addresses.#"]; n != "" && n != "0" {
					return fmt.Errorf("import took %s subscriptions of the user's topic", n)
				}
				return nil
			},
		}},
	})
}

// Moving the alarms to a topic of the user's deletes the resource's own topic; moving back takes the
// resource's subscriptions off the user's topic.
func TestAccActivityAlerts_switchTopic(t *testing.T) {
	trail := testAccTrailName()
	topicName := acctest.RandomName("tf-acc-own-topic")
	topic := "arn:aws:sns:us-east-1:" + testAccount + ":" + topicName
	own := "arn:aws:sns:us-east-1:" + testAccount + ":iambaseline-" + trail + "-alerts"
	ctx := context.Background()
	c := acctest.Activity(t)
	createTopic := func() {
		if _, err := c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(topicName)}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = c.SNS.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(topic)}) })
	}
	withTopic := testAccActivityAlertsConfig(trail, fmt.Sprintf("  sns_topic_arn = %q", topic))
	subscribed := func(arn, endpoint string, want bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			subs, err := c.SNS.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(arn)})
			if err != nil {
				return err
			}
			got := slices.ContainsFunc(subs.Subscriptions, func(s snstypes.Subscription) bool { return aws.ToString(s.Endpoint) == endpoint })
			if got != want {
				return fmt.Errorf("%s subscribed to %s: %v, want %v", endpoint, arn, got, want)
			}
			return nil
		}
	}
	tc := testAccActivityAlertsCase(t,
		resource.TestStep{Config: testAccActivityAlertsConfig(trail, "")},
		resource.TestStep{
			Config: withTopic,
			Check: resource.ComposeTestCheckFunc(
				func(*terraform.State) error {
					if _, err := c.SNS.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(own)}); err == nil {
						return fmt.Errorf("the resource's own topic %s was not deleted", own)
					}
					return nil
				},
				subscribed(topic, "security@example.com", true),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("topic_arn"), knownvalue.StringExact(topic)),
			},
		},
		resource.TestStep{
			Config: testAccActivityAlertsConfig(trail, ""),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckActivityAlertsExists(t, trail, baseline.ActivityAlertKeys(), "security@example.com"),
				subscribed(topic, "security@example.com", false),
			),
		},
	)
	tc.PreCheck = func() { acctest.PreCheck(t); createTopic() }
	resource.ParallelTest(t, tc)
}

// mfa_device_enrolled is on by default and switchable like the others: its metric filter carries the
// catalogue's pattern (the emulator stores patterns without evaluating them, and its TestMetricFilter
// answers 500, so TestActivityAlerts_patternsMatchTheirEventsOnly proves the pattern against CloudTrail
// records) and its alarm counts that filter's metric and notifies the topic.
func TestAccActivityAlerts_mfaDeviceEnrolled(t *testing.T) {
	trail := testAccTrailName()
	name := baseline.ActivityAlertName(trail, baseline.AlertMFADeviceEnrolled)
	alert, _ := baseline.FindActivityAlert(baseline.AlertMFADeviceEnrolled)
	withoutIt := slices.DeleteFunc(baseline.ActivityAlertKeys(), func(k string) bool { return k == baseline.AlertMFADeviceEnrolled })
	resource.ParallelTest(t, testAccActivityAlertsCase(t,
		resource.TestStep{
			Config: testAccActivityAlertsConfig(trail, ""),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckActivityAlertsExists(t, trail, baseline.ActivityAlertKeys()),
				func(*terraform.State) error {
					ctx := context.Background()
					c := acctest.Activity(t)
					filters, err := c.Logs.DescribeMetricFilters(ctx, &cloudwatchlogs.DescribeMetricFiltersInput{
						LogGroupName: aws.String(baseline.ActivityLogGroupName(trail)), FilterNamePrefix: aws.String(name)})
					if err != nil {
						return err
					}
					if len(filters.MetricFilters) != 1 {
						return fmt.Errorf("metric filters named %s: %d", name, len(filters.MetricFilters))
					}
					f := filters.MetricFilters[0]
					if aws.ToString(f.FilterPattern) != alert.Pattern {
						return fmt.Errorf("filter %s has pattern %q, want %q", name, aws.ToString(f.FilterPattern), alert.Pattern)
					}
					if len(f.MetricTransformations) != 1 || aws.ToString(f.MetricTransformations[0].MetricName) != name ||
						aws.ToString(f.MetricTransformations[0].MetricNamespace) != baseline.ActivityMetricNamespace {
						return fmt.Errorf("filter %s counts %+v", name, f.MetricTransformations)
					}
					alarms, err := c.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{name}})
					if err != nil {
						return err
					}
					if len(alarms.MetricAlarms) != 1 || aws.ToString(alarms.MetricAlarms[0].MetricName) != name ||
						aws.ToString(alarms.MetricAlarms[0].Namespace) != baseline.ActivityMetricNamespace ||
						aws.ToString(alarms.MetricAlarms[0].AlarmDescription) != alert.Description {
						return fmt.Errorf("alarm %s: %+v", name, alarms.MetricAlarms)
					}
					return nil
				},
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(activityAlertsAddress, tfjsonpath.New("alarm_names").AtMapKey(baseline.AlertMFADeviceEnrolled), knownvalue.StringExact(name)),
			},
		},
		resource.TestStep{
			Config: testAccActivityAlertsConfig(trail, `alerts = { mfa_device_enrolled = false }`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(activityAlertsAddress, plancheck.ResourceActionUpdate),
			}},
			Check: testAccCheckActivityAlertsExists(t, trail, withoutIt),
		},
	))
}
