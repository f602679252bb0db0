package baseline

import "testing"

// examples/app-walkthrough, request by request: what a Developers member's apply of the app roles
// sends (iambaseline_service_role's calls) and the app's own requests that this branch grants, each
// allowed by the Developers document of the walkthrough's baseline (name_prefix acme-, path /) with
// the MFA policy, by the evaluator of the proof tables. The app boundary then caps the function's
// role at the app: it may do what its inline policy says on the app's table, and nothing of the
// kind outside it.
func TestProofAppWalkthrough(t *testing.T) {
	opts := Options{NamePrefix: "acme-", DelegateAppRoles: true}
	docs := append(mustGuarded(t, RoleDevelopers, opts), MFAPolicy(true))
	const (
		apiRole      = "arn:aws:iam::" + acct + ":role/app/acme-app-api"
		scheduleRole = "arn:aws:iam::" + acct + ":role/app/acme-app-nightly"
		lambdaBasic  = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	)
	boundary := []string{"iam:PermissionsBoundary", appBoundaryARN}
	requests := []proofCase{
		pc("read the account to plan (GetRole)", "iam:GetRole", apiRole),
		pc("read the role's inline policy", "iam:GetRolePolicy", apiRole),
		pc("create the function's role with the app boundary", "iam:CreateRole", apiRole, boundary...),
		pc("tag it (ownership marker)", "iam:TagRole", apiRole),
		pc("write its inline policy (orders table)", "iam:PutRolePolicy", apiRole, boundary...),
		pc("attach AWSLambdaBasicExecutionRole", "iam:AttachRolePolicy", apiRole, with(boundary, []string{"iam:PolicyARN", lambdaBasic})...),
		pc("remove the ownership marker", "iam:UntagRole", apiRole),
		pc("create the schedule's role with the app boundary", "iam:CreateRole", scheduleRole, boundary...),
		pc("write its inline policy (invoke the function)", "iam:PutRolePolicy", scheduleRole, boundary...),
		pc("create the function, passing its role to Lambda", "iam:PassRole", apiRole, "iam:PassedToService", "lambda.amazonaws.com"),
		pc("create the function", "lambda:CreateFunction", appFn),
		pc("let API Gateway invoke the function (AddPermission)", "lambda:AddPermission", appFn, "lambda:Principal", "apigateway.amazonaws.com"),
		pc("pass the schedule's role to EventBridge Scheduler", "iam:PassRole", scheduleRole, "iam:PassedToService", "scheduler.amazonaws.com"),
		pc("read the function's logs", "logs:FilterLogEvents", appLogs),
		pc("read the function's metrics", "cloudwatch:GetMetricData", "*"),
		pc("on destroy: detach the managed policy", "iam:DetachRolePolicy", apiRole, boundary...),
		pc("on destroy: delete the inline policy", "iam:DeleteRolePolicy", apiRole, boundary...),
		pc("on destroy: delete the role", "iam:DeleteRole", apiRole),
	}
	for _, c := range requests {
		if !c.allowedIn(docs, mergedContext(c.ctx)) {
			t.Errorf("the walkthrough needs %q: %s on %s, denied to Developers", c.what, c.action, c.resources())
		}
		if !KnownAction(c.action) {
			t.Errorf("%q: %s is not a known action", c.what, c.action)
		}
	}
	// The same apply without the boundary line is denied at the first role.
	if c := pc("create the function's role without the boundary", "iam:CreateRole", apiRole); c.allowedIn(docs, c.ctx) {
		t.Error("a Developers member may create the walkthrough's role without the app boundary")
	}

	// The function's role: its inline policy under the boundary.
	bound, err := AppBoundaryPolicy(opts)
	if err != nil {
		t.Fatal(err)
	}
	inline := PolicyDocument{Version: PolicyVersion, Statements: []Statement{{Effect: EffectAllow,
		Action: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}, Resource: []string{"arn:aws:dynamodb:*:*:table/acme-app-orders"}}}}
	if c := pc("write an order", "dynamodb:PutItem", appTable); !underBoundary(bound, []PolicyDocument{inline}, c) {
		t.Error("the function's role cannot write the app's table")
	}
	// A wider inline policy (a developer's mistake or worse) stays within the app.
	wide := PolicyDocument{Version: PolicyVersion, Statements: []Statement{{Effect: EffectAllow, Action: []string{"dynamodb:*", "secretsmanager:*", "iam:*"}, Resource: []string{"*"}}}}
	for _, c := range []proofCase{
		pc("scan another table", "dynamodb:Scan", otherTable),
		pc("read another system's secret", "secretsmanager:GetSecretValue", otherSecret),
		pc("attach a policy to itself", "iam:AttachRolePolicy", apiRole, with(boundary, []string{"iam:PolicyARN", adminAccess})...),
	} {
		if underBoundary(bound, []PolicyDocument{wide}, c) {
			t.Errorf("the function's role with a wide policy may %s on %s", c.action, c.resource)
		}
	}
}
