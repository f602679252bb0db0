package baseline

import (
	"strings"
	"testing"
)

const (
	testTopic    = "arn:aws:sns:us-east-1:123456789012:iambaseline-main-alerts"
	testLogGroup = "aws-cloudtrail-logs-main"
)

// cleanActivityFacts is an account with iambaseline_activity_alerts applied and its email confirmed.
func cleanActivityFacts() *ActivityFacts {
	f := &ActivityFacts{
		Trails: []TrailFacts{{Name: "main", ARN: "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", MultiRegion: true, Logging: true,
			AllManagementEvents: true, LogFileValidation: true, LogGroup: testLogGroup}},
		ConfirmedSubscriptions: map[string]int{testTopic: 1},
	}
	for _, a := range EnabledActivityAlerts("main", nil, nil) {
		f.Filters = append(f.Filters, MetricFilterFacts{LogGroup: testLogGroup, Name: a.Name, Pattern: a.Pattern, MetricName: a.Name, Namespace: ActivityMetricNamespace})
		f.Alarms = append(f.Alarms, AlarmFacts{Name: a.Name, MetricName: a.Name, Namespace: ActivityMetricNamespace, ActionsEnabled: true, Actions: []string{testTopic}})
	}
	return f
}

func failedChecks(res AuditResult) map[string]string {
	out := map[string]string{}
	for _, f := range res.Findings {
		out[f.CheckID] = f.Message
	}
	return out
}

func TestAudit_activity(t *testing.T) {
	cisAlerts := 0
	for _, a := range ActivityAlerts {
		if a.CISControl != "" {
			cisAlerts++
		}
	}
	for name, tt := range map[string]struct {
		change func(*ActivityFacts)
		failed []string
		msg    string
	}{
		"applied":  {change: func(*ActivityFacts) {}},
		"no trail": {change: func(f *ActivityFacts) { *f = ActivityFacts{} }, failed: []string{CheckTrailMultiRegionLogging, CheckTrailLogFileValidation, CheckTrailCloudWatchLogs, "*alerts"}},
		"logging stopped": {change: func(f *ActivityFacts) { f.Trails[0].Logging = false },
			failed: []string{CheckTrailMultiRegionLogging, CheckTrailCloudWatchLogs, "*alerts"}},
		"single region": {change: func(f *ActivityFacts) { f.Trails[0].MultiRegion = false },
			failed: []string{CheckTrailMultiRegionLogging, CheckTrailCloudWatchLogs, "*alerts"}, msg: "trails found: main"},
		"write events only": {change: func(f *ActivityFacts) { f.Trails[0].AllManagementEvents = false },
			failed: []string{CheckTrailMultiRegionLogging, CheckTrailCloudWatchLogs, "*alerts"}},
		"no validation": {change: func(f *ActivityFacts) { f.Trails[0].LogFileValidation = false },
			failed: []string{CheckTrailLogFileValidation}, msg: "--enable-log-file-validation"},
		"no CloudWatch Logs": {change: func(f *ActivityFacts) { f.Trails[0].LogGroup = "" },
			failed: []string{CheckTrailCloudWatchLogs, "*alerts"}},
		"root filter missing": {change: func(f *ActivityFacts) { f.Filters = dropFilter(f.Filters, AlertRootUsage) },
			failed: []string{AlertCheckID(AlertRootUsage)}, msg: "No metric filter"},
		"root alarm without action": {change: func(f *ActivityFacts) {
			for i := range f.Alarms {
				if strings.HasSuffix(f.Alarms[i].Name, AlertRootUsage) {
					f.Alarms[i].Actions = nil
				}
			}
		}, failed: []string{AlertCheckID(AlertRootUsage)}, msg: "no enabled alarm"},
		"email not confirmed": {change: func(f *ActivityFacts) { f.ConfirmedSubscriptions = nil }, failed: []string{"*alerts"}, msg: "no confirmed subscription"},
		"filter on another log group": {change: func(f *ActivityFacts) {
			for i := range f.Filters {
				if strings.HasSuffix(f.Filters[i].Name, AlertIAMPolicyChanges) {
					f.Filters[i].LogGroup = "other"
				}
			}
		}, failed: []string{AlertCheckID(AlertIAMPolicyChanges)}},
		"foreign CIS filter recognised": {change: func(f *ActivityFacts) {
			for i := range f.Filters {
				if strings.HasSuffix(f.Filters[i].Name, AlertRootUsage) {
					f.Filters[i].Pattern = `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`
				}
			}
		}},
	} {
		t.Run(name, func(t *testing.T) {
			facts := cleanFacts()
			tt.change(facts.Activity)
			res := Audit(facts, cleanOptions)
			got := failedChecks(res)
			want := map[string]bool{}
			for _, id := range tt.failed {
				if id == "*alerts" {
					for _, a := range ActivityAlerts {
						if a.CISControl != "" {
							want[AlertCheckID(a.Key)] = true
						}
					}
					continue
				}
				want[id] = true
			}
			if len(got) != len(want) {
				t.Fatalf("failed checks %v, want %v", got, want)
			}
			for id := range want {
				msg, ok := got[id]
				if !ok {
					t.Fatalf("check %s passed; failed: %v", id, got)
				}
				if tt.msg != "" && len(tt.failed) == 1 && !strings.Contains(msg, tt.msg) {
					t.Errorf("message %q lacks %q", msg, tt.msg)
				}
			}
			if len(res.Checks) != 14+3+cisAlerts {
				t.Errorf("%d checks", len(res.Checks))
			}
		})
	}
}

func dropFilter(fs []MetricFilterFacts, key string) []MetricFilterFacts {
	var out []MetricFilterFacts
	for _, f := range fs {
		if !strings.HasSuffix(f.Name, "-"+key) {
			out = append(out, f)
		}
	}
	return out
}

func TestAudit_activityNotReadRunsNoActivityCheck(t *testing.T) {
	f := cleanFacts()
	f.Activity = nil
	res := Audit(f, cleanOptions)
	if len(res.Checks) != 14 {
		t.Fatalf("%d checks without activity facts, want the 14 IAM checks", len(res.Checks))
	}
}

func TestLogGroupFromARN(t *testing.T) {
	if got := LogGroupFromARN("arn:aws:logs:us-east-1:123456789012:log-group:aws-cloudtrail-logs-main:*"); got != "aws-cloudtrail-logs-main" {
		t.Fatal(got)
	}
	if LogGroupFromARN("") != "" {
		t.Fatal("empty")
	}
}
