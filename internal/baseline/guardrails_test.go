package baseline

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The guardrail policy closes the audit-blinding and erasure classes whatever the group grants: in
// the aws_managed style the group's grant is an AWS job-function policy, which grants at most
// every action on every resource, so each case is evaluated (by the evaluator of the proof tables)
// against an Allow of "*" on "*" together with the guardrail and MFA policies, with MFA. What that
// upper bound cannot do, no member of an aws_managed group can do, nor a member given
// AdministratorAccess as an extra policy. The same cases hold for every least_privilege group.

const (
	flowLog     = "arn:aws:ec2:" + use1 + "vpc-flow-log/fl-0aaa"
	detector    = "arn:aws:guardduty:" + use1 + "detector/12abc34def567890abcdef1234567890"
	securityHub = "arn:aws:securityhub:" + use1 + "hub/default"
	analyzer    = "arn:aws:access-analyzer:" + use1 + "analyzer/account"
	clusterAuto = "arn:aws:rds:" + use1 + "cluster-auto-backup:cab-0aaa"
	tableBackup = appTable + "/backup/01700000000000-abcdef12"
	subscriber  = auditTopic + ":0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	asg         = "arn:aws:autoscaling:" + use1 + "autoScalingGroup:0a1b2c3d-0000-1111-2222-333344445555:autoScalingGroupName/payments"
)

// guardrailCannot are the audit-blinding, detection, erasure and publishing cases the guardrail
// policy closes on its own.
var guardrailCannot = []proofCase{
	// The audit trail and what iambaseline_activity_alerts built on it.
	pc("stop the trail", "cloudtrail:StopLogging", trail),
	pc("delete the trail", "cloudtrail:DeleteTrail", trail),
	pc("redirect the trail to another bucket", "cloudtrail:UpdateTrail", trail),
	pc("exclude management events (PutEventSelectors)", "cloudtrail:PutEventSelectors", trail),
	pc("delete an event data store", "cloudtrail:DeleteEventDataStore", eventStore),
	pc("delete the trail's log group", "logs:DeleteLogGroup", trailLogs),
	pc("shorten the trail log group's retention", "logs:PutRetentionPolicy", trailLogs),
	pc("stream the trail's log group out (subscription filter)", "logs:PutSubscriptionFilter", trailLogs),
	pc("delete an alert's metric filter", "logs:DeleteMetricFilter", trailLogs),
	pc("account-wide subscription filter (PutAccountPolicy)", "logs:PutAccountPolicy", "*"),
	pc("delete the account-wide log policies", "logs:DeleteAccountPolicy", "*"),
	pc("delete the trail's log files", "s3:DeleteObject", trailObject),
	pc("rewrite the trail bucket's policy", "s3:PutBucketPolicy", trailBucket),
	pc("expire the trail's log files (lifecycle)", "s3:PutLifecycleConfiguration", trailBucket),
	pc("delete an audit alarm", "cloudwatch:DeleteAlarms", auditAlarm),
	pc("silence an audit alarm", "cloudwatch:DisableAlarmActions", auditAlarm),
	pc("delete the alert topic", "sns:DeleteTopic", auditTopic),
	pc("rewrite the alert topic's policy", "sns:SetTopicAttributes", auditTopic),
	pc("unsubscribe the alert recipients", "sns:Unsubscribe", subscriber),
	// Detection.
	pc("delete VPC flow logs", "ec2:DeleteFlowLogs", flowLog),
	pc("delete the GuardDuty detector", "guardduty:DeleteDetector", detector),
	pc("suspend GuardDuty (UpdateDetector)", "guardduty:UpdateDetector", detector),
	pc("auto-archive GuardDuty findings (filter)", "guardduty:CreateFilter", detector),
	pc("trust an attacker's addresses (IP set)", "guardduty:CreateIPSet", detector),
	pc("archive GuardDuty findings", "guardduty:ArchiveFindings", detector),
	pc("stop AWS Config recording", "config:StopConfigurationRecorder", "*"),
	pc("delete the Config recorder", "config:DeleteConfigurationRecorder", "*"),
	pc("delete the Config delivery channel", "config:DeleteDeliveryChannel", "*"),
	pc("disable Security Hub", "securityhub:DisableSecurityHub", securityHub),
	pc("suppress Security Hub findings", "securityhub:BatchUpdateFindings", securityHub),
	pc("disable a Security Hub standard", "securityhub:BatchDisableStandards", securityHub),
	pc("delete the Access Analyzer", "access-analyzer:DeleteAnalyzer", analyzer),
	pc("auto-archive Access Analyzer findings", "access-analyzer:CreateArchiveRule", analyzer),
	// Erasure.
	pc("delete RDS automated backups", "rds:DeleteDBInstanceAutomatedBackup", autoBackup),
	pc("delete Aurora automated backups", "rds:DeleteDBClusterAutomatedBackup", clusterAuto),
	pc("delete a recovery point", "backup:DeleteRecoveryPoint", recovery),
	pc("shorten a recovery point's retention", "backup:UpdateRecoveryPointLifecycle", recovery),
	pc("delete a backup vault", "backup:DeleteBackupVault", vault),
	pc("open a backup vault's access policy", "backup:PutBackupVaultAccessPolicy", vault),
	pc("remove a backup vault's access policy", "backup:DeleteBackupVaultAccessPolicy", vault),
	pc("remove a backup vault's lock", "backup:DeleteBackupVaultLockConfiguration", vault),
	pc("delete a DynamoDB backup", "dynamodb:DeleteBackup", tableBackup),
	pc("switch off point-in-time recovery", "dynamodb:UpdateContinuousBackups", appTable),
	pc("schedule a KMS key's deletion", "kms:ScheduleKeyDeletion", kmsKey),
	pc("bypass Object Lock governance retention", "s3:BypassGovernanceRetention", prodObject),
	// Publishing.
	pc("share an RDS snapshot", "rds:ModifyDBSnapshotAttribute", dbSnapshot),
	pc("share an Aurora snapshot", "rds:ModifyDBClusterSnapshotAttribute", clusterSnap),
	pc("share an EBS snapshot", "ec2:ModifySnapshotAttribute", snapshot),
	pc("make an AMI public", "ec2:ModifyImageAttribute", image),
	pc("lift the account's EBS snapshot public-access block", "ec2:DisableSnapshotBlockPublicAccess", "*"),
	pc("lift the account's S3 public-access block", "s3:PutAccountPublicAccessBlock", "*"),
	// The account.
	pc("leave the organization (and its SCPs)", "organizations:LeaveOrganization", "*"),
	// The app-scope tag on EC2.
	pc("tag a foreign instance into the app scope", "ec2:CreateTags", instance, "aws:TagKeys", DefaultAppScopeTagKey),
	pc("remove every tag of an instance", "ec2:DeleteTags", instance),
	pc("put the app tag on a foreign Auto Scaling group (propagated to its instances)", "autoscaling:CreateOrUpdateTags", asg, "aws:TagKeys", DefaultAppScopeTagKey),
	pc("take the app tag off an Auto Scaling group", "autoscaling:DeleteTags", asg, "aws:TagKeys", DefaultAppScopeTagKey),
}

// guardrailCan is work the guardrail leaves to the groups: reading the audit and detection, and the
// everyday writes next to what it protects.
var guardrailCan = []proofCase{
	pc("read the trail", "cloudtrail:DescribeTrails", trail),
	pc("look up events", "cloudtrail:LookupEvents", "*"),
	pc("query the trail's log group", "logs:FilterLogEvents", trailLogs),
	pc("read the audit alarms", "cloudwatch:DescribeAlarms", auditAlarm),
	pc("read GuardDuty findings", "guardduty:GetFindings", detector),
	pc("create flow logs", "ec2:CreateFlowLogs", flowLog),
	pc("put an app alarm", "cloudwatch:PutMetricAlarm", appAlarm),
	pc("delete an app log group", "logs:DeleteLogGroup", appLogs),
	pc("take an RDS snapshot", "rds:CreateDBSnapshot", dbSnapshot),
	pc("start a backup job", "backup:StartBackupJob", vault),
	pc("create a DynamoDB backup", "dynamodb:CreateBackup", appTable),
	pc("create a KMS key", "kms:CreateKey", "*"),
	pc("tag a new instance at launch", "ec2:CreateTags", instance, "aws:TagKeys", DefaultAppScopeTagKey, "ec2:CreateAction", "RunInstances"),
	pc("tag an Auto Scaling group with another tag", "autoscaling:CreateOrUpdateTags", asg, "aws:TagKeys", "team"),
}

// awsManagedUpperBound is at least what any AWS managed job-function policy grants.
var awsManagedUpperBound = PolicyDocument{Version: PolicyVersion, Statements: []Statement{allow("AnyAWSManagedPolicy", []string{"*"})}}

func TestGuardrailProof(t *testing.T) {
	guard, err := GuardrailPolicy(proofOptions)
	if err != nil {
		t.Fatal(err)
	}
	mfa := MFAPolicy(true)
	var out strings.Builder
	fmt.Fprintf(&out, "# aws_managed: what a member of any aws_managed group (an Allow of * on * as the upper bound of an AWS job-function\n"+
		"# policy) can and cannot do with the guardrail and MFA policies attached, signed in with MFA in an allowed region\n"+
		"# (generated by TestGuardrailProof; options: name_prefix acme-, allowed_regions eu-west-1 us-east-1)\n")
	upper := []PolicyDocument{awsManagedUpperBound, guard, mfa}
	for _, c := range guardrailCan {
		got := c.allowedIn(upper, c.ctx)
		if !got {
			t.Errorf("aws_managed: CAN %q: %s on %s is denied by the guardrail", c.what, c.action, c.resources())
		}
		fmt.Fprintf(&out, "CAN    %-55s %-45s %s | %s\n", c.what, c.action, c.resources(), map[bool]string{true: "allow", false: "deny"}[got])
	}
	for _, c := range guardrailCannot {
		got := c.allowedIn(upper, c.ctx)
		if got {
			t.Errorf("aws_managed: CANNOT %q: %s on %s is allowed", c.what, c.action, c.resources())
		}
		fmt.Fprintf(&out, "CANNOT %-55s %-45s %s | %s\n", c.what, c.action, c.resources(), map[bool]string{true: "allow", false: "deny"}[got])
		// Without the guardrail the upper bound allows it: the guardrail is what closes it.
		if !c.allowedIn([]PolicyDocument{awsManagedUpperBound, mfa}, c.ctx) {
			t.Errorf("premise: %s on %s is denied without the guardrail policy", c.action, c.resources())
		}
	}
	// Every least_privilege group: the same cases closed.
	for _, key := range RoleKeys() {
		docs := append(mustGuarded(t, key, proofOptions), mfa)
		for _, c := range guardrailCannot {
			if c.allowedIn(docs, c.ctx) {
				t.Errorf("%s: CANNOT %q: %s on %s is allowed", key, c.what, c.action, c.resources())
			}
		}
	}
	file := filepath.Join("testdata", "proof", "aws_managed.txt")
	if updatingGolden() {
		if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil || string(want) != out.String() {
		t.Errorf("%s differs from the evaluated table (%v): run go test ./internal/baseline/ -run GuardrailProof -update and review the diff", file, err)
	}
}

// Every guardrail case names a real action, and every action the guardrail denies outright is one.
func TestGuardrailActionsExist(t *testing.T) {
	for _, c := range slices.Concat(guardrailCan, guardrailCannot) {
		if !KnownAction(c.action) {
			t.Errorf("%q (%s) is not an action in the shipped action list", c.action, c.what)
		}
	}
	for _, a := range GuardrailActions() {
		if !KnownAction(a) {
			t.Errorf("the guardrail denies %q, which is not an action in the shipped action list", a)
		}
	}
}

// The guardrail policy fits one managed policy for the largest realistic options, and the region
// list that does not fit is refused naming the attribute.
func TestGuardrailPolicySize(t *testing.T) {
	doc, err := GuardrailPolicy(largestRealisticOptions())
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := documentSize(doc); n > ManagedPolicyMaxChars {
		t.Fatalf("guardrail policy is %d characters", n)
	}
	opts := largestRealisticOptions()
	for i := range 400 {
		opts.RegionExemptActions = append(opts.RegionExemptActions, fmt.Sprintf("svc%03d:*", i))
	}
	_, err = GuardrailPolicy(opts)
	if oe, ok := err.(*OptionError); !ok || oe.Attribute != "region_exempt_actions" {
		t.Fatalf("an oversized guardrail policy gave %v, want an error naming region_exempt_actions", err)
	}
}
