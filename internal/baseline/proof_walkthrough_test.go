package baseline

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// examples/app-walkthrough, request by request: every request a Developers member's apply sends,
// main.tf's app roles (iambaseline_service_role) and app.tf.example's app (the Terraform AWS
// provider's calls for each resource: create, the reads after it and at every plan, delete), each
// allowed by the Developers documents of the walkthrough's baseline (name_prefix acme-, path /) with
// the guardrail and MFA policies, by the evaluator of the proof tables. Next to them, the tempting
// wrong variants of the same apply, each denied. The app boundary then caps the app's two roles at
// the app: each may do what its own policies say inside the app, nothing outside it.
//
// The emulator cannot prove this instead: moto evaluates no condition key but sts:ExternalId, and
// authorizes IAM requests on "*" until the role exists (examples/app-walkthrough/README.md).

// walkRequest is one request of the walkthrough's apply, and the resource of the configuration that
// sends it.
type walkRequest struct {
	from string
	proofCase
}

const (
	walkAPIRole      = "arn:aws:iam::" + acct + ":role/app/acme-app-api"
	walkScheduleRole = "arn:aws:iam::" + acct + ":role/app/acme-app-nightly"
	walkLambdaBasic  = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	walkAPIs         = "arn:aws:apigateway:us-east-1::/apis"
	walkAPI          = walkAPIs + "/h1j2k3"
	walkSchedule     = "arn:aws:scheduler:" + use1 + "schedule/default/acme-app-nightly"
	walkDashboard    = "arn:aws:cloudwatch::" + acct + ":dashboard/acme-app-api"
	walkLogGroup     = "arn:aws:logs:" + use1 + "log-group:/aws/lambda/acme-app-api"
	walkLogStream    = walkLogGroup + ":log-stream:2026/12/08/[$LATEST]0a1b2c3d"
)

var walkBoundary = []string{"iam:PermissionsBoundary", appBoundaryARN}

func walkthroughRequests() []walkRequest {
	r := func(from string, c proofCase) walkRequest { return walkRequest{from, c} }
	const role, fn, perm = "iambaseline_service_role", "aws_lambda_function", "aws_lambda_permission"
	const api, sched, dash = "aws_apigatewayv2_api", "aws_scheduler_schedule", "aws_cloudwatch_dashboard"
	return []walkRequest{
		// main.tf: the two app roles, the requests TestAccAppWalkthrough records
		// (testdata/walkthrough_role_requests.txt).
		r(role, pc("configure: prove the credentials (GetCredentialReport)", "iam:GetCredentialReport", "*")),
		r(role, pc("plan: read the account (GetAccountAuthorizationDetails)", "iam:GetAccountAuthorizationDetails", "*")),
		r(role, pc("read the role", "iam:GetRole", walkAPIRole)),
		r(role, pc("create the function's role with the app boundary", "iam:CreateRole", walkAPIRole, walkBoundary...)),
		r(role, pc("tag it at creation (ownership marker)", "iam:TagRole", walkAPIRole)),
		r(role, pc("write its inline policy (orders table)", "iam:PutRolePolicy", walkAPIRole, walkBoundary...)),
		r(role, pc("attach AWSLambdaBasicExecutionRole", "iam:AttachRolePolicy", walkAPIRole, with(walkBoundary, []string{"iam:PolicyARN", walkLambdaBasic})...)),
		r(role, pc("remove the ownership marker", "iam:UntagRole", walkAPIRole)),
		r(role, pc("read its inline policies", "iam:ListRolePolicies", walkAPIRole)),
		r(role, pc("read its attached policies", "iam:ListAttachedRolePolicies", walkAPIRole)),
		r(role, pc("create the schedule's role with the app boundary", "iam:CreateRole", walkScheduleRole, walkBoundary...)),
		r(role, pc("tag it at creation", "iam:TagRole", walkScheduleRole)),
		r(role, pc("write its inline policy (invoke the function)", "iam:PutRolePolicy", walkScheduleRole, walkBoundary...)),
		r(role, pc("remove its ownership marker", "iam:UntagRole", walkScheduleRole)),
		r(role, pc("destroy: find its instance profiles", "iam:ListInstanceProfilesForRole", walkAPIRole)),
		r(role, pc("destroy: detach the managed policy", "iam:DetachRolePolicy", walkAPIRole, walkBoundary...)),
		r(role, pc("destroy: delete the inline policy", "iam:DeleteRolePolicy", walkAPIRole, walkBoundary...)),
		r(role, pc("destroy: delete the role", "iam:DeleteRole", walkAPIRole)),
		r(role, pc("destroy: delete the schedule's role", "iam:DeleteRole", walkScheduleRole)),
		// app.tf.example: the function.
		r(fn, pc("CreateFunction", "lambda:CreateFunction", appFn)),
		r(fn, pc("CreateFunction passes the function's role to Lambda", "iam:PassRole", walkAPIRole, "iam:PassedToService", "lambda.amazonaws.com")),
		r(fn, pc("wait until active, read (GetFunction)", "lambda:GetFunction", appFn)),
		r(fn, pc("read its code signing config", "lambda:GetFunctionCodeSigningConfig", appFn)),
		r(fn, pc("read its versions", "lambda:ListVersionsByFunction", appFn)),
		r(fn, pc("update its code", "lambda:UpdateFunctionCode", appFn)),
		r(fn, pc("destroy: DeleteFunction", "lambda:DeleteFunction", appFn)),
		// The HTTP API, quick-created (target): the Lambda integration, the default route and the
		// $default stage come with the one CreateApi call, tagged there; every later call is on the
		// API itself (/apis/<id>), which carries the tag. Routes, integrations and stages made one by
		// one would be requests on /apis/<id>/routes and the like, which AWS does not document as
		// inheriting the API's tag for access control (it does for REST APIs): the example has none.
		r(api, pc("CreateApi with the app tag", "apigateway:POST", walkAPIs, createsApp...)),
		r(api, pc("read it (GetApi)", "apigateway:GET", walkAPI, appTagged...)),
		r(api, pc("change it (UpdateApi)", "apigateway:PATCH", walkAPI, appTagged...)),
		r(api, pc("reimport an OpenAPI body (ReimportApi)", "apigateway:PUT", walkAPI, appTagged...)),
		r(api, pc("destroy: DeleteApi", "apigateway:DELETE", walkAPI, appTagged...)),
		// API Gateway may invoke the function: the resource policy names the app API (source_arn).
		r(perm, pc("AddPermission for apigateway.amazonaws.com", "lambda:AddPermission", appFn, "lambda:Principal", "apigateway.amazonaws.com")),
		r(perm, pc("read the function's policy (GetPolicy)", "lambda:GetPolicy", appFn)),
		r(perm, pc("destroy: RemovePermission", "lambda:RemovePermission", appFn, "lambda:Principal", "apigateway.amazonaws.com")),
		// The schedule.
		r(sched, pc("CreateSchedule in the default group", "scheduler:CreateSchedule", walkSchedule)),
		r(sched, pc("CreateSchedule passes the schedule's role to Scheduler", "iam:PassRole", walkScheduleRole, toScheduler...)),
		r(sched, pc("read it (GetSchedule)", "scheduler:GetSchedule", walkSchedule)),
		r(sched, pc("change it (UpdateSchedule)", "scheduler:UpdateSchedule", walkSchedule)),
		r(sched, pc("destroy: DeleteSchedule", "scheduler:DeleteSchedule", walkSchedule)),
		// The dashboard.
		r(dash, pc("PutDashboard", "cloudwatch:PutDashboard", walkDashboard)),
		r(dash, pc("read it (GetDashboard)", "cloudwatch:GetDashboard", walkDashboard)),
		r(dash, pc("destroy: DeleteDashboards", "cloudwatch:DeleteDashboards", walkDashboard)),
		// Running it: the Developer watches the app.
		r("operating", pc("read the function's logs", "logs:FilterLogEvents", walkLogGroup)),
		r("operating", pc("query the function's logs", "logs:StartQuery", walkLogGroup)),
		r("operating", pc("read the function's metrics", "cloudwatch:GetMetricData", "*")),
		r("operating", pc("list APIs", "apigateway:GET", walkAPIs)),
		r("operating", pc("invoke the function to try it", "lambda:InvokeFunction", appFn)),
	}
}

// walkthroughWrong are the same apply's tempting wrong variants, each denied.
var walkthroughWrong = []proofCase{
	pc("create the function's role without permissions_boundary", "iam:CreateRole", walkAPIRole),
	pc("create it with another boundary (AdministratorAccess)", "iam:CreateRole", walkAPIRole, "iam:PermissionsBoundary", adminAccess),
	pc("create it without path = \"/app/\" (boundary set)", "iam:CreateRole", "arn:aws:iam::"+acct+":role/acme-app-api", walkBoundary...),
	pc("remove the role's boundary", "iam:DeleteRolePermissionsBoundary", walkAPIRole),
	pc("rewrite the boundary policy (CreatePolicyVersion)", "iam:CreatePolicyVersion", appBoundaryARN),
	pc("create the HTTP API without the app tag", "apigateway:POST", walkAPIs),
	pc("create it tagged for another scope", "apigateway:POST", walkAPIs, "aws:RequestTag/"+DefaultAppScopeTagKey, "prod", "aws:TagKeys", DefaultAppScopeTagKey),
	pc("change another team's API", "apigateway:PATCH", "arn:aws:apigateway:us-east-1::/apis/z9y8x7"),
	pc("tag another team's API into the app scope", "apigateway:POST", "arn:aws:apigateway:us-east-1::/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fz9y8x7", "aws:RequestTag/"+DefaultAppScopeTagKey, "acme-app", "aws:TagKeys", DefaultAppScopeTagKey),
	pc("let API Gateway invoke another team's function", "lambda:AddPermission", otherFn, "lambda:Principal", "apigateway.amazonaws.com"),
	pc("give the function a role outside /app/", "iam:PassRole", "arn:aws:iam::"+acct+":role/acme-app-api", "iam:PassedToService", "lambda.amazonaws.com"),
	pc("give the schedule a role outside /app/ (same name)", "iam:PassRole", "arn:aws:iam::"+acct+":role/acme-app-nightly", toScheduler...),
	pc("give the schedule the admin role", "iam:PassRole", adminRole, toScheduler...),
	pc("name the schedule outside the app", "scheduler:CreateSchedule", "arn:aws:scheduler:"+use1+"schedule/default/nightly"),
	pc("change another system's schedule", "scheduler:UpdateSchedule", otherSched),
	pc("a dashboard of another name", "cloudwatch:PutDashboard", "arn:aws:cloudwatch::"+acct+":dashboard/api"),
	pc("overwrite the audit alerts' dashboard", "cloudwatch:PutDashboard", "arn:aws:cloudwatch::"+acct+":dashboard/iambaseline-org-trail"),
	pc("read another function's logs", "logs:FilterLogEvents", otherLogs),
}

func TestProofAppWalkthrough(t *testing.T) {
	opts := Options{NamePrefix: "acme-", DelegateAppRoles: true}
	docs := append(mustGuarded(t, RoleDevelopers, opts), MFAPolicy(true))
	for _, r := range walkthroughRequests() {
		if !r.allowedIn(docs, r.ctx) {
			t.Errorf("%s: the walkthrough needs %q: %s on %s, denied to Developers", r.from, r.what, r.action, r.resources())
		}
		if !KnownAction(r.action) {
			t.Errorf("%s: %q: %s is not a known action", r.from, r.what, r.action)
		}
	}
	// Without MFA, none of it: the MFA policy denies everything but the member's own MFA set-up.
	noMFA := map[string]string{"aws:MultiFactorAuthPresent": "false"}
	for _, r := range walkthroughRequests() {
		if r.allowedIn(docs, mergedContext(r.ctx, noMFA)) {
			t.Errorf("%s: %q (%s) is allowed without MFA", r.from, r.what, r.action)
		}
	}
	for _, c := range walkthroughWrong {
		if c.allowedIn(docs, c.ctx) {
			t.Errorf("a Developers member may %s: %s on %s", c.what, c.action, c.resources())
		}
		if !KnownAction(c.action) {
			t.Errorf("%q: %s is not a known action", c.what, c.action)
		}
	}

	bound, err := AppBoundaryPolicy(opts)
	if err != nil {
		t.Fatal(err)
	}
	// The function's role, as main.tf makes it: its inline policy and AWSLambdaBasicExecutionRole.
	inline := PolicyDocument{Version: PolicyVersion, Statements: []Statement{{Effect: EffectAllow,
		Action: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}, Resource: []string{"arn:aws:dynamodb:*:*:table/acme-app-orders"}}}}
	basic := PolicyDocument{Version: PolicyVersion, Statements: []Statement{
		{Effect: EffectAllow, Action: []string{"logs:CreateLogGroup"}, Resource: []string{"*"}},
		{Effect: EffectAllow, Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resource: []string{"*"}},
	}}
	// The schedule's role: invoke the function.
	invoke := PolicyDocument{Version: PolicyVersion, Statements: []Statement{{Effect: EffectAllow,
		Action: []string{"lambda:InvokeFunction"}, Resource: []string{"arn:aws:lambda:*:*:function:acme-app-api"}}}}
	fnRole, schedRole := []PolicyDocument{inline, basic}, []PolicyDocument{invoke}
	for _, c := range []struct {
		role  []PolicyDocument
		which string
		proofCase
	}{
		{fnRole, "function", pc("write an order", "dynamodb:PutItem", appTable)},
		{fnRole, "function", pc("query the orders", "dynamodb:Query", appTable)},
		{fnRole, "function", pc("create its log group", "logs:CreateLogGroup", walkLogGroup)},
		{fnRole, "function", pc("write its log stream", "logs:PutLogEvents", walkLogStream)},
		{schedRole, "schedule", pc("invoke the function", "lambda:InvokeFunction", appFn)},
	} {
		if !underBoundary(bound, c.role, c.proofCase) {
			t.Errorf("the %s's role under the app boundary cannot %s: %s on %s", c.which, c.what, c.action, c.resource)
		}
	}
	// Where its own policies end, or the boundary: the role's log grant is on "*", the boundary's on
	// the app's log groups.
	for _, c := range []proofCase{
		pc("write another function's logs", "logs:PutLogEvents", otherLogs+":log-stream:x"),
		pc("read the orders table by scan (not in its policy)", "dynamodb:Scan", appTable),
	} {
		if underBoundary(bound, fnRole, c) {
			t.Errorf("the function's role under the app boundary may %s: %s on %s", c.what, c.action, c.resource)
		}
	}
	// A wider policy on either role (a developer's mistake, or worse) stays within the app.
	wide := []PolicyDocument{{Version: PolicyVersion, Statements: []Statement{{Effect: EffectAllow, Action: []string{"*"}, Resource: []string{"*"}}}}}
	for _, c := range []proofCase{
		pc("scan another table", "dynamodb:Scan", otherTable),
		pc("read another system's secret", "secretsmanager:GetSecretValue", otherSecret),
		pc("invoke another function", "lambda:InvokeFunction", otherFn),
		pc("attach a policy to itself", "iam:AttachRolePolicy", walkAPIRole, with(walkBoundary, []string{"iam:PolicyARN", adminAccess})...),
		pc("create a role", "iam:CreateRole", newAppRole, walkBoundary...),
		pc("stop the trail", "cloudtrail:StopLogging", trail),
	} {
		if underBoundary(bound, wide, c) {
			t.Errorf("an app role with AdministratorAccess may %s: %s on %s", c.what, c.action, c.resource)
		}
	}
}

// The proof's iambaseline_service_role requests are the ones TestAccAppWalkthrough records the
// provider sending (testdata/walkthrough_role_requests.txt), no more and no fewer.
func TestProofAppWalkthroughRoleRequests(t *testing.T) {
	b, err := os.ReadFile("testdata/walkthrough_role_requests.txt")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			listed[line] = true
		}
	}
	proven := map[string]bool{}
	for _, r := range walkthroughRequests() {
		if r.from != "iambaseline_service_role" {
			continue
		}
		req := strings.TrimPrefix(r.action, "iam:")
		if req == "CreateRole" && r.ctx["iam:PermissionsBoundary"] == appBoundaryARN {
			req += " with-boundary"
		}
		proven[req] = true
	}
	for req := range listed {
		if !proven[req] {
			t.Errorf("the app roles' apply sends %s (testdata/walkthrough_role_requests.txt), which TestProofAppWalkthrough does not prove", req)
		}
	}
	for req := range proven {
		if !listed[req] {
			t.Errorf("TestProofAppWalkthrough proves %s for iambaseline_service_role, which testdata/walkthrough_role_requests.txt does not list as sent", req)
		}
	}
}

// Every resource app.tf.example and main.tf declare is one whose requests the proof lists: a
// resource added to the walkthrough without its requests fails here.
func TestProofAppWalkthroughCoversExample(t *testing.T) {
	covered := map[string]bool{}
	for _, r := range walkthroughRequests() {
		covered[r.from] = true
	}
	declared := regexp.MustCompile(`(?m)^resource "([a-z0-9_]+)"`)
	for _, f := range []string{"main.tf", "app.tf.example"} {
		b, err := os.ReadFile("../../examples/app-walkthrough/" + f)
		if err != nil {
			t.Fatal(err)
		}
		types := declared.FindAllStringSubmatch(string(b), -1)
		if len(types) == 0 {
			t.Fatalf("%s declares no resource", f)
		}
		// The proof's CreateApi carries the app tag: so must the example's API.
		if api := regexp.MustCompile(`(?s)resource "aws_apigatewayv2_api" "[a-z_]+" \{.*?\n\}`).FindString(string(b)); api != "" && !regexp.MustCompile(`(?m)^\s*tags\s*=`).MatchString(api) {
			t.Errorf("%s: aws_apigatewayv2_api without tags: CreateApi without the app tag is refused", f)
		}
		for _, m := range types {
			if m[1] == "iambaseline_startup_group_baseline" {
				continue // the administrator's part, not a Developer's
			}
			if !covered[m[1]] {
				t.Errorf("%s declares %s, whose requests TestProofAppWalkthrough does not list", f, m[1])
			}
		}
	}
}
