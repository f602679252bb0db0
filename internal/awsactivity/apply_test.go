package awsactivity

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// recorded is one request the fake received.
type recorded struct {
	Op     string // "CloudTrail_20131101.CreateTrail", "PutMetricAlarm", "S3 PUT /bucket?policy"
	Form   url.Values
	Body   map[string]any // JSON protocols
	Raw    string
	Header http.Header
}

// fakeAWS plays CloudTrail and CloudWatch Logs (JSON), CloudWatch, SNS, IAM and STS (query) and S3
// (REST) for request-capture tests: it records every request and answers from replies (by Op) or
// with an empty success. Emulators cannot show what these tests check: that CloudTrail's refusal
// while a new role propagates is retried, and the exact filter patterns, metric transformations,
// alarm settings and policies sent.
type fakeAWS struct {
	mu       sync.Mutex
	requests []recorded
	replies  map[string][]func(w http.ResponseWriter) // consumed in order; the last one repeats
}

func (f *fakeAWS) on(op string, replies ...func(w http.ResponseWriter)) { f.replies[op] = replies }

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	rec := recorded{Raw: string(raw), Header: r.Header.Clone()}
	switch target := r.Header.Get("X-Amz-Target"); {
	case target != "":
		rec.Op = target
		_ = json.Unmarshal(raw, &rec.Body)
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		rec.Form, _ = url.ParseQuery(string(raw))
		rec.Op = rec.Form.Get("Action")
	default:
		rec.Op = "S3 " + r.Method + " " + r.URL.Path
		if q := r.URL.RawQuery; q != "" {
			rec.Op += "?" + strings.TrimSuffix(strings.SplitN(q, "=", 2)[0], "=")
		}
	}
	f.mu.Lock()
	f.requests = append(f.requests, rec)
	n := 0
	for _, q := range f.requests {
		if q.Op == rec.Op {
			n++
		}
	}
	replies := f.replies[rec.Op]
	f.mu.Unlock()
	if len(replies) > 0 {
		replies[min(n, len(replies))-1](w)
		return
	}
	switch {
	case strings.Contains(rec.Op, "_"): // JSON
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, "{}")
	case strings.HasPrefix(rec.Op, "S3 "):
		w.WriteHeader(http.StatusOK)
	default:
		iamfake.WriteResult(w, rec.Op, "")
	}
}

func (f *fakeAWS) all(op string) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.requests {
		if r.Op == op {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeAWS) index(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.IndexFunc(f.requests, func(r recorded) bool { return r.Op == op })
}

func jsonReply(status int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func queryReply(action, inner string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { iamfake.WriteResult(w, action, inner) }
}

func queryError(action string, status int, code string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { iamfake.WriteError(w, action, status, code, code) }
}

func s3Error(status int, code string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<Error><Code>%s</Code><Message>%s</Message></Error>`, code, code)
	}
}

const (
	testAccount = "123456789012"
	testTrail   = "main"
)

func newFakeClient(t *testing.T) (*Client, *fakeAWS) {
	t.Helper()
	f := &fakeAWS{replies: map[string][]func(http.ResponseWriter){}}
	iamfake.Isolate(t)
	for _, k := range []string{"CLOUDTRAIL", "CLOUDWATCH_LOGS", "CLOUDWATCH", "SNS", "S3"} {
		t.Setenv("AWS_ENDPOINT_URL_"+k, "")
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.on("GetCallerIdentity", queryReply("GetCallerIdentity", iamfake.CallerIdentity(testAccount)))
	iamClient, err := awsiam.NewClient(context.Background(), awsiam.Config{
		IAMEndpoint: srv.URL, STSEndpoint: srv.URL, MaxRetries: 1,
		ServiceEndpoints: map[string]string{EndpointCloudTrail: srv.URL, EndpointLogs: srv.URL, EndpointCloudWatch: srv.URL, EndpointSNS: srv.URL, EndpointS3: srv.URL},
	})
	if err != nil {
		t.Fatal(err)
	}
	old := propagationBackoff
	propagationBackoff.Start = time.Millisecond
	t.Cleanup(func() { propagationBackoff = old })
	return New(iamClient), f
}

func testSpec(t *testing.T) Spec {
	t.Helper()
	arns := baseline.ActivityARNs{Region: "us-east-1", AccountID: testAccount, Trail: testTrail,
		Bucket: baseline.ActivityBucketName(testAccount, testTrail), LogGroup: baseline.ActivityLogGroupName(testTrail)}
	arns.Topic = "arn:aws:sns:us-east-1:" + testAccount + ":" + baseline.ActivityTopicName(testTrail)
	doc := func(d baseline.PolicyDocument) string {
		s, err := d.JSON()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return Spec{
		Names: Names{Trail: testTrail, Bucket: arns.Bucket, LogGroup: arns.LogGroup, AlertPrefix: baseline.ActivityAlertNamePrefix(testTrail),
			TopicARN: arns.Topic, Role: baseline.ActivityRoleName(testTrail)},
		TrailARN: arns.TrailARN(), LogGroupARN: arns.LogGroupARN(), RetentionDays: 365,
		ManageBucket: true, BucketPolicy: doc(baseline.TrailBucketPolicy(arns)), Lifecycle: baseline.DefaultTrailBucketLifecycle,
		RolePath: baseline.ActivityRolePath, RoleTrust: doc(baseline.CloudTrailLogsTrustPolicy()),
		RolePolicyName: baseline.CloudTrailLogsRolePolicyName, RolePolicy: doc(baseline.CloudTrailLogsRolePolicy(arns)),
		ManageTopic: true, TopicName: baseline.ActivityTopicName(testTrail), TopicPolicy: doc(baseline.AlertTopicPolicy(arns)),
		Emails: []string{"security@example.com"}, HTTPS: []string{"https://hooks.example.com/x"},
		Alerts: baseline.EnabledActivityAlerts(testTrail, nil, nil), Alarm: baseline.ActivityAlarmSettings,
		Tags: map[string]string{"Team": "security"},
	}
}

const roleResult = `<Role><Path>/service-role/</Path><RoleName>iambaseline-main-cloudtrail</RoleName><RoleId>AROATEST</RoleId>` +
	`<Arn>arn:aws:iam::123456789012:role/service-role/iambaseline-main-cloudtrail</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>`

// emptyAccount answers as an account where nothing of spec exists yet, up to the trail (whose
// creation a test stubs): no bucket, log group, filters, alarms or topic, and a delivery role that
// CreateRole makes.
func (f *fakeAWS) emptyAccount(spec Spec) {
	f.on("S3 GET /"+spec.Bucket+"?policy", s3Error(404, "NoSuchBucket"))
	f.on("Logs_20140328.DescribeLogGroups", jsonReply(200, `{"logGroups":[]}`))
	f.on("Logs_20140328.DescribeMetricFilters", jsonReply(200, `{"metricFilters":[]}`))
	f.on("GetRole", queryError("GetRole", 404, "NoSuchEntity"))
	f.on("CreateRole", queryReply("CreateRole", roleResult))
	f.on("DescribeAlarms", queryReply("DescribeAlarms", `<MetricAlarms></MetricAlarms>`))
	f.on("GetTopicAttributes", queryError("GetTopicAttributes", 404, "NotFound"))
}

// A create against an empty account sends exactly what the alerts need, in an order AWS accepts,
// and waits out CloudTrail's refusal while the new delivery role propagates.
func TestApply_createSendsTheAlertsAndRetriesPropagation(t *testing.T) {
	c, f := newFakeClient(t)
	spec := testSpec(t)
	bucket := spec.Bucket
	f.emptyAccount(spec)
	f.on("CreateTopic", queryReply("CreateTopic", `<TopicArn>`+spec.TopicARN+`</TopicArn>`))
	f.on("Subscribe", queryReply("Subscribe", `<SubscriptionArn>pending confirmation</SubscriptionArn>`))
	f.on("CloudTrail_20131101.CreateTrail",
		jsonReply(400, `{"__type":"InsufficientCloudWatchLogsDeliveryPolicyException","message":"Access denied. Verify in IAM that the role has adequate permissions."}`),
		jsonReply(400, `{"__type":"InvalidCloudWatchLogsRoleArnException","message":"role not yet visible"}`),
		jsonReply(200, `{"Name":"main","TrailARN":"`+spec.TrailARN+`"}`))

	if err := c.Apply(context.Background(), spec, nil); err != nil {
		t.Fatal(err)
	}

	creates := f.all("CloudTrail_20131101.CreateTrail")
	if len(creates) != 3 {
		t.Fatalf("CreateTrail sent %d times, want 3 (two refusals while the role propagates, then success)", len(creates))
	}
	got := creates[2].Body
	for k, want := range map[string]any{
		"Name": testTrail, "S3BucketName": bucket, "IsMultiRegionTrail": true, "IncludeGlobalServiceEvents": true,
		"EnableLogFileValidation": true, "CloudWatchLogsLogGroupArn": spec.LogGroupARN,
		"CloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/service-role/iambaseline-main-cloudtrail",
	} {
		if got[k] != want {
			t.Errorf("CreateTrail %s = %v, want %v", k, got[k], want)
		}
	}
	sel := f.all("CloudTrail_20131101.PutEventSelectors")
	if len(sel) != 1 || !strings.Contains(sel[0].Raw, `"ReadWriteType":"All"`) || !strings.Contains(sel[0].Raw, `"IncludeManagementEvents":true`) {
		t.Errorf("PutEventSelectors: %+v", sel)
	}
	if len(f.all("CloudTrail_20131101.StartLogging")) != 1 {
		t.Error("logging not started")
	}

	// CloudTrail checks the bucket policy and the role when the trail is created: both come first.
	trail := f.index("CloudTrail_20131101.CreateTrail")
	for _, before := range []string{"S3 PUT /" + bucket + "?policy", "PutRolePolicy", "Logs_20140328.CreateLogGroup", "S3 PUT /" + bucket + "?publicAccessBlock"} {
		if i := f.index(before); i < 0 || i > trail {
			t.Errorf("%s at %d, want before CreateTrail at %d", before, i, trail)
		}
	}
	policy := f.all("S3 PUT /" + bucket + "?policy")
	if ok, err := baseline.PoliciesEquivalent(policy[0].Raw, spec.BucketPolicy); err != nil || !ok {
		t.Errorf("bucket policy sent %s", policy[0].Raw)
	}

	filters := f.all("Logs_20140328.PutMetricFilter")
	if len(filters) != len(baseline.ActivityAlerts) {
		t.Fatalf("%d metric filters, want %d", len(filters), len(baseline.ActivityAlerts))
	}
	for _, a := range baseline.ActivityAlerts {
		name := baseline.ActivityAlertName(testTrail, a.Key)
		i := slices.IndexFunc(filters, func(r recorded) bool { return r.Body["filterName"] == name })
		if i < 0 {
			t.Errorf("no filter %s", name)
			continue
		}
		b := filters[i].Body
		if b["filterPattern"] != a.Pattern || b["logGroupName"] != spec.LogGroup {
			t.Errorf("filter %s: pattern %v on %v", name, b["filterPattern"], b["logGroupName"])
		}
		mt, _ := b["metricTransformations"].([]any)
		if len(mt) != 1 {
			t.Fatalf("filter %s transformations %v", name, b["metricTransformations"])
		}
		m := mt[0].(map[string]any)
		if m["metricName"] != name || m["metricNamespace"] != "IAMBaseline" || m["metricValue"] != "1" {
			t.Errorf("filter %s transformation %v", name, m)
		}
	}
	alarms := f.all("PutMetricAlarm")
	if len(alarms) != len(baseline.ActivityAlerts) {
		t.Fatalf("%d alarms, want %d", len(alarms), len(baseline.ActivityAlerts))
	}
	for _, a := range alarms {
		for k, want := range map[string]string{
			"AlarmActions.member.1": spec.TopicARN, "Namespace": "IAMBaseline", "Statistic": "Sum", "Period": "300",
			"EvaluationPeriods": "1", "Threshold": "1", "ComparisonOperator": "GreaterThanOrEqualToThreshold",
			"TreatMissingData": "notBreaching", "ActionsEnabled": "true", "MetricName": a.Form.Get("AlarmName"),
		} {
			if got := a.Form.Get(k); got != want {
				t.Errorf("alarm %s: %s = %q, want %q", a.Form.Get("AlarmName"), k, got, want)
			}
		}
		if !strings.HasPrefix(a.Form.Get("AlarmDescription"), "CIS 4.") && a.Form.Get("AlarmName") == baseline.ActivityAlertName(testTrail, baseline.AlertRootUsage) {
			t.Errorf("root alarm description %q lacks its CIS number", a.Form.Get("AlarmDescription"))
		}
	}
	topic := f.all("CreateTopic")
	if len(topic) != 1 || !strings.Contains(topic[0].Raw, "cloudwatch.amazonaws.com") {
		t.Errorf("CreateTopic did not carry the topic policy: %+v", topic)
	}
	var protocols []string
	for _, s := range f.all("Subscribe") {
		protocols = append(protocols, s.Form.Get("Protocol")+" "+s.Form.Get("Endpoint"))
	}
	slices.Sort(protocols)
	if !slices.Equal(protocols, []string{"email security@example.com", "https https://hooks.example.com/x"}) {
		t.Errorf("subscriptions %v", protocols)
	}
	if n := len(f.all("Logs_20140328.PutRetentionPolicy")); n != 1 || !strings.Contains(f.all("Logs_20140328.PutRetentionPolicy")[0].Raw, `"retentionInDays":365`) {
		t.Errorf("retention: %d requests", n)
	}
}

// A refused CreateTrail that is not about propagation fails at once, naming the trail.
func TestApply_otherTrailErrorsAreNotRetried(t *testing.T) {
	c, f := newFakeClient(t)
	spec := testSpec(t)
	f.emptyAccount(spec)
	f.on("CloudTrail_20131101.CreateTrail", jsonReply(400, `{"__type":"MaximumNumberOfTrailsExceededException","message":"too many"}`))
	err := c.Apply(context.Background(), spec, nil)
	if err == nil || !strings.Contains(err.Error(), "creating CloudTrail trail (main)") || !strings.Contains(err.Error(), "MaximumNumberOfTrailsExceeded") {
		t.Fatalf("error %v", err)
	}
	if n := len(f.all("CloudTrail_20131101.CreateTrail")); n != 1 {
		t.Fatalf("CreateTrail sent %d times", n)
	}
}

// An update of a healthy account sends no write at all.
func TestApply_noDriftNoWrite(t *testing.T) {
	c, f := newFakeClient(t)
	spec := testSpec(t)
	cur := &State{
		Trail: &Trail{Name: testTrail, ARN: spec.TrailARN, Bucket: spec.Bucket, MultiRegion: true, GlobalServiceEvents: true, LogFileValidation: true,
			LogGroupARN: spec.LogGroupARN, RoleARN: "arn:aws:iam::123456789012:role/service-role/iambaseline-main-cloudtrail", Logging: true,
			AllManagementEvents: true, Tags: spec.Tags},
		BucketExists: true, BucketPolicy: spec.BucketPolicy,
		LogGroup: &LogGroup{Name: spec.LogGroup, RetentionDays: 365},
		Filters:  map[string]MetricFilter{}, Alarms: map[string]Alarm{},
		Topic: &Topic{ARN: spec.TopicARN, Policy: spec.TopicPolicy, Subscriptions: []Subscription{
			{ARN: "PendingConfirmation", Protocol: "email", Endpoint: "security@example.com"},
			{ARN: spec.TopicARN + ":1", Protocol: "https", Endpoint: "https://hooks.example.com/x"},
		}},
		Role: &awsiam.Role{Name: spec.Role, ARN: "arn:aws:iam::123456789012:role/service-role/iambaseline-main-cloudtrail", TrustPolicy: spec.RoleTrust,
			InlinePolicies: map[string]string{spec.RolePolicyName: spec.RolePolicy}, Tags: spec.Tags,
			Description: "CloudTrail delivers trail main to CloudWatch Logs (iambaseline_activity_alerts)"},
	}
	for _, a := range spec.Alerts {
		cur.Filters[a.Name] = MetricFilter{Name: a.Name, Pattern: a.Pattern, MetricName: a.Name, Namespace: baseline.ActivityMetricNamespace, MetricValue: "1"}
		cur.Alarms[a.Name] = Alarm{Name: a.Name, MetricName: a.Name, Namespace: baseline.ActivityMetricNamespace, Description: a.Description,
			Actions: []string{spec.TopicARN}, ActionsEnable: true}
	}
	if err := c.Apply(context.Background(), spec, cur); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.requests {
		// Configure's credential check: GetCredentialReport, and GetCallerIdentity when this fake
		// does not answer it.
		if r.Op != "GetCallerIdentity" && r.Op != "GetCredentialReport" {
			t.Errorf("unexpected request %s on a healthy account (a pending email subscription is not drift)", r.Op)
		}
	}
}
