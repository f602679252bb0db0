package baseline

import (
	"fmt"
	"slices"
	"strings"
)

// Audit checks of CIS sections 3 (logging) and 4 (monitoring): what iambaseline_activity_alerts sets up.
const (
	CheckTrailMultiRegionLogging = "cloudtrail_multi_region_logging"
	CheckTrailLogFileValidation  = "cloudtrail_log_file_validation"
	CheckTrailCloudWatchLogs     = "cloudtrail_cloudwatch_logs"
)

// AlertCheckID is the audit check of a section-4 alert: "alert_<alert key>".
func AlertCheckID(key string) string { return "alert_" + key }

// activityAuditChecks are appended to AuditChecks: section 3, then one check per CIS alert.
func activityAuditChecks() []AuditCheck {
	out := []AuditCheck{
		{ID: CheckTrailMultiRegionLogging, CISControl: "3.1", Severity: AuditHigh,
			Title: "A multi-region CloudTrail trail is logging all management events"},
		{ID: CheckTrailLogFileValidation, CISControl: "3.2", Severity: AuditMedium,
			Title: "CloudTrail log file validation is enabled on every trail"},
		{ID: CheckTrailCloudWatchLogs, CISControl: "3.4", Severity: AuditMedium,
			Title: "The multi-region trail delivers to CloudWatch Logs (CIS v2.0.0 3.4; what every section-4 alert needs)"},
	}
	for _, a := range ActivityAlerts {
		if a.CISControl == "" {
			continue
		}
		out = append(out, AuditCheck{ID: AlertCheckID(a.Key), CISControl: a.CISControl, Severity: AuditMedium,
			Title: "A metric filter and alarm with a subscribed action exist for: " + strings.TrimSuffix(a.Description, "."),
			EmulatorGap: "emulators do not confirm email subscriptions the way AWS does (moto shows them subscribed at once); " +
				"the pending case is proven by unit tests over facts fixtures"})
	}
	return out
}

// ActivityFacts is what the audit knows about the account's activity logging and alerting.
type ActivityFacts struct {
	Trails  []TrailFacts
	Filters []MetricFilterFacts
	Alarms  []AlarmFacts
	// ConfirmedSubscriptions counts the confirmed subscriptions of each SNS topic (by ARN).
	ConfirmedSubscriptions map[string]int
}

// TrailFacts is one CloudTrail trail visible in the audited region.
type TrailFacts struct {
	Name                string
	ARN                 string
	MultiRegion         bool
	Logging             bool
	AllManagementEvents bool
	LogFileValidation   bool
	// LogGroup is the name of the CloudWatch Logs log group it delivers to ("" when none).
	LogGroup string
}

// MetricFilterFacts is a metric filter of a log group.
type MetricFilterFacts struct {
	LogGroup   string
	Name       string
	Pattern    string
	MetricName string
	Namespace  string
}

// AlarmFacts is a metric alarm.
type AlarmFacts struct {
	Name           string
	MetricName     string
	Namespace      string
	ActionsEnabled bool
	Actions        []string
}

// LogGroupFromARN is the log group name of a CloudWatch Logs log group ARN (with or without ":*").
func LogGroupFromARN(arn string) string {
	_, rest, ok := strings.Cut(arn, ":log-group:")
	if !ok {
		return ""
	}
	return strings.TrimSuffix(rest, ":*")
}

func (a *auditRun) activity() {
	f := a.facts.Activity
	if f == nil {
		return
	}
	account := a.rootResource()
	var monitored []TrailFacts // multi-region, logging, every management event
	for _, t := range f.Trails {
		if t.MultiRegion && t.Logging && t.AllManagementEvents {
			monitored = append(monitored, t)
		}
	}
	if len(monitored) == 0 {
		msg := "No multi-region CloudTrail trail is logging read and write management events"
		if len(f.Trails) > 0 {
			var names []string
			for _, t := range f.Trails {
				names = append(names, t.Name)
			}
			msg += fmt.Sprintf(" (trails found: %s, but none is multi-region, logging and recording all management events)", strings.Join(names, ", "))
		}
		a.add(CheckTrailMultiRegionLogging, account, "%s. Add one with iambaseline_activity_alerts, or set the trail multi-region, start its logging and give it an event selector with IncludeManagementEvents = true and ReadWriteType = All.", msg)
	}
	if len(f.Trails) == 0 {
		a.add(CheckTrailLogFileValidation, account, "No CloudTrail trail exists, so no log file is validated. Add one with iambaseline_activity_alerts (validation on).")
	}
	for _, t := range f.Trails {
		if !t.LogFileValidation {
			a.add(CheckTrailLogFileValidation, t.ARN, "CloudTrail trail %s does not validate its log files: set it with aws cloudtrail update-trail --name %s --enable-log-file-validation, or manage it with iambaseline_activity_alerts.", t.Name, t.Name)
		}
	}
	var delivering []TrailFacts
	for _, t := range monitored {
		if t.LogGroup != "" {
			delivering = append(delivering, t)
		}
	}
	if len(delivering) == 0 {
		if len(monitored) == 0 {
			a.add(CheckTrailCloudWatchLogs, account, "No multi-region logging trail, so nothing is delivered to CloudWatch Logs and no alert can fire. Add the trail with iambaseline_activity_alerts.")
		} else {
			a.add(CheckTrailCloudWatchLogs, monitored[0].ARN, "CloudTrail trail %s does not deliver to CloudWatch Logs, so no metric filter sees its events: set its CloudWatch Logs log group and role, or use iambaseline_activity_alerts.", monitored[0].Name)
		}
	}
	for _, alert := range ActivityAlerts {
		if alert.CISControl == "" {
			continue
		}
		if len(delivering) == 0 {
			a.add(AlertCheckID(alert.Key), account, "No alert for %s: no multi-region trail delivers to CloudWatch Logs (see %s). Add iambaseline_activity_alerts.", alert.Key, CheckTrailCloudWatchLogs)
			continue
		}
		if msg := a.alertGap(alert, delivering); msg != "" {
			a.add(AlertCheckID(alert.Key), account, "%s", msg)
		}
	}
}

// alertGap says what is missing for the alert ("" when a filter on a delivering trail's log group
// matches the alert's event and an enabled alarm on its metric notifies a topic with a confirmed
// subscription).
func (a *auditRun) alertGap(alert ActivityAlert, trails []TrailFacts) string {
	f := a.facts.Activity
	groups := map[string]bool{}
	for _, t := range trails {
		groups[t.LogGroup] = true
	}
	var filters []MetricFilterFacts
	for _, mf := range f.Filters {
		if groups[mf.LogGroup] && filterCovers(mf.Pattern, alert) {
			filters = append(filters, mf)
		}
	}
	fix := fmt.Sprintf("enable alert %q of iambaseline_activity_alerts, or add the CIS %s metric filter, alarm and SNS subscription", alert.Key, alert.CISControl)
	if len(filters) == 0 {
		return fmt.Sprintf("No metric filter on the trail's log group matches %s events (CIS %s): %s.", alert.Key, alert.CISControl, fix)
	}
	pendingTopic := ""
	for _, mf := range filters {
		for _, al := range f.Alarms {
			if al.MetricName != mf.MetricName || al.Namespace != mf.Namespace || !al.ActionsEnabled {
				continue
			}
			for _, action := range al.Actions {
				if !strings.Contains(action, ":sns:") {
					continue
				}
				if f.ConfirmedSubscriptions[action] > 0 {
					return ""
				}
				pendingTopic = action
			}
		}
	}
	if pendingTopic != "" {
		return fmt.Sprintf("The alarm for %s (CIS %s) notifies SNS topic %s, which has no confirmed subscription: confirm the subscription email (or add an HTTPS endpoint) so that someone hears it.", alert.Key, alert.CISControl, pendingTopic)
	}
	names := make([]string, 0, len(filters))
	for _, mf := range filters {
		names = append(names, mf.Name)
	}
	slices.Sort(names)
	return fmt.Sprintf("Metric filter %s matches %s events (CIS %s) but no enabled alarm on its metric notifies an SNS topic: %s.", strings.Join(names, ", "), alert.Key, alert.CISControl, fix)
}

// filterCovers: the pattern is the alert's, or one the matcher understands that matches the
// alert's sample event.
func filterCovers(pattern string, alert ActivityAlert) bool {
	if strings.Join(strings.Fields(pattern), "") == strings.Join(strings.Fields(alert.Pattern), "") {
		return true
	}
	p, err := ParseFilterPattern(pattern)
	if err != nil {
		return false
	}
	ok, err := p.Match([]byte(alert.Sample))
	return err == nil && ok
}

func isActivityCheck(id string) bool {
	return id == CheckTrailMultiRegionLogging || id == CheckTrailLogFileValidation || id == CheckTrailCloudWatchLogs || strings.HasPrefix(id, "alert_")
}
