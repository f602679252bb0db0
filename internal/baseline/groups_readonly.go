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
		allow("ReadCommonServices", slices.Clone(readOnlyActions)),
		allow("ReadAPIGatewayConfiguration", []string{"apigateway:GET"}, apiGateway...),
	}
	if !o.OmitReadOnlyCostExplorer {
		stmts = append(stmts, allow(ReadOnlyCostExplorerSid, slices.Clone(ReadOnlyCostExplorerActions)))
	}
	return stmts
}
