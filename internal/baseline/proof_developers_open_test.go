package baseline

import (
	"fmt"
	"slices"
	"testing"
)

// The proof that the Developers' grants no longer change who can reach an app resource, and read
// secret-bearing metadata only of app resources (issue 21, groups_developers_open.go): for each
// class, the job still works ("can") and the sharing, opening or reading outside the scope it
// tempts does not ("cannot"). They join the Developers proof table (TestProofTables), so they are
// evaluated by the same evaluator, against the same documents, MFA and guardrail policies, in the
// same sign-in and region contexts as every other case. TestProofDevelopersOpenWasOpen shows each
// "cannot" is one the service wildcards granted: the cases test what the narrowing closed.

const (
	appLayer     = "arn:aws:lambda:" + use1 + "layer:acme-app-deps:3"
	otherAccount = "999999999999"
)

var (
	principal = func(p string) []string { return []string{"lambda:Principal", p} }
	urlAuth   = func(a string) []string { return []string{"lambda:FunctionUrlAuthType", a} }
)

// developerOpenCan: the app's own resources, still the Developers' job.
var developerOpenCan = []proofCase{
	// changes-who-can-reach: only API Gateway and EventBridge may be let in, to app functions.
	pc("let EventBridge invoke an app function (AddPermission)", "lambda:AddPermission", appFn, principal("events.amazonaws.com")...),
	// The rest of each service's work on app resources, without the wildcards.
	pc("publish an app layer version", "lambda:PublishLayerVersion", "arn:aws:lambda:"+use1+"layer:acme-app-deps"),
	pc("set an app function's provisioned concurrency", "lambda:PutProvisionedConcurrencyConfig", appFn+":live"),
	pc("scan an app repository's images (PutImageScanningConfiguration)", "ecr:PutImageScanningConfiguration", appRepo),
	pc("back up an app table (CreateBackup)", "dynamodb:CreateBackup", appTable),
	pc("change a message's visibility in an app queue", "sqs:ChangeMessageVisibility", appQueue),
	pc("rotate an app secret", "secretsmanager:RotateSecret", appSecret),
	pc("retry an app build", "codebuild:RetryBuild", appProject),
	pc("reboot an app instance", "ec2:RebootInstances", instance, appTagged...),
	pc("resize an app volume", "ec2:ModifyVolume", volume, appTagged...),
	pc("deregister an app image", "ec2:DeregisterImage", image, appTagged...),
	// reads-secret-bearing-data: on app resources only.
	pc("read an app instance's user data (DescribeInstanceAttribute)", "ec2:DescribeInstanceAttribute", instance, appTagged...),
	pc("list an app function's versions (ListVersionsByFunction)", "lambda:ListVersionsByFunction", appFn),
	pc("read an app function's configuration (GetFunctionConfiguration)", "lambda:GetFunctionConfiguration", appFn),
	pc("list an app function's URL configurations (ListFunctionUrlConfigs)", "lambda:ListFunctionUrlConfigs", appFn),
	pc("read an app deployment group (GetDeploymentGroup)", "codedeploy:GetDeploymentGroup", appDG),
	pc("see launch templates (DescribeLaunchTemplates)", "ec2:DescribeLaunchTemplates", "*"),
	pc("see tasks (DescribeTasks)", "ecs:DescribeTasks", "*"),
}

// developerOpenCannot: sharing, opening or reading outside the scope, each on an app resource
// (or on "*" where the API names none).
var developerOpenCannot = []proofCase{
	// changes-who-can-reach.
	pc("let another account invoke an app function (AddPermission)", "lambda:AddPermission", appFn, principal(otherAccount)...),
	pc("let anyone invoke an app function (AddPermission to *)", "lambda:AddPermission", appFn, principal("*")...),
	pc("open an app function's URL to anyone (AddPermission, auth NONE)", "lambda:AddPermission", appFn, with(principal("*"), urlAuth("NONE"))...),
	pc("public URL for an app function (CreateFunctionUrlConfig, auth NONE)", "lambda:CreateFunctionUrlConfig", appFn, urlAuth("NONE")...),
	pc("open an app function's URL (UpdateFunctionUrlConfig, auth NONE)", "lambda:UpdateFunctionUrlConfig", appFn, urlAuth("NONE")...),
	pc("replicate an app function elsewhere (EnableReplication)", "lambda:EnableReplication", appFn),
	pc("share an app layer (AddLayerVersionPermission)", "lambda:AddLayerVersionPermission", appLayer),
	pc("open an app repository (SetRepositoryPolicy)", "ecr:SetRepositoryPolicy", appRepo),
	pc("remove an app repository's policy (DeleteRepositoryPolicy)", "ecr:DeleteRepositoryPolicy", appRepo),
	pc("resource policy on an app table (PutResourcePolicy)", "dynamodb:PutResourcePolicy", appTable),
	pc("export an app table to S3 (ExportTableToPointInTime)", "dynamodb:ExportTableToPointInTime", appTable),
	pc("replica of an app table in another region (CreateTableReplica)", "dynamodb:CreateTableReplica", appTable),
	pc("open an app queue (sqs:AddPermission)", "sqs:AddPermission", appQueue),
	pc("rewrite an app queue's policy (SetQueueAttributes)", "sqs:SetQueueAttributes", appQueue),
	pc("resource policy on an app secret (PutResourcePolicy)", "secretsmanager:PutResourcePolicy", appSecret),
	pc("resource policy on an app build project (PutResourcePolicy)", "codebuild:PutResourcePolicy", appProject),
	pc("associate an elastic IP with an app instance (AssociateAddress)", "ec2:AssociateAddress", instance, appTagged...),
	pc("reset an app image's launch permissions (ResetImageAttribute)", "ec2:ResetImageAttribute", image, appTagged...),
	pc("reset an app snapshot's permissions (ResetSnapshotAttribute)", "ec2:ResetSnapshotAttribute", snapshot, appTagged...),
	pc("set CORS on a developer bucket (PutBucketCORS)", "s3:PutBucketCORS", devBucket),
	pc("suspend a developer bucket's versioning (PutBucketVersioning)", "s3:PutBucketVersioning", devBucket),
	// reads-secret-bearing-data.
	pc("read an untagged instance's user data (DescribeInstanceAttribute)", "ec2:DescribeInstanceAttribute", instance),
	pc("read launch template versions' user data (DescribeLaunchTemplateVersions)", "ec2:DescribeLaunchTemplateVersions", "*"),
	pc("list functions, with every function's environment variables (ListFunctions)", "lambda:ListFunctions", "*"),
	pc("read task definitions' environment (DescribeTaskDefinition)", "ecs:DescribeTaskDefinition", "*"),
	pc("list another function's versions and environment (ListVersionsByFunction)", "lambda:ListVersionsByFunction", otherFn),
	pc("read another deployment group (GetDeploymentGroup)", "codedeploy:GetDeploymentGroup", otherDG),
	pc("read deployment targets' script logs (GetDeploymentTarget)", "codedeploy:GetDeploymentTarget", "*"),
}

// developerReclassifiedCan and developerReclassifiedCannot prove the grants the table stopped
// listing open (known-open.tsv): ecr:GetAuthorizationToken and codedeploy:GetDeployment, judged by
// what AWS documents they return, on "*" as the job needs them; the token reaches only the app's
// repositories; the deployment instances' and targets' script log tails only of app deployment groups.
var developerReclassifiedCan = []proofCase{
	pc("get an ECR login token, for one's own ECR permissions (GetAuthorizationToken)", "ecr:GetAuthorizationToken", "*"),
	pc("read any deployment's status, no AppSpec content (GetDeployment)", "codedeploy:GetDeployment", "*"),
	pc("read an app deployment's instance script logs (BatchGetDeploymentInstances)", "codedeploy:BatchGetDeploymentInstances", appDG),
}

var developerReclassifiedCannot = []proofCase{
	pc("push to another repository with the login token (InitiateLayerUpload)", "ecr:InitiateLayerUpload", otherRepo),
	pc("read another deployment group's instance script logs (BatchGetDeploymentInstances)", "codedeploy:BatchGetDeploymentInstances", otherDG),
	pc("read every deployment target's script logs (BatchGetDeploymentTargets)", "codedeploy:BatchGetDeploymentTargets", "*"),
}

func init() {
	t := proofTables[RoleDevelopers]
	t.can = slices.Concat(t.can, developerOpenCan, developerReclassifiedCan)
	t.cannot = slices.Concat(t.cannot, developerOpenCannot, developerReclassifiedCannot)
	proofTables[RoleDevelopers] = t
}

// The script log reads were open with codedeploy:BatchGet* on "*" (the Developers' reads before).
func TestProofDevelopersReclassified(t *testing.T) {
	mfa := MFAPolicy(true)
	narrow := []PolicyDocument{mustGroupPolicy(t, RoleDevelopers, proofOptions), mfa}
	old := []PolicyDocument{{Version: PolicyVersion, Statements: []Statement{allow("Old", []string{"codedeploy:BatchGet*"})}}}
	checkNarrowed(t, old, narrow, developerReclassifiedCannot[1:], developerReclassifiedCan, func(c proofCase) string {
		return fmt.Sprintf("%q was not open under codedeploy:BatchGet*: it proves nothing", c.what)
	})
}

// widenedDevelopers is the Developers' document as it was before the narrowing: the service
// wildcards on app resources (appResourceActions, which the app boundary keeps), ecs:* in the app's
// containers, ec2:* on app-tagged resources, and the unscoped describes, lists and gets.
func widenedDevelopers(t *testing.T, opts Options) PolicyDocument {
	t.Helper()
	doc := mustGroupPolicy(t, RoleDevelopers, opts)
	for i, s := range doc.Statements {
		switch s.Sid {
		case "AppResources":
			doc.Statements[i].Action = appResourceActions()
		case "AppContainers":
			doc.Statements[i].Action = []string{"ecs:*"}
		case "AppEC2Operate":
			doc.Statements[i].Action = []string{"ec2:*", "ec2-instance-connect:SendSSHPublicKey"}
		case "AppFunctionInvokers":
			doc.Statements[i].Condition = nil
		case "DeveloperReads":
			doc.Statements[i].Action = append(slices.Clone(s.Action), "codedeploy:Get*", "ec2:Describe*", "ecs:Describe*", "lambda:List*")
		case DeveloperBucketsSid:
			doc.Statements[i].Action = append(slices.Clone(s.Action), "s3:PutBucketCORS", "s3:PutBucketTagging", "s3:PutBucketVersioning")
		}
	}
	return doc
}

// Every "cannot" above was open before the narrowing (evaluated against the group's document
// alone: some, such as image and snapshot permissions, the guardrail policy denies as well), and
// every one of them is closed now in the group's document itself, not only by the guardrails.
func TestProofDevelopersOpenWasOpen(t *testing.T) {
	mfa := MFAPolicy(true)
	wide := []PolicyDocument{widenedDevelopers(t, proofOptions), mfa}
	narrow := []PolicyDocument{mustGroupPolicy(t, RoleDevelopers, proofOptions), mfa}
	checkNarrowed(t, wide, narrow, developerOpenCannot, developerOpenCan, func(c proofCase) string {
		return fmt.Sprintf("%q (%s on %s) was not open with the service wildcards either: the case tests nothing the narrowing closed", c.what, c.action, c.resources())
	})
}

// checkNarrowed: each cannot case was open under wide (else the test says notOpen) and is denied
// by the Developers' narrow documents; each can case is allowed by them.
func checkNarrowed(t *testing.T, wide, narrow []PolicyDocument, cannot, can []proofCase, notOpen func(proofCase) string) {
	t.Helper()
	for _, c := range cannot {
		if !c.allowedIn(wide, c.ctx) {
			t.Error(notOpen(c))
		}
		if c.allowedIn(narrow, c.ctx) {
			t.Errorf("%q (%s on %s) is allowed by the Developers' document", c.what, c.action, c.resources())
		}
	}
	for _, c := range can {
		if !c.allowedIn(narrow, c.ctx) {
			t.Errorf("%q (%s on %s) is denied by the Developers' document", c.what, c.action, c.resources())
		}
	}
}

// The grant table agrees with the evaluator: in every variant, the only Developers grant of
// changes-who-can-reach are lambda:AddPermission and RemovePermission, and only under the lambda:Principal condition
// (AppFunctionInvokers, judged safe by granttable_conditions.go); every secret-bearing read granted
// on every resource is one the job's "can" cases need on "*" and the grant table accepts
// (known-open.tsv: none since lambda:ListFunctions was removed).
func TestGrantTableDevelopersOpen(t *testing.T) {
	var unscopedSecretReads []string
	for variant, opts := range grantTableVariants() {
		doc, err := GuardedGroupPolicy(RoleDevelopers, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range ExpandGrants(doc, GroupClassDecisions[RoleDevelopers]) {
			switch {
			case g.Class == ClassResourceAccess && len(g.DeniedBy) == 0:
				if (g.Action != "lambda:AddPermission" && g.Action != "lambda:RemovePermission") || !slices.Equal(g.Sids, []string{"AppFunctionInvokers"}) || !g.Safe() {
					t.Errorf("%s: %s (changes-who-can-reach) granted by %v: %s", variant, g.Action, g.Sids, g.Verdict)
				}
			case g.Class == ClassSecretRead && !g.Scoped && len(g.DeniedBy) == 0:
				if !slices.Contains(unscopedSecretReads, g.Action) {
					t.Errorf("%s: %s (reads-secret-bearing-data) granted on every resource by %v", variant, g.Action, g.Sids)
				}
			}
		}
	}
	invokers := developerFunctionInvokersStatement("aws", DefaultAppScope("acme-"))
	if got := invokers.Condition["StringEquals"]["lambda:Principal"]; !slices.Equal(got, []string{"apigateway.amazonaws.com", "events.amazonaws.com"}) {
		t.Errorf("AppFunctionInvokers lets in %v, want API Gateway and EventBridge only", got)
	}
}

// The condition that makes lambda:AddPermission safe (granttable_conditions.go) is honoured only in
// its exact form: a statement that lets in another account, anyone, a pattern, or the key only if it
// exists, or that any other statement grants without it, still breaks the Developers' decision.
func TestGrantTableSafeCondition(t *testing.T) {
	fn := "arn:aws:lambda:*:*:function:acme-app-*"
	stmt := func(op, value string) Statement {
		s := allow("Invokers", []string{"lambda:AddPermission"}, fn)
		s.Condition = map[string]map[string][]string{op: {"lambda:Principal": {value}}}
		return s
	}
	cases := []struct {
		name  string
		stmts []Statement
		safe  bool
	}{
		{"service principal", []Statement{stmt("StringEquals", "apigateway.amazonaws.com")}, true},
		{"another account", []Statement{stmt("StringEquals", otherAccount)}, false},
		{"anyone", []Statement{stmt("StringEquals", "*")}, false},
		{"a pattern", []Statement{stmt("StringLike", "*.amazonaws.com")}, false},
		{"only if it exists", []Statement{stmt("StringEqualsIfExists", "apigateway.amazonaws.com")}, false},
		{"no condition", []Statement{allow("Invokers", []string{"lambda:AddPermission"}, fn)}, false},
		{"also granted without it", []Statement{stmt("StringEquals", "apigateway.amazonaws.com"), allow("Wide", []string{"lambda:*"}, fn)}, false},
	}
	for _, tc := range cases {
		doc := PolicyDocument{Version: PolicyVersion, Statements: tc.stmts}
		for _, g := range ExpandGrants(doc, GroupClassDecisions[RoleDevelopers]) {
			if g.Action != "lambda:AddPermission" {
				continue
			}
			if g.Safe() != tc.safe {
				t.Errorf("%s: lambda:AddPermission verdict %q, want safe=%v", tc.name, g.Verdict, tc.safe)
			}
		}
	}
}
