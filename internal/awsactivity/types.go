package awsactivity

import (
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Trail is what exists of a CloudTrail trail.
type Trail struct {
	Name                string
	ARN                 string
	Bucket              string
	MultiRegion         bool
	GlobalServiceEvents bool
	LogFileValidation   bool
	LogGroupARN         string
	RoleARN             string
	KMSKeyID            string
	HomeRegion          string
	Logging             bool
	// AllManagementEvents: an event selector records read and write management events.
	AllManagementEvents bool
	Tags                map[string]string
}

// LogGroup is what exists of a CloudWatch Logs log group.
type LogGroup struct {
	Name          string
	ARN           string // without the ":*" suffix
	RetentionDays int32  // 0: never expire
	KMSKeyID      string
}

// MetricFilter is a metric filter of the trail's log group.
type MetricFilter struct {
	Name        string
	Pattern     string
	MetricName  string
	Namespace   string
	MetricValue string
}

// Alarm is a CloudWatch metric alarm.
type Alarm struct {
	Name          string
	ARN           string
	Description   string
	MetricName    string
	Namespace     string
	Actions       []string
	ActionsEnable bool
}

// Topic is what exists of an SNS topic.
type Topic struct {
	ARN           string
	Policy        string
	KMSKeyID      string
	Subscriptions []Subscription
}

// Subscription is a subscription of the topic. ARN is "PendingConfirmation" until the endpoint
// confirms it.
type Subscription struct {
	ARN      string
	Protocol string
	Endpoint string
}

// Confirmed is false while the subscription waits for its endpoint's confirmation.
func (s Subscription) Confirmed() bool { return s.ARN != "" && s.ARN != "PendingConfirmation" }

// Names are the names the resource's pieces carry, from baseline's naming.
type Names struct {
	Trail       string
	Bucket      string
	LogGroup    string
	AlertPrefix string
	TopicARN    string
	Role        string
}

// State is what exists of the activity alerts. A nil piece does not exist.
type State struct {
	Trail *Trail
	// BucketExists and BucketPolicy ("" when none) of the trail's bucket.
	BucketExists bool
	BucketPolicy string
	LogGroup     *LogGroup
	// Filters and Alarms whose names start with the alert prefix, by name.
	Filters map[string]MetricFilter
	Alarms  map[string]Alarm
	Topic   *Topic
	Role    *awsiam.Role
}

// Spec is what should exist.
type Spec struct {
	Names
	TrailARN      string
	LogGroupARN   string // with ":*", as CloudTrail wants it
	KMSKeyARN     string
	RetentionDays int32

	// ManageBucket: the resource creates the bucket (encryption, versioning, public access block,
	// lifecycle) and deletes it on destroy when it is empty or ForceDestroy is set.
	ManageBucket bool
	ForceDestroy bool
	BucketPolicy string
	Lifecycle    baseline.TrailBucketLifecycle

	RolePath       string
	RoleTrust      string
	RolePolicyName string
	RolePolicy     string

	// ManageTopic: the resource creates the topic (TopicName) and owns its policy.
	ManageTopic bool
	TopicName   string
	TopicPolicy string
	Emails      []string
	HTTPS       []string
	// DropEndpoints are endpoints of earlier configurations: their subscriptions are removed.
	DropEndpoints []string

	Alerts []baseline.ActivityAlertSpec
	Alarm  baseline.AlarmSettings

	Tags map[string]string
}
