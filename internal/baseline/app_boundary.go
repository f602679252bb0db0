package baseline

import "slices"

// The app permissions boundary: the customer managed policy <name_prefix>AppBoundary (at the
// baseline's path) that every role Developers create must carry (groups_developers_roles.go). What
// it allows is the app's ceiling; what it denies no app role can ever do, whatever policies a
// developer gives the role. It is not attached to any group.
const (
	// AppBoundaryPolicySuffix names the boundary policy: acme- => acme-AppBoundary.
	AppBoundaryPolicySuffix = "AppBoundary"
	// AppBoundaryDocumentKey is its key in Documents, CustomerPolicyKeys and policy_documents.
	AppBoundaryDocumentKey = "app_boundary"
)

// Sids of the boundary's own statements.
const (
	AppBoundaryDenyIAMWritesSid = "DenyIAMWrites"
	AppBoundaryDenyMetricsSid   = "DenyAuditMetrics"
)

// AppBoundaryPolicyName is the boundary policy's name for a baseline name_prefix.
func AppBoundaryPolicyName(namePrefix string) string { return namePrefix + AppBoundaryPolicySuffix }

// appBoundaryARN is the boundary policy's ARN in account (a 12-digit ID, a policy variable or *).
func (o Options) appBoundaryARN(account string) string {
	path := o.PolicyPath
	if path == "" {
		path = "/"
	}
	return PolicyARN(o.Partition, account, path, AppBoundaryPolicyName(o.NamePrefix))
}

// iamWriteActions are every IAM action that changes something, by verb: the boundary denies them
// all, so no app role can write IAM, create a credential or change a boundary, whatever it is given.
// TestAppBoundaryDeniesEveryIAMWrite checks them against the shipped action list.
var iamWriteActions = []string{
	"iam:Accept*",
	"iam:Add*",
	"iam:Associate*",
	"iam:Attach*",
	"iam:Change*",
	"iam:Create*",
	"iam:Deactivate*",
	"iam:Delete*",
	"iam:Detach*",
	"iam:Disable*",
	"iam:Enable*",
	"iam:Put*",
	"iam:Reject*",
	"iam:Remove*",
	"iam:Reset*",
	"iam:Resync*",
	"iam:Send*",
	"iam:Set*",
	"iam:Tag*",
	"iam:Untag*",
	"iam:Update*",
	"iam:Upload*",
}

// appWorkloadReads are what app workloads call on no particular resource at run time: an ECR
// login, their own metrics and traces, and the few ec2 Describe calls Lambda makes with the
// function's role to attach it to a VPC. No Describe* wildcard: ec2 and ecs reads return user data,
// launch template versions and task definitions' environments, which Developers do not read either.
var appWorkloadReads = []string{
	"ec2:DescribeNetworkInterfaces",
	"ec2:DescribeSecurityGroups",
	"ec2:DescribeSubnets",
	"ec2:DescribeVpcs",
	"ecr:GetAuthorizationToken",
	"xray:GetSamplingRules",
	"xray:GetSamplingStatisticSummaries",
	"xray:GetSamplingTargets",
	"xray:PutTelemetryRecords",
	"xray:PutTraceSegments",
}

// appRunTimeStatements are the data-plane calls app workloads make on the app's named resources:
// write their logs, read and write their tables, queues, topics and secrets, invoke their
// functions, pull their images, run their state machines. Nothing that manages a resource or
// changes who can reach it (no policy, permission, function URL, export, attribute or
// configuration): a Developer can always act as a role under the boundary (by assuming an app role
// whose trust names them, or through the code they deploy), so the boundary is a run-time ceiling
// no wider than the Developers' own grants (TestGrantTable judges it by their class decisions).
func appRunTimeStatements(p string, scope AppScope) []Statement {
	n := scope.NamePrefix
	arn := func(service, resource string) string { return "arn:" + p + ":" + service + ":*:*:" + resource }
	return []Statement{
		allow("AppLogs", []string{
			"logs:CreateLogGroup",
			"logs:CreateLogStream",
			"logs:PutLogEvents",
		}, arn("logs", "log-group:"+n+"*"), arn("logs", "log-group:*/"+n+"*")),
		allow("AppTables", []string{
			"dynamodb:BatchGetItem",
			"dynamodb:BatchWriteItem",
			"dynamodb:ConditionCheckItem",
			"dynamodb:DeleteItem",
			"dynamodb:DescribeStream",
			"dynamodb:GetItem",
			"dynamodb:GetRecords",
			"dynamodb:GetShardIterator",
			"dynamodb:PutItem",
			"dynamodb:Query",
			"dynamodb:Scan",
			"dynamodb:UpdateItem",
		}, arn("dynamodb", "table/"+n+"*")),
		allow("AppQueues", []string{
			"sqs:ChangeMessageVisibility",
			"sqs:DeleteMessage",
			"sqs:GetQueueAttributes",
			"sqs:GetQueueUrl",
			"sqs:ReceiveMessage",
			"sqs:SendMessage",
		}, arn("sqs", n+"*")),
		allow("AppTopics", []string{"sns:Publish"}, arn("sns", n+"*")),
		allow("AppSecrets", []string{
			"secretsmanager:DescribeSecret",
			"secretsmanager:GetSecretValue",
		}, arn("secretsmanager", "secret:"+n+"*")),
		allow("AppFunctions", []string{"lambda:InvokeFunction"}, arn("lambda", "function:"+n+"*")),
		allow("AppImages", []string{
			"ecr:BatchCheckLayerAvailability",
			"ecr:BatchGetImage",
			"ecr:GetDownloadUrlForLayer",
		}, arn("ecr", "repository/"+n+"*")),
		allow("AppStateMachines", []string{
			"states:DescribeExecution",
			"states:SendTaskFailure",
			"states:SendTaskHeartbeat",
			"states:SendTaskSuccess",
			"states:StartExecution",
			"states:StartSyncExecution",
		},
			arn("states", "stateMachine:"+n+"*"),
			arn("states", "execution:"+n+"*"),
			arn("states", "express:"+n+"*"),
		),
	}
}

// AppBoundaryPolicy renders the app permissions boundary: a run-time ceiling for app workloads
// (Lambda functions, ECS tasks, EC2 instances, Step Functions state machines, EventBridge Scheduler
// schedules and API Gateway integrations running as /app/ roles). It allows the data-plane calls on
// the app's named resources (appRunTimeStatements) and the developer buckets' objects, the network
// interfaces a function in a VPC needs, an ECR login, their own metrics and traces, and passing
// only app roles, only to the app's services. Everything else is implicitly denied: no role under
// the boundary manages a resource, changes who can reach one, reads a secret or writes a resource
// outside the app scope. A Developer can always reach what the boundary allows (an app role's trust
// may name them), so it allows nothing the Developers group may not do. It denies, whatever the
// role's own policies allow: every IAM write, the guardrails of every group policy (the audit
// trail, its logs, bucket, alarms and topic; the app-scope tag), metrics into the audit alarms'
// namespace. AllowedRegions binds people (the guardrail policy), not app roles: the region
// restriction alone is a fifth of the quota, and a permissions boundary is one policy that the
// developer buckets must fit in too; an app role outside the regions still reaches only app-named
// resources.
func AppBoundaryPolicy(opts Options) (PolicyDocument, error) {
	if err := opts.Validate(); err != nil {
		return PolicyDocument{}, err
	}
	o := opts.withDefaults()
	p, scope := o.Partition, o.AppScope
	// Its own metrics, in any namespace but the audit alarms' (also denied below).
	appMetrics := allow("AppMetrics", []string{"cloudwatch:PutMetricData"})
	appMetrics.Condition = map[string]map[string][]string{"StringNotEquals": {"cloudwatch:namespace": {ProtectedMetricNamespace}}}
	stmts := []Statement{allow("AppWorkloadReads", slices.Clone(appWorkloadReads)), appMetrics}
	stmts = append(stmts, appRunTimeStatements(p, scope)...)
	// Step Functions and EventBridge Scheduler run the app's tasks with the app role: only app task
	// definitions, only in app clusters.
	tasks := allow("AppTasks", []string{"ecs:RunTask"}, "arn:"+p+":ecs:*:*:task-definition/"+scope.NamePrefix+"*")
	tasks.Condition = map[string]map[string][]string{
		"ArnLike": {"ecs:cluster": {"arn:" + p + ":ecs:*:*:cluster/" + scope.NamePrefix + "*"}},
	}
	stmts = append(stmts, tasks)
	// What Lambda does with the function's role to attach it to a VPC.
	stmts = append(stmts, allow("AppFunctionNetwork", []string{
		"ec2:AssignPrivateIpAddresses",
		"ec2:CreateNetworkInterface",
		"ec2:DeleteNetworkInterface",
		"ec2:UnassignPrivateIpAddresses",
	}))
	if len(o.DeveloperS3BucketARNs) > 0 {
		// The developer buckets' objects (and listing them): no bucket configuration, no bucket
		// creation or deletion, no ACL or policy.
		resources := slices.Clone(o.DeveloperS3BucketARNs)
		for _, b := range o.DeveloperS3BucketARNs {
			resources = append(resources, b+"/*")
		}
		stmts = append(stmts, allow(DeveloperBucketsSid, []string{
			"s3:AbortMultipartUpload",
			"s3:DeleteObject",
			"s3:GetObject",
			"s3:GetObjectVersion",
			"s3:ListBucket",
			"s3:ListMultipartUploadParts",
			"s3:PutObject",
		}, resources...))
	}
	stmts = append(stmts, passAppRolesStatement(p, scope))
	metrics := deny(AppBoundaryDenyMetricsSid, []string{"cloudwatch:PutMetricData"})
	metrics.Condition = map[string]map[string][]string{"StringEquals": {"cloudwatch:namespace": {ProtectedMetricNamespace}}}
	allows := slices.Clone(stmts)
	stmts = append(stmts, deny(AppBoundaryDenyIAMWritesSid, slices.Clone(iamWriteActions)), metrics)
	stmts = append(stmts, scopeGuardrailStatements(o)...)
	stmts = append(stmts, boundaryClassDenies(allows)...)
	doc := PolicyDocument{Version: PolicyVersion, Statements: stmts}
	if n, err := documentSize(doc); err != nil || n > ManagedPolicyMaxChars {
		return PolicyDocument{}, optionError("developer_s3_bucket_arns", "the app boundary policy would be %d characters, more than IAM's managed-policy quota of %d (a permissions boundary is one policy): use fewer developer_s3_bucket_arns (wildcards help), allowed_regions or region_exempt_actions, or set delegate_app_roles = false", n, ManagedPolicyMaxChars)
	}
	return doc, nil
}

// boundaryClassDenies are the guardrail policy's class denies (guardrails.go: detection off,
// backup erasure, publishing, leaving the organization) that the boundary's own grants could reach,
// with only those actions: the rest the boundary already denies implicitly, since it never allows
// them. TestAppBoundaryKeepsTheGuardrails checks that a role under the boundary can do none of them.
func boundaryClassDenies(allows []Statement) []Statement {
	var out []Statement
	for _, s := range classStatements() {
		var reached []string
		for _, a := range s.Action {
			if slices.ContainsFunc(allows, func(st Statement) bool { return statementCoversAction(st, a) }) {
				reached = append(reached, a)
			}
		}
		if len(reached) > 0 {
			s.Action = reached
			out = append(out, s)
		}
	}
	return out
}
