package baseline

import "slices"

// DatabaseAdmins manage RDS (instances, clusters, parameter, subnet and option groups, snapshots
// and restores), perform backups (RDS snapshots, AWS Backup jobs and restores) and monitor
// databases (CloudWatch, Performance Insights, the RDS log groups and log files).
//
// They cannot share, publish or export a snapshot (rds:ModifyDBSnapshotAttribute,
// rds:ModifyDBClusterSnapshotAttribute, rds:StartExportTask, backup:StartCopyJob), delete a
// snapshot, an automated backup, a recovery point or a vault, change a vault's access policy or
// lock, or change a recovery point's lifecycle or a backup plan (which sets retention and copies
// to other accounts): the actions are listed one by one, so none of these is granted. Nor are
// backtracking an Aurora cluster in place (rds:BacktrackDBCluster discards every write after the
// point; a point-in-time restore to a new cluster is the non-destructive way), associating IAM roles
// with a database (rds:AddRoleTo*), stopping a backup job (backup:StopBackupJob names no resource,
// so it would reach every scheduled job) or deleting Performance Insights reports. The RDS writes
// name the RDS resource types they act on, restores only RDS and Backup recovery points (an EC2
// recovery point's restore would start an instance), alarm changes every alarm but the audit's.
// What IAM cannot express: rds:DeleteDBInstance and rds:DeleteDBCluster delete automated backups
// unless the caller asks to keep them, and rds:ModifyDBInstance can set the backup retention to 0;
// no condition key names those parameters. Manual snapshots and AWS Backup recovery points, which
// DatabaseAdmins cannot delete, survive both; the next step for backups that not even an
// administrator can erase is AWS Backup Vault Lock.
//
// The rest of the job, each in its safe form: customer managed keys are used only through RDS
// (and Secrets Manager, for RDS-managed master passwords), and grants are created only for RDS's
// own use of a key (kms:ViaService, kms:GrantIsForAWSResource), so restoring or copying a snapshot
// encrypted with a customer managed key works without a direct kms:Decrypt; the master user
// secrets RDS manages (named rds!..., a name nobody else can give a secret) are theirs, values
// included: they could reset a master password anyway; IAM database authentication connects only
// as the database user named like the member's IAM user; and they open database ports only in
// security groups tagged DatabaseSecurityGroupTagKey = "true" (which they may create).
func databaseAdminStatements(o Options) []Statement {
	p := o.Partition
	serviceLinked := allow("CreateServiceLinkedRoles", []string{"iam:CreateServiceLinkedRole"})
	serviceLinked.Condition = map[string]map[string][]string{
		"StringEquals": {"iam:AWSServiceName": {"rds.amazonaws.com", "backup.amazonaws.com"}},
	}
	// The writes of RDS name the RDS resource types they act on (instances, clusters, their parameter,
	// subnet and option groups, snapshots and automated backups), never "*": see databaseAdminRDSResources.
	manage := allow("ManageRDS", rdsManageActions, databaseAdminRDSResources(p)...)
	// AWS Backup restores only recovery points of RDS (and Aurora) and Backup's own (restoring an EC2,
	// EBS or other service's recovery point would start instances or reach other data).
	restore := allow("RestoreDatabaseRecoveryPoints", []string{"backup:StartRestoreJob"},
		"arn:"+p+":backup:*:*:recovery-point:*",
		"arn:"+p+":rds:*:*:snapshot:awsbackup:*",
		"arn:"+p+":rds:*:*:cluster-snapshot:awsbackup:*",
	)
	// Alarms: every alarm but those of iambaseline_activity_alerts (the guardrail denies those too).
	alarms := allow("ManageDatabaseAlarms", []string{
		"cloudwatch:DeleteAlarms",
		"cloudwatch:DisableAlarmActions",
		"cloudwatch:EnableAlarmActions",
		"cloudwatch:PutMetricAlarm",
	})
	alarms.Resource = nil
	alarms.NotResource = []string{"arn:" + p + ":cloudwatch:*:*:alarm:" + ProtectedMonitoringPrefix + "*"}
	return append([]Statement{
		allow("DescribeRDS", []string{
			"ec2:DescribeAccountAttributes",
			"ec2:DescribeAvailabilityZones",
			"ec2:DescribeSecurityGroupRules",
			"ec2:DescribeSecurityGroups",
			"ec2:DescribeSubnets",
			"ec2:DescribeVpcAttribute",
			"ec2:DescribeVpcs",
			"kms:DescribeKey",
			"kms:ListAliases",
			"rds:Describe*",
			"rds:List*",
		}),
		manage,
		allow("PerformBackups", slices.Concat([]string{
			"backup-storage:MountCapsule",
			"backup:CreateBackupSelection",
			"backup:CreateBackupVault",
			"backup:Describe*",
			"backup:Get*",
			"backup:StartBackupJob",
			"backup:TagResource",
		}, backupListActions)),
		restore,
		allow("MonitorDatabases", slices.Concat(cloudWatchReadActions, []string{
			"logs:Describe*",
			"sns:ListTopics",
		})),
		alarms,
		allow("PerformanceInsights", []string{
			"pi:DescribeDimensionKeys",
			"pi:GetDimensionKeyDetails",
			"pi:GetResourceMetadata",
			"pi:GetResourceMetrics",
			"pi:ListAvailableResourceDimensions",
			"pi:ListAvailableResourceMetrics",
		}, "arn:"+p+":pi:*:*:metrics/rds/*"),
		allow("PerformanceInsightsReports", []string{
			"pi:CreatePerformanceAnalysisReport",
			"pi:GetPerformanceAnalysisReport",
			"pi:ListPerformanceAnalysisReportRecommendations",
			"pi:ListPerformanceAnalysisReports",
			"pi:ListTagsForResource",
			"pi:TagResource",
			"pi:UntagResource",
		}, "arn:"+p+":pi:*:*:perf-reports/rds/*"),
		allow("ReadDatabaseLogFiles", []string{
			"rds:DownloadCompleteDBLogFile",
			"rds:DownloadDBLogFilePortion",
		}, "arn:"+p+":rds:*:*:db:*"),
		allow("ReadDatabaseLogs", []string{
			"logs:FilterLogEvents",
			"logs:Get*",
			"logs:StartQuery",
			"logs:StopQuery",
		}, "arn:"+p+":logs:*:*:log-group:/aws/rds/*"),
		allow("PassDatabaseRoles", []string{"iam:PassRole"},
			"arn:"+p+":iam::*:role/"+rdsMonitoringRoleName,
			"arn:"+p+":iam::*:role/"+backupDefaultRoleName,
		),
		serviceLinked,
	}, databaseAdminJobStatements(o)...)
}

// rdsManageActions are the RDS writes of the job, listed one by one (a wildcard such as rds:*DBInstance
// would grow with every action AWS adds). Deleting a snapshot or an automated backup, sharing a snapshot
// (rds:Modify*SnapshotAttribute) and exporting one (rds:StartExportTask) are not among them.
var rdsManageActions = []string{
	"rds:AddTagsToResource",
	"rds:CopyDBClusterParameterGroup",
	"rds:CopyDBClusterSnapshot",
	"rds:CopyDBParameterGroup",
	"rds:CopyDBSnapshot",
	"rds:CopyOptionGroup",
	"rds:CreateDBCluster",
	"rds:CreateDBClusterParameterGroup",
	"rds:CreateDBClusterSnapshot",
	"rds:CreateDBInstance",
	"rds:CreateDBInstanceReadReplica",
	"rds:CreateDBParameterGroup",
	"rds:CreateDBSnapshot",
	"rds:CreateDBSubnetGroup",
	"rds:CreateOptionGroup",
	"rds:DeleteDBCluster",
	"rds:DeleteDBClusterParameterGroup",
	"rds:DeleteDBInstance",
	"rds:DeleteDBParameterGroup",
	"rds:DeleteDBSubnetGroup",
	"rds:DeleteOptionGroup",
	"rds:FailoverDBCluster",
	"rds:ModifyDBCluster",
	"rds:ModifyDBClusterParameterGroup",
	"rds:ModifyDBInstance",
	"rds:ModifyDBParameterGroup",
	"rds:ModifyDBSubnetGroup",
	"rds:ModifyOptionGroup",
	"rds:PromoteReadReplica",
	"rds:PromoteReadReplicaDBCluster",
	"rds:RebootDBCluster",
	"rds:RebootDBInstance",
	"rds:RemoveTagsFromResource",
	"rds:ResetDBClusterParameterGroup",
	"rds:ResetDBParameterGroup",
	"rds:RestoreDBClusterFromSnapshot",
	"rds:RestoreDBClusterToPointInTime",
	"rds:RestoreDBInstanceFromDBSnapshot",
	"rds:RestoreDBInstanceToPointInTime",
	"rds:StartDBCluster",
	"rds:StartDBInstance",
	"rds:StopDBCluster",
	"rds:StopDBInstance",
}

// databaseAdminRDSResources are the RDS resource types the RDS writes may name: instances, clusters,
// their parameter, subnet and option groups, snapshots and automated backups (restores name them as
// sources). Not global clusters, proxies, event subscriptions, integrations or blue/green deployments.
func databaseAdminRDSResources(p string) []string {
	var out []string
	for _, t := range []string{"auto-backup", "cluster", "cluster-auto-backup", "cluster-pg", "cluster-snapshot", "db", "og", "pg", "snapshot", "subgrp"} {
		out = append(out, "arn:"+p+":rds:*:*:"+t+":*")
	}
	return out
}

// backupListActions are AWS Backup's lists but backup:ListIndexedRecoveryPointsForSearch (the catalogue
// calls it permissions management and a write: it makes recovery points searchable, exposing their
// contents to Backup search).
var backupListActions = []string{
	"backup:ListB*", "backup:ListC*", "backup:ListF*", "backup:ListIndexedRecoveryPoints", "backup:ListL*",
	"backup:ListP*", "backup:ListR*", "backup:ListS*", "backup:ListT*",
}

// DatabaseSecurityGroupTagKey marks the security groups DatabaseAdmins may change (value "true"):
// those in front of databases. They may create them with the tag; SysAdmins, who own networking,
// may tag others.
const DatabaseSecurityGroupTagKey = "iambaseline:database"

// rdsKeyServices are the services through which DatabaseAdmins may use customer managed keys.
func rdsKeyServices() []string {
	return []string{"rds.*.amazonaws.com", "secretsmanager.*.amazonaws.com"}
}

func databaseAdminJobStatements(o Options) []Statement {
	p := o.Partition
	keyUse := allow("UseKeysThroughRDS", []string{"kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"})
	keyUse.Condition = map[string]map[string][]string{"StringLike": {"kms:ViaService": rdsKeyServices()}}
	grants := allow("GrantKeysToRDS", []string{"kms:CreateGrant"})
	grants.Condition = map[string]map[string][]string{
		"StringLike": {"kms:ViaService": rdsKeyServices()},
		"Bool":       {"kms:GrantIsForAWSResource": {"true"}},
	}
	secrets := allow("RDSManagedSecrets", []string{
		"secretsmanager:CreateSecret",
		"secretsmanager:DeleteSecret",
		"secretsmanager:DescribeSecret",
		"secretsmanager:GetSecretValue",
		"secretsmanager:RotateSecret",
		"secretsmanager:TagResource",
		"secretsmanager:UpdateSecret",
	}, "arn:"+p+":secretsmanager:*:*:secret:rds!*")
	connect := allow("ConnectAsOwnDatabaseUser", []string{"rds-db:connect"}, "arn:"+p+":rds-db:*:*:dbuser:*/${aws:username}")
	sgTag := "aws:ResourceTag/" + DatabaseSecurityGroupTagKey
	openPorts := allow("DatabaseSecurityGroups", []string{
		"ec2:AuthorizeSecurityGroupIngress",
		"ec2:DeleteSecurityGroup",
		"ec2:ModifySecurityGroupRules",
		"ec2:RevokeSecurityGroupIngress",
		"ec2:UpdateSecurityGroupRuleDescriptionsIngress",
	}, ec2ARN(p, "security-group/*"))
	openPorts.Condition = map[string]map[string][]string{"StringEquals": {sgTag: {"true"}}}
	// A new security group must carry the tag from the call that creates it; the tag can be written
	// by that call only (ec2:CreateAction), never onto an existing group.
	createSG := allow("CreateDatabaseSecurityGroups", []string{"ec2:CreateSecurityGroup"}, ec2ARN(p, "security-group/*"), ec2ARN(p, "vpc/*"))
	createSG.Condition = map[string]map[string][]string{"StringEquals": {"aws:RequestTag/" + DatabaseSecurityGroupTagKey: {"true"}}}
	tagSG := allow("TagDatabaseSecurityGroupsOnCreate", []string{"ec2:CreateTags"}, ec2ARN(p, "security-group/*"))
	tagSG.Condition = map[string]map[string][]string{"StringEquals": {"ec2:CreateAction": {"CreateSecurityGroup"}}}
	return []Statement{keyUse, grants, secrets, connect, openPorts, createSG, tagSG}
}

var cloudWatchReadActions = []string{
	"cloudwatch:Describe*",
	"cloudwatch:Get*",
	"cloudwatch:List*",
}
