package baseline

import "slices"

// Developers create, deploy and operate what is in the app scope (AppScope) and nothing outside
// it: Lambda functions and layers, containers (ECS clusters, services, tasks and task
// definitions; ECR repositories), EC2 instances and their disks, images and launch templates
// (by the app tag), builds, deployments and pipelines, logs, alarms and dashboards, tables,
// queues, topics and secrets, and the S3 buckets in DeveloperS3BucketARNs. Their compute runs
// only as roles under AppScope.RolePath (iam:PassRole is limited to them, and to the services the
// app uses: AppServicePrincipals). With Options.DelegateAppRoles they also create and change those
// roles, only under the app permissions boundary (groups_developers_roles.go). They read the metadata they need to work (Describe and
// List calls, CloudWatch metrics) everywhere, but code, images, logs, items, messages and secret
// values only inside the scope.
//
// Outside the scope every write is implicitly denied: updating another function's code, starting
// another project's build, pushing to another repository, deploying to another deployment group,
// running another task definition or in another cluster, rewriting an untagged instance's user
// data or profile, copying an untagged volume, snapshot or image. CodeDeploy deployment groups
// (which pick their target instances by tag) are left to Terraform: a developer who could create
// one could deploy to any instance. The rest of the job (APIs, event rules and schedules, state
// machines, stacks, Session Manager, parameters, keys, dashboards) is in groups_developers_job.go.
func developerStatements(o Options) []Statement {
	p, scope := o.Partition, o.AppScope
	events := allow("AppEventSources", []string{"lambda:*EventSourceMapping"})
	events.Condition = map[string]map[string][]string{
		"ArnLike": {"lambda:FunctionArn": {"arn:" + p + ":lambda:*:*:function:" + scope.NamePrefix + "*"}},
	}
	containers := developerContainersStatement(p, scope)
	// Metadata everywhere, but the secret-bearing kind (instance attributes, launch template
	// versions, task definitions, function versions, deployment groups and targets) only where
	// AppResources, AppContainers and AppEC2Operate scope it (groups_developers_open.go): the
	// deployment instances' script log tails (codedeploy:BatchGetDeploymentInstances) only of app
	// deployment groups, and no deployment targets' (BatchGetDeploymentTargets has no resource type).
	// Not lambda:ListFunctions: IAM authorizes it on "*" only and it returns every function's
	// environment variables. Developers open an app function by name (GetFunction and
	// GetFunctionConfiguration on app functions, AppResources) and list the app's functions, ARNs and
	// tags only, with the Resource Groups Tagging API (tag:GetResources).
	reads := slices.Concat([]string{
		"cloudwatch:Describe*",
		"cloudwatch:Get*",
		"cloudwatch:List*",
		"codebuild:List*",
		"codedeploy:BatchGetApplication*",
		"codedeploy:BatchGetDeploymentGroups",
		"codedeploy:BatchGetDeployments",
		"codedeploy:BatchGetOnPremisesInstances",
		"codedeploy:GetApplication*",
		"codedeploy:GetDeployment",
		"codedeploy:GetOn*",
		"codedeploy:List*",
		"codepipeline:List*",
		"dynamodb:Describe*",
		"dynamodb:List*",
		"ecr:Describe*",
		"ecr:GetAuthorizationToken",
		"ecr:List*",
		"ecs:DescribeCapacity*",
		"ecs:DescribeClusters",
		"ecs:DescribeContainer*",
		"ecs:DescribeDaemon*",
		"ecs:DescribeExpress*",
		"ecs:DescribeService*",
		"ecs:DescribeTaskSets",
		"ecs:DescribeTasks",
		"ecs:List*",
		"iam:Get*",
		"iam:List*",
		"lambda:GetAccountSettings",
		"lambda:ListAliases",
		"lambda:ListCapacity*",
		"lambda:ListCode*",
		"lambda:ListDurable*",
		"lambda:ListEvent*",
		"lambda:ListLayer*",
		"lambda:ListProvisioned*",
		"lambda:ListTags",
		"logs:Describe*",
		"s3:GetBucketLocation",
		"s3:ListAllMyBuckets",
		"secretsmanager:ListSecrets",
		"sns:ListTopics",
		"sqs:ListQueues",
		"tag:GetResources",
	}, actionsExcept("lambda:ListFunction*", "lambda:ListFunctions"), developerEC2Describes)
	stmts := []Statement{
		allow("DeveloperReads", SortedUnique(reads)),
		allow("AppResources", developerAppResourceActions(), scope.appARNs(p)...),
		containers,
		events,
		developerFunctionInvokersStatement(p, scope),
	}
	stmts = append(stmts, developerBucketStatements(o)...)
	stmts = append(stmts, developerEC2Statements(o)...)
	stmts = append(stmts, passAppRolesStatement(p, scope, "cloudformation.amazonaws.com"))
	stmts = append(stmts, developerRoleStatements(o)...)
	return append(stmts, developerJobStatements(o)...)
}

// appResourceActions are what Developers (and, under the app boundary, the app's own roles) may do
// on the app's named resources (AppScope.appARNs).
func appResourceActions() []string {
	return []string{
		"cloudwatch:*",
		"codebuild:*",
		"codedeploy:*Application*",
		"codedeploy:*Deployment",
		"codepipeline:*",
		"dynamodb:*",
		"ecr:*",
		"lambda:*",
		"logs:*",
		"secretsmanager:*",
		"sns:*",
		"sqs:*",
	}
}

func appContainersStatement(p string, scope AppScope) Statement {
	containers := allow("AppContainers", []string{"ecs:*"}, scope.ecsARNs(p)...)
	// The cluster a task runs in and the task definition a service runs are condition keys, not
	// resources: without this a developer could run an app task in another cluster (next to its
	// instances' roles) or point an app service at another team's task definition.
	containers.Condition = map[string]map[string][]string{
		"ArnLikeIfExists": {
			"ecs:cluster":         {"arn:" + p + ":ecs:*:*:cluster/" + scope.NamePrefix + "*"},
			"ecs:task-definition": {"arn:" + p + ":ecs:*:*:task-definition/" + scope.NamePrefix + "*"},
		},
	}
	return containers
}

func developerBucketStatements(o Options) []Statement {
	if len(o.DeveloperS3BucketARNs) == 0 {
		return nil
	}
	resources := slices.Clone(o.DeveloperS3BucketARNs)
	for _, b := range o.DeveloperS3BucketARNs {
		resources = append(resources, b+"/*")
	}
	// Buckets and their objects in one statement: a bucket action never applies to an object ARN
	// nor an object action to a bucket ARN. No bucket policy, ACL, public access block, CORS or
	// replication: those would publish or copy the data out; no versioning switch or bucket tags
	// either (suspending versioning shortens what a delete leaves behind).
	return []Statement{allow(DeveloperBucketsSid, []string{
		"s3:*Object",
		"s3:*ObjectTagging",
		"s3:*ObjectVersion",
		"s3:AbortMultipartUpload",
		"s3:CreateBucket",
		"s3:DeleteBucket",
		"s3:Get*",
		"s3:List*",
		"s3:PutEncryptionConfiguration",
		"s3:PutLifecycleConfiguration",
	}, resources...)}
}

// DeveloperBucketsSid names the statement that lists DeveloperS3BucketARNs and their objects.
const DeveloperBucketsSid = "DeveloperBuckets"
