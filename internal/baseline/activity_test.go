package baseline

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

type cloudTrailSample struct {
	Name   string          `json:"name"`
	Alerts []string        `json:"alerts"`
	Record json.RawMessage `json:"record"`
}

func loadCloudTrailSamples(t *testing.T) []cloudTrailSample {
	t.Helper()
	b, err := os.ReadFile("testdata/activity/cloudtrail_records.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Records []cloudTrailSample `json:"records"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	return file.Records
}

// Every catalogue pattern matches exactly the sample records that name it, and no other: the
// emulator stores filter patterns without evaluating them, so this is the proof that they work.
func TestActivityAlerts_patternsMatchTheirEventsOnly(t *testing.T) {
	samples := loadCloudTrailSamples(t)
	matched := map[string]int{}
	for _, a := range ActivityAlerts {
		p, err := ParseFilterPattern(a.Pattern)
		if err != nil {
			t.Fatalf("%s: pattern does not parse: %v\n%s", a.Key, err, a.Pattern)
		}
		for _, s := range samples {
			got, err := p.Match(s.Record)
			if err != nil {
				t.Fatalf("%s: %v", s.Name, err)
			}
			want := slices.Contains(s.Alerts, a.Key)
			if got != want {
				t.Errorf("alert %s on record %q: matched=%v, want %v\npattern: %s", a.Key, s.Name, got, want, a.Pattern)
			}
			if got {
				matched[a.Key]++
			}
		}
	}
	benign := 0
	for _, s := range samples {
		for _, k := range s.Alerts {
			if _, ok := FindActivityAlert(k); !ok {
				t.Errorf("record %q names unknown alert %q", s.Name, k)
			}
		}
		if len(s.Alerts) == 0 {
			benign++
		}
	}
	for _, a := range ActivityAlerts {
		if matched[a.Key] == 0 {
			t.Errorf("alert %s has no sample record proving its pattern", a.Key)
		}
	}
	if benign < 5 {
		t.Errorf("only %d benign records; want at least 5", benign)
	}
}

func TestActivityAlerts_catalogue(t *testing.T) {
	wantCIS := map[string]string{
		AlertUnauthorizedAPICalls: "4.1", AlertConsoleSignInWithoutMFA: "4.2", AlertRootUsage: "4.3",
		AlertIAMPolicyChanges: "4.4", AlertCloudTrailChanges: "4.5", AlertConsoleAuthFailures: "4.6",
		AlertOrganizationsChanges: "4.15",
	}
	seen := map[string]bool{}
	for _, a := range ActivityAlerts {
		if seen[a.Key] {
			t.Errorf("duplicate key %s", a.Key)
		}
		seen[a.Key] = true
		if a.CISControl != wantCIS[a.Key] {
			t.Errorf("%s: CIS control %q, want %q", a.Key, a.CISControl, wantCIS[a.Key])
		}
		if len(a.Pattern) > MaxFilterPatternLength {
			t.Errorf("%s: pattern is %d characters, CloudWatch allows %d", a.Key, len(a.Pattern), MaxFilterPatternLength)
		}
		if a.Description == "" || a.WhenItFires == "" {
			t.Errorf("%s: description and what to do are required", a.Key)
		}
		if !alertKeyPattern.MatchString(a.Key) {
			t.Errorf("%s: key must be a valid alert key", a.Key)
		}
		if d := alarmDescription(a.CISControl, a.Description); len(d) > 1024 {
			t.Errorf("%s: alarm description too long", a.Key)
		}
	}
	if len(ActivityAlerts) != 13 {
		t.Errorf("%d alerts, want 13", len(ActivityAlerts))
	}
}

func TestActivityNames(t *testing.T) {
	for got, want := range map[string]string{
		ActivityLogGroupName("main"):               "aws-cloudtrail-logs-main",
		ActivityBucketName("123456789012", "Main"): "aws-cloudtrail-logs-123456789012-main",
		ActivityAlertName("main", "root_usage"):    "iambaseline-main-root_usage",
		ActivityTopicName("main"):                  "iambaseline-main-alerts",
		ActivityRoleName("main"):                   "iambaseline-main-cloudtrail",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if ActivityMetricNamespace != "IAMBaseline" {
		t.Error("namespace is agreed with the group policies")
	}
}

func TestEnabledActivityAlerts(t *testing.T) {
	got := EnabledActivityAlerts("t", map[string]bool{AlertRootUsage: false, AlertCloudTrailChanges: true},
		map[string]CustomAlert{"deploys": {Pattern: `{ $.eventName = "Deploy" }`, Description: "d"}})
	var keys []string
	for _, a := range got {
		keys = append(keys, a.Key)
		if a.Name != "iambaseline-t-"+a.Key {
			t.Errorf("name %s", a.Name)
		}
	}
	if len(keys) != len(ActivityAlerts) || slices.Contains(keys, AlertRootUsage) || !slices.Contains(keys, "deploys") || !slices.IsSorted(keys) {
		t.Errorf("keys %v", keys)
	}
	for _, a := range got {
		if a.Key == AlertIAMPolicyChanges && !strings.HasPrefix(a.Description, "CIS 4.4: ") {
			t.Errorf("description %q", a.Description)
		}
	}
}

func TestValidateActivityInputs(t *testing.T) {
	for _, ok := range []string{"main", "org-trail.1", "a_b"} {
		if err := ValidateTrailName(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"ab", "-main", "main-", "a--b", "a b", strings.Repeat("a", MaxActivityTrailNameLength+1)} {
		if err := ValidateTrailName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := ValidateBucketName("Upper"); err == nil {
		t.Error("upper-case bucket accepted")
	}
	if err := ValidateAlertKey(AlertRootUsage); err == nil {
		t.Error("built-in key accepted as custom")
	}
	if err := ValidateAlertKey("Bad-Key"); err == nil {
		t.Error("bad key accepted")
	}
}

func TestActivityPolicies(t *testing.T) {
	a := ActivityARNs{Region: "eu-west-1", AccountID: "123456789012", Trail: "main", Bucket: "b", LogGroup: ActivityLogGroupName("main"),
		Topic: "arn:aws:sns:eu-west-1:123456789012:iambaseline-main-alerts"}
	bucket := compactJSON(t, TrailBucketPolicy(a))
	for _, want := range []string{`"aws:SourceArn":["arn:aws:cloudtrail:eu-west-1:123456789012:trail/main"]`, `"arn:aws:s3:::b/AWSLogs/123456789012/*"`, `"aws:SecureTransport":["false"]`} {
		if !strings.Contains(bucket, want) {
			t.Errorf("bucket policy lacks %s:\n%s", want, bucket)
		}
	}
	topic := compactJSON(t, AlertTopicPolicy(a))
	if !strings.Contains(topic, `"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:iambaseline-main-*"`) || !strings.Contains(topic, "cloudwatch.amazonaws.com") {
		t.Errorf("topic policy:\n%s", topic)
	}
	role := compactJSON(t, CloudTrailLogsRolePolicy(a))
	if !strings.Contains(role, "log-group:aws-cloudtrail-logs-main:log-stream:*") {
		t.Errorf("role policy:\n%s", role)
	}
	if got := a.LogGroupARN(); got != "arn:aws:logs:eu-west-1:123456789012:log-group:aws-cloudtrail-logs-main:*" {
		t.Errorf("log group ARN %s", got)
	}
}

func TestFilterPattern_syntax(t *testing.T) {
	rec := []byte(`{"a":{"b":"xAccessDeniedy"},"n":5,"t":true}`)
	for pattern, want := range map[string]bool{
		`{ $.a.b = "*AccessDenied*" }`:                      true,
		`{ $.a.b = "AccessDenied*" }`:                       false,
		`{ $.a.b != "x*" }`:                                 false,
		`{ $.missing != "x" }`:                              false,
		`{ $.missing NOT EXISTS }`:                          true,
		`{ $.a.b EXISTS && ($.n = 5 || $.t = false) }`:      true,
		`{ ($.t = true) && ($.n = 6) || ($.a.b = "*y") }`:   true,
		`{ ($.t = true) && (($.n = 6) || ($.a.b = "*z")) }`: false,
	} {
		p, err := ParseFilterPattern(pattern)
		if err != nil {
			t.Fatalf("%s: %v", pattern, err)
		}
		if got, _ := p.Match(rec); got != want {
			t.Errorf("%s: got %v, want %v", pattern, got, want)
		}
	}
	for _, bad := range []string{`$.a = 1`, `{ $.a = }`, `{ a = 1 }`, `{ ($.a = 1 }`, `{ $.a = "x }`, `{ $.a NOT 1 }`, `{ $.a = 1 } x`} {
		if _, err := ParseFilterPattern(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func compactJSON(t *testing.T, d PolicyDocument) string {
	t.Helper()
	s, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Each alert's Sample (what the audit recognises foreign filters by) is matched by its own pattern
// and by no other alert's, except where one event rightly fires two alerts.
func TestActivityAlerts_samples(t *testing.T) {
	for _, a := range ActivityAlerts {
		p, _ := ParseFilterPattern(a.Pattern)
		if ok, err := p.Match([]byte(a.Sample)); err != nil || !ok {
			t.Errorf("%s: pattern does not match its sample (%v)", a.Key, err)
		}
		for _, b := range ActivityAlerts {
			if b.Key == a.Key {
				continue
			}
			q, _ := ParseFilterPattern(b.Pattern)
			if ok, _ := q.Match([]byte(a.Sample)); ok {
				t.Errorf("sample of %s also matches %s", a.Key, b.Key)
			}
		}
	}
}

// The alerts resource's names are the ones the group guardrails protect (protected.go): a change
// to either side that breaks the contract fails here.
func TestActivityNamesAreProtected(t *testing.T) {
	names := []string{
		ActivityLogGroupName("main"),
		ActivityBucketName("123456789012", "main"),
		ActivityAlertName("main", "root_usage"),
		ActivityTopicName("main"),
	}
	for _, n := range names {
		if !strings.HasPrefix(n, ProtectedLogGroupPrefix) && !strings.HasPrefix(n, ProtectedBucketPrefix) &&
			!strings.HasPrefix(n, ProtectedMonitoringPrefix) {
			t.Errorf("%s is not covered by any protected prefix", n)
		}
	}
	if ActivityMetricNamespace != ProtectedMetricNamespace {
		t.Errorf("metric namespace %s is not the protected one %s", ActivityMetricNamespace, ProtectedMetricNamespace)
	}
}
