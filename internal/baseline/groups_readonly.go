package baseline

import "slices"

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
// logs:ListAnomalies with sample log lines). Metadata that embeds secrets is
// left out the same way (issue 21): function configurations with their
// environment (lambda:GetFunctionConfiguration, lambda:ListFunctions,
// lambda:ListVersionsByFunction), task definitions (ecs:DescribeTaskDefinition),
// instance and launch template user data (ec2:DescribeInstanceAttribute,
// ec2:DescribeLaunchTemplateVersions, autoscaling:DescribeLaunchConfigurations),
// Run Command output (ssm:ListCommandInvocations); so the Describe* and List*
// wildcards of those services are narrowed by a longer prefix that matches all
// of their actions but these, and the grant table (granttable.go) classifies
// every action a narrowed wildcard matches, AWS's future ones included.
var readOnlyActions = []string{
	"acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate",
	"autoscaling:DescribeA*", "autoscaling:DescribeI*", "autoscaling:DescribeLi*", "autoscaling:DescribeLo*",
	"autoscaling:DescribeM*", "autoscaling:DescribeN*", "autoscaling:DescribeP*", "autoscaling:DescribeS*",
	"autoscaling:DescribeT*", "autoscaling:DescribeW*",
	"backup:Describe*",
	"cloudformation:Describe*", "cloudformation:List*",
	"cloudfront:List*",
	"cloudtrail:Describe*", "cloudtrail:GetTrailStatus", "cloudtrail:List*", "cloudtrail:LookupEvents",
	"cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*",
	"codebuild:List*",
	"codedeploy:List*",
	"codepipeline:List*",
	"config:Describe*", "config:List*",
	"dynamodb:Describe*", "dynamodb:List*",
	"ec2:DescribeA*", "ec2:DescribeB*", "ec2:DescribeC*", "ec2:DescribeD*", "ec2:DescribeE*", "ec2:DescribeF*",
	"ec2:DescribeH*", "ec2:DescribeIa*", "ec2:DescribeId*", "ec2:DescribeIm*", "ec2:DescribeInstanceC*",
	"ec2:DescribeInstanceE*", "ec2:DescribeInstanceI*", "ec2:DescribeInstanceS*", "ec2:DescribeInstanceT*",
	"ec2:DescribeInstances", "ec2:DescribeInt*", "ec2:DescribeIp*", "ec2:DescribeK*", "ec2:DescribeLaunchTemplates",
	"ec2:DescribeLo*", "ec2:DescribeM*", "ec2:DescribeN*", "ec2:DescribeO*", "ec2:DescribeP*", "ec2:DescribeR*",
	"ec2:DescribeS*", "ec2:DescribeT*", "ec2:DescribeV*",
	"ecr:Describe*", "ecr:List*",
	"ecs:DescribeC*", "ecs:DescribeD*", "ecs:DescribeE*", "ecs:DescribeS*", "ecs:DescribeTaskS*", "ecs:DescribeTasks", "ecs:List*",
	"eks:Describe*", "eks:List*",
	"elasticache:Describe*",
	"elasticloadbalancing:Describe*",
	"guardduty:Get*", "guardduty:List*",
	"iam:Get*", "iam:List*",
	"kms:Describe*", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:List*",
	"lambda:GetAccountSettings", "lambda:GetAlias", "lambda:GetEventSourceMapping",
	"lambda:GetFunctionConcurrency", "lambda:GetFunctionEventInvokeConfig",
	"lambda:GetFunctionUrlConfig", "lambda:GetPolicy", "lambda:GetProvisionedConcurrencyConfig",
	"lambda:ListA*", "lambda:ListC*", "lambda:ListD*", "lambda:ListE*", "lambda:ListFunctionE*", "lambda:ListFunctionU*",
	"lambda:ListFunctionV*", "lambda:ListFunctionsB*", "lambda:ListL*", "lambda:ListP*",
	"lambda:ListT*",
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
	"ssm:Describe*", "ssm:ListA*", "ssm:ListCommands", "ssm:ListComp*", "ssm:ListD*", "ssm:ListI*",
	"ssm:ListN*", "ssm:ListO*", "ssm:ListR*", "ssm:ListT*",
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

// ReadOnlyCostExplorerActions are Cost Explorer's reads (costs, usage, forecasts, anomalies,
// recommendations), granted to ReadOnly unless Options.OmitReadOnlyCostExplorer is set. Every ce
// action these wildcards match is a Read or List of the Service Authorization Reference; costs and
// usage are the account's own figures, not data or secret values, but they do tell what the
// company spends on what, which some startups keep to the founders: hence the option.
var ReadOnlyCostExplorerActions = []string{"ce:Describe*", "ce:Get*", "ce:List*"}

// ReadOnlyCostExplorerSid names the statement of ReadOnlyCostExplorerActions.
const ReadOnlyCostExplorerSid = "ReadCostExplorer"

func readOnlyStatements(o Options) []Statement {
	apiGateway := make([]string, 0, len(readOnlyAPIGatewayPaths))
	for _, p := range readOnlyAPIGatewayPaths {
		apiGateway = append(apiGateway, "arn:"+o.Partition+":apigateway:*::"+p)
	}
	stmts := []Statement{
		allow("ReadCommonServices", slices.Concat(readOnlyActions, backupListActions)),
		allow("ReadAPIGatewayConfiguration", []string{"apigateway:GET"}, apiGateway...),
	}
	if !o.OmitReadOnlyCostExplorer {
		stmts = append(stmts, allow(ReadOnlyCostExplorerSid, slices.Clone(ReadOnlyCostExplorerActions)))
	}
	return stmts
}
