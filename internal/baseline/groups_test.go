package baseline

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func mustGroupPolicy(t *testing.T, key string, opts Options) PolicyDocument {
	t.Helper()
	doc, err := GroupPolicy(key, opts)
	if err != nil {
		t.Fatalf("GroupPolicy(%s): %v", key, err)
	}
	return doc
}

// mustGuarded is what a member of a group works under, MFA aside: the group's document and the
// guardrail policy every baseline group holds.
func mustGuarded(t *testing.T, key string, opts Options) []PolicyDocument {
	t.Helper()
	guard, err := GuardrailPolicy(opts)
	if err != nil {
		t.Fatalf("GuardrailPolicy: %v", err)
	}
	return []PolicyDocument{mustGroupPolicy(t, key, opts), guard}
}

func TestRoleKeys(t *testing.T) {
	want := []string{"Developers", "SysAdmins", "DatabaseAdmins", "ReadOnly"}
	if got := RoleKeys(); !slices.Equal(got, want) {
		t.Fatalf("RoleKeys() = %v, want %v", got, want)
	}
	for _, k := range want {
		if !ValidRoleKey(k) {
			t.Errorf("ValidRoleKey(%q) = false", k)
		}
	}
	for _, k := range []string{"", "developers", "Admins", "mfa", "ReadOnly "} {
		if ValidRoleKey(k) {
			t.Errorf("ValidRoleKey(%q) = true", k)
		}
		if _, err := GroupPolicy(k, Options{}); err == nil {
			t.Errorf("GroupPolicy(%q) accepted an unknown role key", k)
		}
	}
}

func TestAWSManagedPolicyARN(t *testing.T) {
	tests := []struct{ key, partition, want string }{
		{RoleDevelopers, "", "arn:aws:iam::aws:policy/PowerUserAccess"},
		{RoleSysAdmins, "aws", "arn:aws:iam::aws:policy/job-function/SystemAdministrator"},
		{RoleDatabaseAdmins, "aws", "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator"},
		{RoleReadOnly, "aws-us-gov", "arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess"},
		{"Unknown", "aws", ""},
	}
	for _, tt := range tests {
		if got := AWSManagedPolicyARN(tt.key, tt.partition); got != tt.want {
			t.Errorf("AWSManagedPolicyARN(%q, %q) = %q, want %q", tt.key, tt.partition, got, tt.want)
		}
	}
}

func TestNonWhitespaceLen(t *testing.T) {
	tests := map[string]int{"": 0, " \t\n": 0, `{ "a" : 1 }`: 7, "é x": 2}
	for s, want := range tests {
		if got := NonWhitespaceLen(s); got != want {
			t.Errorf("NonWhitespaceLen(%q) = %d, want %d", s, got, want)
		}
	}
}

// largestRealisticOptions: a startup with a long name prefix in every
// commercial region it is likely to use, a custom role path and a few
// explicitly named developer bucket besides a wildcard (more than that should
// use wildcards such as arn:aws:s3:::acme-dev-*: the Developers policy, the
// largest, has room for a wildcard and one named bucket besides ten regions and a long role path).
func largestRealisticOptions() Options {
	opts := Options{
		NamePrefix: "acme-",
		AllowedRegions: []string{
			"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2",
			"eu-central-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
		},
		AppScope: AppScope{RolePath: "/applications/workloads/"},
	}
	opts.DeveloperS3BucketARNs = append(opts.DeveloperS3BucketARNs, "arn:aws:s3:::acme-corp-dev-*")
	for i := range 1 {
		opts.DeveloperS3BucketARNs = append(opts.DeveloperS3BucketARNs,
			fmt.Sprintf("arn:aws:s3:::acme-corp-production-artifacts-%02d", i))
	}
	return opts
}

func TestGroupPoliciesFitManagedPolicyQuota(t *testing.T) {
	for _, key := range RoleKeys() {
		parts, err := GroupPolicyParts(key, largestRealisticOptions())
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range parts {
			js, err := doc.JSON()
			if err != nil {
				t.Fatal(err)
			}
			n := NonWhitespaceLen(js)
			if n > 6144 {
				t.Errorf("%s policy part %d is %d non-whitespace characters, over the 6,144 quota", key, i+1, n)
			}
			t.Logf("%s part %d of %d: %d of 6144 characters with the largest realistic options", key, i+1, len(parts), n)
		}
		if !reflect.DeepEqual(MergeParts(parts), mustGroupPolicy(t, key, largestRealisticOptions())) {
			t.Errorf("%s: the parts together are not the group's policy", key)
		}
	}
	mfa, err := MFAPolicy(true).JSON()
	if err != nil {
		t.Fatal(err)
	}
	if n := NonWhitespaceLen(mfa); n > 5120 {
		t.Errorf("MFA policy is %d characters; keep it under the 5,120 inline quota too", n)
	}
}

func TestGroupPolicyRejectsOversizedOptions(t *testing.T) {
	opts := Options{}
	for i := range 200 {
		opts.DeveloperS3BucketARNs = append(opts.DeveloperS3BucketARNs, fmt.Sprintf("arn:aws:s3:::bucket-%03d", i))
	}
	_, err := GroupPolicy(RoleDevelopers, opts)
	if err == nil || !strings.Contains(err.Error(), "quota") {
		t.Fatalf("want a quota error for 200 buckets, got %v", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"zero value", Options{}, ""},
		{"good", Options{AllowedRegions: []string{"us-gov-west-1", "eu-central-1"}, DeveloperS3BucketARNs: []string{"arn:aws:s3:::a-*"}, AppScope: AppScope{RolePath: "/a/b/"}}, ""},
		{"other partition", Options{Partition: "aws-cn", DeveloperS3BucketARNs: []string{"arn:aws-cn:s3:::b"}}, ""},
		{"bad region", Options{AllowedRegions: []string{"US-EAST-1"}}, "allowed_regions"},
		{"bucket name not ARN", Options{DeveloperS3BucketARNs: []string{"my-bucket"}}, "developer_s3_bucket_arns"},
		{"bucket in other partition", Options{DeveloperS3BucketARNs: []string{"arn:aws-cn:s3:::b"}}, "developer_s3_bucket_arns"},
		{"object ARN", Options{DeveloperS3BucketARNs: []string{"arn:aws:s3:::b/*"}}, "names objects"},
		{"path without trailing slash", Options{AppScope: AppScope{RolePath: "/app"}}, "app_scope.role_path"},
		{"path with wildcard", Options{AppScope: AppScope{RolePath: "/a*/"}}, "app_scope.role_path"},
		{"bad partition", Options{Partition: "azure"}, "partition"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one mentioning %q", err, tt.wantErr)
			}
			if _, gerr := GroupPolicy(RoleDevelopers, tt.opts); gerr == nil {
				t.Fatal("GroupPolicy accepted options Validate rejects")
			}
		})
	}
}

type capability struct {
	action   string
	resource string
	want     bool
}

func checkCapabilities(t *testing.T, doc PolicyDocument, caps []capability) {
	t.Helper()
	for _, c := range caps {
		if got := allowsWith([]PolicyDocument{doc}, c.action, c.resource, passContext(c.action)); got != c.want {
			verb := "cannot"
			if got {
				verb = "can"
			}
			t.Errorf("%s %s on %s, want allowed=%v", verb, c.action, c.resource, c.want)
		}
	}
}

// passContext is the context of a request: a PassRole hands the role to Lambda (a service every
// group that passes roles may pass them to).
func passContext(action string) map[string]string {
	if action == "iam:PassRole" {
		return map[string]string{"iam:PassedToService": "lambda.amazonaws.com"}
	}
	return nil
}

const (
	anyEC2Instance = "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"
	anyResource    = "*"
)

// writeActions are writes nobody but the group named in the comment may do.
var writeActions = []string{
	"s3:PutObject", "s3:DeleteObject", "s3:PutBucketPolicy", "s3:CreateBucket", "s3:DeleteBucket",
	"ec2:RunInstances", "ec2:TerminateInstances", "ec2:CreateVpc", "ec2:AuthorizeSecurityGroupIngress",
	"iam:CreateUser", "iam:AttachUserPolicy", "iam:PutGroupPolicy", "iam:CreateAccessKey", "iam:PassRole",
	"rds:DeleteDBInstance", "rds:CreateDBSnapshot", "lambda:UpdateFunctionCode", "lambda:CreateFunction",
	"dynamodb:PutItem", "sqs:SendMessage", "sns:Publish", "kms:CreateKey", "kms:ScheduleKeyDeletion",
	"secretsmanager:PutSecretValue", "ssm:PutParameter", "ssm:SendCommand", "cloudformation:CreateStack",
	"organizations:LeaveOrganization", "logs:DeleteLogGroup", "cloudtrail:StopLogging", "backup:StartBackupJob",
}

// secretReads return secret values or stored data rather than metadata.
var secretReads = []string{
	"secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue",
	"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory",
	"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes", "s3:GetObjectTorrent",
	"kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey",
	"ec2:GetPasswordData", "ec2:GetConsoleOutput", "ec2:GetConsoleScreenshot",
	"lambda:GetFunction", "lambda:GetLayerVersion", "lambda:GetLayerVersionByArn",
	"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken",
	"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:GetRecords",
	"logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "logs:GetQueryResults",
	"logs:GetLogRecord", "logs:StartLiveTail", "logs:ListAnomalies", "logs:Unmask",
	"sqs:ReceiveMessage", "codebuild:BatchGetProjects", "cloudformation:GetTemplate",
	"secretsmanager:GetRandomPassword",
}

func TestReadOnlyCapabilities(t *testing.T) {
	for _, opts := range []Options{{}, goldenRestrictedOptions} {
		doc := mustGroupPolicy(t, RoleReadOnly, opts)
		var caps []capability
		for _, a := range append(slices.Clone(writeActions), secretReads...) {
			caps = append(caps, capability{a, anyResource, false}, capability{a, "arn:aws:s3:::acme-dev-artifacts/key", false})
		}
		caps = append(caps,
			capability{"ec2:DescribeInstances", anyResource, true},
			capability{"s3:ListAllMyBuckets", anyResource, true},
			capability{"s3:ListBucket", "arn:aws:s3:::b", true},
			capability{"s3:GetBucketPolicy", "arn:aws:s3:::b", true},
			capability{"s3:GetEncryptionConfiguration", "arn:aws:s3:::b", true},
			capability{"cloudwatch:GetMetricData", anyResource, true},
			capability{"cloudwatch:ListMetrics", anyResource, true},
			capability{"iam:ListUsers", anyResource, true},
			capability{"iam:GetCredentialReport", anyResource, true},
			capability{"rds:DescribeDBInstances", anyResource, true},
			capability{"secretsmanager:ListSecrets", anyResource, true},
			capability{"secretsmanager:DescribeSecret", anyResource, true},
			capability{"ssm:DescribeParameters", anyResource, true},
			capability{"kms:DescribeKey", anyResource, true},
			capability{"kms:GetKeyPolicy", anyResource, true},
			capability{"kms:ListKeys", anyResource, true},
			// A function's configuration carries its environment variables, and ListFunctions and
			// ListVersionsByFunction return it for every function (issue 21).
			capability{"lambda:ListFunctions", anyResource, false},
			capability{"lambda:ListVersionsByFunction", anyResource, false},
			capability{"lambda:GetFunctionConfiguration", anyResource, false},
			capability{"lambda:ListAliases", anyResource, true},
			capability{"lambda:ListEventSourceMappings", anyResource, true},
			capability{"lambda:GetPolicy", anyResource, true},
			capability{"ecr:DescribeImages", anyResource, true},
			capability{"ecr:ListImages", anyResource, true},
			capability{"dynamodb:DescribeTable", anyResource, true},
			capability{"logs:DescribeLogGroups", anyResource, true},
			capability{"cloudtrail:LookupEvents", anyResource, true},
			capability{"apigateway:GET", "arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod", true},
			capability{"apigateway:GET", "arn:aws:apigateway:us-east-1::/apis", true},
			// API key values come back from these paths.
			capability{"apigateway:GET", "arn:aws:apigateway:us-east-1::/apikeys", false},
			capability{"apigateway:GET", "arn:aws:apigateway:us-east-1::/apikeys/k1", false},
			capability{"apigateway:GET", "arn:aws:apigateway:us-east-1::/usageplans/p1/keys", false},
			capability{"apigateway:GET", "arn:aws:apigateway:us-east-1::/usageplans/p1/keys/k1", false},
			capability{"apigateway:POST", "arn:aws:apigateway:us-east-1::/restapis", false},
		)
		checkCapabilities(t, doc, caps)
	}
}

// reviewedReadOnlyWildcards are the wildcards other than List* and Describe*
// checked to match no action that returns a secret value or stored data. A new
// one must be reviewed the same way before it is added here.
var reviewedReadOnlyWildcards = []string{
	"ce:Get*", "cloudwatch:Get*", "guardduty:Get*", "iam:Get*", "route53:Get*", "s3:GetBucket*", "tag:Get*",
}

// Every action ReadOnly allows must be a read by its name, so no future edit
// slips a write in unnoticed, and every wildcard must be a reviewed one.
func TestReadOnlyAllowsOnlyReadVerbs(t *testing.T) {
	readVerbs := []string{"Describe", "List", "Get", "LookupEvents", "GET"}
	doc := mustGroupPolicy(t, RoleReadOnly, Options{})
	for _, s := range doc.Statements {
		if s.Effect == EffectDeny && isGuardrail(s.Sid) {
			continue
		}
		if s.Effect != EffectAllow || len(s.NotAction) > 0 || len(s.NotResource) > 0 {
			t.Errorf("ReadOnly statement %s is not a plain Allow", s.Sid)
			continue
		}
		for _, a := range s.Action {
			_, name, _ := strings.Cut(a, ":")
			ok := false
			for _, v := range readVerbs {
				if strings.HasPrefix(name, v) {
					ok = true
				}
			}
			if !ok || name == "*" || strings.HasPrefix(name, "*") {
				t.Errorf("ReadOnly allows %q, which is not a read-class action", a)
			}
			// List* and Describe* narrowed by a longer prefix (ec2:DescribeIm*) match a subset of what
			// the plain wildcard would: the grant table classifies each action they match.
			listOrDescribe := strings.HasPrefix(name, "List") || strings.HasPrefix(name, "Describe")
			if strings.ContainsAny(name, "*?") && !listOrDescribe && !slices.Contains(reviewedReadOnlyWildcards, a) {
				t.Errorf("ReadOnly allows the wildcard %q, which is not reviewed for secret reads", a)
			}
		}
	}
}

// IAM evaluates the policies of all of a user's groups together and an
// explicit Deny beats every Allow, so a Deny in ReadOnly would take reads away
// from a user's other groups. The only Denies allowed are those every group of
// the baseline carries alike: the guardrails and the region restriction.
func TestReadOnlyHasNoDeny(t *testing.T) {
	for name, opts := range map[string]Options{"default": {}, "restricted": goldenRestrictedOptions, "largest": largestRealisticOptions()} {
		doc := mustGroupPolicy(t, RoleReadOnly, opts)
		for _, s := range doc.Statements {
			if s.Effect == EffectAllow {
				continue
			}
			if (len(opts.AllowedRegions) > 0 && s.Sid == RegionRestrictionSid) || isGuardrail(s.Sid) {
				continue
			}
			t.Errorf("%s: ReadOnly has the %s statement %s", name, s.Effect, s.Sid)
		}
	}
}

// Putting someone in ReadOnly as well as another group never takes away what
// the other group allows, notably the reads ReadOnly itself must not have.
func TestReadOnlyTakesNothingAway(t *testing.T) {
	const devObject = "arn:aws:s3:::acme-dev-artifacts/build/app.zip"
	for name, opts := range map[string]Options{"default": {NamePrefix: "acme-", DeveloperS3BucketARNs: goldenRestrictedOptions.DeveloperS3BucketARNs}, "restricted": proofOptions} {
		t.Run(name, func(t *testing.T) {
			readOnly := mustGroupPolicy(t, RoleReadOnly, opts)
			developers := mustGroupPolicy(t, RoleDevelopers, opts)
			both := []PolicyDocument{developers, readOnly}
			for _, c := range []capability{
				{"s3:GetObject", devObject, true},
				{"s3:GetObjectVersion", devObject, true},
				{"s3:PutObject", devObject, true},
				{"lambda:GetFunction", appFn, true},
				{"ecr:BatchGetImage", appRepo, true},
				{"ecr:GetDownloadUrlForLayer", appRepo, true},
				{"ecr:GetAuthorizationToken", anyResource, true},
				{"logs:GetLogEvents", appLogs, true},
				{"logs:FilterLogEvents", appLogs, true},
				// ReadOnly adds its reads, not writes or secrets.
				{"rds:DescribeDBInstances", anyResource, true},
				{"s3:GetObject", "arn:aws:s3:::acme-prod-data/x", false},
				{"secretsmanager:GetSecretValue", anyResource, false},
				{"iam:CreateUser", anyResource, false},
			} {
				if got := allowsWith(both, c.action, c.resource, nil); got != c.want {
					t.Errorf("Developers+ReadOnly: %s on %s allowed=%v, want %v", c.action, c.resource, got, c.want)
				}
			}
			// In general: whatever a group allows on its own, it still allows
			// with ReadOnly beside it.
			probes := append(append(slices.Clone(writeActions), secretReads...),
				"ec2:DescribeInstances", "cloudwatch:GetMetricData", "rds:CreateDBSnapshot", "backup:StartBackupJob")
			for _, key := range RoleKeys() {
				alone := []PolicyDocument{mustGroupPolicy(t, key, opts)}
				with := append(slices.Clone(alone), readOnly)
				for _, a := range probes {
					for _, r := range []string{anyResource, devObject, appRole, appFn, appRepo, appLogs, appSecret, appTable, appQueue} {
						if allowsWith(alone, a, r, nil) && !allowsWith(with, a, r, nil) {
							t.Errorf("%s loses %s on %s when also in ReadOnly", key, a, r)
						}
					}
				}
			}
		})
	}
}

func TestDevelopersCapabilities(t *testing.T) {
	noBuckets := mustGroupPolicy(t, RoleDevelopers, Options{})
	withBuckets := mustGroupPolicy(t, RoleDevelopers, Options{DeveloperS3BucketARNs: []string{"arn:aws:s3:::acme-dev-*", "arn:aws:s3:::shared-assets"}})
	customPath := mustGroupPolicy(t, RoleDevelopers, Options{AppScope: AppScope{RolePath: "/workloads/"}})

	// The default app scope of an empty name_prefix: names app-*, tag iambaseline:app-scope = app.
	const (
		fn      = "arn:aws:lambda:us-east-1:123456789012:function:app-api"
		project = "arn:aws:codebuild:us-east-1:123456789012:project/app-build"
		repo    = "arn:aws:ecr:us-east-1:123456789012:repository/app-web"
		logs    = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/app-api"
		dg      = "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:app-web/blue"
		pipe    = "arn:aws:codepipeline:us-east-1:123456789012:app-release"
	)
	common := []capability{
		{"ec2:DescribeSubnets", anyResource, true},
		{"ec2:RunInstances", anyEC2Instance, false}, // without the app tag
		{"ec2:StopInstances", anyEC2Instance, false},
		{"ec2:CreateVpc", anyResource, false},
		{"ec2:CreateSubnet", anyResource, false},
		{"ec2:AuthorizeSecurityGroupIngress", anyResource, false},
		{"ec2:CreateSecurityGroup", anyResource, false},
		{"ec2:CreateRouteTable", anyResource, false},
		{"ec2:CreateInternetGateway", anyResource, false},
		{"ec2:CreateNatGateway", anyResource, false},
		{"elasticloadbalancing:CreateLoadBalancer", anyResource, false},
		{"iam:CreateUser", anyResource, false},
		{"iam:AttachUserPolicy", anyResource, false},
		{"iam:CreateRole", anyResource, false},
		{"iam:PutRolePolicy", anyResource, false},
		{"iam:UpdateAccountPasswordPolicy", anyResource, false},
		{"organizations:CreateAccount", anyResource, false},
		{"organizations:LeaveOrganization", anyResource, false},
		{"account:PutAlternateContact", anyResource, false},
		{"codedeploy:CreateDeployment", dg, true},
		{"codedeploy:CreateDeployment", anyResource, false},
		{"codebuild:StartBuild", project, true},
		{"codebuild:StartBuild", anyResource, false},
		{"codepipeline:StartPipelineExecution", pipe, true},
		{"lambda:UpdateFunctionCode", fn, true},
		{"lambda:UpdateFunctionCode", anyResource, false},
		{"lambda:PublishVersion", fn, true},
		{"lambda:GetFunction", fn, true},
		{"lambda:DeleteFunction", fn, true},
		{"lambda:ListFunctions", anyResource, false}, // every function's environment variables (issue 21)
		{"tag:GetResources", anyResource, true},      // the app's functions by tag, ARNs and tags only
		{"ecr:GetAuthorizationToken", anyResource, true},
		{"ecr:PutImage", repo, true},
		{"ecr:PutImage", anyResource, false},
		{"ecr:CompleteLayerUpload", repo, true},
		{"logs:PutLogEvents", logs, true},
		{"logs:FilterLogEvents", logs, true},
		{"logs:FilterLogEvents", anyResource, false},
		{"cloudwatch:GetMetricData", anyResource, true},
		{"cloudwatch:PutMetricAlarm", anyResource, false},
		{"s3:ListAllMyBuckets", anyResource, true},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/app/web-server", true},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/app/team/worker", true},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/admin", false},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/apple", false},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/OrganizationAccountAccessRole", false},
	}
	t.Run("common", func(t *testing.T) {
		checkCapabilities(t, noBuckets, common)
		checkCapabilities(t, withBuckets, common)
	})
	t.Run("no buckets means no S3 write", func(t *testing.T) {
		for _, a := range []string{"s3:PutObject", "s3:DeleteObject", "s3:GetObject", "s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketVersioning"} {
			for _, r := range []string{anyResource, "arn:aws:s3:::acme-dev-web", "arn:aws:s3:::acme-dev-web/index.html"} {
				if allows(noBuckets, a, r) {
					t.Errorf("without buckets Developers can %s on %s", a, r)
				}
			}
		}
	})
	t.Run("buckets", func(t *testing.T) {
		checkCapabilities(t, withBuckets, []capability{
			{"s3:PutObject", "arn:aws:s3:::acme-dev-web/index.html", true},
			{"s3:GetObject", "arn:aws:s3:::shared-assets/logo.png", true},
			{"s3:DeleteObject", "arn:aws:s3:::shared-assets/a/b/c", true},
			{"s3:CreateBucket", "arn:aws:s3:::acme-dev-new", true},
			{"s3:ListBucket", "arn:aws:s3:::shared-assets", true},
			{"s3:PutObject", "arn:aws:s3:::acme-prod-data/x", false},
			{"s3:PutObject", "arn:aws:s3:::shared-assets-2/x", false},
			{"s3:CreateBucket", "arn:aws:s3:::acme-prod-new", false},
			{"s3:PutBucketPolicy", "arn:aws:s3:::acme-dev-web", false},
			{"s3:PutBucketAcl", "arn:aws:s3:::acme-dev-web", false},
			{"s3:PutObject", anyResource, false},
		})
	})
	t.Run("custom pass role path", func(t *testing.T) {
		checkCapabilities(t, customPath, []capability{
			{"iam:PassRole", "arn:aws:iam::123456789012:role/workloads/api", true},
			{"iam:PassRole", "arn:aws:iam::123456789012:role/app/api", false},
		})
	})
}

func TestSysAdminsCapabilities(t *testing.T) {
	doc := mustGroupPolicy(t, RoleSysAdmins, Options{})
	checkCapabilities(t, doc, []capability{
		{"ec2:RunInstances", anyEC2Instance, true},
		{"ec2:RebootInstances", anyEC2Instance, true},
		{"ec2:CreateVpc", anyResource, true},
		{"ec2:CreateSubnet", anyResource, true},
		{"ec2:CreateRouteTable", anyResource, true},
		{"ec2:CreateRoute", anyResource, true},
		{"ec2:AuthorizeSecurityGroupIngress", anyResource, true},
		{"ec2:CreateInternetGateway", anyResource, true},
		{"ec2:AttachInternetGateway", anyResource, true},
		{"ec2:CreateNatGateway", anyResource, true},
		{"ec2:CreateVpcEndpoint", anyResource, true},
		{"elasticloadbalancing:CreateLoadBalancer", anyResource, true},
		{"elasticloadbalancing:CreateListener", anyResource, true},
		// IAM authorizes PutMetricAlarm against the alarm's ARN; SysAdmins' alarm writes name CloudWatch's ARNs.
		{"cloudwatch:PutMetricAlarm", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-cpu", true},
		{"logs:FilterLogEvents", anyResource, true},
		{"ssm:DescribeInstanceInformation", anyResource, true},
		{"ssm:ListCommands", anyResource, true},
		{"ssm:GetParameter", anyResource, false},
		{"ssm:GetParameters", anyResource, false},
		{"ssm:GetParametersByPath", anyResource, false},
		{"ssm:PutParameter", anyResource, false},
		{"ssm:SendCommand", anyResource, false},
		{"secretsmanager:GetSecretValue", anyResource, false},
		{"rds:CreateDBInstance", anyResource, false},
		{"s3:PutObject", anyResource, false},
		{"iam:CreateUser", anyResource, false},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/admin", false},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/app/web", true},
	})
}

func TestDatabaseAdminsCapabilities(t *testing.T) {
	doc := mustGroupPolicy(t, RoleDatabaseAdmins, Options{})
	checkCapabilities(t, doc, []capability{
		{"rds:CreateDBInstance", "arn:aws:rds:us-east-1:123456789012:db:db1", true},
		{"rds:ModifyDBCluster", "arn:aws:rds:us-east-1:123456789012:cluster:aurora1", true},
		{"rds:CreateDBClusterParameterGroup", "arn:aws:rds:us-east-1:123456789012:cluster-pg:aurora1", true},
		{"rds:ModifyDBParameterGroup", "arn:aws:rds:us-east-1:123456789012:pg:db1", true},
		{"rds:CreateDBSnapshot", "arn:aws:rds:us-east-1:123456789012:snapshot:db1-1", true},
		{"rds:CreateDBClusterSnapshot", "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:aurora1-1", true},
		{"rds:RestoreDBInstanceFromDBSnapshot", "arn:aws:rds:us-east-1:123456789012:db:db2", true},
		{"rds:DescribeDBLogFiles", anyResource, true},
		{"rds:DownloadDBLogFilePortion", "arn:aws:rds:us-east-1:123456789012:db:db1", true},
		{"backup:StartBackupJob", anyResource, true},
		{"backup:CreateBackupPlan", anyResource, false}, // retention and cross-account copies are Terraform's
		{"pi:GetResourceMetrics", "arn:aws:pi:us-east-1:123456789012:metrics/rds/db-ABCDEFGHIJKL", true},
		{"cloudwatch:GetMetricStatistics", anyResource, true},
		{"logs:GetLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/db1/error", true},
		{"logs:GetLogEvents", anyResource, false},
		{"ec2:DescribeSubnets", anyResource, true},
		{"ec2:RunInstances", anyResource, false},
		{"ec2:CreateVpc", anyResource, false},
		{"ec2:AuthorizeSecurityGroupIngress", anyResource, false},
		{"s3:PutObject", anyResource, false},
		{"iam:CreateUser", anyResource, false},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/rds-monitoring-role", true},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole", true},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/app/web", false},
		{"secretsmanager:GetSecretValue", anyResource, false},
	})
	// Creating the RDS service-linked role is allowed, any other is not.
	docs := []PolicyDocument{doc}
	if !allowsWith(docs, "iam:CreateServiceLinkedRole", anyResource, map[string]string{"iam:AWSServiceName": "rds.amazonaws.com"}) {
		t.Error("DatabaseAdmins cannot create the RDS service-linked role")
	}
	if allowsWith(docs, "iam:CreateServiceLinkedRole", anyResource, map[string]string{"iam:AWSServiceName": "ec2.amazonaws.com"}) {
		t.Error("DatabaseAdmins can create service-linked roles for other services")
	}
}

// No group may touch IAM users, organizations or the password policy, nor get
// admin by any wildcard.
func TestNoGroupIsAdmin(t *testing.T) {
	for _, key := range RoleKeys() {
		doc := mustGroupPolicy(t, key, goldenRestrictedOptions)
		checkCapabilities(t, doc, []capability{
			{"iam:CreateUser", anyResource, false},
			{"iam:AttachGroupPolicy", anyResource, false},
			{"iam:UpdateAccountPasswordPolicy", anyResource, false},
			{"iam:CreatePolicyVersion", anyResource, false},
			{"organizations:InviteAccountToOrganization", anyResource, false},
			{"sts:AssumeRole", "arn:aws:iam::123456789012:role/admin", false},
			{"anything:AtAll", anyResource, false},
		})
		for _, s := range doc.Statements {
			if s.Effect == EffectAllow && slices.Contains(s.Action, "*") {
				t.Errorf("%s statement %s allows every action", key, s.Sid)
			}
		}
	}
}

func TestRegionRestriction(t *testing.T) {
	opts := Options{AllowedRegions: []string{"us-east-1", "eu-west-1"}}
	regional := map[string]capability{
		RoleDevelopers:     {"lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:123456789012:function:app-api", true},
		RoleSysAdmins:      {"ec2:CreateVpc", anyResource, true},
		RoleDatabaseAdmins: {"rds:CreateDBSnapshot", "arn:aws:rds:us-east-1:123456789012:snapshot:db1-1", true},
		RoleReadOnly:       {"ec2:DescribeInstances", anyResource, true},
	}
	global := map[string]capability{
		RoleDevelopers:     {"iam:PassRole", "arn:aws:iam::123456789012:role/app/web", true},
		RoleSysAdmins:      {"iam:PassRole", "arn:aws:iam::123456789012:role/app/web", true},
		RoleDatabaseAdmins: {"iam:PassRole", "arn:aws:iam::123456789012:role/rds-monitoring-role", true},
		RoleReadOnly:       {"iam:ListRoles", anyResource, true},
	}
	for _, key := range RoleKeys() {
		t.Run(key, func(t *testing.T) {
			unrestricted := mustGuarded(t, key, Options{})
			restricted := mustGuarded(t, key, opts)
			c := regional[key]
			for _, region := range []string{"us-east-1", "eu-west-1"} {
				if !allowsWith(restricted, c.action, c.resource, map[string]string{"aws:RequestedRegion": region}) {
					t.Errorf("%s denied in allowed region %s", c.action, region)
				}
			}
			for _, region := range []string{"ap-southeast-2", "us-west-2"} {
				if allowsWith(restricted, c.action, c.resource, map[string]string{"aws:RequestedRegion": region}) {
					t.Errorf("%s allowed in %s, outside the allowed regions", c.action, region)
				}
				if !allowsWith(unrestricted, c.action, c.resource, map[string]string{"aws:RequestedRegion": region}) {
					t.Errorf("%s denied in %s without a region restriction", c.action, region)
				}
			}
			// Global services (IAM here) are exempt: they must keep working
			// whatever region the request names.
			g := global[key]
			if !allowsWith(unrestricted, g.action, g.resource, passContext(g.action)) {
				t.Fatalf("test premise: %s cannot %s at all", key, g.action)
			}
			outside := map[string]string{"aws:RequestedRegion": "ap-southeast-2"}
			maps.Copy(outside, passContext(g.action))
			if !allowsWith(restricted, g.action, g.resource, outside) {
				t.Errorf("the region restriction blocks the global action %s", g.action)
			}
			// The restriction lives in the guardrail policy, never in the group's own document.
			stmt := restricted[1].Statements[len(restricted[1].Statements)-1]
			if stmt.Sid != RegionRestrictionSid || stmt.Effect != EffectDeny || len(stmt.NotAction) == 0 {
				t.Errorf("last guardrail statement is not the region restriction: %+v", stmt)
			}
			if len(restricted[0].Statements) != len(unrestricted[0].Statements) {
				t.Error("AllowedRegions changed the group's own document")
			}
		})
	}
	if len(mustGuarded(t, RoleDevelopers, Options{})[1].Statements) == len(mustGuarded(t, RoleDevelopers, opts)[1].Statements) {
		t.Error("AllowedRegions did not add a statement to the guardrail policy")
	}
}

func TestDocuments(t *testing.T) {
	docs, err := Documents(RoleKeys(), goldenRestrictedOptions, true, true)
	if err != nil {
		t.Fatal(err)
	}
	parts := 0
	for _, key := range RoleKeys() {
		ps, err := GroupPolicyParts(key, goldenRestrictedOptions)
		if err != nil {
			t.Fatal(err)
		}
		parts += len(ps)
		var got []PolicyDocument
		for i := range ps {
			d, err := ParsePolicy(docs[PolicyPartKey(key, i+1)])
			if err != nil {
				t.Fatalf("Documents[%s]: %v", PolicyPartKey(key, i+1), err)
			}
			got = append(got, d)
		}
		want, _ := mustGroupPolicy(t, key, goldenRestrictedOptions).JSON()
		if js, _ := MergeParts(got).JSON(); js != want {
			t.Errorf("Documents[%s...] differ from GroupPolicy", key)
		}
	}
	if len(docs) != parts+2 || docs[MFADocumentKey] == "" || docs[GuardrailsDocumentKey] == "" {
		t.Fatalf("Documents returned keys %v, want the four role keys (and their parts), %q and %q", slices.Sorted(maps.Keys(docs)), MFADocumentKey, GuardrailsDocumentKey)
	}
	if want, _ := GuardrailPolicy(goldenRestrictedOptions); docs[GuardrailsDocumentKey] != mustJSON(t, want) {
		t.Error("Documents[guardrails] differs from GuardrailPolicy")
	}
	withoutMFA, err := Documents([]string{RoleReadOnly}, Options{}, false, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := withoutMFA[MFADocumentKey]; ok || len(withoutMFA) != 2 {
		t.Errorf("Documents without MFA returned %d documents, want ReadOnly and the guardrails", len(withoutMFA))
	}
	// The aws_managed style renders no group document, and still the guardrail policy.
	if none, err := Documents(nil, Options{}, false, false); err != nil || len(none) != 1 || none[GuardrailsDocumentKey] == "" {
		t.Errorf("Documents without groups = %v, %v; want only the guardrails", slices.Sorted(maps.Keys(none)), err)
	}
	if _, err := Documents([]string{"Admins"}, Options{}, true, true); err == nil {
		t.Error("Documents accepted an unknown role key")
	}
}

func TestGroupPolicyIsDeterministic(t *testing.T) {
	for _, key := range RoleKeys() {
		first, _ := mustGroupPolicy(t, key, largestRealisticOptions()).JSON()
		for range 10 {
			again, _ := mustGroupPolicy(t, key, largestRealisticOptions()).JSON()
			if again != first {
				t.Fatalf("%s policy rendered differently on a second call", key)
			}
		}
	}
}

func isGuardrail(sid string) bool {
	return slices.Contains([]string{GuardAuditSid, GuardTagSid, GuardTagRemoveSid, GuardASGTagSid, GuardDetectionSid, GuardErasureSid, GuardPublishSid, GuardAccountSid}, sid)
}

func mustJSON(t *testing.T, d PolicyDocument) string {
	t.Helper()
	js, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return js
}
