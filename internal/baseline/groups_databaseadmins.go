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
	serviceLinked := allow("CreateServiceLinkedRoles", []string{"iam:CreateServiceLinkedRole"})
	serviceLinked.Condition = map[string]map[string][]string{
		"StringEquals": {"iam:AWSServiceName": {"rds.amazonaws.com", "backup.amazonaws.com"}},
	}
	return append([]Statement{
		allow("ManageRDS", []string{
			"ec2:DescribeAccountAttributes",
			"ec2:DescribeAvailabilityZones",
			"ec2:DescribeSecurityGroupRules",
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
	}, databaseAdminJobStatements(o)...)
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
