package baseline

import (
	"slices"
	"strings"
	"testing"
)

// The proof of issue 22 item 1, by the same evaluator as the proof tables: Developers create and
// change app roles only under the app permissions boundary (groups_developers_roles.go), and a role
// under the boundary (app_boundary.go), whatever policies it is given, can do no more than the app.

// delegatedProofOptions are the proof tables' options with the delegation of a baseline at /.
var delegatedProofOptions = func() Options {
	o := proofOptions
	o.DelegateAppRoles = true
	return o
}()

const (
	appBoundaryARN = "arn:aws:iam::" + acct + ":policy/acme-AppBoundary"
	adminAccess    = "arn:aws:iam::aws:policy/AdministratorAccess"
	newAppRole     = "arn:aws:iam::" + acct + ":role/app/acme-app-worker"
	nestedAppRole  = "arn:aws:iam::" + acct + ":role/app/team/acme-app-worker"
	outsideRole    = "arn:aws:iam::" + acct + ":role/acme-app-worker"
	appliedRole    = "arn:aws:iam::" + acct + ":role/application/acme-app-worker"
	appStateMach   = "arn:aws:states:" + use1 + "stateMachine:acme-app-orders"
	otherStateMach = "arn:aws:states:" + use1 + "stateMachine:payments"
)

// withBoundary is a request context: the role has (or is to get) the app boundary.
var withBoundary = []string{"iam:PermissionsBoundary", appBoundaryARN}

var delegationProof = proofTable{
	can: []proofCase{
		pc("create an app role with the app boundary", "iam:CreateRole", newAppRole, withBoundary...),
		pc("create a nested app role with the app boundary", "iam:CreateRole", nestedAppRole, withBoundary...),
		pc("tag an app role (CreateRole with tags)", "iam:TagRole", newAppRole),
		pc("write an app role's inline policy", "iam:PutRolePolicy", newAppRole, withBoundary...),
		pc("attach a managed policy to an app role", "iam:AttachRolePolicy", newAppRole, with(withBoundary, []string{"iam:PolicyARN", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"})...),
		pc("attach AdministratorAccess to an app role (the boundary caps it)", "iam:AttachRolePolicy", newAppRole, with(withBoundary, []string{"iam:PolicyARN", adminAccess})...),
		pc("detach a managed policy from an app role", "iam:DetachRolePolicy", newAppRole, withBoundary...),
		pc("delete an app role's inline policy", "iam:DeleteRolePolicy", newAppRole, withBoundary...),
		pc("put the app boundary on an app role", "iam:PutRolePermissionsBoundary", newAppRole, withBoundary...),
		pc("change an app role's trust", "iam:UpdateAssumeRolePolicy", newAppRole),
		pc("change an app role's session duration", "iam:UpdateRole", newAppRole),
		pc("delete an app role", "iam:DeleteRole", newAppRole),
		pc("read the app boundary", "iam:GetPolicyVersion", appBoundaryARN),
		pc("pass an app role to Lambda", "iam:PassRole", newAppRole, "iam:PassedToService", "lambda.amazonaws.com"),
		pc("pass an app role to ECS tasks", "iam:PassRole", newAppRole, "iam:PassedToService", "ecs-tasks.amazonaws.com"),
		pc("pass an app role to Step Functions", "iam:PassRole", newAppRole, "iam:PassedToService", "states.amazonaws.com"),
		pc("pass an app role to EventBridge Scheduler", "iam:PassRole", newAppRole, "iam:PassedToService", "scheduler.amazonaws.com"),
		pc("pass an app role to API Gateway", "iam:PassRole", newAppRole, "iam:PassedToService", "apigateway.amazonaws.com"),
		pc("pass an app role to EC2 (an app instance profile)", "iam:PassRole", newAppRole, "iam:PassedToService", "ec2.amazonaws.com"),
		pc("create the app function with its role", "lambda:CreateFunction", appFn),
	},
	cannot: []proofCase{
		pc("create an app role without a boundary", "iam:CreateRole", newAppRole),
		pc("create an app role with another boundary", "iam:CreateRole", newAppRole, "iam:PermissionsBoundary", "arn:aws:iam::"+acct+":policy/acme-DevelopersPolicy"),
		pc("create an app role with AdministratorAccess as its boundary", "iam:CreateRole", newAppRole, "iam:PermissionsBoundary", adminAccess),
		pc("create an app role with another account's AppBoundary", "iam:CreateRole", newAppRole, "iam:PermissionsBoundary", "arn:aws:iam::999999999999:policy/acme-AppBoundary"),
		pc("create an app role with an AppBoundary at another path", "iam:CreateRole", newAppRole, "iam:PermissionsBoundary", "arn:aws:iam::"+acct+":policy/other/acme-AppBoundary"),
		pc("create a role outside /app/ with the app boundary", "iam:CreateRole", outsideRole, withBoundary...),
		pc("create a role under /application/ with the app boundary", "iam:CreateRole", appliedRole, withBoundary...),
		pc("create an admin role with the app boundary", "iam:CreateRole", adminRole, withBoundary...),
		pc("write an inline policy on an app role without the boundary", "iam:PutRolePolicy", newAppRole),
		pc("attach a policy to an app role with another boundary", "iam:AttachRolePolicy", newAppRole, "iam:PermissionsBoundary", "arn:aws:iam::"+acct+":policy/legacy-boundary", "iam:PolicyARN", adminAccess),
		pc("attach AdministratorAccess to a non-app role", "iam:AttachRolePolicy", adminRole, "iam:PolicyARN", adminAccess),
		pc("attach AdministratorAccess to a non-app role that has the boundary", "iam:AttachRolePolicy", adminRole, with(withBoundary, []string{"iam:PolicyARN", adminAccess})...),
		pc("write an inline policy on a non-app role", "iam:PutRolePolicy", ciRole, withBoundary...),
		pc("replace an app role's boundary with another", "iam:PutRolePermissionsBoundary", newAppRole, "iam:PermissionsBoundary", adminAccess),
		pc("remove the boundary from an app role", "iam:DeleteRolePermissionsBoundary", newAppRole, withBoundary...),
		pc("remove the boundary from any role", "iam:DeleteRolePermissionsBoundary", adminRole),
		pc("new version of the boundary policy", "iam:CreatePolicyVersion", appBoundaryARN),
		pc("switch the boundary to an older version", "iam:SetDefaultPolicyVersion", appBoundaryARN),
		pc("delete a version of the boundary", "iam:DeletePolicyVersion", appBoundaryARN),
		pc("delete the boundary policy", "iam:DeletePolicy", appBoundaryARN),
		pc("untag the boundary policy", "iam:UntagPolicy", appBoundaryARN),
		pc("create a managed policy", "iam:CreatePolicy", "arn:aws:iam::"+acct+":policy/acme-app-escape"),
		pc("change a non-app role's trust", "iam:UpdateAssumeRolePolicy", adminRole),
		pc("delete a non-app role", "iam:DeleteRole", ciRole),
		pc("create a service-linked role", "iam:CreateServiceLinkedRole", "*", "iam:AWSServiceName", "autoscaling.amazonaws.com"),
		pc("pass a non-app role to Lambda", "iam:PassRole", adminRole, "iam:PassedToService", "lambda.amazonaws.com"),
		pc("pass a role outside /app/ to Lambda", "iam:PassRole", outsideRole, "iam:PassedToService", "lambda.amazonaws.com"),
		pc("pass an app role without naming the service", "iam:PassRole", newAppRole),
		pc("add an app role to an instance profile outside the app", "iam:AddRoleToInstanceProfile", "arn:aws:iam::"+acct+":instance-profile/prod"),
		pc("access key for a user", "iam:CreateAccessKey", otherUser),
	},
}

// TestProofDeveloperDelegation: a Developers member (the group document and the MFA policy) with
// MFA can make each delegated request and none of the others, in or out of the allowed regions (IAM
// is global); without MFA none; and the whole catalogue stays denied.
func TestProofDeveloperDelegation(t *testing.T) {
	docs := append(mustGuarded(t, RoleDevelopers, delegatedProofOptions), MFAPolicy(true))
	for _, c := range delegationProof.can {
		for _, pctx := range proofContexts {
			ctx := mergedContext(c.ctx, pctx.overrides)
			want := pctx.name == "mfa+in-region" || pctx.name == "mfa+eu-west-1" || pctx.name == "mfa+outside" && regionExempt(c.action)
			if got := c.allowedIn(docs, ctx); got != want {
				t.Errorf("CAN %q: %s on %s in %s: allowed=%v, want %v", c.what, c.action, c.resources(), pctx.name, got, want)
			}
		}
	}
	for _, c := range slices.Concat(delegationProof.cannot, delegationCatalogue()) {
		for _, pctx := range proofContexts {
			if c.allowedIn(docs, mergedContext(c.ctx, pctx.overrides)) {
				t.Errorf("CANNOT %q: %s on %s is allowed in %s", c.what, c.action, c.resources(), pctx.name)
			}
		}
	}
	for _, c := range slices.Concat(delegationProof.can, delegationProof.cannot) {
		if !KnownAction(c.action) {
			t.Errorf("%q: %s is not an action in the shipped action list", c.what, c.action)
		}
	}
	// Without the delegation (the Identity Center permission sets and the policy_documents data
	// source, which create no boundary), Developers make no role at all.
	plain := append(mustGuarded(t, RoleDevelopers, proofOptions), MFAPolicy(true))
	for _, c := range delegationProof.can[:9] {
		if c.allowedIn(plain, c.ctx) {
			t.Errorf("without DelegateAppRoles %q (%s) is allowed", c.what, c.action)
		}
	}
}

// delegationCatalogue is the catalogue with the app boundary in every IAM request's context: that a
// role has the boundary never opens a path outside the app role path.
func delegationCatalogue() []proofCase {
	out := slices.Clone(catalogue)
	for _, c := range catalogue {
		if strings.HasPrefix(c.action, "iam:") && c.action != "iam:DeleteRolePermissionsBoundary" && c.resource != appRole {
			b := c
			b.what += ", with the app boundary"
			b.ctx = mergedContext(c.ctx, map[string]string{"iam:PermissionsBoundary": appBoundaryARN})
			out = append(out, b)
		}
	}
	return out
}

func mergedContext(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// underBoundary evaluates a request of a role whose own policies are rolePolicies and whose
// permissions boundary is boundary: IAM allows it only when both allow it, and a Deny in either wins.
// A role session has no MFA and no user name.
func underBoundary(boundary PolicyDocument, rolePolicies []PolicyDocument, c proofCase) bool {
	ctx := mergedContext(map[string]string{"aws:username": "", "aws:MultiFactorAuthPresent": ""}, c.ctx)
	return c.allowedIn(rolePolicies, ctx) && c.allowedIn([]PolicyDocument{boundary}, ctx)
}

var adminPolicy = PolicyDocument{Version: PolicyVersion, Statements: []Statement{{Effect: EffectAllow, Action: []string{"*"}, Resource: []string{"*"}}}}

var appWorkloadProof = proofTable{
	can: []proofCase{
		pc("invoke an app function", "lambda:InvokeFunction", appFn),
		pc("write its logs", "logs:PutLogEvents", appLogs+":log-stream:2026/12/07"),
		pc("create its log group", "logs:CreateLogGroup", appLogs),
		pc("read and write app items", "dynamodb:PutItem", appTable),
		pc("query app items", "dynamodb:Query", appTable),
		pc("read an app secret", "secretsmanager:GetSecretValue", appSecret),
		pc("send to an app queue", "sqs:SendMessage", appQueue),
		pc("receive from an app queue", "sqs:ReceiveMessage", appQueue),
		pc("publish to an app topic", "sns:Publish", appTopic),
		pc("start an app state machine (Scheduler, API Gateway)", "states:StartExecution", appStateMach),
		pc("pull an app image", "ecr:BatchGetImage", appRepo),
		pc("log in to ECR", "ecr:GetAuthorizationToken", "*"),
		pc("write to a developer bucket", "s3:PutObject", devObject),
		pc("run an app task (Step Functions, Scheduler)", "ecs:RunTask", appTaskDef, "ecs:cluster", appCluster),
		pc("pass an app role to its ECS task", "iam:PassRole", appRole, "iam:PassedToService", "ecs-tasks.amazonaws.com"),
		pc("attach a function to a VPC", "ec2:CreateNetworkInterface", subnet),
		pc("publish its own metrics", "cloudwatch:PutMetricData", "*", "cloudwatch:namespace", "AcmeApp"),
		pc("send traces", "xray:PutTraceSegments", "*"),
		pc("find its VPC's subnets (Lambda in a VPC)", "ec2:DescribeSubnets", "*"),
		pc("find its network interfaces (Lambda in a VPC)", "ec2:DescribeNetworkInterfaces", "*"),
		pc("delete an app message", "sqs:DeleteMessage", appQueue),
		pc("describe an app secret", "secretsmanager:DescribeSecret", appSecret),
		pc("read an app table's stream", "dynamodb:GetRecords", appTable+"/stream/2026-12-07T00:00:00.000"),
	},
	cannot: []proofCase{
		pc("create a role", "iam:CreateRole", newAppRole, withBoundary...),
		pc("attach a policy to its own role", "iam:AttachRolePolicy", appRole, with(withBoundary, []string{"iam:PolicyARN", adminAccess})...),
		pc("write its own inline policy", "iam:PutRolePolicy", appRole, withBoundary...),
		pc("remove its boundary", "iam:DeleteRolePermissionsBoundary", appRole),
		pc("edit the boundary", "iam:CreatePolicyVersion", appBoundaryARN),
		pc("an access key for a user", "iam:CreateAccessKey", otherUser),
		pc("change its own trust", "iam:UpdateAssumeRolePolicy", appRole),
		pc("pass an admin role", "iam:PassRole", adminRole, "iam:PassedToService", "lambda.amazonaws.com"),
		pc("pass an app role to CloudFormation", "iam:PassRole", appRole, "iam:PassedToService", "cloudformation.amazonaws.com"),
		pc("assume another role", "sts:AssumeRole", adminRole),
		pc("stop the trail", "cloudtrail:StopLogging", trail),
		pc("delete the trail", "cloudtrail:DeleteTrail", trail),
		pc("delete the trail's log group", "logs:DeleteLogGroup", trailLogs),
		pc("delete trail log files", "s3:DeleteObject", trailObject),
		pc("silence an audit alarm", "cloudwatch:DisableAlarmActions", auditAlarm),
		pc("unsubscribe the responders", "sns:Unsubscribe", auditTopic+":0b1c"),
		pc("forge an audit metric", "cloudwatch:PutMetricData", "*", "cloudwatch:namespace", ProtectedMetricNamespace),
		pc("read another system's secret", "secretsmanager:GetSecretValue", otherSecret),
		pc("read a SecureString parameter", "ssm:GetParameter", parameter),
		pc("decrypt with any key", "kms:Decrypt", kmsKey),
		pc("read an object outside the app buckets", "s3:GetObject", prodObject),
		pc("scan another table", "dynamodb:Scan", otherTable),
		pc("new code in another function", "lambda:UpdateFunctionCode", otherFn),
		pc("start another state machine", "states:StartExecution", otherStateMach),
		pc("run a task in another cluster", "ecs:RunTask", appTaskDef, "ecs:cluster", prodCluster),
		pc("move an instance into the app scope", "ec2:CreateTags", instance, "aws:TagKeys", DefaultAppScopeTagKey, "aws:RequestTag/"+DefaultAppScopeTagKey, "acme-app"),
		pc("leave the organization", "organizations:LeaveOrganization", "*"),
		pc("run a command on an instance", "ssm:SendCommand", instance),
		// What a Developer reaches by assuming an app role that trusts them: nothing the Developers
		// group may not do itself (groups_developers_open.go).
		pc("create a public function URL", "lambda:CreateFunctionUrlConfig", appFn, "lambda:FunctionUrlAuthType", "NONE"),
		pc("create a function URL with IAM auth", "lambda:CreateFunctionUrlConfig", appFn, "lambda:FunctionUrlAuthType", "AWS_IAM"),
		pc("let anyone invoke an app function", "lambda:AddPermission", appFn, "lambda:Principal", "*"),
		pc("let another account invoke an app function", "lambda:AddPermission", appFn, "lambda:Principal", "999999999999"),
		pc("set an app queue's policy", "sqs:SetQueueAttributes", appQueue),
		pc("add a permission to an app queue", "sqs:AddPermission", appQueue),
		pc("set an app topic's policy", "sns:SetTopicAttributes", appTopic),
		pc("add a permission to an app topic", "sns:AddPermission", appTopic),
		pc("set an app secret's policy", "secretsmanager:PutResourcePolicy", appSecret),
		pc("set an app table's policy", "dynamodb:PutResourcePolicy", appTable),
		pc("export an app table", "dynamodb:ExportTableToPointInTime", appTable),
		pc("set an app repository's policy", "ecr:SetRepositoryPolicy", appRepo),
		pc("delete an app table", "dynamodb:DeleteTable", appTable),
		pc("change an app function's code", "lambda:UpdateFunctionCode", appFn),
		pc("change an app function's configuration", "lambda:UpdateFunctionConfiguration", appFn),
		pc("read launch template versions (user data)", "ec2:DescribeLaunchTemplateVersions", "*"),
		pc("read instance user data", "ec2:DescribeInstanceAttribute", instance, "ec2:Attribute", "userData"),
		pc("describe another team's task definition", "ecs:DescribeTaskDefinition", "*"),
		pc("describe an app task definition (its environment)", "ecs:DescribeTaskDefinition", appTaskDef),
		pc("read an app function's configuration (its environment)", "lambda:GetFunctionConfiguration", appFn),
	},
}

// TestProofAppBoundary: a role under the app boundary, even one given AdministratorAccess (which
// the delegation lets a developer attach), does the app's work and nothing else; the catalogue is
// denied to it as to every group.
func TestProofAppBoundary(t *testing.T) {
	boundary, err := AppBoundaryPolicy(delegatedProofOptions)
	if err != nil {
		t.Fatal(err)
	}
	role := []PolicyDocument{adminPolicy}
	for _, c := range appWorkloadProof.can {
		if !underBoundary(boundary, role, c) {
			t.Errorf("CAN %q: a role under the boundary cannot %s on %s", c.what, c.action, c.resources())
		}
	}
	for _, c := range slices.Concat(appWorkloadProof.cannot, catalogue) {
		if underBoundary(boundary, role, c) {
			t.Errorf("CANNOT %q: a role under the boundary with AdministratorAccess may %s on %s", c.what, c.action, c.resources())
		}
	}
	for _, c := range slices.Concat(appWorkloadProof.can, appWorkloadProof.cannot) {
		if !KnownAction(c.action) {
			t.Errorf("%q: %s is not an action in the shipped action list", c.what, c.action)
		}
	}
	// The boundary alone grants nothing: a role without policies of its own can do nothing.
	for _, c := range appWorkloadProof.can {
		if underBoundary(boundary, nil, c) {
			t.Errorf("a role with no policy may %s: the boundary granted it", c.action)
		}
	}
}

// Every IAM action that is not a read (Get, List, Generate, Simulate) or PassRole is denied by the
// boundary, so a new write verb AWS adds shows up here when the action list is regenerated.
func TestAppBoundaryDeniesEveryIAMWrite(t *testing.T) {
	boundary, err := AppBoundaryPolicy(delegatedProofOptions)
	if err != nil {
		t.Fatal(err)
	}
	actions := ServiceActions("iam")
	if len(actions) < 100 {
		t.Fatalf("the shipped action list has %d IAM actions", len(actions))
	}
	for _, a := range actions {
		read := false
		for _, verb := range []string{"Get", "List", "Generate", "Simulate"} {
			read = read || strings.HasPrefix(a, verb)
		}
		if read || a == "PassRole" {
			continue
		}
		if underBoundary(boundary, []PolicyDocument{adminPolicy}, pc(a, "iam:"+a, "*", withBoundary...)) {
			t.Errorf("a role under the boundary may iam:%s", a)
		}
		if !evalAnyMatch(iamWriteActions, "iam:"+a, true, nil) {
			t.Errorf("iam:%s is not in iamWriteActions: the boundary denies it only implicitly", a)
		}
	}
}

// The boundary fits its quota with the proof's options and with a long bucket list it says which
// argument to shorten.
func TestAppBoundaryPolicyShape(t *testing.T) {
	doc, err := AppBoundaryPolicy(delegatedProofOptions)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := doc.JSON()
	if n := NonWhitespaceLen(js); n > ManagedPolicyMaxChars {
		t.Errorf("boundary is %d characters", n)
	}
	for _, sid := range []string{GuardAuditSid, GuardTagSid, AppBoundaryDenyIAMWritesSid, AppBoundaryDenyMetricsSid} {
		if !slices.ContainsFunc(doc.Statements, func(s Statement) bool { return s.Sid == sid && s.Effect == EffectDeny }) {
			t.Errorf("boundary lacks the Deny %s", sid)
		}
	}
	many := delegatedProofOptions
	for i := range 200 {
		many.DeveloperS3BucketARNs = append(many.DeveloperS3BucketARNs, "arn:aws:s3:::acme-dev-a-rather-long-bucket-name-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strings.Repeat("y", i%5))
	}
	if _, err := AppBoundaryPolicy(many); err == nil || !strings.Contains(err.Error(), "delegate_app_roles = false") {
		t.Errorf("an oversized boundary: err = %v", err)
	}
	docs, err := Documents([]string{RoleReadOnly}, delegatedProofOptions, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := docs[AppBoundaryDocumentKey]; ok {
		t.Error("a baseline without Developers renders the app boundary")
	}
	docs, err = Documents([]string{RoleDevelopers}, delegatedProofOptions, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := docs[AppBoundaryDocumentKey]; !ok {
		t.Error("a delegating baseline with Developers does not render the app boundary")
	}
}

// A role under the boundary with AdministratorAccess can do none of what the guardrail policy
// denies on every resource: the boundary denies what its grants could reach and never allows the
// rest.
func TestAppBoundaryKeepsTheGuardrails(t *testing.T) {
	boundary, err := AppBoundaryPolicy(delegatedProofOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(GuardrailActions()) < 20 {
		t.Fatalf("the guardrail denies only %d actions", len(GuardrailActions()))
	}
	for _, a := range GuardrailActions() {
		for _, r := range []string{"*", appTable + "/backup/01234567890123-abcdefgh", appTable, devBucket + "/x"} {
			if underBoundary(boundary, []PolicyDocument{adminPolicy}, pc(a, a, r)) {
				t.Errorf("a role under the boundary may %s on %s, which the guardrail policy denies", a, r)
			}
		}
	}
	// The boundary allows only run-time calls: none of its grants reaches a table's backups.
	if slices.ContainsFunc(boundary.Statements, func(s Statement) bool {
		return s.Effect == EffectAllow && statementCoversAction(s, "dynamodb:DeleteBackup")
	}) {
		t.Error("the boundary allows dynamodb:DeleteBackup")
	}
}
