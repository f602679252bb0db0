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

// appWorkloadReads are what app workloads read everywhere: metadata (no secrets), and what their
// runtimes need to start (an ECR login, publishing their own metrics and traces).
var appWorkloadReads = []string{
	"cloudwatch:Describe*",
	"cloudwatch:Get*",
	"cloudwatch:List*",
	"cloudwatch:PutMetricData",
	"dynamodb:Describe*",
	"dynamodb:List*",
	"ec2:Describe*",
	"ecr:GetAuthorizationToken",
	"ecs:Describe*",
	"ecs:List*",
	"logs:Describe*",
	"s3:GetBucketLocation",
	"s3:ListAllMyBuckets",
	"sns:ListTopics",
	"sqs:ListQueues",
	"xray:GetSamplingRules",
	"xray:GetSamplingTargets",
	"xray:PutTelemetryRecords",
	"xray:PutTraceSegments",
}

// AppBoundaryPolicy renders the app permissions boundary. It allows what app workloads (Lambda
// functions, ECS tasks, EC2 instances, Step Functions state machines, EventBridge Scheduler
// schedules and API Gateway integrations running as /app/ roles) may do: the Developers' app grants
// on the app's named resources (functions, layers, repositories, containers, builds, pipelines,
// logs, alarms, tables, queues, topics, secrets) and the developer buckets, run and start the app's
// state machines, the network interfaces a function in a VPC needs, metadata reads and their own
// metrics and traces, and pass only app roles, only to the app's services. Everything else is
// implicitly denied: no role under the boundary reads a secret or writes a resource outside the
// app scope. It denies, whatever the role's own policies allow: every IAM write, the guardrails of
// every group policy (the audit trail, its logs, bucket, alarms and topic; the app-scope tag),
// metrics into the audit alarms' namespace. AllowedRegions binds people (the guardrail policy), not
// app roles: the region restriction alone is a fifth of the quota, and a permissions boundary is one
// policy that the developer buckets must fit in too; an app role outside the regions still reaches
// only app-named resources.
func AppBoundaryPolicy(opts Options) (PolicyDocument, error) {
	if err := opts.Validate(); err != nil {
		return PolicyDocument{}, err
	}
	o := opts.withDefaults()
	p, scope := o.Partition, o.AppScope
	states := allow("AppStateMachines", []string{"states:*"},
		"arn:"+p+":states:*:*:stateMachine:"+scope.NamePrefix+"*",
		"arn:"+p+":states:*:*:execution:"+scope.NamePrefix+"*",
		"arn:"+p+":states:*:*:express:"+scope.NamePrefix+"*",
	)
	events := allow("AppEventSources", []string{"lambda:*EventSourceMapping"})
	events.Condition = map[string]map[string][]string{
		"ArnLike": {"lambda:FunctionArn": {"arn:" + p + ":lambda:*:*:function:" + scope.NamePrefix + "*"}},
	}
	stmts := []Statement{
		allow("AppWorkloadReads", slices.Clone(appWorkloadReads)),
		allow("AppResources", appResourceActions(), scope.appARNs(p)...),
		appContainersStatement(p, scope),
		events,
		states,
		// What Lambda does with the function's role to attach it to a VPC.
		allow("AppFunctionNetwork", []string{
			"ec2:AssignPrivateIpAddresses",
			"ec2:CreateNetworkInterface",
			"ec2:DeleteNetworkInterface",
			"ec2:UnassignPrivateIpAddresses",
		}),
	}
	stmts = append(stmts, developerBucketStatements(o)...)
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
