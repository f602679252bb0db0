package awsactivity

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Apply makes what exists (cur; nil on create: every piece is then read where it matters) match
// spec, piece by piece, and only sends the writes a difference calls for. It converges when re-run
// after an interrupted apply: every step first looks at what is there.
func (c *Client) Apply(ctx context.Context, spec Spec, cur *State) error {
	if cur == nil {
		cur = &State{}
		var err error
		if cur.BucketPolicy, cur.BucketExists, err = c.readBucketPolicy(ctx, spec.Bucket); err != nil {
			return err
		}
		if cur.LogGroup, err = c.FindLogGroup(ctx, spec.LogGroup); err != nil && !IsNotFound(err) {
			return err
		}
		if cur.Role, err = c.iam.FindRoleDirect(ctx, spec.Role); err != nil && !IsNotFound(err) {
			return err
		}
		if cur.Filters, err = c.ListMetricFilters(ctx, spec.LogGroup, spec.AlertPrefix); err != nil {
			return err
		}
		if cur.Alarms, err = c.ListAlarms(ctx, spec.AlertPrefix); err != nil {
			return err
		}
		if !spec.ManageTopic || cur.Topic == nil {
			if cur.Topic, err = c.FindTopic(ctx, spec.TopicARN); err != nil && !IsNotFound(err) {
				return err
			}
		}
	}
	if err := c.applyBucket(ctx, spec, cur); err != nil {
		return err
	}
	if err := c.applyLogGroup(ctx, spec, cur.LogGroup); err != nil {
		return err
	}
	roleARN, err := c.applyRole(ctx, spec, cur.Role)
	if err != nil {
		return err
	}
	if err := c.applyTrail(ctx, spec, cur.Trail, roleARN); err != nil {
		return err
	}
	topicARN, err := c.applyTopic(ctx, spec, cur.Topic)
	if err != nil {
		return err
	}
	return c.applyAlerts(ctx, spec, cur, topicARN)
}

func (c *Client) applyLogGroup(ctx context.Context, spec Spec, cur *LogGroup) error {
	if cur == nil {
		in := &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(spec.LogGroup), Tags: spec.Tags}
		if spec.KMSKeyARN != "" {
			in.KmsKeyId = aws.String(spec.KMSKeyARN)
		}
		if _, err := c.logs.CreateLogGroup(ctx, in); err != nil && !awscore.HasCode(err, "ResourceAlreadyExistsException") {
			return fmt.Errorf("creating CloudWatch Logs log group (%s): %w", spec.LogGroup, err)
		}
	}
	if cur == nil || cur.RetentionDays != spec.RetentionDays {
		if _, err := c.logs.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{
			LogGroupName: aws.String(spec.LogGroup), RetentionInDays: aws.Int32(spec.RetentionDays),
		}); err != nil {
			return fmt.Errorf("setting retention of CloudWatch Logs log group (%s): %w", spec.LogGroup, err)
		}
	}
	return nil
}

// updateLogGroupTags tags the log group (ARN without ":*") with tags and removes the keys in drop.
func (c *Client) updateLogGroupTags(ctx context.Context, arn string, tags map[string]string, drop []string) error {
	if len(tags) > 0 {
		if _, err := c.logs.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags}); err != nil {
			return fmt.Errorf("tagging CloudWatch Logs log group (%s): %w", arn, err)
		}
	}
	if len(drop) > 0 {
		if _, err := c.logs.UntagResource(ctx, &cloudwatchlogs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: drop}); err != nil {
			return fmt.Errorf("untagging CloudWatch Logs log group (%s): %w", arn, err)
		}
	}
	return nil
}

func (c *Client) applyRole(ctx context.Context, spec Spec, cur *awsiam.Role) (string, error) {
	want := awsiam.RoleSpec{
		Name: spec.Role, Path: spec.RolePath, Description: "CloudTrail delivers trail " + spec.Trail + " to CloudWatch Logs (iambaseline_activity_alerts)",
		TrustPolicy: spec.RoleTrust, Tags: spec.Tags, InlinePolicies: map[string]string{spec.RolePolicyName: spec.RolePolicy},
	}
	if cur == nil {
		r, err := c.iam.CreateRole(ctx, want)
		if err != nil {
			return "", err
		}
		return r.ARN, nil
	}
	if !equivalent(cur.TrustPolicy, want.TrustPolicy) || len(cur.InlinePolicies) != 1 ||
		!equivalent(cur.InlinePolicies[spec.RolePolicyName], spec.RolePolicy) || len(cur.ManagedPolicyARNs) > 0 ||
		!maps.Equal(cur.Tags, want.Tags) || cur.Description != want.Description {
		if _, err := c.iam.UpdateRole(ctx, *cur, want); err != nil {
			return "", err
		}
	}
	return cur.ARN, nil
}

func equivalent(a, b string) bool {
	ok, err := baseline.PoliciesEquivalent(a, b)
	return err == nil && ok
}

func (c *Client) applyTrail(ctx context.Context, spec Spec, cur *Trail, roleARN string) error {
	name := aws.String(spec.Trail)
	var kms *string
	if spec.KMSKeyARN != "" {
		kms = aws.String(spec.KMSKeyARN)
	}
	if cur == nil {
		_, err := retryPropagation(ctx, func(ctx context.Context) (*cloudtrail.CreateTrailOutput, error) {
			return c.cloudtrail.CreateTrail(ctx, &cloudtrail.CreateTrailInput{
				Name: name, S3BucketName: aws.String(spec.Bucket), IsMultiRegionTrail: aws.Bool(true),
				IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true),
				CloudWatchLogsLogGroupArn: aws.String(spec.LogGroupARN), CloudWatchLogsRoleArn: aws.String(roleARN),
				KmsKeyId: kms, TagsList: trailTags(spec.Tags),
			})
		})
		if err != nil {
			return fmt.Errorf("creating CloudTrail trail (%s): %w", spec.Trail, err)
		}
	} else if !cur.MultiRegion || !cur.GlobalServiceEvents || !cur.LogFileValidation || cur.Bucket != spec.Bucket ||
		cur.LogGroupARN != spec.LogGroupARN || cur.RoleARN != roleARN || cur.KMSKeyID != spec.KMSKeyARN {
		in := &cloudtrail.UpdateTrailInput{
			Name: name, S3BucketName: aws.String(spec.Bucket), IsMultiRegionTrail: aws.Bool(true),
			IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true),
			CloudWatchLogsLogGroupArn: aws.String(spec.LogGroupARN), CloudWatchLogsRoleArn: aws.String(roleARN), KmsKeyId: kms,
		}
		if kms == nil && cur.KMSKeyID != "" {
			in.KmsKeyId = aws.String("") // CloudTrail's way to stop encrypting with KMS
		}
		if _, err := retryPropagation(ctx, func(ctx context.Context) (*cloudtrail.UpdateTrailOutput, error) {
			return c.cloudtrail.UpdateTrail(ctx, in)
		}); err != nil {
			return fmt.Errorf("updating CloudTrail trail (%s): %w", spec.Trail, err)
		}
	}
	if cur == nil || !cur.AllManagementEvents {
		if _, err := c.cloudtrail.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{
			TrailName: name,
			EventSelectors: []cttypes.EventSelector{{
				IncludeManagementEvents: aws.Bool(true), ReadWriteType: cttypes.ReadWriteTypeAll,
			}},
		}); err != nil {
			return fmt.Errorf("recording management events of CloudTrail trail (%s): %w", spec.Trail, err)
		}
	}
	if cur == nil || !cur.Logging {
		if _, err := c.cloudtrail.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: name}); err != nil {
			return fmt.Errorf("starting logging of CloudTrail trail (%s): %w", spec.Trail, err)
		}
	}
	if cur != nil && !maps.Equal(cur.Tags, spec.Tags) {
		if err := c.updateTrailTags(ctx, cur.ARN, cur.Tags, spec.Tags); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) updateTrailTags(ctx context.Context, arn string, old, want map[string]string) error {
	remove, _ := awscore.TagChanges(old, want)
	var drop []cttypes.Tag
	for _, k := range remove {
		drop = append(drop, cttypes.Tag{Key: aws.String(k)})
	}
	if len(drop) > 0 {
		if _, err := c.cloudtrail.RemoveTags(ctx, &cloudtrail.RemoveTagsInput{ResourceId: aws.String(arn), TagsList: drop}); err != nil {
			return fmt.Errorf("untagging CloudTrail trail (%s): %w", arn, err)
		}
	}
	if len(want) > 0 {
		if _, err := c.cloudtrail.AddTags(ctx, &cloudtrail.AddTagsInput{ResourceId: aws.String(arn), TagsList: trailTags(want)}); err != nil {
			return fmt.Errorf("tagging CloudTrail trail (%s): %w", arn, err)
		}
	}
	return nil
}

func trailTags(tags map[string]string) []cttypes.Tag {
	return sortedTags(tags, func(k, v *string) cttypes.Tag { return cttypes.Tag{Key: k, Value: v} })
}

// sortedTags are the tags in one service's type, by key.
func sortedTags[T any](tags map[string]string, tag func(key, value *string) T) []T {
	out := make([]T, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, tag(aws.String(k), aws.String(tags[k])))
	}
	return out
}

// applyTopic creates the topic when the resource owns it, sets its policy, and subscribes the
// endpoints. It returns the topic's ARN.
func (c *Client) applyTopic(ctx context.Context, spec Spec, cur *Topic) (string, error) {
	arn := spec.TopicARN
	if spec.ManageTopic {
		if cur == nil {
			attrs := map[string]string{"Policy": spec.TopicPolicy}
			if spec.KMSKeyARN != "" {
				attrs["KmsMasterKeyId"] = spec.KMSKeyARN
			}
			out, err := c.sns.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(spec.TopicName), Attributes: attrs, Tags: snsTags(spec.Tags)})
			if err != nil {
				return "", fmt.Errorf("creating SNS topic (%s): %w", spec.TopicName, err)
			}
			arn = aws.ToString(out.TopicArn)
			cur = &Topic{ARN: arn, Policy: spec.TopicPolicy, KMSKeyID: spec.KMSKeyARN}
		}
		if !equivalent(cur.Policy, spec.TopicPolicy) {
			if err := c.setTopicAttribute(ctx, arn, "Policy", spec.TopicPolicy); err != nil {
				return "", err
			}
		}
		if cur.KMSKeyID != spec.KMSKeyARN {
			if err := c.setTopicAttribute(ctx, arn, "KmsMasterKeyId", spec.KMSKeyARN); err != nil {
				return "", err
			}
		}
	} else if cur == nil {
		return "", fmt.Errorf("SNS topic (%s) not found: sns_topic_arn must name an existing topic", arn)
	}
	have := map[string]Subscription{}
	for _, s := range cur.Subscriptions {
		have[s.Protocol+" "+s.Endpoint] = s
	}
	for _, sub := range wantedSubscriptions(spec) {
		if _, ok := have[sub.Protocol+" "+sub.Endpoint]; ok {
			continue
		}
		if _, err := c.sns.Subscribe(ctx, &sns.SubscribeInput{
			TopicArn: aws.String(arn), Protocol: aws.String(sub.Protocol), Endpoint: aws.String(sub.Endpoint),
		}); err != nil {
			return "", fmt.Errorf("subscribing %s to SNS topic (%s): %w", sub.Endpoint, arn, err)
		}
	}
	wanted := map[string]bool{}
	for _, s := range wantedSubscriptions(spec) {
		wanted[s.Endpoint] = true
	}
	for _, s := range cur.Subscriptions {
		if slices.Contains(spec.DropEndpoints, s.Endpoint) && !wanted[s.Endpoint] && s.Confirmed() {
			if _, err := c.sns.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(s.ARN)}); err != nil && !IsNotFound(err) {
				return "", fmt.Errorf("unsubscribing %s from SNS topic (%s): %w", s.Endpoint, arn, err)
			}
		}
	}
	return arn, nil
}

func wantedSubscriptions(spec Spec) []Subscription {
	var out []Subscription
	for _, e := range spec.Emails {
		out = append(out, Subscription{Protocol: "email", Endpoint: e})
	}
	for _, e := range spec.HTTPS {
		out = append(out, Subscription{Protocol: "https", Endpoint: e})
	}
	return out
}

func (c *Client) setTopicAttribute(ctx context.Context, arn, name, value string) error {
	if _, err := c.sns.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{
		TopicArn: aws.String(arn), AttributeName: aws.String(name), AttributeValue: aws.String(value),
	}); err != nil {
		return fmt.Errorf("setting %s of SNS topic (%s): %w", name, arn, err)
	}
	return nil
}

func snsTags(tags map[string]string) []snstypes.Tag {
	return sortedTags(tags, func(k, v *string) snstypes.Tag { return snstypes.Tag{Key: k, Value: v} })
}

// applyAlerts puts the filters and alarms that are missing or differ, and deletes the ones of this
// trail that are no longer wanted.
func (c *Client) applyAlerts(ctx context.Context, spec Spec, cur *State, topicARN string) error {
	wanted := map[string]bool{}
	for _, a := range spec.Alerts {
		wanted[a.Name] = true
		f, ok := cur.Filters[a.Name]
		if !ok || f.Pattern != a.Pattern || f.MetricName != a.Name || f.Namespace != baseline.ActivityMetricNamespace || f.MetricValue != spec.Alarm.MetricValue {
			if _, err := c.logs.PutMetricFilter(ctx, &cloudwatchlogs.PutMetricFilterInput{
				LogGroupName: aws.String(spec.LogGroup), FilterName: aws.String(a.Name), FilterPattern: aws.String(a.Pattern),
				MetricTransformations: []logtypes.MetricTransformation{{
					MetricName: aws.String(a.Name), MetricNamespace: aws.String(baseline.ActivityMetricNamespace),
					MetricValue: aws.String(spec.Alarm.MetricValue), DefaultValue: aws.Float64(spec.Alarm.DefaultValue),
				}},
			}); err != nil {
				return fmt.Errorf("putting metric filter (%s) on CloudWatch Logs log group (%s): %w", a.Name, spec.LogGroup, err)
			}
		}
		al, ok := cur.Alarms[a.Name]
		if !ok || !AlarmMatches(al, a, topicARN) {
			if _, err := c.cloudwatch.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
				AlarmName: aws.String(a.Name), AlarmDescription: aws.String(a.Description),
				ActionsEnabled: aws.Bool(true), AlarmActions: []string{topicARN},
				MetricName: aws.String(a.Name), Namespace: aws.String(baseline.ActivityMetricNamespace),
				Statistic: cwtypes.Statistic(spec.Alarm.Statistic), Period: aws.Int32(spec.Alarm.PeriodSeconds),
				EvaluationPeriods: aws.Int32(spec.Alarm.EvaluationPeriods), Threshold: aws.Float64(spec.Alarm.Threshold),
				ComparisonOperator: cwtypes.ComparisonOperator(spec.Alarm.ComparisonOperator),
				TreatMissingData:   aws.String(spec.Alarm.TreatMissingData), Tags: cloudwatchTags(spec.Tags),
			}); err != nil {
				return fmt.Errorf("putting CloudWatch alarm (%s): %w", a.Name, err)
			}
		}
	}
	for name := range cur.Filters {
		if wanted[name] {
			continue
		}
		if _, err := c.logs.DeleteMetricFilter(ctx, &cloudwatchlogs.DeleteMetricFilterInput{
			LogGroupName: aws.String(spec.LogGroup), FilterName: aws.String(name),
		}); err != nil && !IsNotFound(err) {
			return fmt.Errorf("deleting metric filter (%s): %w", name, err)
		}
	}
	var stale []string
	for name := range cur.Alarms {
		if !wanted[name] {
			stale = append(stale, name)
		}
	}
	return c.deleteAlarms(ctx, stale)
}

// AlarmMatches tells whether an alarm is the one the alert wants, publishing to topicARN.
func AlarmMatches(al Alarm, a baseline.ActivityAlertSpec, topicARN string) bool {
	return al.MetricName == a.Name && al.Namespace == baseline.ActivityMetricNamespace && al.Description == a.Description &&
		al.ActionsEnable && slices.Contains(al.Actions, topicARN)
}

func (c *Client) deleteAlarms(ctx context.Context, names []string) error {
	slices.Sort(names)
	for len(names) > 0 {
		batch := names[:min(100, len(names))]
		names = names[len(batch):]
		if _, err := c.cloudwatch.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: batch}); err != nil && !IsNotFound(err) {
			return fmt.Errorf("deleting CloudWatch alarms %v: %w", batch, err)
		}
	}
	return nil
}

func cloudwatchTags(tags map[string]string) []cwtypes.Tag {
	return sortedTags(tags, func(k, v *string) cwtypes.Tag { return cwtypes.Tag{Key: k, Value: v} })
}

// UpdateTags brings the tags of every piece from old to want (the trail's own tags are handled by
// Apply, which reads them).
func (c *Client) UpdateTags(ctx context.Context, spec Spec, old map[string]string, st *State) error {
	// Every resource is tagged with all of spec.Tags (one request each), so only the keys to drop
	// are taken from the diff.
	drop, _ := awscore.TagChanges(old, spec.Tags)
	if st.LogGroup != nil {
		if err := c.updateLogGroupTags(ctx, st.LogGroup.ARN, spec.Tags, drop); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(st.Alarms)) {
		arn := st.Alarms[name].ARN
		if len(spec.Tags) > 0 {
			if _, err := c.cloudwatch.TagResource(ctx, &cloudwatch.TagResourceInput{ResourceARN: aws.String(arn), Tags: cloudwatchTags(spec.Tags)}); err != nil {
				return fmt.Errorf("tagging CloudWatch alarm (%s): %w", name, err)
			}
		}
		if len(drop) > 0 {
			if _, err := c.cloudwatch.UntagResource(ctx, &cloudwatch.UntagResourceInput{ResourceARN: aws.String(arn), TagKeys: drop}); err != nil {
				return fmt.Errorf("untagging CloudWatch alarm (%s): %w", name, err)
			}
		}
	}
	if spec.ManageTopic && st.Topic != nil {
		if len(spec.Tags) > 0 {
			if _, err := c.sns.TagResource(ctx, &sns.TagResourceInput{ResourceArn: aws.String(st.Topic.ARN), Tags: snsTags(spec.Tags)}); err != nil {
				return fmt.Errorf("tagging SNS topic (%s): %w", st.Topic.ARN, err)
			}
		}
		if len(drop) > 0 {
			if _, err := c.sns.UntagResource(ctx, &sns.UntagResourceInput{ResourceArn: aws.String(st.Topic.ARN), TagKeys: drop}); err != nil {
				return fmt.Errorf("untagging SNS topic (%s): %w", st.Topic.ARN, err)
			}
		}
	}
	if spec.ManageBucket && st.BucketExists {
		return c.putBucketTags(ctx, spec.Bucket, spec.Tags)
	}
	return nil
}

// Delete removes what the resource made: alarms, filters, trail, log group, delivery role, the
// topic it created, and the bucket it created (emptied first with ForceDestroy; a bucket that still
// holds logs is otherwise kept and reported). Pieces already gone are success.
func (c *Client) Delete(ctx context.Context, spec Spec) (keptBucket string, err error) {
	alarms, err := c.ListAlarms(ctx, spec.AlertPrefix)
	if err != nil {
		return "", err
	}
	if err := c.deleteAlarms(ctx, slices.Collect(maps.Keys(alarms))); err != nil {
		return "", err
	}
	if _, err := c.cloudtrail.DeleteTrail(ctx, &cloudtrail.DeleteTrailInput{Name: aws.String(spec.Trail)}); err != nil && !IsNotFound(err) {
		return "", fmt.Errorf("deleting CloudTrail trail (%s): %w", spec.Trail, err)
	}
	// Deleting the log group deletes its metric filters.
	if _, err := c.logs.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(spec.LogGroup)}); err != nil && !IsNotFound(err) {
		return "", fmt.Errorf("deleting CloudWatch Logs log group (%s): %w", spec.LogGroup, err)
	}
	if err := c.iam.DeleteRole(ctx, spec.Role); err != nil {
		return "", err
	}
	if spec.ManageTopic {
		if _, err := c.sns.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(spec.TopicARN)}); err != nil && !IsNotFound(err) {
			return "", fmt.Errorf("deleting SNS topic (%s): %w", spec.TopicARN, err)
		}
	} else if err := c.ReleaseTopic(ctx, spec.TopicARN, false, append(slices.Clone(spec.Emails), spec.HTTPS...)); err != nil {
		return "", err
	}
	if spec.ManageBucket {
		return c.deleteBucket(ctx, spec.Bucket, spec.ForceDestroy)
	}
	return "", nil
}

// ReleaseTopic stops using a topic: the resource's own one (own) is deleted; from someone else's only
// the subscriptions of endpoints are removed (pending ones cannot be, AWS expires them).
func (c *Client) ReleaseTopic(ctx context.Context, arn string, own bool, endpoints []string) error {
	if own {
		if _, err := c.sns.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil && !IsNotFound(err) {
			return fmt.Errorf("deleting SNS topic (%s): %w", arn, err)
		}
		return nil
	}
	t, err := c.FindTopic(ctx, arn)
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, s := range t.Subscriptions {
		if s.Confirmed() && slices.Contains(endpoints, s.Endpoint) {
			if _, err := c.sns.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(s.ARN)}); err != nil && !IsNotFound(err) {
				return fmt.Errorf("unsubscribing %s from SNS topic (%s): %w", s.Endpoint, arn, err)
			}
		}
	}
	return nil
}
