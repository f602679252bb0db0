package baseline

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The proof of issue 10: for each group, evaluated with the project's policy evaluator against
// the group's document together with the MFA and guardrail policies every member works under, what a member can
// do (the job) and what they cannot do (every catalogue escalation, exfiltration and erasure case,
// each with the resource it targets), with and without MFA, in and out of the allowed regions.
// The table per group is written to testdata/proof/<group>.txt (go test -run Proof -update) so a
// reviewer reads it without running Go.

// proofOptions: a startup named acme in two regions with developer buckets; the app scope is the
// default one derived from the name prefix (acme-app-*, tag iambaseline:app-scope = acme-app).
var proofOptions = Options{
	NamePrefix:            "acme-",
	AllowedRegions:        []string{"eu-west-1", "us-east-1"},
	DeveloperS3BucketARNs: []string{"arn:aws:s3:::acme-dev-*"},
}

const (
	acct        = "123456789012"
	use1        = "us-east-1:" + acct + ":"
	appFn       = "arn:aws:lambda:" + use1 + "function:acme-app-api"
	otherFn     = "arn:aws:lambda:" + use1 + "function:prod-payments"
	appProject  = "arn:aws:codebuild:" + use1 + "project/acme-app-build"
	ciProject   = "arn:aws:codebuild:" + use1 + "project/platform-deployer"
	appRepo     = "arn:aws:ecr:" + use1 + "repository/acme-app-web"
	otherRepo   = "arn:aws:ecr:" + use1 + "repository/payments"
	appCluster  = "arn:aws:ecs:" + use1 + "cluster/acme-app-main"
	prodCluster = "arn:aws:ecs:" + use1 + "cluster/prod"
	appService  = "arn:aws:ecs:" + use1 + "service/acme-app-main/web"
	otherSvc    = "arn:aws:ecs:" + use1 + "service/prod/payments"
	appTask     = "arn:aws:ecs:" + use1 + "task/acme-app-main/0a1b2c"
	otherTask   = "arn:aws:ecs:" + use1 + "task/prod/9f8e7d"
	appTaskDef  = "arn:aws:ecs:" + use1 + "task-definition/acme-app-web:3"
	otherTDef   = "arn:aws:ecs:" + use1 + "task-definition/payments:7"
	appDG       = "arn:aws:codedeploy:" + use1 + "deploymentgroup:acme-app-web/blue"
	otherDG     = "arn:aws:codedeploy:" + use1 + "deploymentgroup:payments/prod"
	appPipeline = "arn:aws:codepipeline:" + use1 + "acme-app-release"
	otherPipe   = "arn:aws:codepipeline:" + use1 + "platform-release"
	appLogs     = "arn:aws:logs:" + use1 + "log-group:/aws/lambda/acme-app-api"
	otherLogs   = "arn:aws:logs:" + use1 + "log-group:/aws/lambda/prod-payments"
	rdsLogs     = "arn:aws:logs:" + use1 + "log-group:/aws/rds/instance/prod-db/error"
	trailLogs   = "arn:aws:logs:" + use1 + "log-group:aws-cloudtrail-logs-org-trail"
	trail       = "arn:aws:cloudtrail:" + use1 + "trail/org-trail"
	eventStore  = "arn:aws:cloudtrail:" + use1 + "eventdatastore/ab12"
	trailBucket = "arn:aws:s3:::aws-cloudtrail-logs-" + acct + "-org-trail"
	trailObject = trailBucket + "/AWSLogs/" + acct + "/CloudTrail/us-east-1/2026/11/27/log.json.gz"
	auditAlarm  = "arn:aws:cloudwatch:" + use1 + "alarm:iambaseline-org-trail-root-usage"
	appAlarm    = "arn:aws:cloudwatch:" + use1 + "alarm:acme-app-api-errors"
	dbAlarm     = "arn:aws:cloudwatch:" + use1 + "alarm:prod-db-cpu"
	auditTopic  = "arn:aws:sns:" + use1 + "iambaseline-org-trail-alerts"
	appTopic    = "arn:aws:sns:" + use1 + "acme-app-events"
	appTable    = "arn:aws:dynamodb:" + use1 + "table/acme-app-orders"
	otherTable  = "arn:aws:dynamodb:" + use1 + "table/payments"
	appQueue    = "arn:aws:sqs:" + use1 + "acme-app-jobs"
	otherQueue  = "arn:aws:sqs:" + use1 + "payments-jobs"
	appSecret   = "arn:aws:secretsmanager:" + use1 + "secret:acme-app-db-AbCdEf"
	otherSecret = "arn:aws:secretsmanager:" + use1 + "secret:prod/payments/db-XyZ123"
	parameter   = "arn:aws:ssm:" + use1 + "parameter/prod/payments/db-password"
	kmsKey      = "arn:aws:kms:" + use1 + "key/1234abcd-12ab-34cd-56ef-1234567890ab"
	instance    = "arn:aws:ec2:" + use1 + "instance/i-0aaa"
	volume      = "arn:aws:ec2:" + use1 + "volume/vol-0aaa"
	snapshot    = "arn:aws:ec2:" + use1 + "snapshot/snap-0aaa"
	image       = "arn:aws:ec2:us-east-1::image/ami-0aaa"
	template    = "arn:aws:ec2:" + use1 + "launch-template/lt-0aaa"
	subnet      = "arn:aws:ec2:" + use1 + "subnet/subnet-0aaa"
	ssmDocument = "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"
	devObject   = "arn:aws:s3:::acme-dev-assets/site/index.html"
	devBucket   = "arn:aws:s3:::acme-dev-assets"
	prodObject  = "arn:aws:s3:::acme-prod-data/customers.csv"
	prodBucket  = "arn:aws:s3:::acme-prod-data"
	appRole     = "arn:aws:iam::" + acct + ":role/app/acme-app-api"
	adminRole   = "arn:aws:iam::" + acct + ":role/admin"
	ciRole      = "arn:aws:iam::" + acct + ":role/platform-deployer"
	rdsRole     = "arn:aws:iam::" + acct + ":role/rds-monitoring-role"
	selfUser    = "arn:aws:iam::" + acct + ":user/alice"
	otherUser   = "arn:aws:iam::" + acct + ":user/bob"
	otherMFA    = "arn:aws:iam::" + acct + ":mfa/bob"
	ownGroup    = "arn:aws:iam::" + acct + ":group/acme-Developers"
	adminGroup  = "arn:aws:iam::" + acct + ":group/Admins"
	anyPolicy   = "arn:aws:iam::" + acct + ":policy/acme-DevelopersPolicy"
	dbSnapshot  = "arn:aws:rds:" + use1 + "snapshot:prod-db-2026-11-27"
	clusterSnap = "arn:aws:rds:" + use1 + "cluster-snapshot:prod-aurora-2026-11-27"
	dbInstance  = "arn:aws:rds:" + use1 + "db:prod-db"
	autoBackup  = "arn:aws:rds:" + use1 + "auto-backup:ab-0aaa"
	recovery    = "arn:aws:backup:" + use1 + "recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45"
	vault       = "arn:aws:backup:" + use1 + "backup-vault:prod"
	backupPlan  = "arn:aws:backup:" + use1 + "backup-plan:plan-1"
	rdsSecret   = "arn:aws:secretsmanager:" + use1 + "secret:rds!db-0f1e2d3c-AbCdEf"
	dbSG        = "arn:aws:ec2:" + use1 + "security-group/sg-0db"
	hostedZone  = "arn:aws:route53:::hostedzone/Z0123456789ABC"
	patchDoc    = "arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline"
	sessionDoc  = "arn:aws:ssm:" + use1 + "document/SSM-SessionManagerRunShell"
)

// Request contexts: an app resource carries the app tag; a new one is created with it.
var (
	appTagged  = []string{"aws:ResourceTag/" + DefaultAppScopeTagKey, "acme-app"}
	createsApp = []string{"aws:RequestTag/" + DefaultAppScopeTagKey, "acme-app", "aws:TagKeys", DefaultAppScopeTagKey}
	ownImage   = []string{"ec2:Owner", acct}
)

type proofCase struct {
	what, action, resource string
	ctx                    map[string]string
	// also are the other resources the request names: IAM allows it only if every one is allowed
	// (ssm:SendCommand names the instance and the document, ec2:CreateSnapshot the volume and the
	// new snapshot).
	also []string
}

// and adds the other resources of a request to a case.
func (c proofCase) and(resources ...string) proofCase {
	c.also = append(slices.Clone(c.also), resources...)
	return c
}

// allowedIn evaluates the case: every resource it names must be allowed.
func (c proofCase) allowedIn(docs []PolicyDocument, ctx map[string]string) bool {
	for _, r := range append([]string{c.resource}, c.also...) {
		if !allowsWith(docs, c.action, r, ctx) {
			return false
		}
	}
	return true
}

func (c proofCase) resources() string {
	return strings.Join(append([]string{c.resource}, c.also...), " + ")
}

func pc(what, action, resource string, kv ...string) proofCase {
	c := proofCase{what: what, action: action, resource: resource, ctx: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		c.ctx[kv[i]] = kv[i+1]
	}
	return c
}

func with(kv ...[]string) []string { return slices.Concat(kv...) }

// catalogue is what no member of any group can do: the public escalation catalogues (Rhino
// Security Labs' IAM privilege escalation methods and the later additions collected on
// pathfinding.cloud) written as single requests, plus exfiltration and erasure.
var catalogue = []proofCase{
	// IAM rewrites.
	pc("new default version of a managed policy (CreatePolicyVersion)", "iam:CreatePolicyVersion", anyPolicy),
	pc("switch a policy to an older version (SetDefaultPolicyVersion)", "iam:SetDefaultPolicyVersion", anyPolicy),
	pc("attach AdministratorAccess to oneself (AttachUserPolicy)", "iam:AttachUserPolicy", selfUser),
	pc("attach a policy to one's group (AttachGroupPolicy)", "iam:AttachGroupPolicy", ownGroup),
	pc("attach a policy to a role (AttachRolePolicy)", "iam:AttachRolePolicy", adminRole),
	pc("inline policy on oneself (PutUserPolicy)", "iam:PutUserPolicy", selfUser),
	pc("inline policy on one's group (PutGroupPolicy)", "iam:PutGroupPolicy", ownGroup),
	pc("inline policy on a role (PutRolePolicy)", "iam:PutRolePolicy", appRole),
	pc("remove the MFA policy from one's group (DetachGroupPolicy)", "iam:DetachGroupPolicy", ownGroup),
	pc("delete a group's inline policy (DeleteGroupPolicy)", "iam:DeleteGroupPolicy", ownGroup),
	pc("join the admin group (AddUserToGroup)", "iam:AddUserToGroup", adminGroup),
	pc("trust oneself in a role (UpdateAssumeRolePolicy)", "iam:UpdateAssumeRolePolicy", adminRole),
	pc("create a role (CreateRole)", "iam:CreateRole", appRole),
	pc("remove one's permissions boundary (DeleteUserPermissionsBoundary)", "iam:DeleteUserPermissionsBoundary", selfUser),
	pc("remove a role's permissions boundary (DeleteRolePermissionsBoundary)", "iam:DeleteRolePermissionsBoundary", appRole),
	pc("replace a role's permissions boundary (PutRolePermissionsBoundary)", "iam:PutRolePermissionsBoundary", appRole),
	pc("access key for another user (CreateAccessKey)", "iam:CreateAccessKey", otherUser),
	pc("console password for another user (CreateLoginProfile)", "iam:CreateLoginProfile", otherUser),
	pc("reset another user's password (UpdateLoginProfile)", "iam:UpdateLoginProfile", otherUser),
	pc("reactivate another user's key (UpdateAccessKey)", "iam:UpdateAccessKey", otherUser),
	pc("Git credentials for another user (CreateServiceSpecificCredential)", "iam:CreateServiceSpecificCredential", otherUser),
	pc("turn off another user's MFA (DeactivateMFADevice)", "iam:DeactivateMFADevice", otherUser),
	pc("delete another user's MFA device (DeleteVirtualMFADevice)", "iam:DeleteVirtualMFADevice", otherMFA),
	pc("enrol a device for another user (EnableMFADevice)", "iam:EnableMFADevice", otherUser),
	pc("change the password policy (UpdateAccountPasswordPolicy)", "iam:UpdateAccountPasswordPolicy", "*"),
	pc("add a role to an instance profile (AddRoleToInstanceProfile)", "iam:AddRoleToInstanceProfile", "arn:aws:iam::"+acct+":instance-profile/prod"),
	pc("pass an administrator role to a service (PassRole)", "iam:PassRole", adminRole),
	pc("pass the CI role to a service (PassRole)", "iam:PassRole", ciRole),
	pc("assume any role (sts:AssumeRole)", "sts:AssumeRole", adminRole),
	// Changing what already runs as another role.
	pc("new code in another function (UpdateFunctionCode)", "lambda:UpdateFunctionCode", otherFn),
	pc("new layers or role for another function (UpdateFunctionConfiguration)", "lambda:UpdateFunctionConfiguration", otherFn),
	pc("invoke permission on another function (AddPermission)", "lambda:AddPermission", otherFn),
	pc("event source into another function (CreateEventSourceMapping)", "lambda:CreateEventSourceMapping", "*", "lambda:FunctionArn", otherFn),
	pc("build with a buildspec override on the CI project (StartBuild)", "codebuild:StartBuild", ciProject),
	pc("rewrite the CI project (UpdateProject)", "codebuild:UpdateProject", ciProject),
	pc("deploy to another deployment group (CreateDeployment)", "codedeploy:CreateDeployment", otherDG),
	pc("rewrite another pipeline (UpdatePipeline)", "codepipeline:UpdatePipeline", otherPipe),
	pc("push over another repository's tag (PutImage)", "ecr:PutImage", otherRepo),
	pc("point another service at new code (UpdateService)", "ecs:UpdateService", otherSvc),
	pc("run another team's task definition (RunTask)", "ecs:RunTask", otherTDef, "ecs:cluster", prodCluster),
	pc("shell into another task (ExecuteCommand)", "ecs:ExecuteCommand", otherTask, "ecs:cluster", prodCluster),
	pc("new revision of another task family (RegisterTaskDefinition)", "ecs:RegisterTaskDefinition", otherTDef),
	pc("rewrite an untagged instance's user data (ModifyInstanceAttribute)", "ec2:ModifyInstanceAttribute", instance),
	pc("new version of an untagged launch template (CreateLaunchTemplateVersion)", "ec2:CreateLaunchTemplateVersion", template),
	pc("new default of an untagged launch template (ModifyLaunchTemplate)", "ec2:ModifyLaunchTemplate", template),
	pc("swap an untagged instance's profile (ReplaceIamInstanceProfileAssociation)", "ec2:ReplaceIamInstanceProfileAssociation", instance),
	pc("give an untagged instance a profile (AssociateIamInstanceProfile)", "ec2:AssociateIamInstanceProfile", instance),
	pc("run a command on an instance (ssm:SendCommand)", "ssm:SendCommand", instance),
	pc("run a command with a shell document (ssm:SendCommand)", "ssm:SendCommand", ssmDocument),
	pc("shell on an instance (ssm:StartSession)", "ssm:StartSession", instance),
	pc("push an SSH key to an untagged instance (SendSSHPublicKey)", "ec2-instance-connect:SendSSHPublicKey", instance),
	pc("serial console on an instance (SendSerialConsoleSSHPublicKey)", "ec2-instance-connect:SendSerialConsoleSSHPublicKey", instance),
	pc("move an instance into the app scope (CreateTags, app tag)", "ec2:CreateTags", instance, "aws:TagKeys", DefaultAppScopeTagKey, "aws:RequestTag/"+DefaultAppScopeTagKey, "acme-app"),
	pc("change an app instance's scope tag (CreateTags)", "ec2:CreateTags", instance, with(appTagged, []string{"aws:TagKeys", DefaultAppScopeTagKey})...),
	pc("remove the app tag (DeleteTags)", "ec2:DeleteTags", instance, with(appTagged, []string{"aws:TagKeys", DefaultAppScopeTagKey})...),
	pc("remove every tag (DeleteTags without keys)", "ec2:DeleteTags", instance, appTagged...),
	pc("stack running as any role (cloudformation:CreateStack)", "cloudformation:CreateStack", "arn:aws:cloudformation:"+use1+"stack/x/*"),
	pc("Glue endpoint as a Glue role (glue:CreateDevEndpoint)", "glue:CreateDevEndpoint", "*"),
	pc("SSH key on a Glue endpoint (glue:UpdateDevEndpoint)", "glue:UpdateDevEndpoint", "*"),
	pc("notebook as a SageMaker role (sagemaker:CreateNotebookInstance)", "sagemaker:CreateNotebookInstance", "*"),
	pc("Data Pipeline as any role (datapipeline:CreatePipeline)", "datapipeline:CreatePipeline", "*"),
	pc("state machine as any role (states:CreateStateMachine)", "states:CreateStateMachine", "*"),
	// Copying other systems' data.
	pc("copy an untagged volume into an app snapshot (CreateSnapshot)", "ec2:CreateSnapshot", volume, createsApp...).and(snapshot),
	pc("move an untagged snapshot into the app scope (CreateTags, app tag)", "ec2:CreateTags", snapshot, "aws:TagKeys", DefaultAppScopeTagKey, "aws:RequestTag/"+DefaultAppScopeTagKey, "acme-app"),
	pc("copy an untagged snapshot into an app snapshot (CopySnapshot)", "ec2:CopySnapshot", snapshot, createsApp...),
	pc("image of an untagged instance (CreateImage)", "ec2:CreateImage", instance),
	pc("volume from an untagged snapshot (CreateVolume)", "ec2:CreateVolume", snapshot),
	pc("attach an untagged volume (AttachVolume)", "ec2:AttachVolume", volume),
	pc("launch from this account's untagged image (RunInstances)", "ec2:RunInstances", image, ownImage...),
	pc("share an untagged snapshot (ModifySnapshotAttribute)", "ec2:ModifySnapshotAttribute", snapshot),
	pc("publish an untagged image (ModifyImageAttribute)", "ec2:ModifyImageAttribute", image),
	pc("share a DB snapshot (ModifyDBSnapshotAttribute)", "rds:ModifyDBSnapshotAttribute", dbSnapshot),
	pc("share a cluster snapshot (ModifyDBClusterSnapshotAttribute)", "rds:ModifyDBClusterSnapshotAttribute", clusterSnap),
	pc("export a snapshot to S3 (StartExportTask)", "rds:StartExportTask", dbSnapshot),
	pc("copy a recovery point to another account (StartCopyJob)", "backup:StartCopyJob", recovery),
	// Reading other systems' secrets and data.
	pc("another system's secret (GetSecretValue)", "secretsmanager:GetSecretValue", otherSecret),
	pc("a SecureString parameter (GetParameter)", "ssm:GetParameter", parameter),
	pc("parameters by path (GetParametersByPath)", "ssm:GetParametersByPath", parameter),
	pc("decrypt with any key (kms:Decrypt)", "kms:Decrypt", kmsKey),
	pc("another function's code (GetFunction)", "lambda:GetFunction", otherFn),
	pc("the CI project's environment (BatchGetProjects)", "codebuild:BatchGetProjects", ciProject),
	pc("pull another repository's image (BatchGetImage)", "ecr:BatchGetImage", otherRepo),
	pc("an object outside the developer buckets (GetObject)", "s3:GetObject", prodObject),
	pc("another table's items (Scan)", "dynamodb:Scan", otherTable),
	pc("another queue's messages (ReceiveMessage)", "sqs:ReceiveMessage", otherQueue),
	pc("an instance's Windows password (GetPasswordData)", "ec2:GetPasswordData", instance),
	// Erasing backups.
	pc("delete a recovery point (DeleteRecoveryPoint)", "backup:DeleteRecoveryPoint", recovery),
	pc("delete a vault (DeleteBackupVault)", "backup:DeleteBackupVault", vault),
	pc("loosen a vault policy (PutBackupVaultAccessPolicy)", "backup:PutBackupVaultAccessPolicy", vault),
	pc("remove a vault policy (DeleteBackupVaultAccessPolicy)", "backup:DeleteBackupVaultAccessPolicy", vault),
	pc("remove a vault lock (DeleteBackupVaultLockConfiguration)", "backup:DeleteBackupVaultLockConfiguration", vault),
	pc("shorten a recovery point's retention (UpdateRecoveryPointLifecycle)", "backup:UpdateRecoveryPointLifecycle", recovery),
	pc("rewrite a backup plan's retention and copies (UpdateBackupPlan)", "backup:UpdateBackupPlan", backupPlan),
	pc("delete a backup plan (DeleteBackupPlan)", "backup:DeleteBackupPlan", backupPlan),
	pc("delete a DB snapshot (DeleteDBSnapshot)", "rds:DeleteDBSnapshot", dbSnapshot),
	pc("delete a cluster snapshot (DeleteDBClusterSnapshot)", "rds:DeleteDBClusterSnapshot", clusterSnap),
	pc("delete automated backups (DeleteDBInstanceAutomatedBackup)", "rds:DeleteDBInstanceAutomatedBackup", autoBackup),
	pc("delete an untagged EBS snapshot (DeleteSnapshot)", "ec2:DeleteSnapshot", snapshot),
	// Blinding the audit.
	pc("stop the trail (StopLogging)", "cloudtrail:StopLogging", trail),
	pc("delete the trail (DeleteTrail)", "cloudtrail:DeleteTrail", trail),
	pc("redirect the trail (UpdateTrail)", "cloudtrail:UpdateTrail", trail),
	pc("drop events (PutEventSelectors)", "cloudtrail:PutEventSelectors", trail),
	pc("drop insights (PutInsightSelectors)", "cloudtrail:PutInsightSelectors", trail),
	pc("delete an event data store (DeleteEventDataStore)", "cloudtrail:DeleteEventDataStore", eventStore),
	pc("delete the trail's log group (DeleteLogGroup)", "logs:DeleteLogGroup", trailLogs),
	pc("delete a log stream of the trail (DeleteLogStream)", "logs:DeleteLogStream", trailLogs+":log-stream:x"),
	pc("shorten the trail logs' retention (PutRetentionPolicy)", "logs:PutRetentionPolicy", trailLogs),
	pc("stream the trail logs out (PutSubscriptionFilter)", "logs:PutSubscriptionFilter", trailLogs),
	pc("export the trail logs (CreateExportTask)", "logs:CreateExportTask", trailLogs),
	pc("delete an alert's metric filter (DeleteMetricFilter)", "logs:DeleteMetricFilter", trailLogs),
	pc("rewrite an alert's metric filter (PutMetricFilter)", "logs:PutMetricFilter", trailLogs),
	pc("forge trail log events (PutLogEvents)", "logs:PutLogEvents", trailLogs+":log-stream:x"),
	pc("remove the logs' KMS key (DisassociateKmsKey)", "logs:DisassociateKmsKey", trailLogs),
	pc("delete an audit alarm (DeleteAlarms)", "cloudwatch:DeleteAlarms", auditAlarm),
	pc("rewrite an audit alarm (PutMetricAlarm)", "cloudwatch:PutMetricAlarm", auditAlarm),
	pc("silence an audit alarm (DisableAlarmActions)", "cloudwatch:DisableAlarmActions", auditAlarm),
	pc("reset an audit alarm (SetAlarmState)", "cloudwatch:SetAlarmState", auditAlarm),
	pc("delete the alert topic (DeleteTopic)", "sns:DeleteTopic", auditTopic),
	pc("rewrite the alert topic (SetTopicAttributes)", "sns:SetTopicAttributes", auditTopic),
	pc("subscribe to the alert topic (Subscribe)", "sns:Subscribe", auditTopic),
	pc("unsubscribe the responders (Unsubscribe)", "sns:Unsubscribe", auditTopic+":0b1c"),
	pc("delete trail log files (DeleteObject)", "s3:DeleteObject", trailObject),
	pc("forge trail log files (PutObject)", "s3:PutObject", trailObject),
	pc("open the trail bucket (PutBucketPolicy)", "s3:PutBucketPolicy", trailBucket),
	pc("expire the trail logs (PutLifecycleConfiguration)", "s3:PutLifecycleConfiguration", trailBucket),
	pc("delete the trail bucket (DeleteBucket)", "s3:DeleteBucket", trailBucket),
	// The account.
	pc("leave the organization (LeaveOrganization)", "organizations:LeaveOrganization", "*"),
	pc("change the account's contacts (PutAlternateContact)", "account:PutAlternateContact", "*"),
}

type proofTable struct {
	can, cannot []proofCase
}

var proofTables = map[string]proofTable{
	RoleDevelopers: {
		can: []proofCase{
			pc("create an app function", "lambda:CreateFunction", appFn),
			pc("deploy app function code", "lambda:UpdateFunctionCode", appFn),
			pc("configure an app function", "lambda:UpdateFunctionConfiguration", appFn),
			pc("invoke an app function", "lambda:InvokeFunction", appFn),
			pc("read an app function's code", "lambda:GetFunction", appFn),
			pc("connect a queue to an app function", "lambda:CreateEventSourceMapping", "*", "lambda:FunctionArn", appFn),
			pc("find the app's functions by tag (tag:GetResources)", "tag:GetResources", "*"),
			pc("give a function an app role", "iam:PassRole", appRole, "iam:PassedToService", "lambda.amazonaws.com"),
			pc("give a task an app role", "iam:PassRole", appRole, "iam:PassedToService", "ecs-tasks.amazonaws.com"),
			pc("read roles to pick one", "iam:GetRole", adminRole),
			pc("create an app repository", "ecr:CreateRepository", appRepo),
			pc("push an app image", "ecr:PutImage", appRepo),
			pc("pull an app image", "ecr:BatchGetImage", appRepo),
			pc("log in to ECR", "ecr:GetAuthorizationToken", "*"),
			pc("create an app cluster", "ecs:CreateCluster", appCluster),
			pc("register an app task definition", "ecs:RegisterTaskDefinition", appTaskDef),
			pc("create an app service", "ecs:CreateService", appService, "ecs:cluster", appCluster, "ecs:task-definition", appTaskDef),
			pc("deploy an app service", "ecs:UpdateService", appService, "ecs:cluster", appCluster, "ecs:task-definition", appTaskDef),
			pc("scale an app service", "ecs:UpdateService", appService, "ecs:cluster", appCluster),
			pc("run an app task in an app cluster", "ecs:RunTask", appTaskDef, "ecs:cluster", appCluster),
			pc("shell into an app task", "ecs:ExecuteCommand", appTask, "ecs:cluster", appCluster),
			pc("create an app build project", "codebuild:CreateProject", appProject),
			pc("run an app build", "codebuild:StartBuild", appProject),
			pc("create an app CodeDeploy application", "codedeploy:CreateApplication", "arn:aws:codedeploy:"+use1+"application:acme-app-web"),
			pc("deploy to an app deployment group", "codedeploy:CreateDeployment", appDG),
			pc("see deployments", "codedeploy:GetDeployment", "*"),
			pc("create an app pipeline", "codepipeline:CreatePipeline", appPipeline),
			pc("release an app pipeline", "codepipeline:StartPipelineExecution", appPipeline),
			pc("create an app log group", "logs:CreateLogGroup", appLogs),
			pc("read app logs", "logs:FilterLogEvents", appLogs),
			pc("read metrics", "cloudwatch:GetMetricData", "*"),
			pc("create an app alarm", "cloudwatch:PutMetricAlarm", appAlarm),
			pc("create an app table", "dynamodb:CreateTable", appTable),
			pc("read app items", "dynamodb:Query", appTable),
			pc("create an app queue", "sqs:CreateQueue", appQueue),
			pc("receive app messages", "sqs:ReceiveMessage", appQueue),
			pc("publish to an app topic", "sns:Publish", appTopic),
			pc("create an app secret", "secretsmanager:CreateSecret", appSecret),
			pc("read an app secret", "secretsmanager:GetSecretValue", appSecret),
			pc("list buckets", "s3:ListAllMyBuckets", "*"),
			pc("locate a bucket", "s3:GetBucketLocation", devBucket),
			pc("write to a developer bucket", "s3:PutObject", devObject),
			pc("read from a developer bucket", "s3:GetObject", devObject),
			pc("launch an app instance", "ec2:RunInstances", instance, createsApp...),
			pc("launch into a subnet", "ec2:RunInstances", subnet),
			pc("launch from a public image", "ec2:RunInstances", image, "ec2:Owner", "amazon"),
			pc("launch from an app image", "ec2:RunInstances", image, with(ownImage, appTagged)...),
			pc("tag an instance at launch", "ec2:CreateTags", instance, with(createsApp, []string{"ec2:CreateAction", "RunInstances"})...),
			pc("stop an app instance", "ec2:StopInstances", instance, appTagged...),
			pc("change an app instance's user data", "ec2:ModifyInstanceAttribute", instance, appTagged...),
			pc("snapshot an app volume", "ec2:CreateSnapshot", volume, appTagged...),
			pc("tagged snapshot of an app volume", "ec2:CreateSnapshot", snapshot, createsApp...),
			pc("new launch template version of an app template", "ec2:CreateLaunchTemplateVersion", template, appTagged...),
			pc("SSH into an app instance", "ec2-instance-connect:SendSSHPublicKey", instance, appTagged...),
			pc("see instances", "ec2:DescribeInstances", "*"),
		},
		cannot: []proofCase{
			pc("pass an app role to a service the app does not use (Glue)", "iam:PassRole", appRole, "iam:PassedToService", "glue.amazonaws.com"),
			pc("pass an app role to a SageMaker notebook", "iam:PassRole", appRole, "iam:PassedToService", "sagemaker.amazonaws.com"),
			pc("snapshot an untagged volume (CreateSnapshot)", "ec2:CreateSnapshot", volume).and(snapshot),
			pc("launch an untagged instance", "ec2:RunInstances", instance),
			pc("stop an untagged instance", "ec2:StopInstances", instance),
			pc("create a VPC", "ec2:CreateVpc", "*"),
			pc("open a security group", "ec2:AuthorizeSecurityGroupIngress", "*"),
			pc("create a load balancer", "elasticloadbalancing:CreateLoadBalancer", "*"),
			pc("create a deployment group (it picks target instances by tag)", "codedeploy:CreateDeploymentGroup", appDG),
			pc("point an app service at another task definition", "ecs:UpdateService", appService, "ecs:cluster", appCluster, "ecs:task-definition", otherTDef),
			pc("run an app task in another cluster", "ecs:RunTask", appTaskDef, "ecs:cluster", prodCluster),
			pc("read another function's environment", "lambda:GetFunctionConfiguration", otherFn),
			pc("read another system's logs", "logs:FilterLogEvents", otherLogs),
			pc("write outside the developer buckets", "s3:PutObject", prodObject),
			pc("open a developer bucket (PutBucketPolicy)", "s3:PutBucketPolicy", devBucket),
			pc("create an RDS database", "rds:CreateDBInstance", dbInstance),
			pc("start a backup job", "backup:StartBackupJob", "*"),
		},
	},
	RoleSysAdmins: {
		can: []proofCase{
			pc("launch any instance", "ec2:RunInstances", instance),
			pc("launch from a public image", "ec2:RunInstances", image, "ec2:Owner", "amazon"),
			pc("stop any instance", "ec2:StopInstances", instance),
			pc("reboot any instance", "ec2:RebootInstances", instance),
			pc("terminate any instance", "ec2:TerminateInstances", instance),
			pc("tag any instance", "ec2:CreateTags", instance, "aws:TagKeys", "Name"),
			pc("read an app instance's console", "ec2:GetConsoleOutput", instance, appTagged...),
			pc("change an app instance's user data", "ec2:ModifyInstanceAttribute", instance, appTagged...),
			pc("new version of an app launch template", "ec2:CreateLaunchTemplateVersion", template, appTagged...),
			pc("create a VPC", "ec2:CreateVpc", "*"),
			pc("create a subnet", "ec2:CreateSubnet", "*"),
			pc("open a security group", "ec2:AuthorizeSecurityGroupIngress", "*"),
			pc("create a NAT gateway", "ec2:CreateNatGateway", "*"),
			pc("create a load balancer", "elasticloadbalancing:CreateLoadBalancer", "*"),
			pc("change an auto scaling group", "autoscaling:UpdateAutoScalingGroup", "*"),
			pc("create an alarm", "cloudwatch:PutMetricAlarm", dbAlarm),
			pc("delete an alarm", "cloudwatch:DeleteAlarms", dbAlarm),
			pc("read any system's logs", "logs:FilterLogEvents", otherLogs),
			pc("read the trail's logs", "logs:FilterLogEvents", trailLogs),
			pc("query the trail's logs", "logs:StartQuery", trailLogs),
			pc("set an app log group's retention", "logs:PutRetentionPolicy", otherLogs),
			pc("see managed instances", "ssm:DescribeInstanceInformation", "*"),
			pc("give compute an app role", "iam:PassRole", appRole),
			pc("patch an app instance (Run Command, AWS-RunPatchBaseline)", "ssm:SendCommand", instance, appTagged...).and(patchDoc),
			pc("re-run a patch association on any instance (StartAssociationsOnce)", "ssm:StartAssociationsOnce", "arn:aws:ssm:"+use1+"association/0a1b2c3d"),
			pc("Session Manager shell on an app instance", "ssm:StartSession", instance, appTagged...).and(sessionDoc),
			pc("end one's own session", "ssm:TerminateSession", "arn:aws:ssm:"+use1+"session/alice-0a1b2c3d4e"),
			pc("resize any volume (ModifyVolume)", "ec2:ModifyVolume", volume),
			pc("change any instance's type", "ec2:ModifyInstanceAttribute", instance, "ec2:Attribute", "instanceType"),
			pc("snapshot any volume, untagged (CreateSnapshot)", "ec2:CreateSnapshot", volume).and(snapshot),
			pc("attach an app volume to an app instance", "ec2:AttachVolume", volume, appTagged...).and(instance),
			pc("request a certificate (ACM)", "acm:RequestCertificate", "*"),
			pc("change A, AAAA and CNAME records (Route 53)", "route53:ChangeResourceRecordSets", hostedZone, "route53:ChangeResourceRecordSetsRecordTypes", "A"+evalMulti+"CNAME"),
			pc("create the Auto Scaling service-linked role", "iam:CreateServiceLinkedRole", "*", "iam:AWSServiceName", "autoscaling.amazonaws.com"),
			pc("create the ELB service-linked role", "iam:CreateServiceLinkedRole", "*", "iam:AWSServiceName", "elasticloadbalancing.amazonaws.com"),
		},
		cannot: []proofCase{
			pc("patch an untagged instance with Run Command (BaselineOverride can name package sources)", "ssm:SendCommand", instance).and(patchDoc),
			pc("run a shell document on an app instance", "ssm:SendCommand", instance, appTagged...).and(ssmDocument),
			pc("run the patch document with hooks (they run any document)", "ssm:SendCommand", instance, appTagged...).and("arn:aws:ssm:us-east-1::document/AWS-RunPatchBaselineWithHooks"),
			pc("port forwarding through an app instance", "ssm:StartSession", instance, appTagged...).and("arn:aws:ssm:us-east-1::document/AWS-StartPortForwardingSessionToRemoteHost"),
			pc("end another person's session", "ssm:TerminateSession", "arn:aws:ssm:"+use1+"session/bob-0a1b2c3d4e"),
			pc("rewrite an untagged instance's user data (ec2:Attribute userData)", "ec2:ModifyInstanceAttribute", instance, "ec2:Attribute", "userData"),
			pc("change MX records (root password recovery by email)", "route53:ChangeResourceRecordSets", hostedZone, "route53:ChangeResourceRecordSetsRecordTypes", "A"+evalMulti+"MX"),
			pc("change NS records", "route53:ChangeResourceRecordSets", hostedZone, "route53:ChangeResourceRecordSetsRecordTypes", "NS"),
			pc("change TXT records (domain verification)", "route53:ChangeResourceRecordSets", hostedZone, "route53:ChangeResourceRecordSetsRecordTypes", "TXT"),
			pc("create another service-linked role", "iam:CreateServiceLinkedRole", "*", "iam:AWSServiceName", "rds.amazonaws.com"),
			pc("export a certificate's private key (ExportCertificate)", "acm:ExportCertificate", "arn:aws:acm:"+use1+"certificate/0a1b"),
			pc("read an instance's console screenshot", "ec2:GetConsoleScreenshot", instance),
			pc("read another function's environment", "lambda:GetFunctionConfiguration", otherFn),
			pc("create an RDS database", "rds:CreateDBInstance", dbInstance),
			pc("write to a bucket", "s3:PutObject", devObject),
		},
	},
	RoleDatabaseAdmins: {
		can: []proofCase{
			pc("create a database", "rds:CreateDBInstance", dbInstance),
			pc("modify a database", "rds:ModifyDBInstance", dbInstance),
			pc("create a cluster", "rds:CreateDBCluster", "arn:aws:rds:"+use1+"cluster:prod-aurora"),
			pc("change a parameter group", "rds:ModifyDBParameterGroup", "arn:aws:rds:"+use1+"pg:prod"),
			pc("snapshot a database", "rds:CreateDBSnapshot", dbSnapshot),
			pc("snapshot a cluster", "rds:CreateDBClusterSnapshot", clusterSnap),
			pc("copy a snapshot", "rds:CopyDBSnapshot", dbSnapshot),
			pc("restore from a snapshot", "rds:RestoreDBInstanceFromDBSnapshot", dbInstance),
			pc("restore to a point in time", "rds:RestoreDBInstanceToPointInTime", dbInstance),
			pc("read RDS log files", "rds:DownloadDBLogFilePortion", dbInstance),
			pc("read RDS logs in CloudWatch", "logs:GetLogEvents", rdsLogs),
			pc("start a backup job", "backup:StartBackupJob", vault),
			pc("restore a recovery point", "backup:StartRestoreJob", recovery),
			pc("add a database to a backup plan", "backup:CreateBackupSelection", backupPlan),
			pc("list recovery points", "backup:ListRecoveryPointsByBackupVault", vault),
			pc("see Performance Insights", "pi:GetResourceMetrics", "arn:aws:pi:"+use1+"metrics/rds/db-ABCDEFGHIJKL"),
			pc("read metrics", "cloudwatch:GetMetricData", "*"),
			pc("create a database alarm", "cloudwatch:PutMetricAlarm", dbAlarm),
			pc("pass the RDS monitoring role", "iam:PassRole", rdsRole),
			pc("create the RDS service-linked role", "iam:CreateServiceLinkedRole", "*", "iam:AWSServiceName", "rds.amazonaws.com"),
			pc("let RDS use a customer managed key to restore or copy a snapshot (CreateGrant)", "kms:CreateGrant", kmsKey, "kms:ViaService", "rds.us-east-1.amazonaws.com", "kms:GrantIsForAWSResource", "true"),
			pc("decrypt a CMK-encrypted snapshot through RDS", "kms:Decrypt", kmsKey, "kms:ViaService", "rds.us-east-1.amazonaws.com"),
			pc("re-encrypt a snapshot copy through RDS", "kms:ReEncryptFrom", kmsKey, "kms:ViaService", "rds.us-east-1.amazonaws.com"),
			pc("create an RDS-managed master user secret", "secretsmanager:CreateSecret", rdsSecret),
			pc("rotate an RDS-managed master user secret", "secretsmanager:RotateSecret", rdsSecret),
			pc("read an RDS-managed master password", "secretsmanager:GetSecretValue", rdsSecret),
			pc("connect as one's own database user (IAM database auth)", "rds-db:connect", "arn:aws:rds-db:"+use1+"dbuser:db-ABCDEFGHIJKL/alice"),
			pc("create a database security group", "ec2:CreateSecurityGroup", dbSG, "aws:RequestTag/"+DatabaseSecurityGroupTagKey, "true", "aws:TagKeys", DatabaseSecurityGroupTagKey),
			pc("tag a database security group at creation", "ec2:CreateTags", dbSG, "ec2:CreateAction", "CreateSecurityGroup", "aws:RequestTag/"+DatabaseSecurityGroupTagKey, "true"),
			pc("open the database port in a database security group", "ec2:AuthorizeSecurityGroupIngress", dbSG, "aws:ResourceTag/"+DatabaseSecurityGroupTagKey, "true"),
			pc("close a port of a database security group", "ec2:RevokeSecurityGroupIngress", dbSG, "aws:ResourceTag/"+DatabaseSecurityGroupTagKey, "true"),
		},
		cannot: []proofCase{
			pc("create another service-linked role", "iam:CreateServiceLinkedRole", "*", "iam:AWSServiceName", "ec2.amazonaws.com"),
			pc("pass an app role", "iam:PassRole", appRole),
			pc("read application logs", "logs:GetLogEvents", appLogs),
			pc("launch an instance", "ec2:RunInstances", instance),
			pc("create a backup plan (sets retention and copies)", "backup:CreateBackupPlan", backupPlan),
			pc("delete cluster automated backups", "rds:DeleteDBClusterAutomatedBackup", autoBackup),
			pc("grant a key to a principal (CreateGrant, not through RDS)", "kms:CreateGrant", kmsKey, "kms:GrantIsForAWSResource", "true"),
			pc("grant a key through RDS to a non-AWS resource (CreateGrant)", "kms:CreateGrant", kmsKey, "kms:ViaService", "rds.us-east-1.amazonaws.com", "kms:GrantIsForAWSResource", "false"),
			pc("decrypt through another service", "kms:Decrypt", kmsKey, "kms:ViaService", "s3.us-east-1.amazonaws.com"),
			pc("read an app secret", "secretsmanager:GetSecretValue", appSecret),
			pc("connect as another database user (IAM database auth)", "rds-db:connect", "arn:aws:rds-db:"+use1+"dbuser:db-ABCDEFGHIJKL/admin"),
			pc("open an untagged security group", "ec2:AuthorizeSecurityGroupIngress", dbSG),
			pc("tag an existing security group for databases (CreateTags)", "ec2:CreateTags", dbSG, "aws:RequestTag/"+DatabaseSecurityGroupTagKey, "true", "aws:TagKeys", DatabaseSecurityGroupTagKey),
			pc("create an untagged security group", "ec2:CreateSecurityGroup", dbSG),
		},
	},
	RoleReadOnly: {
		can: []proofCase{
			pc("see instances", "ec2:DescribeInstances", "*"),
			pc("list users", "iam:ListUsers", "*"),
			pc("see databases", "rds:DescribeDBInstances", "*"),
			pc("list buckets", "s3:ListAllMyBuckets", "*"),
			pc("read a bucket's policy", "s3:GetBucketPolicy", prodBucket),
			pc("read metrics", "cloudwatch:GetMetricData", "*"),
			pc("look up trail events", "cloudtrail:LookupEvents", "*"),
			pc("see the trail's status", "cloudtrail:GetTrailStatus", trail),
			pc("see log groups", "logs:DescribeLogGroups", "*"),
			pc("list secrets (names only)", "secretsmanager:ListSecrets", "*"),
			pc("see API Gateway stages", "apigateway:GET", "arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod"),
			pc("read costs and usage (Cost Explorer)", "ce:GetCostAndUsage", "*"),
			pc("read the cost forecast (Cost Explorer)", "ce:GetCostForecast", "*"),
			pc("see cost anomalies (Cost Explorer)", "ce:GetAnomalies", "*"),
		},
		cannot: []proofCase{
			pc("read application logs", "logs:GetLogEvents", appLogs),
			pc("read an app secret", "secretsmanager:GetSecretValue", appSecret),
			pc("read an object", "s3:GetObject", devObject),
			pc("read API keys", "apigateway:GET", "arn:aws:apigateway:us-east-1::/apikeys"),
			pc("write anything", "ec2:RunInstances", instance),
			pc("change Cost Explorer preferences", "ce:UpdatePreferences", "*"),
			pc("create a cost anomaly monitor", "ce:CreateAnomalyMonitor", "*"),
		},
	},
}

// proofContexts are the sign-in states a case is evaluated in.
var proofContexts = []struct {
	name      string
	overrides map[string]string
}{
	{"mfa+in-region", nil},
	{"mfa+eu-west-1", map[string]string{"aws:RequestedRegion": "eu-west-1"}},
	{"no-mfa", map[string]string{"aws:MultiFactorAuthPresent": "false"}},
	{"no-mfa-key", map[string]string{"aws:MultiFactorAuthPresent": ""}},
	{"mfa+outside", map[string]string{"aws:RequestedRegion": "ap-southeast-2"}},
}

// regionExempt reports whether an action is exempt from the region restriction.
func regionExempt(action string) bool {
	return evalAnyMatch(RegionExemptActions(), action, true, nil)
}

func TestProofTables(t *testing.T) {
	mfa := MFAPolicy(true)
	for _, key := range RoleKeys() {
		t.Run(key, func(t *testing.T) {
			// What a member works under: the group's parts, the MFA policy and the guardrail policy.
			docs := append(mustGuarded(t, key, proofOptions), mfa)
			table := proofTables[key]
			var out strings.Builder
			fmt.Fprintf(&out, "# %s: what a member can and cannot do (generated by TestProofTables; options: name_prefix acme-, allowed_regions eu-west-1 us-east-1, developer bucket acme-dev-*)\n", key)
			fmt.Fprintf(&out, "# columns: %s\n", strings.Join(proofContextNames(), " | "))
			can, cannot := 0, 0
			check := func(kind string, c proofCase, job bool) {
				var cols []string
				for _, pctx := range proofContexts {
					got := c.allowedIn(docs, mergedContext(c.ctx, pctx.overrides))
					want := false
					if job {
						switch pctx.name {
						case "mfa+in-region", "mfa+eu-west-1":
							want = true
						case "mfa+outside":
							want = regionExempt(c.action)
						}
					}
					if got != want {
						t.Errorf("%s %q: %s on %s in %s: allowed=%v, want %v", kind, c.what, c.action, c.resources(), pctx.name, got, want)
					}
					cols = append(cols, map[bool]string{true: "allow", false: "deny"}[got])
				}
				fmt.Fprintf(&out, "%-6s %-62s %-45s %s | %s\n", kind, c.what, c.action, c.resources(), strings.Join(cols, " "))
			}
			for _, c := range table.can {
				check("CAN", c, true)
				can++
			}
			for _, c := range slices.Concat(table.cannot, catalogue) {
				check("CANNOT", c, false)
				cannot++
			}
			fmt.Fprintf(&out, "# %s: %d can, %d cannot, each in %d contexts\n", key, can, cannot, len(proofContexts))
			t.Logf("%s: %d can, %d cannot (each evaluated in %d contexts)", key, can, cannot, len(proofContexts))
			file := filepath.Join("testdata", "proof", strings.ToLower(key)+".txt")
			if updatingGolden() {
				if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/baseline/ -run Proof -update)", err)
			}
			if string(want) != out.String() {
				t.Errorf("%s differs from the evaluated table: run go test ./internal/baseline/ -run Proof -update and review the diff", file)
			}
		})
	}
}

func proofContextNames() []string {
	out := make([]string, 0, len(proofContexts))
	for _, c := range proofContexts {
		out = append(out, c.name)
	}
	return out
}

// Every proof case's action exists in AWS's service authorization reference, so a typo cannot
// make a "cannot" pass vacuously.
func TestProofActionsExist(t *testing.T) {
	for key, table := range proofTables {
		for _, c := range slices.Concat(table.can, table.cannot, catalogue) {
			if !knownActionForProof(c.action) {
				t.Errorf("%s: %q (%s) is not an action in the shipped action list", key, c.action, c.what)
			}
		}
	}
}

func knownActionForProof(action string) bool { return KnownAction(action) }

// readonly_cost_explorer = false takes Cost Explorer away from ReadOnly, by the same evaluator as the
// proof tables, and nothing else.
func TestProofReadOnlyWithoutCostExplorer(t *testing.T) {
	opts := proofOptions
	opts.OmitReadOnlyCostExplorer = true
	docs := append(mustGuarded(t, RoleReadOnly, opts), MFAPolicy(true))
	for _, a := range []string{"ce:GetCostAndUsage", "ce:GetCostForecast", "ce:GetAnomalies", "ce:ListCostAllocationTags"} {
		if allowsWith(docs, a, "*", nil) {
			t.Errorf("without Cost Explorer, ReadOnly still may %s", a)
		}
	}
	if !allowsWith(docs, "ec2:DescribeInstances", "*", nil) {
		t.Error("without Cost Explorer, ReadOnly lost ec2:DescribeInstances")
	}
}
