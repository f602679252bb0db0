package baseline

import (
	"fmt"
	"sort"
	"strings"
)

// The grant table: every Allow of a rendered group document, expanded against the action catalogue
// (catalogue.go) to concrete actions, each action given a class, and each class a decision per group
// with a reason. It is committed as golden files (testdata/granttable/) a reviewer can read, and
// TestGrantTable fails when an expanded action has no class or lands in a class the group may not have
// without the scope, condition or deny that makes it safe.

// GrantClass is what an action can do, as far as least privilege is concerned.
type GrantClass string

// The classes, from the most to the least dangerous. The first rule of grantClassRules that matches an
// action gives its class; the benign classes (read, list, write) come last and only for services whose
// writes were reviewed (reviewedWriteServices), so a new service behind a wildcard is unclassified.
const (
	ClassMFA            GrantClass = "mfa-self-service"
	ClassRunsCode       GrantClass = "runs-code-or-passes-role"
	ClassIdentity       GrantClass = "identity"
	ClassAudit          GrantClass = "audit-and-detection"
	ClassResourceAccess GrantClass = "changes-who-can-reach"
	ClassNetwork        GrantClass = "configures-network"
	ClassTagging        GrantClass = "sets-or-propagates-tags"
	ClassErasure        GrantClass = "deletes-durable-data-or-backups"
	ClassSecretRead     GrantClass = "reads-secret-bearing-data"
	ClassList           GrantClass = "list"
	ClassRead           GrantClass = "read"
	ClassWrite          GrantClass = "write-in-scope"
	ClassUnclassified   GrantClass = "UNCLASSIFIED"
)

// GrantClasses are the classes in the order the golden files and docs list them.
var GrantClasses = []GrantClass{ClassMFA, ClassRunsCode, ClassIdentity, ClassAudit, ClassResourceAccess, ClassNetwork, ClassTagging,
	ClassErasure, ClassSecretRead, ClassList, ClassRead, ClassWrite}

type classRule struct {
	class    GrantClass
	patterns []string // IAM action patterns, lowercase matching
	levels   []AccessLevel
	why      string
}

// changeLevels are the access levels that change something: the dangerous classes but secret reads
// are about changes, so a Describe or List of the same resource is a read.
var changeLevels = []AccessLevel{AccessWrite, AccessPermissions, AccessTagging}

// grantClassRules classify an action: the first rule with a matching pattern (and, when levels is
// set, one of those access levels) wins.
var grantClassRules = []classRule{
	{ClassMFA, []string{"iam:*MFADevice*", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:GetMFADevice"}, changeLevels,
		"enrolling, removing or resyncing an MFA device decides who can pass the MFA check"},
	{ClassRunsCode, []string{"iam:PassRole", "lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
		"lambda:Invoke*", "lambda:PublishLayerVersion", "lambda:*EventSourceMapping", "ec2:RunInstances", "ec2:StartInstances", "ec2:ModifyInstanceAttribute",
		"ec2:CreateLaunchTemplate*", "ec2:ModifyLaunchTemplate", "ec2:CreateFleet", "ec2:RequestSpotInstances", "ec2:RequestSpotFleet",
		"ec2:*IamInstanceProfile*", "ec2-instance-connect:*", "ssm:SendCommand", "ssm:StartSession", "ssm:StartAutomationExecution",
		"ecs:RunTask", "ecs:StartTask", "ecs:RegisterTaskDefinition", "ecs:ExecuteCommand", "ecs:CreateService", "ecs:UpdateService",
		"codebuild:StartBuild*", "codebuild:CreateProject", "codebuild:UpdateProject", "codebuild:RetryBuild*", "codepipeline:StartPipelineExecution",
		"codepipeline:CreatePipeline", "codepipeline:UpdatePipeline", "codepipeline:RetryStageExecution", "codedeploy:CreateDeployment",
		"autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:CreateLaunchConfiguration",
		"autoscaling:StartInstanceRefresh", "autoscaling:SetDesiredCapacity", "autoscaling:PutScalingPolicy", "autoscaling:ExecutePolicy", "backup:StartRestoreJob", "rds:Restore*", "rds:CreateDBInstance",
		"rds:CreateDBCluster", "rds:ModifyDBInstance", "rds:ModifyDBCluster", "cloudformation:CreateStack", "cloudformation:UpdateStack",
		"cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DeleteStack", "cloudformation:ContinueUpdateRollback",
		"cloudformation:RollbackStack", "states:CreateStateMachine", "states:UpdateStateMachine", "states:StartExecution",
		"states:StartSyncExecution", "states:RedriveExecution", "states:TestState", "scheduler:CreateSchedule", "scheduler:UpdateSchedule",
		"events:PutTargets"}, changeLevels,
		"starts code, or hands a service a role, so the caller acts with whatever that code or role may do"},
	{ClassIdentity, []string{"iam:*", "sts:*", "sso:*", "sso-directory:*", "identitystore:*", "organizations:*", "account:*"},
		changeLevels, "changes who exists, what they may do or how they sign in"},
	// Saved CloudWatch Logs Insights queries are query text kept for reuse (the catalogue gives them no
	// resource type): saving or deleting one changes nothing that is recorded, kept or alerted on.
	{ClassWrite, []string{"logs:PutQueryDefinition", "logs:DeleteQueryDefinition"}, changeLevels,
		"saves or deletes a Logs Insights query's text: nothing recorded, kept or alerted on changes"},
	// A flow log adds a record of traffic; it blinds nothing. Its paths out of the account are other
	// grants: an S3 or Firehose destination (in any account) needs logs:CreateLogDelivery, a CloudWatch
	// Logs one (in the caller's account) iam:PassRole of the delivery role, a cross-account Firehose
	// one iam:PassRole of DeliverCrossAccountRole (Amazon VPC User Guide, "Create a flow log that
	// publishes to Amazon S3"). Deleting flow logs stays audit-and-detection.
	{ClassWrite, []string{"ec2:CreateFlowLogs"}, changeLevels,
		"adds a flow log; delivering it out of the account needs logs:CreateLogDelivery or iam:PassRole, judged as their own grants"},
	{ClassAudit, []string{"cloudtrail:*", "guardduty:*", "config:*", "securityhub:*", "access-analyzer:*", "detective:*", "inspector2:*", "macie2:*",
		"ec2:*FlowLogs", "cloudwatch:*Alarm*", "cloudwatch:SetAlarmState", "cloudwatch:*InsightRule*", "cloudwatch:*Dashboard*",
		"logs:*", "sns:*", "events:*"}, changeLevels,
		"changes what is recorded, kept or alerted on (trails, log groups, alarms, topics and subscriptions, flow logs, detectors)"},
	// Scaling policies are an Auto Scaling group's capacity rules, not resource policies.
	{ClassWrite, []string{"autoscaling:DeletePolicy"}, changeLevels, "deletes a scaling policy: a capacity rule, not a resource policy"},
	// Network paths out of the account come before the account's own network configuration.
	{ClassResourceAccess, []string{"*:*Permission*", "*:*Share*", "ec2:*VpcPeering*", "ec2:*VpcEndpoint*", "ec2:*TransitGateway*", "ec2:*VpnConnection*",
		"ec2:*ClientVpn*", "ec2:*Vgw*", "ec2:*LocalGatewayRoute*", "ec2:*RouteServer*", "ec2:*AddressTransfer*", "ec2:*VpcBlockPublicAccess*",
		"elasticloadbalancing:AllowVendedLogDeliveryForResource"}, changeLevels,
		"opens a network path to other accounts or networks outside the account: peering, endpoints and endpoint services, transit and local gateways, VPN, address transfers, interface permissions, public-access exclusions"},
	{ClassTagging, []string{"elasticloadbalancing:*Tags"}, []AccessLevel{AccessTagging},
		"tags are the app scope's key (ABAC): setting one, on any service, can bring a resource into or out of scope"},
	{ClassNetwork, []string{"ec2:*SecurityGroup*", "ec2:*NetworkAcl*", "ec2:*Route*", "ec2:*InternetGateway*", "ec2:*NatGateway*", "ec2:*Address*",
		"elasticloadbalancing:*"}, changeLevels,
		"configures the account's own networks: security groups, network ACLs, route tables and routes, internet and NAT gateways, addresses, load balancers"},
	{ClassResourceAccess, []string{"*:*Permission*", "*:*Policy*", "*:*Acl*", "*:*PublicAccess*", "*:*Share*", "*:*FunctionUrl*",
		"ec2:ModifyImageAttribute", "ec2:ModifySnapshotAttribute", "ec2:ResetImageAttribute", "ec2:ResetSnapshotAttribute",
		"ec2:*ReservedInstancesListing*", "secretsmanager:*ResourcePolicy", "dynamodb:*ResourcePolicy", "dynamodb:ExportTable*", "dynamodb:*Replica*",
		"ecr:SetRepositoryPolicy", "ecr:*Replication*", "sqs:AddPermission", "sqs:RemovePermission", "sqs:SetQueueAttributes",
		"lambda:AddPermission", "lambda:RemovePermission", "lambda:AddLayerVersionPermission", "rds:*Snapshot*Attribute*", "rds:*DBProxy*",
		"s3:PutBucket*", "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:PutAccessPoint*", "s3:PutReplication*", "backup:*VaultAccessPolicy", "backup:*Copy*",
		"kms:*Grant*", "kms:PutKeyPolicy", "route53:ChangeResourceRecordSets", "ecr:*PullThroughCache*", "ram:*", "codebuild:*ReportGroupPolicy", "codebuild:PutResourcePolicy"}, changeLevels,
		"changes who can reach a resource: resource policies, ACLs, sharing, URLs, public access, network paths, account-level policies"},
	{ClassResourceAccess, []string{"*:*"}, []AccessLevel{AccessPermissions},
		"the catalogue calls it permissions management"},
	{ClassTagging, []string{"*:*Tag*"}, []AccessLevel{AccessTagging, AccessWrite},
		"tags are the app scope's key (ABAC): setting one, on any service, can bring a resource into or out of scope"},
	{ClassErasure, []string{"dynamodb:Delete*", "dynamodb:*Backup*", "dynamodb:UpdateContinuousBackups", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
		"dynamodb:UpdateTable", "dynamodb:RestoreTable*", "s3:Delete*", "s3:PutLifecycleConfiguration", "rds:Delete*", "rds:Backtrack*", "rds:Failover*",
		"rds:PromoteReadReplica*", "rds:Modify*", "rds:Reboot*", "rds:Stop*", "backup:Delete*", "backup:Update*", "backup:Stop*", "backup:DisassociateRecoveryPoint*",
		"ec2:Delete*Snapshot*", "ec2:DeleteVolume", "ec2:DeregisterImage", "ec2:TerminateInstances", "ec2:DetachVolume", "ec2:DeleteLaunchTemplate*",
		"ecr:Delete*", "ecr:BatchDeleteImage", "ecr:PutLifecyclePolicy", "secretsmanager:DeleteSecret", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret*",
		"secretsmanager:RotateSecret", "sqs:PurgeQueue", "sqs:DeleteQueue", "kms:ScheduleKeyDeletion", "kms:DisableKey", "lambda:Delete*",
		"codebuild:Delete*", "codepipeline:Delete*", "codedeploy:Delete*", "ecs:Delete*", "ecs:DeregisterTaskDefinition", "autoscaling:Delete*",
		"autoscaling:TerminateInstanceInAutoScalingGroup", "pi:Delete*"}, changeLevels,
		"deletes, overwrites or shortens the life of durable data or its backups"},
	// Not secret reads, from AWS's API references: ecr:GetAuthorizationToken returns a registry login
	// that "represents your IAM authentication credentials" and reaches only what the caller's own
	// ECR permissions reach (a registry ID "doesn't change the permissions scope of the token");
	// codedeploy:GetDeployment returns the deployment's status and revision location, and "the
	// content property of the appSpecContent object in the returned revision is always null" (the
	// same DeploymentInfo as BatchGetDeployments). The script log tails (logTail) of deployment
	// instances and targets are secret reads.
	{ClassSecretRead, []string{"secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "ssm:GetParameter*", "kms:Decrypt", "kms:GenerateDataKey*",
		"lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:ListFunctions", "lambda:ListVersionsByFunction", "lambda:GetLayerVersion*",
		"ecs:DescribeTaskDefinition", "ec2:DescribeInstanceAttribute", "ec2:DescribeLaunchTemplateVersions", "ec2:GetLaunchTemplateData",
		"ec2:GetPasswordData", "ec2:GetConsoleOutput", "ec2:GetConsoleScreenshot", "ssm:GetCommandInvocation", "ssm:ListCommandInvocations",
		"ssm:GetAutomationExecution", "ssm:GetDocument", "codebuild:BatchGetProjects", "codebuild:BatchGetBuilds", "autoscaling:DescribeLaunchConfigurations",
		"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "cloudformation:GetTemplate", "s3:GetObject*",
		"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PartiQLSelect", "sqs:ReceiveMessage",
		"logs:GetLogEvents", "logs:FilterLogEvents", "logs:Unmask", "logs:GetQueryResults", "logs:StartLiveTail", "logs:GetLogRecord", "logs:StartQuery", "rds:Download*",
		"codepipeline:GetPipeline", "codedeploy:GetDeploymentInstance", "codedeploy:GetDeploymentTarget",
		"codedeploy:BatchGetDeploymentInstances", "codedeploy:BatchGetDeploymentTargets", "backup-storage:MountCapsule", "ec2:GetInstanceUefiData", "ec2:GetInstanceTpmEkPub",
		"apigateway:GET", "pi:GetResourceMetrics", "pi:GetDimensionKeyDetails",
		"ec2:DescribeUserData*"}, []AccessLevel{AccessRead, AccessList},
		"returns secret-bearing data: secret values, environment variables, user data, build and task definitions, command output, stored data"},
	// KMS calls its decrypting actions writes; what they return is plaintext (or a plaintext data key).
	{ClassSecretRead, []string{"kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyPair"}, nil,
		"returns plaintext: decrypted data or a data key in the clear"},
	{ClassList, []string{"*:*"}, []AccessLevel{AccessList}, "lists names and metadata without secrets"},
	{ClassRead, []string{"*:*"}, []AccessLevel{AccessRead}, "reads configuration or state without secrets"},
}

// reviewedWriteServices are the services whose remaining (unclassified by the rules above) writes were
// read and judged to change only the resource they name, so the benign write class applies to them.
var reviewedWriteServices = map[string]bool{"acm": true, "autoscaling": true, "backup": true, "backup-storage": true, "cloudwatch": true, "codebuild": true,
	"codedeploy": true, "codepipeline": true, "dynamodb": true, "ec2": true, "ecr": true, "ecs": true, "lambda": true, "pi": true, "rds": true,
	"secretsmanager": true, "sqs": true, "kms": true, "ssm": true, "s3": true, "apigateway": true, "cloudformation": true, "scheduler": true,
	"states": true}

// ClassifyAction returns the class of a catalogue action and the reason.
func ClassifyAction(a CatalogueAction) (GrantClass, string) {
	name := strings.ToLower(a.Action)
	for _, r := range grantClassRules {
		if len(r.levels) > 0 && !anyLevel(a, r.levels) {
			continue
		}
		for _, p := range r.patterns {
			if GlobMatch(strings.ToLower(p), name) {
				return r.class, r.why
			}
		}
	}
	svc, _, _ := strings.Cut(name, ":")
	if reviewedWriteServices[svc] && a.HasLevel(AccessWrite) {
		return ClassWrite, "writes only the resource it names, and the grant scopes which"
	}
	return ClassUnclassified, "no rule classifies it: review it and add a rule"
}

func anyLevel(a CatalogueAction, ls []AccessLevel) bool {
	for _, l := range ls {
		if a.HasLevel(l) {
			return true
		}
	}
	return false
}

// Decision is what a group may do with a class.
type Decision string

// The decisions.
const (
	// DecisionAllow: the group may have the class wherever its statements grant it.
	DecisionAllow Decision = "allow"
	// DecisionScoped: only where every granting statement is scoped (resources other than "*", or a
	// condition) or a Deny of the group's documents covers the action.
	DecisionScoped Decision = "scoped"
	// DecisionForbid: never, unless a Deny covers it.
	DecisionForbid Decision = "forbid"
)

// ClassDecision is a group's decision on a class, with its reason.
type ClassDecision struct {
	Decision Decision
	Reason   string
}

// GroupClassDecisions are the decisions per group and class.
var GroupClassDecisions = map[string]map[GrantClass]ClassDecision{
	RoleDevelopers: {
		ClassMFA:            {DecisionForbid, "MFA devices are managed by the MFA policy's self-service statements only"},
		ClassRunsCode:       {DecisionScoped, "developers deploy and run their app's code (functions, tasks, instances, builds, stacks, state machines, schedules, event targets, shells on app instances), with only /app/ roles"},
		ClassIdentity:       {DecisionScoped, "only the app's own roles (under the app role path), and only under the app permissions boundary that caps them (the delegation of groups_developers_roles.go); no other identity"},
		ClassAudit:          {DecisionScoped, "their own app's log groups, alarms, dashboards, event rules and buses only; the guardrail protects the audit trail's"},
		ClassResourceAccess: {DecisionForbid, "sharing or opening an app resource to another principal is an account owner's decision"},
		ClassNetwork:        {DecisionForbid, "configuring networks (security groups, routes, gateways, load balancers) is the SysAdmins' job"},
		ClassTagging:        {DecisionScoped, "tags only on app resources, never the app-scope tag after creation"},
		ClassErasure:        {DecisionScoped, "their own app's data only"},
		ClassSecretRead:     {DecisionScoped, "their own app's secrets, parameters, data and keys only"},
		ClassList:           {DecisionAllow, "names and metadata are needed to find one's way"},
		ClassRead:           {DecisionAllow, "reading configuration without secrets"},
		ClassWrite:          {DecisionScoped, "app resources only"},
	},
	RoleSysAdmins: {
		ClassMFA:            {DecisionForbid, "MFA devices are managed by the MFA policy's self-service statements only"},
		ClassRunsCode:       {DecisionAllow, "running and operating any instance is the job; roles passed are /app/ only"},
		ClassIdentity:       {DecisionScoped, "sysadmins never change identities; only the service-linked roles Auto Scaling and ELB need, under iam:AWSServiceName"},
		ClassAudit:          {DecisionScoped, "monitoring is the job: alarms, dashboards, Contributor Insights, anomaly detectors, log groups' retention, metric filters and saved queries, never on the audit trail's log group and alarms (the guardrail); never subscription filters, destinations, exports, deliveries or integrations (logs out of the account), resource or data-protection policies, KMS key changes, mute rules, deleting log groups or writing log events"},
		ClassResourceAccess: {DecisionScoped, "peering only between this account's VPCs (ec2:AccepterVpc, ec2:RequesterVpc), endpoints only to AWS services (ec2:VpceServiceOwner); never interface permissions, endpoint services, transit or local gateways, VPN, address transfers or public-access exclusions"},
		ClassNetwork:        {DecisionAllow, "configuring the account's own networks is the job (VPCs, subnets, route tables, security groups, network ACLs, internet and NAT gateways, addresses, load balancers); paths out of the account are changes-who-can-reach"},
		ClassTagging:        {DecisionScoped, "tags on any EC2 resource and Auto Scaling group, never with the app-scope tag key (aws:TagKeys; an Auto Scaling group propagates its tags to new instances)"},
		ClassErasure:        {DecisionAllow, "terminating instances and deleting volumes is the job"},
		ClassSecretRead:     {DecisionScoped, "console output and user data of app-tagged instances only; no launch template versions (no resource type), no command output, automation output or document content of others (ssm:GetCommandInvocation, GetAutomationExecution, GetDocument), no logs:Unmask"},
		ClassList:           {DecisionAllow, "names and metadata are needed to find one's way"},
		ClassRead:           {DecisionAllow, "reading configuration without secrets"},
		ClassWrite:          {DecisionAllow, "operating compute and network is the job"},
	},
	RoleDatabaseAdmins: {
		ClassMFA:            {DecisionForbid, "MFA devices are managed by the MFA policy's self-service statements only"},
		ClassRunsCode:       {DecisionScoped, "database instances and restores, with only the RDS monitoring and Backup roles"},
		ClassIdentity:       {DecisionScoped, "database admins never change identities; only the RDS and Backup service-linked roles, under iam:AWSServiceName (a service-linked role's trust and permissions are AWS's, not the caller's)"},
		ClassAudit:          {DecisionScoped, "database alarms only; never the audit trail's"},
		ClassNetwork:        {DecisionScoped, "rules only of security groups tagged for databases"},
		ClassResourceAccess: {DecisionScoped, "sharing a snapshot or opening a database to another account is not the job; KMS grants only for RDS's own use of a key, IAM database auth only as one's own database user, rules only of security groups tagged for databases"},
		ClassTagging:        {DecisionAllow, "tagging databases and backups is the job (the app-scope tag is EC2's)"},
		ClassErasure:        {DecisionScoped, "managing databases is the job, but deleting backups is not"},
		ClassSecretRead:     {DecisionScoped, "database logs, RDS-managed master secrets, and keys only through RDS"},
		ClassList:           {DecisionAllow, "names and metadata are needed to find one's way"},
		ClassRead:           {DecisionAllow, "reading configuration without secrets"},
		ClassWrite:          {DecisionAllow, "managing databases and backups is the job"},
	},
	RoleReadOnly: {
		ClassMFA:            {DecisionForbid, "read-only"},
		ClassRunsCode:       {DecisionForbid, "read-only"},
		ClassIdentity:       {DecisionForbid, "read-only"},
		ClassAudit:          {DecisionForbid, "read-only"},
		ClassResourceAccess: {DecisionForbid, "read-only"},
		ClassNetwork:        {DecisionForbid, "read-only"},
		ClassTagging:        {DecisionForbid, "read-only"},
		ClassErasure:        {DecisionForbid, "read-only"},
		ClassSecretRead:     {DecisionForbid, "read-only means configuration, never secrets or stored data"},
		ClassList:           {DecisionAllow, "listing is what the group is for"},
		ClassRead:           {DecisionAllow, "reading configuration is what the group is for"},
		ClassWrite:          {DecisionForbid, "read-only"},
	},
}

// MFAGrantTableKey is the pseudo-group of the MFA policy's grant table (the policy is attached to
// every group that enforces MFA, so its grants are every member's).
const MFAGrantTableKey = "EnforceMFA"

func init() {
	own := "the member's own user only (resource user/${aws:username} or mfa/*)"
	GroupClassDecisions[MFAGrantTableKey] = map[GrantClass]ClassDecision{
		ClassMFA:            {DecisionScoped, "self-service MFA enrolment: " + own},
		ClassRunsCode:       {DecisionForbid, "the MFA policy grants only credential self-service"},
		ClassIdentity:       {DecisionScoped, "own password, access keys, signing certificates, SSH keys and Git credentials: " + own},
		ClassAudit:          {DecisionForbid, "the MFA policy grants only credential self-service"},
		ClassResourceAccess: {DecisionForbid, "the MFA policy grants only credential self-service"},
		ClassNetwork:        {DecisionForbid, "the MFA policy grants only credential self-service"},
		ClassTagging:        {DecisionForbid, "the MFA policy grants only credential self-service"},
		ClassErasure:        {DecisionForbid, "the MFA policy grants only credential self-service"},
		ClassSecretRead:     {DecisionForbid, "the MFA policy grants only credential self-service"},
		ClassList:           {DecisionAllow, "the account's MFA devices and password policy, needed to enrol"},
		ClassRead:           {DecisionAllow, "the account's password policy, needed to change one's password"},
		ClassWrite:          {DecisionForbid, "the MFA policy grants only credential self-service"},
	}
}

// Grant is one concrete action a group document allows.
type Grant struct {
	Action string
	Levels []AccessLevel
	Class  GrantClass
	// Sids of the Allow statements that grant it.
	Sids []string
	// Scoped: every granting statement names resources other than "*" or has a condition.
	Scoped bool
	// DeniedBy are Sids of unconditional Deny statements of every resource whose actions cover it.
	DeniedBy []string
	Decision Decision
	// Verdict is "ok" (or "ok: <the condition that makes a forbidden class safe>") or why the grant
	// breaks the group's decision.
	Verdict string
	// conditioned: every granting statement carries the action's safe condition (safeConditions).
	conditioned bool
}

// Safe reports whether the grant meets its group's decision.
func (g Grant) Safe() bool { return g.Verdict == "ok" || strings.HasPrefix(g.Verdict, "ok: ") }

// ExpandGrants expands every Allow statement of doc (a group's grants together with the guardrail
// policy: GuardedGroupPolicy) against the catalogue and judges each action by
// the group's decisions (a nil decisions map judges nothing: Verdict "ok" for classified actions).
func ExpandGrants(doc PolicyDocument, decisions map[GrantClass]ClassDecision) []Grant {
	byAction := map[string]*Grant{}
	keyFree := map[*Grant]bool{}
	var denies []Statement
	for _, s := range doc.Statements {
		// Only a Deny of every resource without a condition closes an action whatever the request; a
		// narrower Deny (the audit-trail and app-tag guardrails) leaves the action open elsewhere.
		if s.Effect == EffectDeny && len(s.Condition) == 0 && len(s.NotResource) == 0 && len(s.Resource) == 1 && s.Resource[0] == "*" {
			denies = append(denies, s)
		}
	}
	for _, s := range doc.Statements {
		if s.Effect != EffectAllow {
			continue
		}
		scoped := len(s.Condition) > 0 || !(len(s.Resource) == 1 && s.Resource[0] == "*") || len(s.NotResource) > 0
		for _, a := range expandStatementActions(s) {
			g := byAction[strings.ToLower(a)]
			if g == nil {
				info, _ := LookupAction(a)
				class, _ := ClassifyAction(info)
				g = &Grant{Action: info.Action, Levels: info.Levels, Class: class, Scoped: true, conditioned: true}
				byAction[strings.ToLower(a)] = g
				keyFree[g] = true
			}
			g.Sids = append(g.Sids, s.Sid)
			g.Scoped = g.Scoped && scoped
			keyFree[g] = keyFree[g] && apiGatewayKeyFree(s)
			g.conditioned = g.conditioned && conditionMakesSafe(s, a)
		}
	}
	out := make([]Grant, 0, len(byAction))
	for _, g := range byAction {
		// API Gateway authorizes by HTTP verb: what apigateway:GET returns depends on the path the
		// statement names, so the action's class does too.
		if strings.EqualFold(g.Action, "apigateway:GET") && keyFree[g] {
			g.Class = ClassRead
		}
		for _, d := range denies {
			if statementCoversAction(d, g.Action) {
				g.DeniedBy = append(g.DeniedBy, d.Sid)
			}
		}
		g.Sids = SortedUnique(g.Sids)
		g.Verdict = "ok"
		if g.Class == ClassUnclassified {
			g.Verdict = "no class"
		} else if decisions != nil {
			cd, ok := decisions[g.Class]
			if !ok {
				cd = ClassDecision{DecisionForbid, "no decision"}
			}
			g.Decision = cd.Decision
			switch {
			case cd.Decision == DecisionForbid && len(g.DeniedBy) == 0 && g.conditioned:
				g.Verdict = "ok: " + safeConditions[strings.ToLower(g.Action)].why
			case cd.Decision == DecisionForbid && len(g.DeniedBy) == 0:
				g.Verdict = "forbidden class " + string(g.Class) + " granted by " + strings.Join(g.Sids, ",")
			case cd.Decision == DecisionScoped && !g.Scoped && len(g.DeniedBy) == 0:
				g.Verdict = "class " + string(g.Class) + " granted on every resource without condition by " + strings.Join(g.Sids, ",")
			}
		}
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}

// apiGatewayKeyPaths are the API Gateway paths whose GET can return API key values (GET /apikeys with
// includeValues, and a usage plan's keys). Every other GET returns configuration: API definitions,
// stages, deployments, domain names, certificates (public part), usage plans, VPC links. Stage
// variables and integration parameters are configuration too; AWS documents that they are not for
// sensitive data.
var apiGatewayKeyPaths = []string{"/apikeys", "/apikeys/k1", "/usageplans/u1/keys", "/usageplans/u1/keys/k1"}

// apiGatewayKeyFree reports whether an Allow statement names API Gateway resources only, none of which
// can be an API key path (tried in the partition and a region the statement's own resources name).
func apiGatewayKeyFree(s Statement) bool {
	if len(s.Resource) == 0 || len(s.NotResource) > 0 {
		return false
	}
	for _, r := range s.Resource {
		parts := strings.SplitN(strings.ToLower(r), ":", 6)
		if len(parts) < 6 || parts[0] != "arn" || parts[2] != "apigateway" {
			return false
		}
		for _, path := range apiGatewayKeyPaths {
			for _, region := range []string{"us-east-1", "eu-west-1"} {
				if GlobMatch(strings.ToLower(r), "arn:"+parts[1]+":apigateway:"+region+"::"+path) {
					return false
				}
			}
		}
	}
	return true
}

func expandStatementActions(s Statement) []string {
	if len(s.NotAction) > 0 {
		var out []string
		for _, a := range ExpandActionPattern("*") {
			if !patternListCovers(s.NotAction, a) {
				out = append(out, a)
			}
		}
		return out
	}
	var out []string
	for _, p := range s.Action {
		out = append(out, ExpandActionPattern(p)...)
	}
	return SortedUnique(out)
}

func patternListCovers(patterns []string, action string) bool {
	a := strings.ToLower(action)
	for _, p := range patterns {
		if GlobMatch(strings.ToLower(p), a) {
			return true
		}
	}
	return false
}

func statementCoversAction(s Statement, action string) bool {
	if len(s.NotAction) > 0 {
		return !patternListCovers(s.NotAction, action)
	}
	return patternListCovers(s.Action, action)
}

// GrantTableText renders grants as the golden text: one line per action, tab-separated, and a summary
// per class.
func GrantTableText(group string, grants []Grant) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# grant table of %s, catalogue %s (%s)\n", group, CatalogueInfo()["version"], CatalogueInfo()["updated"])
	fmt.Fprintf(&b, "# action\tlevels\tclass\tdecision\tscoped\tallowed-by\tdenied-by\tverdict\n")
	counts := map[GrantClass]int{}
	for _, g := range grants {
		counts[g.Class]++
		lv := make([]string, len(g.Levels))
		for i, l := range g.Levels {
			lv[i] = string(l)
		}
		scoped := "any-resource"
		if g.Scoped {
			scoped = "scoped"
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", g.Action, strings.Join(lv, ","), g.Class, g.Decision, scoped,
			strings.Join(g.Sids, ","), strings.Join(g.DeniedBy, ","), g.Verdict)
	}
	b.WriteString("# per class: count\n")
	for _, c := range append(GrantClasses, ClassUnclassified) {
		if counts[c] > 0 {
			fmt.Fprintf(&b, "# %s\t%d\n", c, counts[c])
		}
	}
	return b.String()
}

// GrantTableMarkdown renders, for the docs, what each group may and may not do by class: the decision
// and its reason, how many concrete actions of the class the default documents grant, and how many of
// those are accepted exceptions; then the accepted exceptions with their reasons (accepted maps group
// => action => why it is accepted: testdata/granttable/known-open.tsv).
func GrantTableMarkdown(accepted map[string]map[string]string) (string, error) {
	var b strings.Builder
	info := CatalogueInfo()
	fmt.Fprintf(&b, "Generated from the grant table (`internal/baseline/testdata/granttable/`): every Allow of the\n"+
		"`least_privilege` documents expanded against AWS's action catalogue (%s, updated %s).\n"+
		"`scoped` means only where the granting statement names the group's resources or carries a condition.\n", info["source"], info["updated"])
	var exceptions []string
	for _, group := range RoleKeys() {
		doc, err := GuardedGroupPolicy(group, Options{})
		if err != nil {
			return "", err
		}
		counts, openCounts := map[GrantClass]int{}, map[GrantClass]int{}
		for _, g := range ExpandGrants(doc, GroupClassDecisions[group]) {
			counts[g.Class]++
			if why, ok := accepted[group][g.Action]; ok {
				openCounts[g.Class]++
				exceptions = append(exceptions, fmt.Sprintf("| %s | `%s` | %s | %s |\n", group, g.Action, g.Class, why))
			}
		}
		fmt.Fprintf(&b, "\n#### %s\n\n| class | decision | why | actions granted | accepted exceptions |\n|---|---|---|---|---|\n", group)
		for _, c := range GrantClasses {
			d := GroupClassDecisions[group][c]
			verb := map[Decision]string{DecisionAllow: "may", DecisionScoped: "may (scoped)", DecisionForbid: "may not"}[d.Decision]
			fmt.Fprintf(&b, "| %s | %s | %s | %d | %d |\n", c, verb, d.Reason, counts[c], openCounts[c])
		}
	}
	b.WriteString("\n### Accepted exceptions\n\nThe grants that break their group's decision and were kept, each for the reason below: the job needs\n" +
		"them where IAM cannot narrow them, or narrowing them would not keep the data from the group. Every other grant meets\n" +
		"its group's decision; a new breaking grant fails the tests until it is closed or accepted here with its reason.\n\n")
	if len(exceptions) == 0 {
		b.WriteString("None.\n")
		return b.String(), nil
	}
	b.WriteString("| group | action | class | why it is accepted |\n|---|---|---|---|\n")
	for _, e := range exceptions {
		b.WriteString(e)
	}
	return b.String(), nil
}
