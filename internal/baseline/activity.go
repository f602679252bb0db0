package baseline

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Activity alerts: the opinions behind iambaseline_activity_alerts. A multi-region CloudTrail trail
// delivers every management event to an S3 bucket and to a CloudWatch Logs log group; one metric
// filter per alert counts the matching events and one alarm per filter publishes to an SNS topic.
//
// The names below are agreed with the group policies of the baseline, which deny every group
// member from stopping, deleting or altering what carries them (trail, log group, alarms, topic,
// bucket). Changing them breaks that protection: they are part of the public contract.

// ActivityMetricNamespace is the CloudWatch namespace of every alert metric.
const ActivityMetricNamespace = ProtectedMetricNamespace

// ActivityNamePrefix starts the name of every metric filter, alarm and topic the resource makes.
const ActivityNamePrefix = ProtectedMonitoringPrefix

// ActivityLogGroupPrefix starts the name of the trail's log group (the name the CloudTrail console
// proposes, so that an account set up by hand and one set up by the provider look alike).
const ActivityLogGroupPrefix = ProtectedLogGroupPrefix + "-"

// DefaultLogRetentionDays is the default retention of the trail's log group: CIS and SOC 2 auditors
// ask for at least a year of activity logs.
const DefaultLogRetentionDays = 365

// ActivityLogGroupName is the log group the trail delivers to: aws-cloudtrail-logs-<trail_name>.
func ActivityLogGroupName(trail string) string { return ActivityLogGroupPrefix + trail }

// ActivityBucketName is the default bucket of the trail: aws-cloudtrail-logs-<account_id>-<trail_name>.
func ActivityBucketName(accountID, trail string) string {
	return ActivityLogGroupPrefix + accountID + "-" + strings.ToLower(trail)
}

// ActivityAlertName is the name of an alert's metric filter, metric and alarm:
// iambaseline-<trail_name>-<alert_key>.
func ActivityAlertName(trail, key string) string { return ActivityNamePrefix + trail + "-" + key }

// ActivityAlertNamePrefix is what every alert name of the trail starts with.
func ActivityAlertNamePrefix(trail string) string { return ActivityNamePrefix + trail + "-" }

// ActivityTopicName is the default SNS topic of the alerts: iambaseline-<trail_name>-alerts.
func ActivityTopicName(trail string) string { return ActivityNamePrefix + trail + "-alerts" }

// ActivityRoleName is the role CloudTrail assumes to write to the log group:
// iambaseline-<trail_name>-cloudtrail.
func ActivityRoleName(trail string) string { return ActivityNamePrefix + trail + "-cloudtrail" }

// ActivityRolePath is the IAM path of that role.
const ActivityRolePath = "/service-role/"

// ActivityAlert is one alert of the catalogue.
type ActivityAlert struct {
	// Key names the alert in the `alerts` map and in the filter and alarm names.
	Key string
	// CISControl is the CIS AWS Foundations Benchmark (v5.0.0) monitoring control, "" when the
	// alert is one of the startup extras.
	CISControl string
	// Description says what the alert means; it is also the alarm description.
	Description string
	// WhenItFires says what to do when the alarm goes off.
	WhenItFires string
	// Pattern is the CloudWatch Logs filter pattern over CloudTrail records.
	Pattern string
	// Sample is a minimal CloudTrail record of the event the alert is for: the audit recognises a
	// metric filter made by other tools as this alert when its pattern matches the sample.
	Sample string
}

// Alert keys. They are public API (keys of `alerts`, suffixes of filter and alarm names).
const (
	AlertUnauthorizedAPICalls    = "unauthorized_api_calls"
	AlertConsoleSignInWithoutMFA = "console_signin_without_mfa"
	AlertRootUsage               = "root_usage"
	AlertIAMPolicyChanges        = "iam_policy_changes"
	AlertCloudTrailChanges       = "cloudtrail_changes"
	AlertConsoleAuthFailures     = "console_auth_failures"
	AlertOrganizationsChanges    = "organizations_changes"
	AlertAccessKeyCreated        = "access_key_created"
	AlertMFADeviceRemoved        = "mfa_device_removed"
	AlertMFADeviceEnrolled       = "mfa_device_enrolled"
	AlertLoginProfileChanged     = "login_profile_changed"
	AlertAdminGroupMembership    = "admin_group_membership"
	AlertPasswordPolicyChanged   = "password_policy_changed"
)

// ActivityAlerts is the catalogue, CIS controls first in CIS order, then the startup extras.
var ActivityAlerts = []ActivityAlert{
	{
		Key: AlertUnauthorizedAPICalls, CISControl: "4.1",
		Description: "API calls denied for lack of permission (AccessDenied*, *UnauthorizedOperation), except CloudTrail's own log delivery and S3 HeadBucket probes.",
		WhenItFires: "Look up the denied calls in CloudTrail (errorCode, userIdentity, sourceIPAddress). A burst from one identity is a stolen credential probing what it can do, or a deployment missing a permission: disable the credential if you do not recognise the caller, otherwise grant the missing action narrowly.",
		Pattern: and(or(eq("$.errorCode", `"*UnauthorizedOperation"`), eq("$.errorCode", `"AccessDenied*"`)),
			ne("$.sourceIPAddress", `"delivery.logs.amazonaws.com"`), ne("$.eventName", `"HeadBucket"`)),
		Sample: `{"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","errorCode":"Client.UnauthorizedOperation","sourceIPAddress":"192.0.2.15","userIdentity":{"type":"IAMUser"}}`,
	},
	{
		Key: AlertConsoleSignInWithoutMFA, CISControl: "4.2",
		Description: "An IAM user signed in to the AWS console without MFA.",
		WhenItFires: "Find the user (userIdentity.userName) and the source IP. The baseline's MFA policy leaves a user without MFA nothing but setting up MFA, so this is a first sign-in or a user outside the baseline's groups: make sure the person registers an MFA device today, and check that the sign-in was theirs.",
		Pattern: and(eq("$.eventName", `"ConsoleLogin"`), ne("$.additionalEventData.MFAUsed", `"Yes"`),
			eq("$.userIdentity.type", `"IAMUser"`), eq("$.responseElements.ConsoleLogin", `"Success"`)),
		Sample: `{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","userIdentity":{"type":"IAMUser","userName":"alice"},"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"}}`,
	},
	{
		Key: AlertRootUsage, CISControl: "4.3",
		Description: "The root user did something (console sign-in or API call), other than AWS services acting for it.",
		WhenItFires: "Confirm with whoever holds the root credentials that it was them and why. If nobody did, treat it as an account compromise: reset the root password, check root MFA and access keys (the audit's root checks), and review the trail for what else happened.",
		Pattern:     and(eq("$.userIdentity.type", `"Root"`), notExists("$.userIdentity.invokedBy"), ne("$.eventType", `"AwsServiceEvent"`)),
		Sample:      `{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","userIdentity":{"type":"Root"},"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes"}}`,
	},
	{
		Key: AlertIAMPolicyChanges, CISControl: "4.4",
		Description: "An IAM policy was created, changed, deleted, attached or detached (users, groups and roles).",
		WhenItFires: "Check that the change came from Terraform (your CI role) or an admin you know. An unexpected change is how permissions are escalated: revert it (terraform apply repairs the baseline's own policies) and find out who made it.",
		Pattern: and(eq("$.eventSource", "iam.amazonaws.com"), anyEventName(
			"DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy",
			"CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "SetDefaultPolicyVersion",
			"AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy")),
		Sample: `{"eventSource":"iam.amazonaws.com","eventName":"AttachUserPolicy","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser"},"requestParameters":{"userName":"bob","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}}`,
	},
	{
		Key: AlertCloudTrailChanges, CISControl: "4.5",
		Description: "A CloudTrail trail was created, updated, deleted, started or stopped.",
		WhenItFires: "Stopping or redirecting the trail is how an intruder hides. Check the trail is logging again (terraform plan shows it; apply restarts it) and find who did it; the baseline's groups cannot, so it was an admin or a compromised one.",
		Pattern:     and(anyEventName("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging")),
		Sample:      `{"eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser"}}`,
	},
	{
		Key: AlertConsoleAuthFailures, CISControl: "4.6",
		Description: "A console sign-in failed (wrong password).",
		WhenItFires: "One failure is a typo. Many for one user or from one IP is password guessing: check the source IPs, make sure the user has MFA, and reset the password if it may be known.",
		Pattern:     and(eq("$.eventName", "ConsoleLogin"), eq("$.errorMessage", `"Failed authentication"`)),
		Sample:      `{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","errorMessage":"Failed authentication","userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Failure"}}`,
	},
	{
		Key: AlertOrganizationsChanges, CISControl: "4.15",
		Description: "AWS Organizations was changed (accounts, organizational units, policies, handshakes).",
		WhenItFires: "Organizations changes are rare and powerful (SCPs, accounts leaving): confirm the change was planned; if not, revert it from the management account and review who holds access there.",
		Pattern: and(eq("$.eventSource", "organizations.amazonaws.com"), anyEventName(
			"AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
			"DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
			"DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
			"RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit")),
		Sample: `{"eventSource":"organizations.amazonaws.com","eventName":"LeaveOrganization","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser"}}`,
	},
	{
		Key:         AlertAccessKeyCreated,
		Description: "An access key was created for an IAM user (in the baseline, users are people: machines use roles).",
		WhenItFires: "Ask the person (requestParameters.userName) whether they need a long-lived key; prefer SSO or role credentials. A key created by someone else for a user is a backdoor: deactivate it and find out who created it.",
		Pattern:     and(eq("$.eventSource", "iam.amazonaws.com"), eq("$.eventName", "CreateAccessKey")),
		Sample:      `{"eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser"},"requestParameters":{"userName":"bob"}}`,
	},
	{
		Key:         AlertMFADeviceRemoved,
		Description: "An MFA device was deactivated or a virtual MFA device deleted.",
		WhenItFires: "The user is now blocked by the baseline's MFA policy until they register a device again. If they did not do it themselves, someone is removing MFA to take over the account: check who (userIdentity) and lock the user.",
		Pattern:     and(eq("$.eventSource", "iam.amazonaws.com"), anyEventName("DeactivateMFADevice", "DeleteVirtualMFADevice")),
		Sample:      `{"eventSource":"iam.amazonaws.com","eventName":"DeactivateMFADevice","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser"},"requestParameters":{"userName":"bob"}}`,
	},
	{
		Key:         AlertMFADeviceEnrolled,
		Description: "A virtual MFA device was created, or an MFA device was enabled for a user (failed attempts included).",
		WhenItFires: "Expected when someone sets up MFA for the first time. A second device on a user who already has one is how an intruder with the password keeps a way in, and IAM cannot limit the number of devices: ask the person (requestParameters.userName) whether it was them, and if not, deactivate the device (requestParameters.serialNumber) and reset their password. The audit's multiple_mfa_devices check lists users with more than one device.",
		Pattern:     and(eq("$.eventSource", "iam.amazonaws.com"), anyEventName("CreateVirtualMFADevice", "EnableMFADevice")),
		Sample:      `{"eventSource":"iam.amazonaws.com","eventName":"EnableMFADevice","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser"},"requestParameters":{"userName":"bob","serialNumber":"arn:aws:iam::123456789012:mfa/bob-phone"}}`,
	},
	{
		Key:         AlertLoginProfileChanged,
		Description: "A console password was created or set for a user by an administrator (CreateLoginProfile, UpdateLoginProfile); a user changing their own password (ChangePassword) does not fire.",
		WhenItFires: "Expected when you onboard someone (iambaseline_onboarded_user) or reset a password for them. Otherwise someone gave themselves a way into another person's account: check userIdentity against requestParameters.userName and reset the password.",
		Pattern:     and(eq("$.eventSource", "iam.amazonaws.com"), anyEventName("CreateLoginProfile", "UpdateLoginProfile")),
		Sample:      `{"eventSource":"iam.amazonaws.com","eventName":"UpdateLoginProfile","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser"},"requestParameters":{"userName":"bob"}}`,
	},
	{
		Key:         AlertAdminGroupMembership,
		Description: "A user was added to a group whose name contains \"Admin\" (the baseline's SysAdmins and DatabaseAdmins, Administrators, ...).",
		WhenItFires: "Admin memberships should only come from Terraform. Check the change is in your infrastructure repository; if not, remove the membership and find who added it.",
		Pattern:     and(eq("$.eventSource", "iam.amazonaws.com"), eq("$.eventName", "AddUserToGroup"), eq("$.requestParameters.groupName", `"*Admin*"`)),
		Sample:      `{"eventSource":"iam.amazonaws.com","eventName":"AddUserToGroup","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser"},"requestParameters":{"groupName":"Administrators","userName":"bob"}}`,
	},
	{
		Key:         AlertPasswordPolicyChanged,
		Description: "The account password policy was changed or deleted.",
		WhenItFires: "Check the new policy still meets CIS (the audit's password checks) and that the change came from Terraform (iambaseline_account_password_policy); apply restores it.",
		Pattern:     and(eq("$.eventSource", "iam.amazonaws.com"), anyEventName("UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy")),
		Sample:      `{"eventSource":"iam.amazonaws.com","eventName":"DeleteAccountPasswordPolicy","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser"}}`,
	},
}

// ActivityAlertKeys lists the catalogue's keys in catalogue order.
func ActivityAlertKeys() []string {
	keys := make([]string, 0, len(ActivityAlerts))
	for _, a := range ActivityAlerts {
		keys = append(keys, a.Key)
	}
	return keys
}

// FindActivityAlert returns the catalogue entry of key.
func FindActivityAlert(key string) (ActivityAlert, bool) {
	for _, a := range ActivityAlerts {
		if a.Key == key {
			return a, true
		}
	}
	return ActivityAlert{}, false
}

// CustomAlert is a user-defined alert of custom_alerts.
type CustomAlert struct {
	Pattern     string
	Description string
}

// ActivityAlertSpec is one alert that should exist: its filter and alarm.
type ActivityAlertSpec struct {
	Key         string
	Name        string // filter, metric and alarm name
	Pattern     string
	Description string
	CISControl  string
}

// EnabledActivityAlerts resolves the `alerts` switches (missing keys are on) and the custom alerts
// into the sorted list of alerts that should exist.
func EnabledActivityAlerts(trail string, switches map[string]bool, custom map[string]CustomAlert) []ActivityAlertSpec {
	var out []ActivityAlertSpec
	for _, a := range ActivityAlerts {
		if on, set := switches[a.Key]; set && !on {
			continue
		}
		out = append(out, ActivityAlertSpec{Key: a.Key, Name: ActivityAlertName(trail, a.Key), Pattern: a.Pattern,
			Description: alarmDescription(a.CISControl, a.Description), CISControl: a.CISControl})
	}
	for _, k := range sortedKeys(custom) {
		c := custom[k]
		out = append(out, ActivityAlertSpec{Key: k, Name: ActivityAlertName(trail, k), Pattern: c.Pattern, Description: c.Description})
	}
	slices.SortFunc(out, func(a, b ActivityAlertSpec) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// alarmDescription is the alarm description of a catalogue alert (at most 1024 characters).
func alarmDescription(cis, text string) string {
	if cis == "" {
		return text
	}
	return "CIS " + cis + ": " + text
}

// AlarmSettings are the fixed settings of every alert alarm: it fires as soon as one matching event
// is counted in a 5-minute period; no data means nothing happened (not breaching).
type AlarmSettings struct {
	Statistic          string
	PeriodSeconds      int32
	EvaluationPeriods  int32
	Threshold          float64
	ComparisonOperator string
	TreatMissingData   string
	MetricValue        string
	DefaultValue       float64
}

// ActivityAlarmSettings are the settings of every alert alarm and metric transformation.
var ActivityAlarmSettings = AlarmSettings{
	Statistic: "Sum", PeriodSeconds: 300, EvaluationPeriods: 1, Threshold: 1,
	ComparisonOperator: "GreaterThanOrEqualToThreshold", TreatMissingData: "notBreaching", MetricValue: "1",
}

// Alert keys (custom ones included) become parts of CloudWatch names.
var alertKeyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,63}$`)

// ValidateAlertKey checks a custom alert key.
func ValidateAlertKey(key string) error {
	if !alertKeyPattern.MatchString(key) {
		return fmt.Errorf("alert key %q must be 1-64 characters of lowercase letters, digits and underscores, starting with a letter or digit", key)
	}
	if _, ok := FindActivityAlert(key); ok {
		return fmt.Errorf("alert key %q is one of the built-in alerts: switch it with `alerts` instead", key)
	}
	return nil
}

// MaxFilterPatternLength is CloudWatch Logs' limit of a filter pattern.
const MaxFilterPatternLength = 1024

// trailNamePattern is CloudTrail's rule for trail names: letters, digits, periods, underscores and
// dashes, starting and ending with a letter or digit, no adjacent separators.
var trailNamePattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9]|[._-][A-Za-z0-9])*$`)

// MaxActivityTrailNameLength keeps every derived name within its service's limit: the role name
// iambaseline-<trail>-cloudtrail is at most 64 characters.
const MaxActivityTrailNameLength = 64 - len(ActivityNamePrefix) - len("-cloudtrail")

// ValidateTrailName checks trail_name against CloudTrail's rules and the derived names' limits.
func ValidateTrailName(name string) error {
	if len(name) < 3 || len(name) > MaxActivityTrailNameLength {
		return fmt.Errorf("must be 3 to %d characters long (the CloudTrail role iambaseline-<trail_name>-cloudtrail must fit IAM's 64), got %d", MaxActivityTrailNameLength, len(name))
	}
	if !trailNamePattern.MatchString(name) {
		return fmt.Errorf("%q must contain only letters, digits, periods, underscores and dashes, start and end with a letter or digit, and have no two separators in a row", name)
	}
	return nil
}

var bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ValidateBucketName checks an S3 bucket name (general purpose bucket rules).
func ValidateBucketName(name string) error {
	if !bucketNamePattern.MatchString(name) || strings.Contains(name, "..") || strings.HasPrefix(name, "xn--") {
		return fmt.Errorf("%q is not a valid S3 bucket name: 3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit", name)
	}
	return nil
}

// ValidRetentionDays are the retention periods CloudWatch Logs accepts.
var ValidRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// ActivityARNs are the ARNs the resource policies name.
type ActivityARNs struct {
	Partition string
	Region    string
	AccountID string
	Trail     string
	Bucket    string
	LogGroup  string
	Topic     string // topic ARN
}

// TrailARN is the trail's ARN.
func (a ActivityARNs) TrailARN() string {
	return fmt.Sprintf("arn:%s:cloudtrail:%s:%s:trail/%s", a.partition(), a.Region, a.AccountID, a.Trail)
}

// LogGroupARN is the log group's ARN as CloudTrail wants it (with the ":*" stream suffix).
func (a ActivityARNs) LogGroupARN() string {
	return fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s:*", a.partition(), a.Region, a.AccountID, a.LogGroup)
}

func (a ActivityARNs) partition() string {
	if a.Partition == "" {
		return DefaultPartition
	}
	return a.Partition
}

// TrailBucketPolicy is the CloudTrail bucket policy AWS documents, scoped with aws:SourceArn to this
// trail, plus a deny of plain-HTTP access.
func TrailBucketPolicy(a ActivityARNs) PolicyDocument {
	bucket := "arn:" + a.partition() + ":s3:::" + a.Bucket
	source := map[string][]string{"aws:SourceArn": {a.TrailARN()}}
	return PolicyDocument{Version: "2012-10-17", Statements: []Statement{
		{Sid: "AWSCloudTrailAclCheck", Effect: "Allow", Principal: ServicePrincipal("cloudtrail.amazonaws.com"),
			Action: []string{"s3:GetBucketAcl"}, Resource: []string{bucket},
			Condition: map[string]map[string][]string{"StringEquals": source}},
		{Sid: "AWSCloudTrailWrite", Effect: "Allow", Principal: ServicePrincipal("cloudtrail.amazonaws.com"),
			Action: []string{"s3:PutObject"}, Resource: []string{bucket + "/AWSLogs/" + a.AccountID + "/*"},
			Condition: map[string]map[string][]string{"StringEquals": {
				"aws:SourceArn": {a.TrailARN()}, "s3:x-amz-acl": {"bucket-owner-full-control"},
			}}},
		{Sid: "DenyInsecureTransport", Effect: "Deny", Principal: AnyPrincipal(),
			Action: []string{"s3:*"}, Resource: []string{bucket, bucket + "/*"},
			Condition: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}}},
	}}
}

// AlertTopicPolicy lets the account manage the topic and CloudWatch alarms of this trail publish to it.
func AlertTopicPolicy(a ActivityARNs) PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statements: []Statement{
		{Sid: "AccountOwner", Effect: "Allow", Principal: AWSPrincipal("arn:" + a.partition() + ":iam::" + a.AccountID + ":root"),
			Action: []string{"sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission",
				"sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"},
			Resource: []string{a.Topic}},
		{Sid: "CloudWatchAlarms", Effect: "Allow", Principal: ServicePrincipal("cloudwatch.amazonaws.com"),
			Action: []string{"sns:Publish"}, Resource: []string{a.Topic},
			Condition: map[string]map[string][]string{
				"ArnLike":      {"aws:SourceArn": {fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s*", a.partition(), a.Region, a.AccountID, ActivityAlertNamePrefix(a.Trail))}},
				"StringEquals": {"aws:SourceAccount": {a.AccountID}},
			}},
	}}
}

// CloudTrailLogsTrustPolicy lets CloudTrail assume the delivery role. It carries no
// aws:SourceAccount / aws:SourceArn condition: the CloudTrail User Guide ("Role policy document for
// CloudTrail to use CloudWatch Logs for monitoring") says confused-deputy prevention is not
// applicable to this role and the keys are not supported, so a condition could refuse CloudTrail
// and stop delivery to the log group without an error anywhere. What the role may do is bounded by
// CloudTrailLogsRolePolicy: write log streams of this trail's log group, nothing else.
func CloudTrailLogsTrustPolicy() PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statements: []Statement{{
		Effect: "Allow", Principal: ServicePrincipal("cloudtrail.amazonaws.com"), Action: []string{"sts:AssumeRole"},
	}}}
}

// CloudTrailLogsRolePolicyName is the inline policy of the delivery role.
const CloudTrailLogsRolePolicyName = "CloudTrailToCloudWatchLogs"

// CloudTrailLogsRolePolicy lets the delivery role write the trail's log streams, nothing else.
func CloudTrailLogsRolePolicy(a ActivityARNs) PolicyDocument {
	streams := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s:log-stream:*", a.partition(), a.Region, a.AccountID, a.LogGroup)
	return PolicyDocument{Version: "2012-10-17", Statements: []Statement{{
		Sid: "AWSCloudTrailCreateLogStreamAndPutLogEvents", Effect: "Allow",
		Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resource: []string{streams},
	}}}
}

// TrailBucketLifecycle: trail logs move to infrequent access after 90 days and Glacier after 365,
// and are kept for 7 years by default (a common retention demand of SOC 2 and finance).
type TrailBucketLifecycle struct {
	InfrequentAccessAfterDays int32
	GlacierAfterDays          int32
	ExpireAfterDays           int32
	NoncurrentExpireAfterDays int32
}

// DefaultTrailBucketLifecycle is the lifecycle of a bucket the resource creates.
var DefaultTrailBucketLifecycle = TrailBucketLifecycle{
	InfrequentAccessAfterDays: 90, GlacierAfterDays: 365, ExpireAfterDays: 2557, NoncurrentExpireAfterDays: 90,
}

// pattern builders: the catalogue's patterns are built from these so that each one is well formed.

func and(terms ...string) string { return "{ " + strings.Join(terms, " && ") + " }" }

func or(terms ...string) string { return "(" + strings.Join(terms, " || ") + ")" }

func eq(selector, value string) string { return "(" + selector + " = " + value + ")" }

func ne(selector, value string) string { return "(" + selector + " != " + value + ")" }

func notExists(selector string) string { return "(" + selector + " NOT EXISTS)" }

func anyEventName(names ...string) string {
	terms := make([]string, 0, len(names))
	for _, n := range names {
		terms = append(terms, eq("$.eventName", n))
	}
	return or(terms...)
}
