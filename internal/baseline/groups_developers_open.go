package baseline

import "slices"

// What Developers may do on their app's resources, without changing who can reach them (issue 21,
// class changes-who-can-reach: "sharing or opening an app resource to another principal is an
// account owner's decision"). Service wildcards (lambda:*, ecr:*, dynamodb:*, ec2:* on tagged
// resources) would grant resource policies, permissions, sharing, replication to other regions or
// accounts, table exports, function URLs and network paths, so each service is listed by the
// narrowest wildcards that leave those out (the grant table checks every one of them against the
// catalogue: a wildcard that grows into a forbidden action when AWS adds one fails TestGrantTable).
// Every pattern also matches an action of the shipped action list the plan's lint checks against
// (data/iam-actions.txt.gz, older than the catalogue), so actions only the catalogue knows (EC2
// application associations, DynamoDB search, Lambda MicroVMs and network connectors) are not granted
// until that list is regenerated and a pattern is added for them.
//
// Left out, and why (Terraform, run by an account owner, does them):
//
//   - Lambda: AddPermission but to API Gateway and EventBridge (AppFunctionInvokers), RemovePermission,
//     AddLayerVersionPermission, RemoveLayerVersionPermission, function URL configs (an auth type
//     NONE URL publishes the function), resource policies and cross-region replication.
//   - ECR: repository and registry policies, replication, pull-through cache rules and lifecycle
//     policies.
//   - DynamoDB: resource policies, replicas and global-table replication settings, exports to S3,
//     the ABAC switch.
//   - SQS: AddPermission, RemovePermission and SetQueueAttributes (it writes the queue policy).
//   - Secrets Manager: resource policies.
//   - CodeBuild: resource policies (projects and report groups shared with other accounts).
//   - CloudWatch: only what applies to alarms (the app's CloudWatch resources): no access grants or
//     profiles, no organization domains.
//   - ECS: vended log delivery for a resource (it lets a log destination write).
//   - EC2 (on app-tagged resources): image and snapshot sharing and block public access, address
//     transfers, network paths (routes, gateways, endpoints, peering, VPN, transit gateways,
//     security groups, network ACLs), network interface permissions.

// developerAppResourceActions are what Developers may do on the app's named resources
// (AppScope.appARNs). The app boundary's roles keep appResourceActions.
func developerAppResourceActions() []string {
	return slices.Concat(
		[]string{
			"codedeploy:*Application*",
			"codedeploy:*Deployment",
			"codedeploy:BatchGetDeploymentInstances",
			"codedeploy:GetDeploymentConfig",
			"codedeploy:GetDeploymentGroup",
			"codedeploy:GetDeploymentInstance",
			"codepipeline:*",
			"logs:*",
			"sns:*",
		},
		developerCloudWatchAlarmActions,
		developerCodeBuildActions,
		developerDynamoDBActions,
		developerECRActions,
		developerLambdaActions,
		developerSecretsActions,
		developerSQSActions,
	)
}

// developerCloudWatchAlarmActions apply to alarms, the only CloudWatch resources of appARNs.
var developerCloudWatchAlarmActions = []string{
	"cloudwatch:DeleteAlarms",
	"cloudwatch:Describe*",
	"cloudwatch:Disable*",
	"cloudwatch:Enable*",
	"cloudwatch:List*",
	"cloudwatch:Put*",
	"cloudwatch:Set*",
	"cloudwatch:Tag*",
	"cloudwatch:Untag*",
}

var developerCodeBuildActions = []string{
	"codebuild:Batch*",
	"codebuild:Create*",
	"codebuild:DeleteBuild*",
	"codebuild:DeleteFleet",
	"codebuild:DeleteO*",
	"codebuild:DeleteProject",
	"codebuild:DeleteReport*",
	"codebuild:DeleteSource*",
	"codebuild:DeleteWebhook",
	"codebuild:Describe*",
	"codebuild:Get*",
	"codebuild:Import*",
	"codebuild:Invalidate*",
	"codebuild:List*",
	"codebuild:Persist*",
	"codebuild:Retry*",
	"codebuild:Start*",
	"codebuild:Stop*",
	"codebuild:Update*",
}

var developerDynamoDBActions = []string{
	"dynamodb:Batch*",
	"dynamodb:Condition*",
	"dynamodb:CreateBackup",
	"dynamodb:CreateGlobal*",
	"dynamodb:CreateTable",
	"dynamodb:DeleteBackup",
	"dynamodb:DeleteGlobal*",
	"dynamodb:DeleteItem",
	"dynamodb:DeleteTable",
	"dynamodb:Describe*",
	"dynamodb:Disable*",
	"dynamodb:Enable*",
	"dynamodb:Get*",
	"dynamodb:Import*",
	"dynamodb:Inject*",
	"dynamodb:List*",
	"dynamodb:Parti*",
	"dynamodb:Purchase*",
	"dynamodb:PutItem",
	"dynamodb:Query",
	"dynamodb:Read*",
	"dynamodb:Restore*",
	"dynamodb:Scan",
	"dynamodb:Start*",
	"dynamodb:Tag*",
	"dynamodb:Untag*",
	"dynamodb:UpdateContinuous*",
	"dynamodb:UpdateContributor*",
	"dynamodb:UpdateGlobal*",
	"dynamodb:UpdateItem",
	"dynamodb:UpdateKinesis*",
	"dynamodb:UpdateTable",
	"dynamodb:UpdateTime*",
}

var developerECRActions = []string{
	"ecr:Batch*",
	"ecr:Complete*",
	"ecr:CreateRepository*",
	"ecr:DeleteRepository",
	"ecr:DeleteRepositoryCreation*",
	"ecr:DeleteSigning*",
	"ecr:Deregister*",
	"ecr:Describe*",
	"ecr:Get*",
	"ecr:Initiate*",
	"ecr:List*",
	"ecr:PutAccount*",
	"ecr:PutImage*",
	"ecr:PutRegistryScanning*",
	"ecr:PutSigning*",
	"ecr:Register*",
	"ecr:Replicate*",
	"ecr:StartImage*",
	"ecr:Tag*",
	"ecr:Untag*",
	"ecr:UpdateImage*",
	"ecr:UpdateRepository*",
	"ecr:Upload*",
	"ecr:Validate*",
}

// developerLambdaActions apply to functions (with their versions, aliases and durable executions),
// layers and layer versions, the Lambda resources of appARNs (event source mappings are AppEventSources', invoke permissions AppFunctionInvokers').
var developerLambdaActions = []string{
	"lambda:CheckpointDurable*",
	"lambda:CreateAlias",
	"lambda:CreateFunction",
	"lambda:DeleteAlias",
	"lambda:DeleteFunction",
	"lambda:DeleteFunctionCode*",
	"lambda:DeleteFunctionConcurrency",
	"lambda:DeleteFunctionEvent*",
	"lambda:DeleteLayer*",
	"lambda:DeleteProvisioned*",
	"lambda:Get*",
	"lambda:Invoke*",
	"lambda:List*",
	"lambda:Publish*",
	"lambda:PutFunction*",
	"lambda:PutProvisioned*",
	"lambda:PutRuntime*",
	"lambda:SendDurable*",
	"lambda:StopDurable*",
	"lambda:Tag*",
	"lambda:Untag*",
	"lambda:UpdateAlias",
	"lambda:UpdateFunctionCode*",
	"lambda:UpdateFunctionConfiguration",
	"lambda:UpdateFunctionEvent*",
}

var developerSecretsActions = []string{
	"secretsmanager:Batch*",
	"secretsmanager:Cancel*",
	"secretsmanager:Create*",
	"secretsmanager:DeleteSecret",
	"secretsmanager:Describe*",
	"secretsmanager:Get*",
	"secretsmanager:List*",
	"secretsmanager:PutSecret*",
	"secretsmanager:Remove*",
	"secretsmanager:Replicate*",
	"secretsmanager:Restore*",
	"secretsmanager:Rotate*",
	"secretsmanager:Stop*",
	"secretsmanager:Tag*",
	"secretsmanager:Untag*",
	"secretsmanager:Update*",
}

var developerSQSActions = []string{
	"sqs:Cancel*",
	"sqs:Change*",
	"sqs:Create*",
	"sqs:Delete*",
	"sqs:Get*",
	"sqs:List*",
	"sqs:Purge*",
	"sqs:Receive*",
	"sqs:Send*",
	"sqs:Start*",
	"sqs:Tag*",
	"sqs:Untag*",
}

// developerECSActions are ecs:* but vended log delivery.
var developerECSActions = []string{
	"ecs:Continue*",
	"ecs:Create*",
	"ecs:Delete*",
	"ecs:Deregister*",
	"ecs:Describe*",
	"ecs:Discover*",
	"ecs:Execute*",
	"ecs:Get*",
	"ecs:List*",
	"ecs:Poll",
	"ecs:Put*",
	"ecs:Register*",
	"ecs:Run*",
	"ecs:Start*",
	"ecs:Stop*",
	"ecs:Submit*",
	"ecs:Tag*",
	"ecs:Untag*",
	"ecs:Update*",
}

// developerContainersStatement is appContainersStatement without the actions that change who can
// reach a container resource.
func developerContainersStatement(p string, scope AppScope) Statement {
	s := appContainersStatement(p, scope)
	s.Action = slices.Clone(developerECSActions)
	return s
}

// developerFunctionInvokersStatement lets API Gateway and EventBridge, and only those services,
// invoke an app function: what an API integration and an event rule's function target need.
// lambda:Principal is the principal the permission names, so no other account, no "*" and no
// public function URL can be added. IAM has no key for the permission's SourceArn, so the
// permission Terraform or the console writes should name it (the confused deputy: an API of
// another account naming the function).
func developerFunctionInvokersStatement(p string, scope AppScope) Statement {
	s := allow("AppFunctionInvokers", []string{"lambda:AddPermission", "lambda:RemovePermission"}, "arn:"+p+":lambda:*:*:function:"+scope.NamePrefix+"*")
	s.Condition = map[string]map[string][]string{"StringEquals": {"lambda:Principal": {"apigateway.amazonaws.com", "events.amazonaws.com"}}}
	return s
}

// developerEC2Statements are appEC2Statements with AppEC2Operate's ec2:* narrowed to what applies
// to instances, volumes, snapshots, images and launch templates and does not share or open them
// (SysAdmins keep the shared helper's ec2:*).
func developerEC2Statements(o Options) []Statement {
	stmts := appEC2Statements(o)
	for i, s := range stmts {
		if s.Sid == "AppEC2Operate" {
			stmts[i].Action = append(slices.Clone(developerEC2OperateActions), "ec2-instance-connect:SendSSHPublicKey")
		}
	}
	return stmts
}

var developerEC2OperateActions = []string{
	"ec2:AssociateIam*",
	"ec2:AttachClassic*",
	"ec2:AttachNetwork*",
	"ec2:AttachVolume",
	"ec2:Copy*",
	"ec2:CreateDelegate*",
	"ec2:CreateFleet",
	"ec2:CreateImage*",
	"ec2:CreateInstance*",
	"ec2:CreateLaunch*",
	"ec2:CreateMac*",
	"ec2:CreateNetworkInsights*",
	"ec2:CreateReplace*",
	"ec2:CreateRestore*",
	"ec2:CreateSnapshot",
	"ec2:CreateSnapshots",
	"ec2:CreateStore*",
	"ec2:CreateTags",
	"ec2:CreateVolume",
	"ec2:DeleteLaunch*",
	"ec2:DeleteSnapshot",
	"ec2:DeleteTags",
	"ec2:DeleteVolume",
	"ec2:DeregisterImage",
	"ec2:Describe*",
	"ec2:DetachClassic*",
	"ec2:DetachNetwork*",
	"ec2:DetachVolume",
	"ec2:DisableFast*",
	"ec2:DisableImage",
	"ec2:DisableImageDeprecation",
	"ec2:DisableImageDeregistration*",
	"ec2:DisableInstance*",
	"ec2:DisassociateIam*",
	"ec2:EnableFast*",
	"ec2:EnableImage",
	"ec2:EnableImageDeprecation",
	"ec2:EnableImageDeregistration*",
	"ec2:EnableInstance*",
	"ec2:EnableVolume*",
	"ec2:ExportImage",
	"ec2:Get*",
	"ec2:ImportImage",
	"ec2:ImportInstance",
	"ec2:ImportSnapshot",
	"ec2:ImportVolume",
	"ec2:Inject*",
	"ec2:Lock*",
	"ec2:ModifyFleet",
	"ec2:ModifyInstance*",
	"ec2:ModifyLaunch*",
	"ec2:ModifyNetwork*",
	"ec2:ModifyPrivate*",
	"ec2:ModifySnapshotTier",
	"ec2:ModifySpot*",
	"ec2:ModifyVolume*",
	"ec2:Monitor*",
	"ec2:Pause*",
	"ec2:Reboot*",
	"ec2:RegisterImage",
	"ec2:ReplaceIam*",
	"ec2:ReplaceImage*",
	"ec2:Report*",
	"ec2:Request*",
	"ec2:ResetInstance*",
	"ec2:RestoreImage*",
	"ec2:RestoreSnapshot*",
	"ec2:RestoreVolume*",
	"ec2:Run*",
	"ec2:Send*",
	"ec2:StartInstances",
	"ec2:Stop*",
	"ec2:TerminateInstances",
	"ec2:Unlock*",
	"ec2:Unmonitor*",
}

// developerEC2Describes are ec2:Describe* but instance attributes (user data) and launch template
// versions (their user data): those are read on app-tagged instances only (AppEC2Operate), and
// launch template versions not at all (the API cannot be scoped to a template).
var developerEC2Describes = []string{
	"ec2:DescribeAccount*",
	"ec2:DescribeAddress*",
	"ec2:DescribeAggregate*",
	"ec2:DescribeAvailability*",
	"ec2:DescribeAws*",
	"ec2:DescribeBundle*",
	"ec2:DescribeByoip*",
	"ec2:DescribeCapacity*",
	"ec2:DescribeCarrier*",
	"ec2:DescribeClassic*",
	"ec2:DescribeClient*",
	"ec2:DescribeCoip*",
	"ec2:DescribeConversion*",
	"ec2:DescribeCustomer*",
	"ec2:DescribeDeclarative*",
	"ec2:DescribeDhcp*",
	"ec2:DescribeEgress*",
	"ec2:DescribeElastic*",
	"ec2:DescribeExport*",
	"ec2:DescribeFast*",
	"ec2:DescribeFleet*",
	"ec2:DescribeFlow*",
	"ec2:DescribeFpga*",
	"ec2:DescribeHost*",
	"ec2:DescribeIam*",
	"ec2:DescribeId*",
	"ec2:DescribeImage*",
	"ec2:DescribeImport*",
	"ec2:DescribeInstanceConnect*",
	"ec2:DescribeInstanceCredit*",
	"ec2:DescribeInstanceEvent*",
	"ec2:DescribeInstanceImage*",
	"ec2:DescribeInstanceSql*",
	"ec2:DescribeInstanceStatus",
	"ec2:DescribeInstanceTopology",
	"ec2:DescribeInstanceType*",
	"ec2:DescribeInstances",
	"ec2:DescribeInternet*",
	"ec2:DescribeIpam*",
	"ec2:DescribeIpv6*",
	"ec2:DescribeKey*",
	"ec2:DescribeLaunchTemplates",
	"ec2:DescribeLocal*",
	"ec2:DescribeLocked*",
	"ec2:DescribeMac*",
	"ec2:DescribeManaged*",
	"ec2:DescribeMoving*",
	"ec2:DescribeNat*",
	"ec2:DescribeNetwork*",
	"ec2:DescribeOutpost*",
	"ec2:DescribePlacement*",
	"ec2:DescribePrefix*",
	"ec2:DescribePrincipal*",
	"ec2:DescribePublic*",
	"ec2:DescribeRegions",
	"ec2:DescribeReplace*",
	"ec2:DescribeReserved*",
	"ec2:DescribeRoute*",
	"ec2:DescribeScheduled*",
	"ec2:DescribeSecondary*",
	"ec2:DescribeSecurity*",
	"ec2:DescribeService*",
	"ec2:DescribeSnapshot*",
	"ec2:DescribeSpot*",
	"ec2:DescribeStale*",
	"ec2:DescribeStore*",
	"ec2:DescribeSubnets",
	"ec2:DescribeTags",
	"ec2:DescribeTraffic*",
	"ec2:DescribeTransit*",
	"ec2:DescribeTrunk*",
	"ec2:DescribeVerified*",
	"ec2:DescribeVolume*",
	"ec2:DescribeVpc*",
	"ec2:DescribeVpn*",
}
