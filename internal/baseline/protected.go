package baseline

// The names of what iambaseline_activity_alerts creates (the audit trail, its logs and its alarms).
// No group of the baseline may stop or delete a trail or change these resources: the guardrail
// policy every group holds (guardrails.go) carries the statements below, so even a member who is
// also given a broad extra policy, or an AWS managed one, cannot blind the audit. The patterns are IAM resource wildcards; they are part of
// the contract between the two resources, so change them together with the alerts resource.
const (
	// ProtectedLogGroupPrefix starts the name of the trail's CloudWatch Logs group
	// (aws-cloudtrail-logs-<trail_name>, CloudTrail's own console default).
	ProtectedLogGroupPrefix = "aws-cloudtrail-logs"
	// ProtectedBucketPrefix starts the name of the trail's S3 bucket
	// (aws-cloudtrail-logs-<account_id>-<trail_name> by default).
	ProtectedBucketPrefix = "aws-cloudtrail-logs"
	// ProtectedMonitoringPrefix starts the names of the alerts' metric filters, alarms and SNS
	// topic (iambaseline-<trail_name>-<alert_key>, iambaseline-<trail_name>-alerts).
	ProtectedMonitoringPrefix = "iambaseline-"
	// ProtectedMetricNamespace is the CloudWatch namespace of the alerts' metrics.
	ProtectedMetricNamespace = "IAMBaseline"
)

// Sids of the guardrail statements on the audit and the app tag.
const (
	GuardAuditSid     = "DenyAuditTrailChanges"
	GuardTagSid       = "DenyAppTagChanges"
	GuardTagRemoveSid = "DenyRemoveAllTags"
	GuardASGTagSid    = "DenyAppTagOnAutoScalingGroups"
)

// ProtectedNamePrefixes are the name prefixes an app scope must not overlap.
func ProtectedNamePrefixes() []string {
	return []string{ProtectedLogGroupPrefix, ProtectedMonitoringPrefix}
}

func deny(sid string, actions []string, resources ...string) Statement {
	s := allow(sid, actions, resources...)
	s.Effect = EffectDeny
	return s
}

// guardrailStatements deny, in every group, what would blind the audit or move a resource into or
// out of the app scope, then the classes of guardrails.go. They take nothing away that any
// baseline group is meant to do.
func guardrailStatements(o Options) []Statement {
	return append(scopeGuardrailStatements(o), classStatements()...)
}

// scopeGuardrailStatements are the guardrails that depend on the resource or the request: the
// audit trail's resources and the app-scope tag.
func scopeGuardrailStatements(o Options) []Statement {
	tag := o.AppScope.TagKey
	tagStmt := deny(GuardTagSid, []string{"ec2:CreateTags", "ec2:DeleteTags"})
	// The app-scope tag may be written only by the call that creates the resource (ec2:CreateAction
	// is present then); afterwards it can be neither changed nor removed.
	tagStmt.Condition = map[string]map[string][]string{
		"ForAnyValue:StringEquals": {"aws:TagKeys": {tag}},
		"Null":                     {"ec2:CreateAction": {"true"}},
	}
	// DeleteTags without a list of tags removes every tag, the app-scope tag included.
	removeAll := deny(GuardTagRemoveSid, []string{"ec2:DeleteTags"})
	removeAll.Condition = map[string]map[string][]string{"Null": {"aws:TagKeys": {"true"}}}
	// An Auto Scaling group propagates its tags to the instances it launches: the app-scope tag on a
	// foreign group would bring its next instances, running as its instance profile, into the scope.
	asgTag := deny(GuardASGTagSid, []string{"autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags"})
	asgTag.Condition = map[string]map[string][]string{"ForAnyValue:StringEquals": {"aws:TagKeys": {tag}}}
	p := o.Partition
	audit := deny(GuardAuditSid, auditReadActions,
		"arn:"+p+":cloudtrail:*:*:*",
		"arn:"+p+":logs:*:*:log-group:"+ProtectedLogGroupPrefix+"*",
		"arn:"+p+":s3:::"+ProtectedBucketPrefix+"*",
		"arn:"+p+":cloudwatch:*:*:alarm:"+ProtectedMonitoringPrefix+"*",
		"arn:"+p+":sns:*:*:"+ProtectedMonitoringPrefix+"*",
	)
	// Everything but reading, on every trail (and event data store) and on the trail's log group,
	// bucket, alarms and topic: every write there is, and every one AWS adds later.
	audit.Action, audit.NotAction = nil, audit.Action
	return []Statement{audit, tagStmt, removeAll, asgTag}
}

// auditReadActions are what the guardrail still lets a group do on trails and on the audit trail's
// log group, bucket, alarms and topic (if the group grants it): read.
var auditReadActions = []string{
	"cloudtrail:Describe*",
	"cloudtrail:Get*",
	"cloudtrail:List*",
	"cloudwatch:Describe*",
	"cloudwatch:Get*",
	"cloudwatch:List*",
	"logs:Describe*",
	"logs:FilterLogEvents",
	"logs:Get*",
	"logs:List*",
	"logs:Start*",
	"logs:Stop*",
	"s3:Get*",
	"s3:List*",
	"sns:Get*",
	"sns:List*",
}
