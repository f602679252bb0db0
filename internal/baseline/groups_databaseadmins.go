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
// to other accounts): the actions are listed one by one, so none of these is granted. The next
// step for backups that not even an administrator can erase is AWS Backup Vault Lock.
func databaseAdminStatements(o Options) []Statement {
	serviceLinked := allow("CreateServiceLinkedRoles", []string{"iam:CreateServiceLinkedRole"})
	serviceLinked.Condition = map[string]map[string][]string{
		"StringEquals": {"iam:AWSServiceName": {"rds.amazonaws.com", "backup.amazonaws.com"}},
	}
	return []Statement{
		allow("ManageRDS", []string{
			"ec2:DescribeAccountAttributes",
			"ec2:DescribeAvailabilityZones",
			"ec2:DescribeSecurityGroups",
			"ec2:DescribeSubnets",
			"ec2:DescribeVpcAttribute",
			"ec2:DescribeVpcs",
			"kms:DescribeKey",
			"kms:ListAliases",
			"rds:*DBCluster",
			"rds:*DBClusterParameterGroup*",
			"rds:*DBInstance",
			"rds:*DBParameterGroup*",
			"rds:*DBSubnetGroup*",
			"rds:*OptionGroup*",
			"rds:AddTagsToResource",
			"rds:CopyDBClusterSnapshot",
			"rds:CopyDBSnapshot",
			"rds:CreateDBClusterSnapshot",
			"rds:CreateDBInstanceReadReplica",
			"rds:CreateDBSnapshot",
			"rds:Describe*",
			"rds:List*",
			"rds:PromoteReadReplica*",
			"rds:RemoveTagsFromResource",
			"rds:RestoreDBClusterFromSnapshot",
			"rds:RestoreDBClusterToPointInTime",
			"rds:RestoreDBInstanceFromDBSnapshot",
			"rds:RestoreDBInstanceToPointInTime",
		}),
		allow("PerformBackups", []string{
			"backup-storage:MountCapsule",
			"backup:CreateBackupSelection",
			"backup:CreateBackupVault",
			"backup:Describe*",
			"backup:Get*",
			"backup:List*",
			"backup:StartBackupJob",
			"backup:StartRestoreJob",
			"backup:StopBackupJob",
			"backup:TagResource",
		}),
		allow("MonitorDatabases", slices.Concat(cloudWatchReadActions, []string{
			"cloudwatch:DeleteAlarms",
			"cloudwatch:DisableAlarmActions",
			"cloudwatch:EnableAlarmActions",
			"cloudwatch:PutMetricAlarm",
			"logs:Describe*",
			"pi:*",
			"rds:DownloadCompleteDBLogFile",
			"rds:DownloadDBLogFilePortion",
			"sns:ListTopics",
		})),
		allow("ReadDatabaseLogs", []string{
			"logs:FilterLogEvents",
			"logs:Get*",
			"logs:StartQuery",
			"logs:StopQuery",
		}, "arn:"+o.Partition+":logs:*:*:log-group:/aws/rds/*"),
		allow("PassDatabaseRoles", []string{"iam:PassRole"},
			"arn:"+o.Partition+":iam::*:role/"+rdsMonitoringRoleName,
			"arn:"+o.Partition+":iam::*:role/"+backupDefaultRoleName,
		),
		serviceLinked,
	}
}

var cloudWatchReadActions = []string{
	"cloudwatch:Describe*",
	"cloudwatch:Get*",
	"cloudwatch:List*",
}
