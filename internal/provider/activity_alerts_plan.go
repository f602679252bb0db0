package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsactivity"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var httpsURLPattern = regexp.MustCompile(`^https://[^\s/]+(/\S*)?$`)

func joinInts(v []int) string {
	parts := make([]string, 0, len(v))
	for _, n := range v {
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, ", ")
}

type retentionValidator struct{ describedAs }

func (retentionValidator) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !slices.Contains(baseline.ValidRetentionDays, int(req.ConfigValue.ValueInt64())) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid log retention",
			fmt.Sprintf("%d days is not a retention CloudWatch Logs accepts. Use one of: %s (365 or more keeps a year of activity, as CIS and SOC 2 auditors expect).",
				req.ConfigValue.ValueInt64(), joinInts(baseline.ValidRetentionDays)))
	}
}

// validateActivityAlerts checks what the schema validators cannot: trail name, derived names,
// custom alert keys. It runs at validate and plan time, before any API call.
func validateActivityAlerts(ctx context.Context, m activityAlertsModel, diags *diag.Diagnostics) {
	if !m.TrailName.IsNull() && !m.TrailName.IsUnknown() {
		if err := baseline.ValidateTrailName(m.TrailName.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("trail_name"), "Invalid trail name", fmt.Sprintf("trail_name %s.", err))
		}
	}
	if !m.S3BucketName.IsNull() && !m.S3BucketName.IsUnknown() {
		if err := baseline.ValidateBucketName(m.S3BucketName.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("s3_bucket_name"), "Invalid bucket name", fmt.Sprintf("s3_bucket_name: %s.", err))
		}
	} else if m.S3BucketName.IsNull() && !m.TrailName.IsUnknown() && !m.TrailName.IsNull() {
		if name := baseline.ActivityBucketName("123456789012", m.TrailName.ValueString()); baseline.ValidateBucketName(name) != nil {
			diags.AddAttributeError(path.Root("s3_bucket_name"), "Default bucket name too long",
				fmt.Sprintf("The default bucket name aws-cloudtrail-logs-<account_id>-%s would exceed S3's 63 characters (or break its rules). Set s3_bucket_name.", strings.ToLower(m.TrailName.ValueString())))
		}
	}
	if m.UseExistingBucket.ValueBool() && m.S3BucketName.IsNull() {
		diags.AddAttributeError(path.Root("s3_bucket_name"), "Missing bucket name",
			"use_existing_bucket = true needs s3_bucket_name naming the existing bucket.")
	}
	if !m.CustomAlerts.IsNull() && !m.CustomAlerts.IsUnknown() {
		for key := range m.CustomAlerts.Elements() {
			if err := baseline.ValidateAlertKey(key); err != nil {
				diags.AddAttributeError(path.Root("custom_alerts").AtMapKey(key), "Invalid custom alert key", err.Error()+".")
			}
		}
		for key, c := range m.customAlerts(ctx, diags) {
			p := strings.TrimSpace(c.Pattern)
			if strings.HasPrefix(p, "{") != strings.HasSuffix(p, "}") {
				diags.AddAttributeError(path.Root("custom_alerts").AtMapKey(key).AtName("pattern"), "Invalid filter pattern",
					"A JSON filter pattern is enclosed in { and }, e.g. { $.eventName = \"DeleteBucket\" }.")
			}
		}
	}
	if m.EmailAddresses.IsNull() && m.HTTPSEndpoints.IsNull() && m.SNSTopicARN.IsNull() {
		diags.AddAttributeWarning(path.Root("email_addresses"), "Nobody will hear the alerts",
			"Neither email_addresses, https_endpoints nor sns_topic_arn is set: the alarms publish to a topic without subscribers. Add at least one address.")
	}
}

func (m activityAlertsModel) customAlerts(ctx context.Context, diags *diag.Diagnostics) map[string]baseline.CustomAlert {
	out := map[string]baseline.CustomAlert{}
	if m.CustomAlerts.IsNull() || m.CustomAlerts.IsUnknown() {
		return out
	}
	var raw map[string]customAlertModel
	diags.Append(m.CustomAlerts.ElementsAs(ctx, &raw, false)...)
	for k, v := range raw {
		out[k] = baseline.CustomAlert{Pattern: v.Pattern.ValueString(), Description: v.Description.ValueString()}
	}
	return out
}

func (m activityAlertsModel) alertSpecs(ctx context.Context, diags *diag.Diagnostics) []baseline.ActivityAlertSpec {
	switches := map[string]bool{}
	if !m.Alerts.IsNull() && !m.Alerts.IsUnknown() {
		diags.Append(m.Alerts.ElementsAs(ctx, &switches, false)...)
	}
	return baseline.EnabledActivityAlerts(m.TrailName.ValueString(), switches, m.customAlerts(ctx, diags))
}

func listOf(ctx context.Context, l types.List, diags *diag.Diagnostics) []string {
	var out []string
	if l.IsNull() || l.IsUnknown() {
		return out
	}
	diags.Append(l.ElementsAs(ctx, &out, false)...)
	return out
}

// spec is what should exist for m.
func (r *activityAlertsResource) spec(ctx context.Context, m *activityAlertsModel, diags *diag.Diagnostics) (awsactivity.Spec, bool) {
	account, err := r.activity.AccountID(ctx)
	if err != nil {
		diags.AddError("Cannot learn the AWS account", fmt.Sprintf("iambaseline_activity_alerts names its bucket, topic and policies after the account: sts:GetCallerIdentity failed: %s", err))
		return awsactivity.Spec{}, false
	}
	trail := m.TrailName.ValueString()
	bucket := m.S3BucketName.ValueString()
	if m.S3BucketName.IsNull() || m.S3BucketName.IsUnknown() || bucket == "" {
		bucket = baseline.ActivityBucketName(account, trail)
	}
	arns := baseline.ActivityARNs{Partition: r.activity.Partition(), Region: r.activity.Region(), AccountID: account,
		Trail: trail, Bucket: bucket, LogGroup: baseline.ActivityLogGroupName(trail)}
	s := awsactivity.Spec{
		Names: awsactivity.Names{Trail: trail, Bucket: bucket, LogGroup: arns.LogGroup,
			AlertPrefix: baseline.ActivityAlertNamePrefix(trail), Role: baseline.ActivityRoleName(trail)},
		TrailARN: arns.TrailARN(), LogGroupARN: arns.LogGroupARN(), KMSKeyARN: m.KMSKeyARN.ValueString(),
		RetentionDays: int32(m.LogRetentionDays.ValueInt64()),
		ManageBucket:  !m.UseExistingBucket.ValueBool(), ForceDestroy: m.ForceDestroy.ValueBool(),
		Lifecycle: baseline.DefaultTrailBucketLifecycle,
		RolePath:  baseline.ActivityRolePath, RolePolicyName: baseline.CloudTrailLogsRolePolicyName,
		Emails: listOf(ctx, m.EmailAddresses, diags), HTTPS: listOf(ctx, m.HTTPSEndpoints, diags),
		Alerts: m.alertSpecs(ctx, diags), Alarm: baseline.ActivityAlarmSettings,
		Tags: r.client.MergeTags(stringMapFrom(ctx, m.Tags, diags)),
	}
	if s.RetentionDays == 0 {
		s.RetentionDays = baseline.DefaultLogRetentionDays
	}
	if topic := m.SNSTopicARN.ValueString(); topic != "" {
		s.TopicARN = topic
	} else {
		s.ManageTopic, s.TopicName = true, baseline.ActivityTopicName(trail)
		s.TopicARN = fmt.Sprintf("arn:%s:sns:%s:%s:%s", arns.Partition, arns.Region, account, s.TopicName)
	}
	arns.Topic = s.TopicARN
	docs := map[*string]baseline.PolicyDocument{
		&s.BucketPolicy: baseline.TrailBucketPolicy(arns), &s.TopicPolicy: baseline.AlertTopicPolicy(arns),
		&s.RoleTrust: baseline.CloudTrailLogsTrustPolicy(), &s.RolePolicy: baseline.CloudTrailLogsRolePolicy(arns),
	}
	for dst, doc := range docs {
		js, err := doc.JSON()
		if err != nil {
			diags.AddError("Cannot render a policy", fmt.Sprintf("rendering a policy of iambaseline_activity_alerts (%s): %s; please report this issue to the provider developers.", trail, err))
			return s, false
		}
		*dst = js
	}
	return s, !diags.HasError()
}

// dropEndpoints has an update remove the subscriptions of prior, the state before it, that s no
// longer asks for.
func dropEndpoints(ctx context.Context, s *awsactivity.Spec, prior activityAlertsModel, diags *diag.Diagnostics) bool {
	for _, e := range append(listOf(ctx, prior.EmailAddresses, diags), listOf(ctx, prior.HTTPSEndpoints, diags)...) {
		if !slices.Contains(s.Emails, e) && !slices.Contains(s.HTTPS, e) {
			s.DropEndpoints = append(s.DropEndpoints, e)
		}
	}
	return !diags.HasError()
}

// readInto reads what exists into m: computed values, the arguments that follow reality (retention,
// subscriptions, tags; after an import also bucket, topic, KMS key, alerts and custom alerts) and
// out_of_band_changes. gone is true when the trail no longer exists.
func (r *activityAlertsResource) readInto(ctx context.Context, m *activityAlertsModel, spec awsactivity.Spec, diags *diag.Diagnostics) (gone bool) {
	importing := m.TrailARN.IsNull()
	toRead := spec.Names
	if importing {
		toRead.Bucket = "" // the trail's own bucket, whatever its name
	}
	st, err := r.activity.ReadState(ctx, toRead)
	if awsactivity.IsNotFound(err) {
		return true
	}
	if err != nil {
		diags.AddError("Cannot read the activity alerts", fmt.Sprintf("reading iambaseline_activity_alerts (%s): %s", spec.Trail, err))
		return false
	}
	if importing {
		r.recoverArguments(ctx, m, &spec, st, diags)
	}
	t := st.Trail
	m.ID = types.StringValue(spec.Trail)
	m.TrailARN = types.StringValue(t.ARN)
	// The bucket the configuration wants, not the one the trail may have been re-pointed to out of
	// band (that shows in out_of_band_changes and apply points the trail back).
	m.S3BucketName = types.StringValue(spec.Bucket)
	m.LogGroupName = types.StringValue(spec.LogGroup)
	m.LogGroupARN = types.StringValue(strings.TrimSuffix(spec.LogGroupARN, ":*"))
	if st.LogGroup != nil {
		m.LogGroupARN = types.StringValue(st.LogGroup.ARN)
		m.LogRetentionDays = types.Int64Value(int64(st.LogGroup.RetentionDays))
	}
	m.TopicARN = types.StringValue(spec.TopicARN)
	m.CloudTrailRoleARN = types.StringValue(t.RoleARN)
	if st.Role != nil {
		m.CloudTrailRoleARN = types.StringValue(st.Role.ARN)
	}
	names := map[string]string{}
	for _, a := range spec.Alerts {
		names[a.Key] = a.Name
	}
	m.AlarmNames = stringMap(ctx, names, diags)
	// After an import, the subscriptions of the resource's own topic are its own; on a topic of the
	// user's nothing tells them from others', so none is taken (destroy then removes none).
	ownTopic := importing && m.SNSTopicARN.IsNull()
	m.EmailAddresses = keepSubscribed(m.EmailAddresses, "email", st.Topic, ownTopic)
	m.HTTPSEndpoints = keepSubscribed(m.HTTPSEndpoints, "https", st.Topic, ownTopic)
	m.Tags = ownTagsFromRemote(t.Tags, r.client.DefaultTags, m.Tags, m.TagsAll)
	m.TagsAll = tagsAllValue(t.Tags)
	m.OutOfBandChanges = stringList(activityDrift(spec, st))
	return false
}

// keepSubscribed is the configured endpoints of protocol that still have a subscription (pending
// ones included), in configuration order; after an import every endpoint of the protocol.
func keepSubscribed(configured types.List, protocol string, topic *awsactivity.Topic, importing bool) types.List {
	have := map[string]bool{}
	var all []string
	if topic != nil {
		for _, s := range topic.Subscriptions {
			if s.Protocol == protocol {
				have[s.Endpoint] = true
				all = append(all, s.Endpoint)
			}
		}
	}
	if importing {
		if len(all) == 0 {
			return types.ListNull(types.StringType)
		}
		slices.Sort(all)
		return stringList(all)
	}
	if configured.IsNull() || configured.IsUnknown() {
		return configured
	}
	var keep []string
	for _, v := range configured.Elements() {
		if s, ok := v.(types.String); ok && have[s.ValueString()] {
			keep = append(keep, s.ValueString())
		}
	}
	return stringList(keep)
}

// recoverArguments fills, after an import, the arguments only AWS knows: alerts switched off (their
// filter or alarm is missing), custom alerts (filters of the trail that are not in the catalogue),
// a foreign topic, the KMS key, and use_existing_bucket when the bucket does not carry the default
// name. spec is corrected to match.
func (r *activityAlertsResource) recoverArguments(ctx context.Context, m *activityAlertsModel, spec *awsactivity.Spec, st *awsactivity.State, diags *diag.Diagnostics) {
	prefix := spec.AlertPrefix
	off := map[string]attr.Value{}
	for _, a := range baseline.ActivityAlerts {
		name := baseline.ActivityAlertName(spec.Trail, a.Key)
		if _, ok := st.Filters[name]; !ok {
			off[a.Key] = types.BoolValue(false)
		} else if _, ok := st.Alarms[name]; !ok {
			off[a.Key] = types.BoolValue(false)
		}
	}
	if len(off) > 0 {
		m.Alerts = types.MapValueMust(types.BoolType, off)
	}
	custom := map[string]attr.Value{}
	for _, name := range slices.Sorted(maps.Keys(st.Filters)) {
		key := strings.TrimPrefix(name, prefix)
		if _, builtin := baseline.FindActivityAlert(key); builtin {
			continue
		}
		custom[key] = types.ObjectValueMust(customAlertType.AttrTypes, map[string]attr.Value{
			"pattern": types.StringValue(st.Filters[name].Pattern), "description": types.StringValue(st.Alarms[name].Description),
		})
	}
	if len(custom) > 0 {
		m.CustomAlerts = types.MapValueMust(customAlertType, custom)
	}
	for _, al := range st.Alarms {
		for _, action := range al.Actions {
			if strings.Contains(action, ":sns:") && action != spec.TopicARN {
				m.SNSTopicARN = types.StringValue(action)
			}
		}
	}
	if st.Trail.KMSKeyID != "" {
		m.KMSKeyARN = types.StringValue(st.Trail.KMSKeyID)
	}
	m.S3BucketName = types.StringValue(st.Trail.Bucket)
	// A bucket not named by the convention was not made by the resource: never delete it.
	m.UseExistingBucket = types.BoolValue(st.Trail.Bucket != spec.Bucket)
	m.LogRetentionDays = types.Int64Value(baseline.DefaultLogRetentionDays)
	corrected, ok := r.spec(ctx, m, diags)
	if !ok {
		return
	}
	*spec = corrected
	if !m.SNSTopicARN.IsNull() {
		if topic, err := r.activity.FindTopic(ctx, spec.TopicARN); err == nil {
			st.Topic = topic
		}
	}
}

// activityDrift lists, in words, what differs from spec.
func activityDrift(spec awsactivity.Spec, st *awsactivity.State) []string {
	var out []string
	t := st.Trail
	trail := "CloudTrail trail " + spec.Trail
	for _, c := range []struct {
		bad  bool
		what string
	}{
		{!t.Logging, trail + " is not logging"},
		{!t.MultiRegion, trail + " is not multi-region"},
		{!t.GlobalServiceEvents, trail + " does not include global service events"},
		{!t.LogFileValidation, trail + " does not validate its log files"},
		{!t.AllManagementEvents, trail + " does not record all read and write management events"},
		{t.Bucket != spec.Bucket, fmt.Sprintf("%s delivers to bucket %q instead of %q", trail, t.Bucket, spec.Bucket)},
		{t.LogGroupARN != spec.LogGroupARN, fmt.Sprintf("%s delivers to log group %q instead of %q", trail, t.LogGroupARN, spec.LogGroupARN)},
		{t.KMSKeyID != spec.KMSKeyARN, fmt.Sprintf("%s is encrypted with KMS key %q instead of %q", trail, t.KMSKeyID, spec.KMSKeyARN)},
		{!st.BucketExists, "S3 bucket " + spec.Bucket + " is missing"},
		{st.BucketExists && !policiesEqual(st.BucketPolicy, spec.BucketPolicy), "the policy of S3 bucket " + spec.Bucket + " differs from the CloudTrail bucket policy"},
		{st.LogGroup == nil, "CloudWatch Logs log group " + spec.LogGroup + " is missing"},
		{st.Role == nil, "IAM role " + spec.Role + " (CloudTrail delivery to CloudWatch Logs) is missing"},
		{st.Role != nil && (!policiesEqual(st.Role.TrustPolicy, spec.RoleTrust) || !policiesEqual(st.Role.InlinePolicies[spec.RolePolicyName], spec.RolePolicy)),
			"the policies of IAM role " + spec.Role + " differ from the CloudTrail delivery policies"},
		{st.Topic == nil, "SNS topic " + spec.TopicARN + " is missing"},
		{spec.ManageTopic && st.Topic != nil && !policiesEqual(st.Topic.Policy, spec.TopicPolicy), "the policy of SNS topic " + spec.TopicARN + " differs from the alert topic policy"},
	} {
		if c.bad {
			out = append(out, c.what)
		}
	}
	wanted := map[string]bool{}
	for _, a := range spec.Alerts {
		wanted[a.Name] = true
		if f, ok := st.Filters[a.Name]; !ok {
			out = append(out, "metric filter "+a.Name+" is missing")
		} else if f.Pattern != a.Pattern || f.MetricName != a.Name || f.Namespace != baseline.ActivityMetricNamespace {
			out = append(out, "metric filter "+a.Name+" differs (pattern or metric)")
		}
		if al, ok := st.Alarms[a.Name]; !ok {
			out = append(out, "alarm "+a.Name+" is missing")
		} else if !awsactivity.AlarmMatches(al, a, spec.TopicARN) {
			out = append(out, "alarm "+a.Name+" differs (metric, description or action on "+spec.TopicARN+")")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(st.Filters)) {
		if !wanted[name] {
			out = append(out, "metric filter "+name+" is not configured and will be deleted")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(st.Alarms)) {
		if !wanted[name] {
			out = append(out, "alarm "+name+" is not configured and will be deleted")
		}
	}
	return out
}

func policiesEqual(a, b string) bool {
	ok, err := baseline.PoliciesEquivalent(a, b)
	return err == nil && ok
}
