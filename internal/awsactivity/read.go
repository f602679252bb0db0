package awsactivity

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// ReadState reads every piece in bulk: the trail (GetTrail, GetTrailStatus, GetEventSelectors,
// ListTags), the log group, all alert filters and alarms by name prefix (one paged list each,
// whatever the number of alerts), the topic and its subscriptions, the bucket policy and the
// delivery role. A missing trail is a NotFoundError: without it the resource is gone.
func (c *Client) ReadState(ctx context.Context, n Names) (*State, error) {
	trail, err := c.FindTrail(ctx, n.Trail)
	if err != nil {
		return nil, err
	}
	st := &State{Trail: trail}
	bucket := n.Bucket
	if bucket == "" {
		bucket = trail.Bucket
	}
	if st.BucketPolicy, st.BucketExists, err = c.readBucketPolicy(ctx, bucket); err != nil {
		return nil, err
	}
	if st.LogGroup, err = c.FindLogGroup(ctx, n.LogGroup); err != nil && !IsNotFound(err) {
		return nil, err
	}
	if st.Filters, err = c.ListMetricFilters(ctx, n.LogGroup, n.AlertPrefix); err != nil {
		return nil, err
	}
	if st.Alarms, err = c.ListAlarms(ctx, n.AlertPrefix); err != nil {
		return nil, err
	}
	if n.TopicARN != "" {
		if st.Topic, err = c.FindTopic(ctx, n.TopicARN); err != nil && !IsNotFound(err) {
			return nil, err
		}
	}
	if n.Role != "" {
		if st.Role, err = c.iam.FindRoleDirect(ctx, n.Role); err != nil && !IsNotFound(err) {
			return nil, err
		}
	}
	return st, nil
}

// FindTrail reads a trail, its status, event selectors and tags.
func (c *Client) FindTrail(ctx context.Context, name string) (*Trail, error) {
	out, err := c.cloudtrail.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(name)})
	if err != nil {
		return nil, notFound(KindTrail, name, fmt.Errorf("reading CloudTrail trail (%s): %w", name, err))
	}
	if out.Trail == nil {
		return nil, &awscore.NotFoundError{Kind: KindTrail, Name: name}
	}
	t := trailFrom(out.Trail)
	status, err := c.cloudtrail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(name)})
	if err != nil {
		return nil, notFound(KindTrail, name, fmt.Errorf("reading status of CloudTrail trail (%s): %w", name, err))
	}
	t.Logging = aws.ToBool(status.IsLogging)
	sel, err := c.cloudtrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(name)})
	if err != nil {
		return nil, notFound(KindTrail, name, fmt.Errorf("reading event selectors of CloudTrail trail (%s): %w", name, err))
	}
	t.AllManagementEvents = allManagementEvents(sel.EventSelectors, sel.AdvancedEventSelectors)
	tags, err := c.cloudtrail.ListTags(ctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{t.ARN}})
	if err != nil {
		return nil, notFound(KindTrail, name, fmt.Errorf("reading tags of CloudTrail trail (%s): %w", name, err))
	}
	t.Tags = map[string]string{}
	for _, r := range tags.ResourceTagList {
		for _, tag := range r.TagsList {
			t.Tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
	}
	return t, nil
}

func trailFrom(t *cttypes.Trail) *Trail {
	return &Trail{
		Name:                aws.ToString(t.Name),
		ARN:                 aws.ToString(t.TrailARN),
		Bucket:              aws.ToString(t.S3BucketName),
		MultiRegion:         aws.ToBool(t.IsMultiRegionTrail),
		GlobalServiceEvents: aws.ToBool(t.IncludeGlobalServiceEvents),
		LogFileValidation:   aws.ToBool(t.LogFileValidationEnabled),
		LogGroupARN:         aws.ToString(t.CloudWatchLogsLogGroupArn),
		RoleARN:             aws.ToString(t.CloudWatchLogsRoleArn),
		KMSKeyID:            aws.ToString(t.KmsKeyId),
		HomeRegion:          aws.ToString(t.HomeRegion),
	}
}

// allManagementEvents: a basic selector with management events of every read/write type, or an
// advanced selector on eventCategory = Management without a readOnly field.
func allManagementEvents(basic []cttypes.EventSelector, advanced []cttypes.AdvancedEventSelector) bool {
	for _, s := range basic {
		if aws.ToBool(s.IncludeManagementEvents) && s.ReadWriteType == cttypes.ReadWriteTypeAll {
			return true
		}
	}
	for _, s := range advanced {
		management, readOnly := false, false
		for _, f := range s.FieldSelectors {
			switch aws.ToString(f.Field) {
			case "eventCategory":
				management = len(f.Equals) == 1 && f.Equals[0] == "Management"
			case "readOnly":
				readOnly = true
			}
		}
		if management && !readOnly {
			return true
		}
	}
	return false
}

// FindLogGroup reads the log group named exactly name.
func (c *Client) FindLogGroup(ctx context.Context, name string) (*LogGroup, error) {
	out, err := c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("reading CloudWatch Logs log group (%s): %w", name, err)
	}
	for _, g := range out.LogGroups {
		if aws.ToString(g.LogGroupName) == name {
			return &LogGroup{
				Name: name, ARN: strings.TrimSuffix(aws.ToString(g.Arn), ":*"),
				RetentionDays: aws.ToInt32(g.RetentionInDays), KMSKeyID: aws.ToString(g.KmsKeyId),
			}, nil
		}
	}
	return nil, &awscore.NotFoundError{Kind: KindLogGroup, Name: name}
}

// ListMetricFilters lists the log group's metric filters whose names start with prefix, by name.
// A missing log group has none.
func (c *Client) ListMetricFilters(ctx context.Context, logGroup, prefix string) (map[string]MetricFilter, error) {
	out := map[string]MetricFilter{}
	pages := cloudwatchlogs.NewDescribeMetricFiltersPaginator(c.logs, &cloudwatchlogs.DescribeMetricFiltersInput{
		LogGroupName: aws.String(logGroup), FilterNamePrefix: aws.String(prefix),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if IsNotFound(err) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("listing metric filters of CloudWatch Logs log group (%s): %w", logGroup, err)
		}
		for _, f := range page.MetricFilters {
			mf := MetricFilter{Name: aws.ToString(f.FilterName), Pattern: aws.ToString(f.FilterPattern)}
			if aws.ToString(f.LogGroupName) != "" && aws.ToString(f.LogGroupName) != logGroup {
				continue
			}
			if len(f.MetricTransformations) > 0 {
				t := f.MetricTransformations[0]
				mf.MetricName, mf.Namespace, mf.MetricValue = aws.ToString(t.MetricName), aws.ToString(t.MetricNamespace), aws.ToString(t.MetricValue)
			}
			if ownName(mf.Name, prefix) {
				out[mf.Name] = mf
			}
		}
	}
	return out, nil
}

// ListAlarms lists the metric alarms whose names start with prefix, by name.
func (c *Client) ListAlarms(ctx context.Context, prefix string) (map[string]Alarm, error) {
	pages := cloudwatch.NewDescribeAlarmsPaginator(c.cloudwatch, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(prefix)})
	alarms, err := awscore.Collect(ctx, pages, metricAlarms)
	if err != nil {
		return nil, fmt.Errorf("listing CloudWatch alarms (%s*): %w", prefix, err)
	}
	out := map[string]Alarm{}
	for _, a := range alarms {
		name := aws.ToString(a.AlarmName)
		if !ownName(name, prefix) {
			continue
		}
		out[name] = Alarm{
			Name: name, ARN: aws.ToString(a.AlarmArn), Description: aws.ToString(a.AlarmDescription),
			MetricName: aws.ToString(a.MetricName), Namespace: aws.ToString(a.Namespace),
			Actions: a.AlarmActions, ActionsEnable: aws.ToBool(a.ActionsEnabled),
		}
	}
	return out, nil
}

// FindTopic reads a topic's attributes and subscriptions.
func (c *Client) FindTopic(ctx context.Context, arn string) (*Topic, error) {
	attrs, err := c.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if err != nil {
		return nil, notFound(KindTopic, arn, fmt.Errorf("reading SNS topic (%s): %w", arn, err))
	}
	t := &Topic{ARN: arn, Policy: attrs.Attributes["Policy"], KMSKeyID: attrs.Attributes["KmsMasterKeyId"]}
	pages := sns.NewListSubscriptionsByTopicPaginator(c.sns, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(arn)})
	t.Subscriptions, err = awscore.Collect(ctx, pages, func(page *sns.ListSubscriptionsByTopicOutput) []Subscription {
		return awscore.Each(page.Subscriptions, func(s snstypes.Subscription) Subscription {
			return Subscription{ARN: aws.ToString(s.SubscriptionArn), Protocol: aws.ToString(s.Protocol), Endpoint: aws.ToString(s.Endpoint)}
		})
	})
	if err != nil {
		return nil, notFound(KindTopic, arn, fmt.Errorf("listing subscriptions of SNS topic (%s): %w", arn, err))
	}
	return t, nil
}

// readBucketPolicy returns the bucket's policy ("" when it has none) and whether the bucket exists.
func (c *Client) readBucketPolicy(ctx context.Context, bucket string) (string, bool, error) {
	if bucket == "" {
		return "", false, nil
	}
	out, err := c.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	switch {
	case awscore.HasCode(err, "NoSuchBucketPolicy"):
		return "", true, nil
	case awscore.HasCode(err, "NoSuchBucket"):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("reading policy of S3 bucket (%s): %w", bucket, err)
	}
	return aws.ToString(out.Policy), true, nil
}

// ownName: name is prefix + an alert key. Alert keys have no '-' or '.', trail names may: the alarms
// of trail "main-eu" (iambaseline-main-eu-<key>) are not trail "main"'s.
func ownName(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	return ok && rest != "" && !strings.ContainsAny(rest, "-.")
}
