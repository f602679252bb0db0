package baseline

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// The role keys of the four standard groups. The IAM group name is the
// baseline's name_prefix followed by the key.
const (
	RoleDevelopers     = "Developers"
	RoleSysAdmins      = "SysAdmins"
	RoleDatabaseAdmins = "DatabaseAdmins"
	RoleReadOnly       = "ReadOnly"
)

// MFADocumentKey is the key of the MFA policy beside the role keys in
// Documents' result (and in the provider's policy_documents attribute).
const MFADocumentKey = "mfa"

// DefaultPartition is the AWS partition used when Options.Partition is empty.
const DefaultPartition = "aws"

// DeveloperPassRolePath is the default IAM path of the roles Developers (and
// SysAdmins) may pass to services such as EC2, Lambda or CodeBuild. Create
// application roles under this path (e.g. iambaseline_service_role with
// path = "/app/") and developers can use them without being able to hand a
// service any other role, such as an admin role.
const DeveloperPassRolePath = "/app/"

// Roles the DatabaseAdmins may pass: the enhanced-monitoring role RDS uses
// and the default role of AWS Backup.
const (
	rdsMonitoringRoleName = "rds-monitoring-role"
	backupDefaultRoleName = "service-role/AWSBackupDefaultServiceRole"
)

// managedPolicyQuota is IAM's limit on a customer managed policy, counted in
// characters other than whitespace.
const managedPolicyQuota = 6144

// RoleKeys returns the four role keys in their canonical order.
func RoleKeys() []string {
	return []string{RoleDevelopers, RoleSysAdmins, RoleDatabaseAdmins, RoleReadOnly}
}

// ValidRoleKey reports whether key is one of the four role keys (exact case).
func ValidRoleKey(key string) bool {
	return slices.Contains(RoleKeys(), key)
}

// Options are the inputs of the least-privilege group policies.
type Options struct {
	// Partition of every ARN rendered; empty means "aws".
	Partition string
	// AllowedRegions, when non-empty, adds to every group policy a Deny of all
	// regional actions requested outside these regions.
	AllowedRegions []string
	// DeveloperS3BucketARNs are the buckets Developers may manage, as bucket
	// ARNs (wildcards allowed, e.g. arn:aws:s3:::acme-dev-*). Their objects
	// are covered too. None means Developers get no S3 write at all.
	DeveloperS3BucketARNs []string
	// PassRolePath is the IAM path ("/" or "/a/b/") of the roles Developers
	// and SysAdmins may pass to services; empty means DeveloperPassRolePath.
	PassRolePath string
}

var (
	regionPattern   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	iamPathPattern  = regexp.MustCompile(`^/([\x21-\x7E]+/)?$`)
	partitionFormat = regexp.MustCompile(`^aws(-[a-z]+)*$`)
)

func (o Options) withDefaults() Options {
	if o.Partition == "" {
		o.Partition = DefaultPartition
	}
	if o.PassRolePath == "" {
		o.PassRolePath = DeveloperPassRolePath
	}
	return o
}

// Validate reports the first problem with the options, phrased for the
// Terraform attribute it comes from.
func (o Options) Validate() error {
	o = o.withDefaults()
	if !partitionFormat.MatchString(o.Partition) {
		return fmt.Errorf("partition %q is not an AWS partition such as aws, aws-cn or aws-us-gov", o.Partition)
	}
	for _, r := range o.AllowedRegions {
		if !regionPattern.MatchString(r) {
			return fmt.Errorf("allowed_regions: %q is not an AWS region name such as us-east-1", r)
		}
	}
	prefix := "arn:" + o.Partition + ":s3:::"
	for _, arn := range o.DeveloperS3BucketARNs {
		name, ok := strings.CutPrefix(arn, prefix)
		switch {
		case !ok || name == "":
			return fmt.Errorf("developer_s3_bucket_arns: %q is not a bucket ARN; write it as %s<bucket-name>", arn, prefix)
		case strings.Contains(name, "/"):
			return fmt.Errorf("developer_s3_bucket_arns: %q names objects, not a bucket; give the bucket ARN and its objects are included", arn)
		}
	}
	if !iamPathPattern.MatchString(o.PassRolePath) || strings.Contains(o.PassRolePath, "*") {
		return fmt.Errorf("pass role path %q must be \"/\" or look like \"/app/\" (start and end with a slash, no wildcards)", o.PassRolePath)
	}
	return nil
}

// NonWhitespaceLen counts the characters of s that are not whitespace, which
// is how IAM measures a policy against its size quota.
func NonWhitespaceLen(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// AWSManagedPolicyARN is the AWS job-function policy the aws_managed policy
// style attaches for a role key, or "" for an unknown key. An empty partition
// means "aws".
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
		name = "ReadOnlyAccess"
	default:
		return ""
	}
	return "arn:" + partition + ":iam::aws:policy/" + name
}

// GroupPolicy renders the least-privilege policy of a standard group. What each
// group may do is the startup's own description of the job:
//
//   - Developers launch and manage EC2 instances (not networking), manage S3
//     only in DeveloperS3BucketARNs, deploy code (CodeDeploy, CodeBuild,
//     CodePipeline, Lambda code updates, ECR push), read and write CloudWatch
//     Logs and read CloudWatch metrics. Their only IAM write is iam:PassRole
//     for roles under PassRolePath.
//   - SysAdmins manage EC2 instances and networking (VPC, subnets, route
//     tables, security groups, gateways, load balancers) and monitor
//     (CloudWatch, CloudWatch Logs, Systems Manager read without parameter
//     values).
//   - DatabaseAdmins manage RDS and AWS Backup and monitor databases
//     (CloudWatch, Performance Insights, RDS logs).
//   - ReadOnly reads the configuration and metadata of most services and
//     CloudWatch metrics. It never writes and never reads a secret value or
//     stored data: no Secrets Manager or Parameter Store values, S3 objects,
//     KMS decryption, EC2 Windows passwords, Lambda code, ECR image pulls,
//     DynamoDB items, SQS messages, API Gateway API keys or CloudWatch Logs
//     events (logs are application data and routinely carry tokens; give
//     people who need them Developers or SysAdmins). It gets there by
//     allowing only reviewed read actions, with no Deny statement: IAM
//     evaluates the policies of all of a user's groups together and an
//     explicit Deny wins, so a Deny here would take reads away from the
//     user's other groups (e.g. Developers reading objects of their buckets).
//     Adding ReadOnly to a person therefore never removes anything. Settings
//     that some people misuse to hold secrets stay readable, as in any
//     read-only role: EC2 user data, Lambda and ECS environment variables,
//     CloudFront origin headers, Run Command parameters and output excerpts;
//     keep secrets in Secrets Manager or SecureString parameters.
//
// With AllowedRegions set every policy, ReadOnly included, also denies
// regional actions outside those regions; that Deny is the same in every group
// of a baseline and takes nothing away inside the allowed regions. The result
// always fits IAM's managed-policy quota.
func GroupPolicy(roleKey string, opts Options) (PolicyDocument, error) {
	if err := opts.Validate(); err != nil {
		return PolicyDocument{}, err
	}
	opts = opts.withDefaults()
	var stmts []Statement
	switch roleKey {
	case RoleDevelopers:
		stmts = developerStatements(opts)
	case RoleSysAdmins:
		stmts = sysAdminStatements(opts)
	case RoleDatabaseAdmins:
		stmts = databaseAdminStatements(opts)
	case RoleReadOnly:
		stmts = readOnlyStatements(opts)
	default:
		return PolicyDocument{}, fmt.Errorf("unknown group %q: expected one of %s", roleKey, strings.Join(RoleKeys(), ", "))
	}
	if len(opts.AllowedRegions) > 0 {
		stmts = append(stmts, regionRestriction(opts.AllowedRegions))
	}
	doc := PolicyDocument{Version: PolicyVersion, Statements: stmts}
	rendered, err := doc.JSON()
	if err != nil {
		return PolicyDocument{}, err
	}
	if n := NonWhitespaceLen(rendered); n > managedPolicyQuota {
		return PolicyDocument{}, fmt.Errorf("the %s policy would be %d characters, over IAM's managed-policy quota of %d: use fewer allowed_regions or developer_s3_bucket_arns (wildcards help)", roleKey, n, managedPolicyQuota)
	}
	return doc, nil
}

// Documents renders the policies of the given role keys as JSON, keyed by role
// key, plus the MFA policy under MFADocumentKey when enforceMFA is set. It is
// what the policy_documents attribute and the policy_documents data source
// show.
func Documents(roleKeys []string, opts Options, enforceMFA, allowFirstLoginPasswordChange bool) (map[string]string, error) {
	out := make(map[string]string, len(roleKeys)+1)
	for _, key := range roleKeys {
		doc, err := GroupPolicy(key, opts)
		if err != nil {
			return nil, err
		}
		if out[key], err = doc.JSON(); err != nil {
			return nil, err
		}
	}
	if enforceMFA {
		p := opts.withDefaults().Partition
		js, err := MFAPolicyForPartition(p, allowFirstLoginPasswordChange).JSON()
		if err != nil {
			return nil, err
		}
		out[MFADocumentKey] = js
	}
	return out, nil
}

func allow(sid string, actions []string, resources ...string) Statement {
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	return Statement{Sid: sid, Effect: EffectAllow, Action: actions, Resource: resources}
}

func passRoleARN(partition, path string) string {
	return "arn:" + partition + ":iam::*:role" + path + "*"
}

// ec2InstanceActions manage instances and what belongs to one instance
// (volumes, key pairs, launch templates, images) but never the network it
// sits in. Describe* also reads networking so instances can be placed.
var ec2InstanceActions = []string{
	"ec2:Describe*",
	"ec2:RunInstances",
	"ec2:StartInstances",
	"ec2:StopInstances",
	"ec2:RebootInstances",
	"ec2:TerminateInstances",
	"ec2:ModifyInstanceAttribute",
	"ec2:MonitorInstances",
	"ec2:UnmonitorInstances",
	"ec2:GetConsoleOutput",
	"ec2:CreateTags",
	"ec2:DeleteTags",
	"ec2:CreateKeyPair",
	"ec2:ImportKeyPair",
	"ec2:DeleteKeyPair",
	"ec2:CreateVolume",
	"ec2:AttachVolume",
	"ec2:DetachVolume",
	"ec2:ModifyVolume",
	"ec2:DeleteVolume",
	"ec2:CreateSnapshot",
	"ec2:DeleteSnapshot",
	"ec2:CreateImage",
	"ec2:DeregisterImage",
	"ec2:CreateLaunchTemplate",
	"ec2:CreateLaunchTemplateVersion",
	"ec2:ModifyLaunchTemplate",
	"ec2:DeleteLaunchTemplate",
	"ec2:DeleteLaunchTemplateVersions",
	"ec2:AssociateIamInstanceProfile",
	"ec2:ReplaceIamInstanceProfileAssociation",
	"ec2:DisassociateIamInstanceProfile",
}

func developerStatements(o Options) []Statement {
	stmts := []Statement{
		allow("ManageEC2Instances", ec2InstanceActions),
		allow("ListS3Buckets", []string{"s3:ListAllMyBuckets", "s3:GetBucketLocation"}),
	}
	if len(o.DeveloperS3BucketARNs) > 0 {
		buckets := slices.Clone(o.DeveloperS3BucketARNs)
		objects := make([]string, 0, len(buckets))
		for _, b := range buckets {
			objects = append(objects, b+"/*")
		}
		stmts = append(stmts,
			allow("ManageDeveloperBuckets", []string{
				"s3:CreateBucket",
				"s3:DeleteBucket",
				"s3:ListBucket",
				"s3:ListBucketVersions",
				"s3:ListBucketMultipartUploads",
				"s3:GetBucket*",
				"s3:GetLifecycleConfiguration",
				"s3:GetEncryptionConfiguration",
				"s3:PutBucketTagging",
				"s3:PutBucketVersioning",
				"s3:PutBucketCORS",
				"s3:PutLifecycleConfiguration",
				"s3:PutEncryptionConfiguration",
			}, buckets...),
			allow("ManageDeveloperObjects", []string{
				"s3:GetObject",
				"s3:GetObjectVersion",
				"s3:GetObjectTagging",
				"s3:PutObject",
				"s3:PutObjectTagging",
				"s3:DeleteObject",
				"s3:DeleteObjectVersion",
				"s3:DeleteObjectTagging",
				"s3:RestoreObject",
				"s3:AbortMultipartUpload",
				"s3:ListMultipartUploadParts",
			}, objects...),
		)
	}
	stmts = append(stmts,
		allow("DeployCode", []string{
			"codedeploy:*",
			"codebuild:*",
			"codepipeline:*",
			"codestar-connections:GetConnection",
			"codestar-connections:ListConnections",
			"codestar-connections:UseConnection",
			"codestar-connections:PassConnection",
		}),
		allow("UpdateLambdaCode", []string{
			"lambda:Get*",
			"lambda:List*",
			"lambda:UpdateFunctionCode",
			"lambda:Publish*",
			"lambda:CreateAlias",
			"lambda:UpdateAlias",
		}),
		allow("PushContainerImages", []string{
			"ecr:GetAuthorizationToken",
			"ecr:BatchCheckLayerAvailability",
			"ecr:InitiateLayerUpload",
			"ecr:UploadLayerPart",
			"ecr:CompleteLayerUpload",
			"ecr:PutImage",
			"ecr:BatchGetImage",
			"ecr:GetDownloadUrlForLayer",
			"ecr:DescribeRepositories",
			"ecr:DescribeImages",
			"ecr:ListImages",
		}),
		allow("ReadWriteLogs", []string{
			"logs:CreateLogGroup",
			"logs:CreateLogStream",
			"logs:PutLogEvents",
			"logs:PutRetentionPolicy",
			"logs:Describe*",
			"logs:Get*",
			"logs:List*",
			"logs:FilterLogEvents",
			"logs:StartQuery",
			"logs:StopQuery",
			"logs:StartLiveTail",
			"logs:StopLiveTail",
		}),
		allow("ReadMetrics", cloudWatchReadActions),
		allow("ReadRolesToPass", []string{
			"iam:GetRole",
			"iam:ListRoles",
			"iam:GetInstanceProfile",
			"iam:ListInstanceProfiles",
		}),
		allow("PassApplicationRoles", []string{"iam:PassRole"}, passRoleARN(o.Partition, o.PassRolePath)),
	)
	return stmts
}

var cloudWatchReadActions = []string{
	"cloudwatch:Describe*",
	"cloudwatch:Get*",
	"cloudwatch:List*",
}

func sysAdminStatements(o Options) []Statement {
	return []Statement{
		allow("ManageEC2Instances", append(slices.Clone(ec2InstanceActions),
			"ec2:Get*",
			"autoscaling:*",
		)),
		allow("ConfigureNetworking", []string{
			"ec2:*Vpc*",
			"ec2:*Subnet*",
			"ec2:*RouteTable*",
			"ec2:CreateRoute",
			"ec2:ReplaceRoute",
			"ec2:DeleteRoute",
			"ec2:*SecurityGroup*",
			"ec2:*InternetGateway*",
			"ec2:*NatGateway*",
			"ec2:*NetworkAcl*",
			"ec2:*NetworkInterface*",
			"ec2:*DhcpOptions*",
			"ec2:*FlowLogs",
			"ec2:*Address*",
			"elasticloadbalancing:*",
			"acm:DescribeCertificate",
			"acm:ListCertificates",
		}),
		allow("MonitorSystems", []string{
			"cloudwatch:*",
			"logs:*",
			"ssm:Describe*",
			"ssm:List*",
			"ssm:GetCommandInvocation",
			"ssm:GetConnectionStatus",
			"ssm:GetDocument",
			"ssm:GetInventory",
			"ssm:GetInventorySchema",
			"ssm:GetMaintenanceWindow*",
			"ssm:GetPatchBaseline*",
			"ssm:GetDefaultPatchBaseline",
			"ssm:GetOpsSummary",
			"ssm:GetServiceSetting",
			"ssm:GetAutomationExecution",
			"sns:ListTopics",
		}),
		allow("PassApplicationRoles", []string{"iam:PassRole"}, passRoleARN(o.Partition, o.PassRolePath)),
	}
}

func databaseAdminStatements(o Options) []Statement {
	serviceLinked := allow("CreateServiceLinkedRoles", []string{"iam:CreateServiceLinkedRole"})
	serviceLinked.Condition = map[string]map[string][]string{
		"StringEquals": {"iam:AWSServiceName": {"rds.amazonaws.com", "backup.amazonaws.com"}},
	}
	return []Statement{
		allow("ManageRDS", []string{
			"rds:Describe*",
			"rds:List*",
			"rds:*DBInstance*",
			"rds:*DBCluster*",
			"rds:*DBParameterGroup*",
			"rds:*DBSnapshot*",
			"rds:*DBSubnetGroup*",
			"rds:*OptionGroup*",
			"rds:AddTagsToResource",
			"rds:RemoveTagsFromResource",
			"ec2:DescribeAccountAttributes",
			"ec2:DescribeAvailabilityZones",
			"ec2:DescribeSecurityGroups",
			"ec2:DescribeSubnets",
			"ec2:DescribeVpcAttribute",
			"ec2:DescribeVpcs",
			"kms:DescribeKey",
			"kms:ListAliases",
		}),
		allow("PerformBackups", []string{"backup:*", "backup-storage:*"}),
		allow("MonitorDatabases", append(slices.Clone(cloudWatchReadActions),
			"cloudwatch:PutMetricAlarm",
			"cloudwatch:DeleteAlarms",
			"cloudwatch:EnableAlarmActions",
			"cloudwatch:DisableAlarmActions",
			"pi:*",
			"rds:DescribeDBLogFiles",
			"rds:DownloadDBLogFilePortion",
			"rds:DownloadCompleteDBLogFile",
			"logs:Describe*",
			"logs:Get*",
			"logs:FilterLogEvents",
			"logs:StartQuery",
			"logs:StopQuery",
			"sns:ListTopics",
		)),
		allow("PassDatabaseRoles", []string{"iam:PassRole"},
			"arn:"+o.Partition+":iam::*:role/"+rdsMonitoringRoleName,
			"arn:"+o.Partition+":iam::*:role/"+backupDefaultRoleName,
		),
		serviceLinked,
	}
}

// readOnlyActions are what ReadOnly may do on every resource. The policy has
// no Deny statement (IAM evaluates the policies of all of a user's groups
// together and an explicit Deny would take reads away from the user's other
// groups), so keeping secrets out depends on this list alone: a List* or
// Describe* wildcard is used only where no action it matches returns a secret
// value or stored data, and Get actions are either named one by one or a
// wildcard reviewed for the same property. Never add secretsmanager:Get*,
// ssm:Get*, s3:GetObject*, kms:Get* or kms:Decrypt, ec2:Get*, lambda:Get*
// (lambda:GetFunction and lambda:GetLayerVersion return code download URLs),
// ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:GetAuthorizationToken,
// DynamoDB item reads, sqs:ReceiveMessage, or reads of CloudWatch Logs events
// (logs:Get*, logs:FilterLogEvents, logs:StartQuery, logs:List* which includes
// logs:ListAnomalies with sample log lines).
var readOnlyActions = []string{
	"acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate",
	"autoscaling:Describe*",
	"backup:Describe*", "backup:List*",
	"cloudformation:Describe*", "cloudformation:List*",
	"cloudfront:List*",
	"cloudtrail:Describe*", "cloudtrail:GetTrailStatus", "cloudtrail:List*", "cloudtrail:LookupEvents",
	"cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*",
	"codebuild:List*",
	"codedeploy:List*",
	"codepipeline:List*",
	"config:Describe*", "config:List*",
	"dynamodb:Describe*", "dynamodb:List*",
	"ec2:Describe*",
	"ecr:Describe*", "ecr:List*",
	"ecs:Describe*", "ecs:List*",
	"eks:Describe*", "eks:List*",
	"elasticache:Describe*",
	"elasticloadbalancing:Describe*",
	"guardduty:Get*", "guardduty:List*",
	"iam:Get*", "iam:List*",
	"kms:Describe*", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:List*",
	"lambda:GetAccountSettings", "lambda:GetAlias", "lambda:GetEventSourceMapping",
	"lambda:GetFunctionConcurrency", "lambda:GetFunctionConfiguration", "lambda:GetFunctionEventInvokeConfig",
	"lambda:GetFunctionUrlConfig", "lambda:GetPolicy", "lambda:GetProvisionedConcurrencyConfig", "lambda:List*",
	"logs:Describe*", "logs:GetDataProtectionPolicy", "logs:ListLogAnomalyDetectors",
	"logs:ListTagsForResource", "logs:ListTagsLogGroup",
	"organizations:Describe*", "organizations:List*",
	"rds:Describe*", "rds:List*",
	"route53:Get*", "route53:List*",
	"s3:GetAccountPublicAccessBlock", "s3:GetBucket*", "s3:GetEncryptionConfiguration",
	"s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListAllMyBuckets", "s3:ListBucket",
	"secretsmanager:Describe*", "secretsmanager:GetResourcePolicy", "secretsmanager:List*",
	"sns:GetTopicAttributes", "sns:List*",
	"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:List*",
	"ssm:Describe*", "ssm:List*",
	"tag:Get*",
}

// readOnlyAPIGatewayPaths are the API Gateway resources ReadOnly may GET (API
// Gateway authorizes by HTTP verb). API keys are left out on purpose: GET
// /apikeys and GET /usageplans/{id}/keys can return the key values.
var readOnlyAPIGatewayPaths = []string{
	"/account",
	"/apis", "/apis/*",
	"/clientcertificates", "/clientcertificates/*",
	"/domainnames", "/domainnames/*",
	"/restapis", "/restapis/*",
	"/tags/*",
	"/usageplans",
	"/vpclinks", "/vpclinks/*",
}

func readOnlyStatements(o Options) []Statement {
	apiGateway := make([]string, 0, len(readOnlyAPIGatewayPaths))
	for _, p := range readOnlyAPIGatewayPaths {
		apiGateway = append(apiGateway, "arn:"+o.Partition+":apigateway:*::"+p)
	}
	return []Statement{
		allow("ReadCommonServices", slices.Clone(readOnlyActions)),
		allow("ReadAPIGatewayConfiguration", []string{"apigateway:GET"}, apiGateway...),
	}
}

// globalServiceActions are left out of the region restriction: these services
// are global (or pinned to us-east-1), so denying them outside the allowed
// regions would break IAM, billing, DNS and the console itself.
var globalServiceActions = []string{
	"a4b:*",
	"account:*",
	"acm:*",
	"aws-marketplace:*",
	"aws-portal:*",
	"billing:*",
	"budgets:*",
	"ce:*",
	"cloudfront:*",
	"cur:*",
	"ec2:DescribeRegions",
	"globalaccelerator:*",
	"health:*",
	"iam:*",
	"networkmanager:*",
	"organizations:*",
	"pricing:*",
	"route53:*",
	"route53domains:*",
	"s3:GetAccountPublic*",
	"s3:ListAllMyBuckets",
	"s3:PutAccountPublic*",
	"shield:*",
	"sso:*",
	"sts:*",
	"support:*",
	"trustedadvisor:*",
	"waf:*",
	"waf-regional:*",
	"wafv2:*",
}

// RegionRestrictionSid names the statement that denies regional actions
// outside Options.AllowedRegions.
const RegionRestrictionSid = "DenyOutsideAllowedRegions"

func regionRestriction(regions []string) Statement {
	return Statement{
		Sid:       RegionRestrictionSid,
		Effect:    EffectDeny,
		NotAction: slices.Clone(globalServiceActions),
		Resource:  []string{"*"},
		Condition: map[string]map[string][]string{
			"StringNotEquals": {"aws:RequestedRegion": sortedSet(regions)},
		},
	}
}
