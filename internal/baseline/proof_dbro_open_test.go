package baseline

import (
	"strings"
	"testing"
)

// The proof that the DatabaseAdmins' and ReadOnly's open grants of the grant table (issue 21) are
// closed by construction, by the same evaluator as the proof tables: per class that was open, a
// "can" the job keeps and a "cannot" the narrower grant takes away. Most "cannot"s were allowed by
// the documents before the narrowing (a wildcard or "*" granted them); the others (the
// service-linked role of another service, global clusters, proxies, API keys) keep the narrowing
// from widening again. A "cannot" holds by the group's own grants, not only with the guardrail
// policy beside them: the audit alarm is out of the DatabaseAdmins' alarm grant itself.

const (
	dbRecoveryPoint  = "arn:aws:rds:" + use1 + "snapshot:awsbackup:job-1eb3b5e7-9eb0-435a-a80b-108b488b0d45"
	ec2RecoveryPoint = "arn:aws:ec2:" + use1 + "image/ami-0a1b2c3d4e5f60718"
	ebsRecoveryPoint = "arn:aws:ec2:" + use1 + "snapshot/snap-0a1b2c3d4e5f60718"
	dbCluster        = "arn:aws:rds:" + use1 + "cluster:prod-aurora"
	dbParamGroup     = "arn:aws:rds:" + use1 + "pg:prod"
	dbProxy          = "arn:aws:rds:" + use1 + "db-proxy:prx-0a1b2c3d4e5f60718"
	dbGlobalCluster  = "arn:aws:rds::" + acct + ":global-cluster:prod-global"
	piRDSMetrics     = "arn:aws:pi:" + use1 + "metrics/rds/db-ABCDEFGHIJKL"
	piDocDBMetrics   = "arn:aws:pi:" + use1 + "metrics/docdb/db-ABCDEFGHIJKL"
	piRDSReport      = "arn:aws:pi:" + use1 + "perf-reports/rds/db-ABCDEFGHIJKL/report-0a1b2c3d4e5f60718"
	readOnlyFn       = "arn:aws:lambda:" + use1 + "function:payments"
	readOnlyTaskDef  = "arn:aws:ecs:" + use1 + "task-definition/payments:3"
)

// dbroOpenProof are the pairs, per group and closed class.
var dbroOpenProof = map[string]map[GrantClass]proofTable{
	RoleDatabaseAdmins: {
		ClassRunsCode: {
			can: []proofCase{
				pc("restore an RDS recovery point with AWS Backup", "backup:StartRestoreJob", dbRecoveryPoint),
				pc("create a database", "rds:CreateDBInstance", dbInstance),
				pc("restore a cluster to a point in time", "rds:RestoreDBClusterToPointInTime", dbCluster),
			},
			cannot: []proofCase{
				pc("restore an EC2 recovery point with AWS Backup (launches an instance)", "backup:StartRestoreJob", ec2RecoveryPoint),
				pc("restore an EBS recovery point with AWS Backup", "backup:StartRestoreJob", ebsRecoveryPoint),
				pc("associate an IAM role with a database (AddRoleToDBInstance)", "rds:AddRoleToDBInstance", dbInstance),
				pc("associate an IAM role with a cluster (AddRoleToDBCluster)", "rds:AddRoleToDBCluster", dbCluster),
				pc("create a database on a non-RDS resource name", "rds:CreateDBInstance", "*"),
			},
		},
		ClassErasure: {
			can: []proofCase{
				pc("reboot a database", "rds:RebootDBInstance", dbInstance),
				pc("stop a database", "rds:StopDBInstance", dbInstance),
				pc("change a parameter group", "rds:ModifyDBParameterGroup", dbParamGroup),
				pc("fail over a cluster", "rds:FailoverDBCluster", dbCluster),
			},
			cannot: []proofCase{
				pc("backtrack a cluster in place (discards later writes)", "rds:BacktrackDBCluster", dbCluster),
				pc("stop any backup job (StopBackupJob names no resource)", "backup:StopBackupJob", "*"),
				pc("delete a Performance Insights report", "pi:DeletePerformanceAnalysisReport", piRDSReport),
				pc("modify a DB proxy", "rds:ModifyDBProxy", dbProxy),
				pc("delete a global cluster", "rds:DeleteGlobalCluster", dbGlobalCluster),
			},
		},
		ClassSecretRead: {
			can: []proofCase{
				pc("see an RDS database's top SQL (Performance Insights)", "pi:GetDimensionKeyDetails", piRDSMetrics),
				pc("see an RDS database's load (Performance Insights)", "pi:GetResourceMetrics", piRDSMetrics),
				pc("read an RDS log file", "rds:DownloadCompleteDBLogFile", dbInstance),
			},
			cannot: []proofCase{
				pc("see another engine's top SQL (Performance Insights, DocumentDB)", "pi:GetDimensionKeyDetails", piDocDBMetrics),
				pc("read an RDS log file of any resource", "rds:DownloadDBLogFilePortion", "*"),
			},
		},
		ClassAudit: {
			can: []proofCase{
				pc("create a database alarm", "cloudwatch:PutMetricAlarm", dbAlarm),
				pc("silence a database alarm", "cloudwatch:DisableAlarmActions", dbAlarm),
				pc("delete a database alarm", "cloudwatch:DeleteAlarms", dbAlarm),
			},
			cannot: []proofCase{
				pc("rewrite the audit alarm", "cloudwatch:PutMetricAlarm", auditAlarm),
				pc("silence the audit alarm", "cloudwatch:DisableAlarmActions", auditAlarm),
				pc("delete the audit alarm", "cloudwatch:DeleteAlarms", auditAlarm),
			},
		},
		ClassIdentity: {
			can: []proofCase{
				pc("create the Backup service-linked role", "iam:CreateServiceLinkedRole", "*", "iam:AWSServiceName", "backup.amazonaws.com"),
			},
			cannot: []proofCase{
				pc("create the Lambda service-linked role", "iam:CreateServiceLinkedRole", "*", "iam:AWSServiceName", "lambda.amazonaws.com"),
				pc("create a service-linked role without naming the service", "iam:CreateServiceLinkedRole", "*"),
			},
		},
		ClassResourceAccess: {
			can: []proofCase{
				pc("list indexed recovery points", "backup:ListIndexedRecoveryPoints", "*"),
			},
			cannot: []proofCase{
				pc("make recovery points searchable (ListIndexedRecoveryPointsForSearch)", "backup:ListIndexedRecoveryPointsForSearch", "*"),
			},
		},
	},
	RoleReadOnly: {
		ClassSecretRead: {
			can: []proofCase{
				pc("list function aliases", "lambda:ListAliases", readOnlyFn),
				pc("see instances", "ec2:DescribeInstances", "*"),
				pc("see launch templates (names and versions)", "ec2:DescribeLaunchTemplates", "*"),
				pc("see images", "ec2:DescribeImages", "*"),
				pc("see Auto Scaling groups", "autoscaling:DescribeAutoScalingGroups", "*"),
				pc("see ECS services", "ecs:DescribeServices", "*"),
				pc("list task definitions (names)", "ecs:ListTaskDefinitions", "*"),
				pc("list Run Command commands", "ssm:ListCommands", "*"),
				pc("see an API's stage", "apigateway:GET", "arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod"),
			},
			cannot: []proofCase{
				pc("list functions (returns their environment variables)", "lambda:ListFunctions", "*"),
				pc("list a function's versions (returns their environment variables)", "lambda:ListVersionsByFunction", readOnlyFn),
				pc("read a function's configuration (environment variables)", "lambda:GetFunctionConfiguration", readOnlyFn),
				pc("read an instance's user data", "ec2:DescribeInstanceAttribute", instance),
				pc("read a launch template's data (user data)", "ec2:DescribeLaunchTemplateVersions", "*"),
				pc("read launch configurations (user data)", "autoscaling:DescribeLaunchConfigurations", "*"),
				pc("read a task definition (environment)", "ecs:DescribeTaskDefinition", readOnlyTaskDef),
				pc("read Run Command output", "ssm:ListCommandInvocations", "*"),
				pc("read a usage plan's API keys", "apigateway:GET", "arn:aws:apigateway:us-east-1::/usageplans/p1/keys"),
			},
		},
		ClassResourceAccess: {
			can: []proofCase{
				pc("list indexed recovery points", "backup:ListIndexedRecoveryPoints", "*"),
				pc("list recovery points", "backup:ListRecoveryPointsByBackupVault", vault),
			},
			cannot: []proofCase{
				pc("make recovery points searchable (ListIndexedRecoveryPointsForSearch)", "backup:ListIndexedRecoveryPointsForSearch", "*"),
			},
		},
	},
}

func TestProofDBROOpenClosed(t *testing.T) {
	mfa := MFAPolicy(true)
	for key, classes := range dbroOpenProof {
		docs := append(mustGuarded(t, key, proofOptions), mfa)
		own := []PolicyDocument{mustGroupPolicy(t, key, proofOptions), mfa}
		for class, table := range classes {
			for _, c := range append(append([]proofCase{}, table.can...), table.cannot...) {
				if _, ok := LookupAction(c.action); !ok {
					t.Errorf("%s %s %q: %s is not in the catalogue", key, class, c.what, c.action)
				}
			}
			for _, c := range table.can {
				if !c.allowedIn(docs, c.ctx) {
					t.Errorf("%s (%s) cannot %q: %s on %s", key, class, c.what, c.action, c.resources())
				}
			}
			for _, c := range table.cannot {
				if c.allowedIn(docs, c.ctx) {
					t.Errorf("%s (%s) may %q: %s on %s", key, class, c.what, c.action, c.resources())
				}
				if c.allowedIn(own, c.ctx) {
					t.Errorf("%s (%s) may %q by the group's own grants: %s on %s", key, class, c.what, c.action, c.resources())
				}
			}
		}
	}
}

// The grant table classifies apigateway:GET by the paths a statement names: a statement that can
// reach an API key path is secret-bearing, one that names only configuration paths reads.
func TestGrantTableAPIGatewayGETByPath(t *testing.T) {
	for _, tc := range []struct {
		resources []string
		want      GrantClass
	}{
		{[]string{"*"}, ClassSecretRead},
		{[]string{"arn:aws:apigateway:*::/*"}, ClassSecretRead},
		{[]string{"arn:aws:apigateway:*::/apikeys"}, ClassSecretRead},
		{[]string{"arn:aws:apigateway:us-east-1::/apikeys/*"}, ClassSecretRead},
		{[]string{"arn:aws:apigateway:*::/usageplans/*"}, ClassSecretRead},
		{[]string{"arn:aws:apigateway:*::/restapis/*", "arn:aws:apigateway:*::/usageplans/*/keys"}, ClassSecretRead},
		{[]string{"arn:aws:apigateway:*::/restapis/*", "arn:aws:apigateway:*::/usageplans"}, ClassRead},
		{[]string{"arn:aws-cn:apigateway:*::/restapis", "arn:aws-cn:apigateway:*::/apis/*"}, ClassRead},
	} {
		doc := PolicyDocument{Version: PolicyVersion, Statements: []Statement{allow("Read", []string{"apigateway:GET"}, tc.resources...)}}
		grants := ExpandGrants(doc, nil)
		if len(grants) != 1 || grants[0].Class != tc.want {
			t.Errorf("apigateway:GET on %s: got %+v, want class %s", strings.Join(tc.resources, " "), grants, tc.want)
		}
	}
	// Two statements: one reaching the keys makes the grant secret-bearing.
	doc := PolicyDocument{Version: PolicyVersion, Statements: []Statement{
		allow("Config", []string{"apigateway:GET"}, "arn:aws:apigateway:*::/restapis/*"),
		allow("Keys", []string{"apigateway:GET"}, "arn:aws:apigateway:*::/apikeys/*"),
	}}
	if g := ExpandGrants(doc, nil); len(g) != 1 || g[0].Class != ClassSecretRead {
		t.Errorf("apigateway:GET of two statements, one on API keys: got %+v, want %s", g, ClassSecretRead)
	}
}
