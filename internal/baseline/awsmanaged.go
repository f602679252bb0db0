package baseline

import (
	"slices"
	"strings"
)

// AWSManagedPolicyARN is the AWS job-function policy the aws_managed policy style attaches for a
// role key, or "" for an unknown key. An empty partition means "aws". ReadOnly maps to
// job-function/ViewOnlyAccess, not ReadOnlyAccess: ReadOnlyAccess reads every S3 object,
// DynamoDB item, log line and SecureString parameter, ViewOnlyAccess lists and describes.
func AWSManagedPolicyARN(roleKey, partition string) string {
	if partition == "" {
		partition = DefaultPartition
	}
	var name string
	switch roleKey {
	case RoleDevelopers:
		name = "PowerUserAccess"
	case RoleSysAdmins:
		name = "job-function/SystemAdministrator"
	case RoleDatabaseAdmins:
		name = "job-function/DatabaseAdministrator"
	case RoleReadOnly:
		name = "job-function/ViewOnlyAccess"
	default:
		return ""
	}
	return "arn:" + partition + ":iam::aws:policy/" + name
}

// ManagedPolicyRisk is why an AWS managed policy lets its holder gain more than it grants.
type ManagedPolicyRisk struct {
	// Name is the policy's name under arn:<partition>:iam::aws:policy/.
	Name string
	// Path is how a member escalates, phrased for a plan-time warning.
	Path string
}

// escalatingManagedPolicies are AWS managed policies known to let the holder act with more than
// the policy itself grants (or that grant administrator access outright).
var escalatingManagedPolicies = []ManagedPolicyRisk{
	{"AdministratorAccess", "grants every action on every resource"},
	{"IAMFullAccess", "can attach AdministratorAccess to the holder itself (iam:AttachUserPolicy, iam:PutGroupPolicy, iam:CreatePolicyVersion)"},
	{"PowerUserAccess", "runs code as more powerful roles without iam:PassRole: lambda:UpdateFunctionCode on any function, codebuild:StartBuild with a buildspec override on any project, ec2:ModifyInstanceAttribute (user data) on any instance, ecr:PutImage on any repository, ssm:SendCommand on any instance; and reads every secret and object"},
	{"job-function/SystemAdministrator", "rewrites what runs on any instance (ssm:SendCommand, ec2:ModifyInstanceAttribute user data) and passes its *-sysadmin-* roles to new compute"},
	{"job-function/DatabaseAdministrator", "shares, publishes or deletes any snapshot and backup (rds:* includes rds:ModifyDBSnapshotAttribute and rds:DeleteDBSnapshot) and passes its data-pipeline roles to new compute"},
	{"ReadOnlyAccess", "reads every S3 object, DynamoDB item, log event, SecureString parameter and function code, i.e. every secret the account holds"},
	{"AWSLambda_FullAccess", "iam:PassRole on any role Lambda can assume, with lambda:CreateFunction and lambda:InvokeFunction: code running as that role"},
	{"AWSCodeBuildAdminAccess", "codebuild:StartBuild with a buildspec override and codebuild:UpdateProject on any project: commands running as any project's role"},
	{"AWSCodeDeployFullAccess", "codedeploy:CreateDeployment to any deployment group: appspec hooks running as root on any deployment target"},
	{"AWSCodePipeline_FullAccess", "iam:PassRole to any role CodePipeline can assume, with codepipeline:UpdatePipeline"},
	{"AmazonEC2FullAccess", "ec2:ModifyInstanceAttribute (user data) and ec2:RunInstances with iam:PassRole on any instance profile role"},
	{"AmazonECS_FullAccess", "iam:PassRole on ecsTaskExecutionRole-style roles with ecs:RegisterTaskDefinition and ecs:RunTask, ecs:ExecuteCommand into any task"},
	{"AmazonSSMFullAccess", "ssm:SendCommand and ssm:StartSession on every instance: commands running as any instance profile"},
	{"AmazonSSMAutomationRole", "runs automations that pass roles to any service"},
	{"AWSGlueConsoleFullAccess", "iam:PassRole with glue:CreateDevEndpoint and glue:UpdateDevEndpoint: a shell running as a Glue role"},
	{"AmazonSageMakerFullAccess", "iam:PassRole with sagemaker:CreateNotebookInstance and CreatePresignedNotebookInstanceUrl: a notebook running as a SageMaker role"},
	{"AWSCloudFormationFullAccess", "cloudformation:CreateStack and UpdateStack with iam:PassRole: stacks running as any role CloudFormation can assume"},
	{"SecretsManagerReadWrite", "secretsmanager:GetSecretValue on every secret, including other systems' credentials"},
	{"AmazonS3FullAccess", "reads and rewrites every object, including deployment artifacts that other systems run"},
}

// EscalatingManagedPolicy reports whether a managed policy ARN is an AWS managed policy known to
// let its holder escalate, and how.
func EscalatingManagedPolicy(arn string) (ManagedPolicyRisk, bool) {
	_, name, ok := strings.Cut(arn, ":iam::aws:policy/")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return ManagedPolicyRisk{}, false
	}
	i := slices.IndexFunc(escalatingManagedPolicies, func(r ManagedPolicyRisk) bool { return r.Name == name })
	if i < 0 {
		return ManagedPolicyRisk{}, false
	}
	return escalatingManagedPolicies[i], true
}

// AWSManagedOpenPaths are, per role key, the paths the aws_managed mapping's AWS job-function
// policy still leaves open to a member with MFA after the guardrail policy (GuardrailPolicy) takes
// away audit blinding, detection switched off, backup erasure, snapshot publishing, leaving the
// organization and app-tag changes on EC2. They are what AWS's policy grants on every resource
// that a Deny cannot take away without taking the job away too; the least_privilege style scopes
// them to the app's resources instead. None for an unknown key.
func AWSManagedOpenPaths(roleKey string) []string {
	switch roleKey {
	case RoleDevelopers:
		return []string{
			"runs code as any existing role without iam:PassRole: lambda:UpdateFunctionCode on any function, codebuild:StartBuild with a buildspec override on any project, ecr:PutImage into any repository that other systems deploy from, ec2:ModifyInstanceAttribute (user data) on any stopped instance, ssm:SendCommand / ssm:StartSession on every managed instance, ecs:ExecuteCommand into any task",
			"reads every secret and data store: secretsmanager:GetSecretValue, ssm:GetParameter with decryption, s3:GetObject, DynamoDB items, log events, function environments and task definitions",
			"deletes any database, table, bucket or object, and with rds:DeleteDBInstance / rds:DeleteDBCluster their automated backups by default (IAM has no condition key that requires a final snapshot)",
			"opens any resource to other accounts or the internet: lambda:AddPermission and function URLs with auth NONE, resource policies on secrets, queues, topics, repositories and buckets, s3:PutBucketPublicAccessBlock on a bucket",
			"sets or removes ABAC tags on every service but EC2's app-scope tag",
		}
	case RoleSysAdmins:
		return []string{
			"rewrites what runs on any instance whatever its instance profile: ssm:SendCommand, ssm:StartSession, ec2:ModifyInstanceAttribute (user data), new launch template versions",
			"passes the policy's own roles (rds-monitoring-role, *-sysadmin-*) to new compute",
			"reads secrets embedded in metadata: instance user data, launch template data, Run Command output",
			"deletes any instance, volume and EBS snapshot (ec2:DeleteSnapshot), and opens networks: security groups, routes, network ACLs, VPC endpoint and peering connections to other accounts",
		}
	case RoleDatabaseAdmins:
		return []string{
			"deletes any database instance or cluster, and with it its automated backups by default (rds:DeleteDBInstance, rds:DeleteDBCluster: IAM has no condition key that requires a final snapshot), any manual snapshot (rds:DeleteDBSnapshot) and any DynamoDB table",
			"resets the master password of any database (rds:ModifyDBInstance) and restores any snapshot into an instance it controls: a copy of every system's data",
			"reads every DynamoDB item and passes the policy's data pipeline and monitoring roles to new compute",
		}
	case RoleReadOnly:
		return []string{
			"reads secrets embedded in metadata: Lambda environment variables (lambda:ListFunctions, lambda:GetFunctionConfiguration), ECS task definitions, instance user data and launch template data (ec2:DescribeInstanceAttribute, ec2:DescribeLaunchTemplateVersions)",
		}
	}
	return nil
}
