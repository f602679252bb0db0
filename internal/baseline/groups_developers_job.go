package baseline

import "strings"

// The rest of the Developers' job (issue 22), each item within the app scope and in its safe form:
//
//   - APIs in front of functions: API Gateway REST and HTTP APIs, whose ARNs carry IDs, by the app
//     tag (set by the creating call; nobody may write API Gateway tags afterwards: /tags/* is not
//     granted). No resource policy (apigateway:UpdateRestApiPolicy), WAF, custom domains, API keys,
//     usage plans, VPC links or the account's CloudWatch role: those change who can reach what.
//     An integration reaches only functions whose resource policy lets API Gateway in (for app
//     functions, lambda:AddPermission) and runs only as a passed /app/ role.
//   - Event rules, app event buses and schedules (EventBridge, EventBridge Scheduler) by name, the
//     targets of a rule limited to app resources (events:TargetArn), a schedule's target reached
//     only as the /app/ role it is given (iam:PassRole).
//   - State machines (Step Functions) by name, running only as /app/ roles.
//   - Stacks (CloudFormation, SAM, CDK) by name. A stack without a service role runs with the
//     caller's own permissions, so it cannot exceed them; a service role can only be an /app/ one.
//     CDK bootstrap (it creates roles) stays an administrator's job: cdk deploy falls back to the
//     caller's credentials, reading only the bootstrap version parameter.
//   - A Session Manager shell on app instances only, with the plain shell document (no port
//     forwarding), and only one's own sessions to resume or end.
//   - Parameters (Parameter Store) under the app's names, and the app's KMS keys (by the app tag)
//     to encrypt and decrypt, never to change a key, its policy or its grants, nor to create one:
//     whoever creates a key writes its key policy, so app keys come from Terraform.
//   - Dashboards with app names.
//
// A resource in the scope that runs as a more powerful role (a stack, state machine or schedule
// named with the app prefix whose role is not an /app/ one) hands that role to every developer:
// the same contract as AppScope's.
func developerJobStatements(o Options) []Statement {
	p, scope := o.Partition, o.AppScope
	n := scope.NamePrefix
	arn := func(service, region, account, resource string) string {
		return "arn:" + p + ":" + service + ":" + region + ":" + account + ":" + resource
	}
	apis := func(suffix string) []string {
		return []string{arn("apigateway", "*", "", "/restapis"+suffix), arn("apigateway", "*", "", "/apis"+suffix)}
	}
	createAPI := allow("AppAPICreate", []string{"apigateway:POST"}, apis("")...)
	createAPI.Condition = scope.requestTagCondition()
	operateAPI := allow("AppAPIs", []string{
		"apigateway:DELETE",
		"apigateway:GET",
		"apigateway:PATCH",
		"apigateway:POST",
		"apigateway:PUT",
	}, apis("/*")...)
	operateAPI.Condition = scope.resourceTagCondition()
	listAPIs := allow("ListAPIs", []string{"apigateway:GET"}, apis("")...)

	rules := arn("events", "*", "*", "rule/"+n+"*")
	events := allow("AppEventRules", []string{
		"events:DeleteRule",
		"events:DescribeRule",
		"events:DisableRule",
		"events:EnableRule",
		"events:ListTargetsByRule",
		"events:PutRule",
		"events:RemoveTargets",
		"events:TagResource",
		"events:UntagResource",
		"events:CreateEventBus",
		"events:DeleteEventBus",
		"events:DescribeEventBus",
		"events:PutEvents",
	}, rules, arn("events", "*", "*", "event-bus/"+n+"*"))
	targets := allow("AppEventTargets", []string{"events:PutTargets"}, rules)
	targets.Condition = map[string]map[string][]string{
		"Null":                 {"events:TargetArn": {"false"}},
		"ForAllValues:ArnLike": {"events:TargetArn": scope.eventTargetARNs(p)},
	}
	schedules := allow("AppSchedules", []string{
		"scheduler:CreateSchedule",
		"scheduler:CreateScheduleGroup",
		"scheduler:DeleteSchedule",
		"scheduler:DeleteScheduleGroup",
		"scheduler:GetSchedule",
		"scheduler:GetScheduleGroup",
		"scheduler:UpdateSchedule",
	}, arn("scheduler", "*", "*", "schedule/*/"+n+"*"), arn("scheduler", "*", "*", "schedule/"+n+"*"),
		arn("scheduler", "*", "*", "schedule-group/"+n+"*"))
	states := allow("AppStateMachines", []string{
		"states:CreateStateMachine",
		"states:DeleteStateMachine",
		"states:DeleteStateMachineVersion",
		"states:DescribeExecution",
		"states:DescribeMapRun",
		"states:DescribeStateMachine",
		"states:DescribeStateMachineForExecution",
		"states:GetExecutionHistory",
		"states:ListExecutions",
		"states:ListMapRuns",
		"states:ListStateMachineVersions",
		"states:ListTagsForResource",
		"states:PublishStateMachineVersion",
		"states:RedriveExecution",
		"states:StartExecution",
		"states:StartSyncExecution",
		"states:StopExecution",
		"states:TagResource",
		"states:UntagResource",
		"states:UpdateStateMachine",
	}, scope.stateMachineARNs(p)...)
	stacks := allow("AppStacks", []string{
		"cloudformation:CancelUpdateStack",
		"cloudformation:ContinueUpdateRollback",
		"cloudformation:CreateChangeSet",
		"cloudformation:CreateStack",
		"cloudformation:DeleteChangeSet",
		"cloudformation:DeleteStack",
		"cloudformation:DescribeChangeSet",
		"cloudformation:DescribeStackEvents",
		"cloudformation:DescribeStackResource",
		"cloudformation:DescribeStackResources",
		"cloudformation:DescribeStacks",
		"cloudformation:ExecuteChangeSet",
		"cloudformation:GetTemplate",
		"cloudformation:ListChangeSets",
		"cloudformation:ListStackResources",
		"cloudformation:RollbackStack",
		"cloudformation:SignalResource",
		"cloudformation:UpdateStack",
	}, arn("cloudformation", "*", "*", "stack/"+n+"*"))
	// SAM's transform (AWS::Serverless-2016-10-31), owned by AWS; a macro of this account is
	// someone else's function.
	transforms := allow("SAMTransform", []string{"cloudformation:CreateChangeSet"}, arn("cloudformation", "*", "aws", "transform/"+SAMTransform))
	params := allow("AppParameters", []string{
		"ssm:AddTagsToResource",
		"ssm:DeleteParameter",
		"ssm:DeleteParameters",
		"ssm:GetParameter",
		"ssm:GetParameterHistory",
		"ssm:GetParameters",
		"ssm:GetParametersByPath",
		"ssm:LabelParameterVersion",
		"ssm:ListTagsForResource",
		"ssm:PutParameter",
		"ssm:RemoveTagsFromResource",
		"ssm:UnlabelParameterVersion",
	}, scope.parameterARNs(p)...)
	// AWS's public parameters (latest AMIs, regions) and the CDK bootstrap version: no secrets.
	public := allow("PublicParameters", []string{"ssm:GetParameter", "ssm:GetParameters"},
		arn("ssm", "*", "", "parameter/aws/service/*"), arn("ssm", "*", "*", "parameter/cdk-bootstrap/*/version"))
	sessionDoc := allow("AppSessionDocument", []string{"ssm:StartSession"}, arn("ssm", "*", "*", "document/"+SysAdminSessionDocument))
	sessions := allow("AppSessions", []string{"ssm:StartSession"}, ec2ARN(p, "instance/*"))
	sessions.Condition = scope.resourceTagCondition()
	own := allow("OwnAppSessions", []string{"ssm:ResumeSession", "ssm:TerminateSession"}, arn("ssm", "*", "*", "session/${aws:username}-*"))
	keys := allow("UseAppKeys", []string{
		"kms:Decrypt",
		"kms:DescribeKey",
		"kms:Encrypt",
		"kms:GenerateDataKey",
		"kms:GenerateDataKeyWithoutPlaintext",
		"kms:ReEncryptFrom",
		"kms:ReEncryptTo",
	}, arn("kms", "*", "*", "key/*"))
	keys.Condition = scope.resourceTagCondition()
	dashboards := allow("AppDashboards", []string{"cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard"},
		arn("cloudwatch", "", "*", "dashboard/"+n+"*"))
	reads := allow("DeveloperJobReads", []string{
		"cloudformation:GetTemplateSummary",
		"cloudformation:ListStacks",
		"cloudformation:ValidateTemplate",
		"events:ListEventBuses",
		"events:ListRuleNamesByTarget",
		"events:ListRules",
		"kms:ListAliases",
		"kms:ListKeys",
		"scheduler:ListScheduleGroups",
		"scheduler:ListSchedules",
		"ssm:DescribeInstanceInformation",
		"ssm:DescribeParameters",
		"ssm:DescribeSessions",
		"ssm:GetConnectionStatus",
		"states:ListActivities",
		"states:ListStateMachines",
		"states:ValidateStateMachineDefinition",
	})
	return []Statement{createAPI, operateAPI, listAPIs, events, targets, schedules, states, stacks, transforms,
		params, public, sessionDoc, sessions, own, keys, dashboards, reads}
}

// SAMTransform is the CloudFormation transform of SAM templates, the one transform Developers'
// change sets may name.
const SAMTransform = "Serverless-2016-10-31"

// stateMachineARNs are the app's state machines (with their versions and aliases), their
// executions, express executions and map runs.
func (a AppScope) stateMachineARNs(partition string) []string {
	out := make([]string, 0, 4)
	for _, r := range []string{"stateMachine", "execution", "express", "mapRun"} {
		out = append(out, "arn:"+partition+":states:*:*:"+r+":"+a.NamePrefix+"*")
	}
	return out
}

// parameterARNs are the app's parameters: names starting with the prefix (acme-app-db,
// /acme-app-web/db) and the hierarchy named by the prefix without its last character
// (/acme-app and everything under /acme-app/), so GetParametersByPath works on it.
func (a AppScope) parameterARNs(partition string) []string {
	stem := strings.TrimRight(a.NamePrefix, "-_")
	base := "arn:" + partition + ":ssm:*:*:parameter/"
	return []string{base + a.NamePrefix + "*", base + stem, base + stem + "/*"}
}

// eventTargetARNs are what an app event rule may deliver to: the app's functions, queues,
// topics, state machines, log groups, clusters, build projects, pipelines and event buses, in
// this account only (a queue or bus with an app name in another account would carry the
// account's events out).
func (a AppScope) eventTargetARNs(partition string) []string {
	n := a.NamePrefix
	arn := func(service, resource string) string {
		return "arn:" + partition + ":" + service + ":*:${aws:PrincipalAccount}:" + resource
	}
	return []string{
		arn("lambda", "function:"+n+"*"),
		arn("sqs", n+"*"),
		arn("sns", n+"*"),
		arn("states", "stateMachine:"+n+"*"),
		arn("logs", "log-group:/aws/events/"+n+"*"),
		arn("ecs", "cluster/"+n+"*"),
		arn("codebuild", "project/"+n+"*"),
		arn("codepipeline", n+"*"),
		arn("events", "event-bus/"+n+"*"),
	}
}
