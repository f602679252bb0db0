package baseline

import (
	"slices"
	"testing"
)

// The proof of issue 22 for Developers: a "can" case for every item of the job
// (groups_developers_job.go) and, next to each, the "cannot" cases of the escalation it tempts.
// They join the Developers proof table (TestProofTables, testdata/proof/developers.txt), so they
// are evaluated by the same evaluator, against the same documents and MFA policy, in the same
// sign-in and region contexts as every other case.

const (
	appAPI       = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3"
	otherAPI     = "arn:aws:apigateway:us-east-1::/restapis/z9y8x7"
	appHTTPAPI   = "arn:aws:apigateway:us-east-1::/apis/h1j2k3"
	appRule      = "arn:aws:events:" + use1 + "rule/acme-app-nightly"
	otherRule    = "arn:aws:events:" + use1 + "rule/prod-billing-cron"
	appBus       = "arn:aws:events:" + use1 + "event-bus/acme-app-orders"
	appSchedule  = "arn:aws:scheduler:" + use1 + "schedule/default/acme-app-reindex"
	otherSched   = "arn:aws:scheduler:" + use1 + "schedule/default/prod-billing"
	appMachine   = "arn:aws:states:" + use1 + "stateMachine:acme-app-orders"
	otherMachine = "arn:aws:states:" + use1 + "stateMachine:prod-billing"
	appExecution = "arn:aws:states:" + use1 + "execution:acme-app-orders:run-1"
	otherExec    = "arn:aws:states:" + use1 + "execution:prod-billing:run-1"
	appStack     = "arn:aws:cloudformation:" + use1 + "stack/acme-app-api/0a1b2c3d"
	otherStack   = "arn:aws:cloudformation:" + use1 + "stack/platform-network/9f8e7d6c"
	samTransform = "arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31"
	appParameter = "arn:aws:ssm:" + use1 + "parameter/acme-app/db-password"
	appParamPath = "arn:aws:ssm:" + use1 + "parameter/acme-app"
	appDashboard = "arn:aws:cloudwatch::" + acct + ":dashboard/acme-app-overview"
	ownSession   = "arn:aws:ssm:" + use1 + "session/alice-0a1b2c3d4e"
	otherSession = "arn:aws:ssm:" + use1 + "session/bob-0a1b2c3d4e"
)

var (
	toScheduler  = []string{"iam:PassedToService", "scheduler.amazonaws.com"}
	toStates     = []string{"iam:PassedToService", "states.amazonaws.com"}
	toStacks     = []string{"iam:PassedToService", "cloudformation.amazonaws.com"}
	viaSSM       = []string{"kms:ViaService", "ssm.us-east-1.amazonaws.com"}
	targets      = func(arns ...string) []string { return []string{"events:TargetArn", joinMulti(arns...)} }
	otherAcctBus = "arn:aws:events:us-east-1:999999999999:event-bus/acme-app-orders"
)

func joinMulti(vs ...string) string {
	out := ""
	for i, v := range vs {
		if i > 0 {
			out += evalMulti
		}
		out += v
	}
	return out
}

var developerJobCan = []proofCase{
	// An API in front of a function.
	pc("create an app REST API (tagged at creation)", "apigateway:POST", "arn:aws:apigateway:us-east-1::/restapis", createsApp...),
	pc("create an app HTTP API (tagged at creation)", "apigateway:POST", "arn:aws:apigateway:us-east-1::/apis", createsApp...),
	pc("integrate an app API method with a function", "apigateway:PUT", appAPI+"/resources/r1/methods/GET/integration", appTagged...),
	pc("deploy an app API", "apigateway:POST", appAPI+"/deployments", appTagged...),
	pc("change an app API's stage", "apigateway:PATCH", appAPI+"/stages/prod", appTagged...),
	pc("add a route to an app HTTP API", "apigateway:POST", appHTTPAPI+"/routes", appTagged...),
	pc("delete an app API", "apigateway:DELETE", appAPI, appTagged...),
	pc("list APIs", "apigateway:GET", "arn:aws:apigateway:us-east-1::/restapis"),
	pc("let API Gateway invoke an app function (AddPermission)", "lambda:AddPermission", appFn, "lambda:Principal", "apigateway.amazonaws.com"),
	// Event rules and schedules.
	pc("create an app event rule", "events:PutRule", appRule),
	pc("send an app rule's events to an app function", "events:PutTargets", appRule, targets(appFn)...),
	pc("send an app rule's events to an app queue and state machine", "events:PutTargets", appRule, targets(appQueue, appMachine)...),
	pc("create an app event bus", "events:CreateEventBus", appBus),
	pc("put events on an app bus", "events:PutEvents", appBus),
	pc("rule on an app bus", "events:PutRule", "arn:aws:events:"+use1+"rule/acme-app-orders/shipped"),
	pc("list rules", "events:ListRules", "*"),
	pc("create an app schedule", "scheduler:CreateSchedule", appSchedule),
	pc("create an app schedule group", "scheduler:CreateScheduleGroup", "arn:aws:scheduler:"+use1+"schedule-group/acme-app-jobs"),
	pc("change a schedule in an app group", "scheduler:UpdateSchedule", "arn:aws:scheduler:"+use1+"schedule/acme-app-jobs/reindex"),
	pc("give a schedule an app role", "iam:PassRole", appRole, toScheduler...),
	// State machines.
	pc("create an app state machine", "states:CreateStateMachine", appMachine),
	pc("change an app state machine", "states:UpdateStateMachine", appMachine),
	pc("run an app state machine", "states:StartExecution", appMachine),
	pc("run an app express state machine synchronously", "states:StartSyncExecution", appMachine),
	pc("see an app execution's history", "states:GetExecutionHistory", appExecution),
	pc("stop an app execution", "states:StopExecution", appExecution),
	pc("give a state machine an app role", "iam:PassRole", appRole, toStates...),
	// Stacks: SAM, CDK, CloudFormation.
	pc("create an app stack (runs as the caller)", "cloudformation:CreateStack", appStack),
	pc("update an app stack", "cloudformation:UpdateStack", appStack),
	pc("SAM deploy: change set with the Serverless transform", "cloudformation:CreateChangeSet", appStack).and(samTransform),
	pc("execute an app change set", "cloudformation:ExecuteChangeSet", appStack),
	pc("delete an app stack", "cloudformation:DeleteStack", appStack),
	pc("see an app stack's events", "cloudformation:DescribeStackEvents", appStack),
	pc("validate a template", "cloudformation:ValidateTemplate", "*"),
	pc("give a stack an app service role", "iam:PassRole", appRole, toStacks...),
	pc("CDK deploy: read the bootstrap version", "ssm:GetParameter", "arn:aws:ssm:"+use1+"parameter/cdk-bootstrap/hnb659fds/version"),
	// Session Manager on app instances.
	pc("Session Manager shell on an app instance", "ssm:StartSession", instance, appTagged...).and(sessionDoc),
	pc("resume one's own session", "ssm:ResumeSession", ownSession),
	pc("end one's own session", "ssm:TerminateSession", ownSession),
	pc("see sessions", "ssm:DescribeSessions", "*"),
	pc("see managed instances", "ssm:DescribeInstanceInformation", "*"),
	// Parameters.
	pc("read an app parameter", "ssm:GetParameter", appParameter),
	pc("read the app's parameters by path", "ssm:GetParametersByPath", appParamPath),
	pc("write an app parameter", "ssm:PutParameter", "arn:aws:ssm:"+use1+"parameter/acme-app-feature-flags"),
	pc("read an AWS public parameter (latest AMI)", "ssm:GetParameter", "arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
	pc("decrypt an app SecureString with an app key", "kms:Decrypt", kmsKey, with(appTagged, viaSSM)...),
	pc("list parameters (names only)", "ssm:DescribeParameters", "*"),
	// App KMS keys.
	pc("encrypt with an app key", "kms:Encrypt", kmsKey, appTagged...),
	pc("decrypt with an app key", "kms:Decrypt", kmsKey, appTagged...),
	pc("data key from an app key", "kms:GenerateDataKey", kmsKey, appTagged...),
	pc("re-encrypt between app keys", "kms:ReEncryptFrom", kmsKey, appTagged...),
	pc("see an app key", "kms:DescribeKey", kmsKey, appTagged...),
	pc("list key aliases", "kms:ListAliases", "*"),
	// Dashboards.
	pc("build an app dashboard", "cloudwatch:PutDashboard", appDashboard),
	pc("delete an app dashboard", "cloudwatch:DeleteDashboards", appDashboard),
	pc("see a dashboard", "cloudwatch:GetDashboard", "arn:aws:cloudwatch::"+acct+":dashboard/prod-ops"),
}

var developerJobCannot = []proofCase{
	// APIs.
	pc("change another API (PUT integration)", "apigateway:PUT", otherAPI+"/resources/r1/methods/GET/integration"),
	pc("deploy another API", "apigateway:POST", otherAPI+"/deployments"),
	pc("create an untagged API", "apigateway:POST", "arn:aws:apigateway:us-east-1::/restapis"),
	pc("create an API tagged for another scope", "apigateway:POST", "arn:aws:apigateway:us-east-1::/restapis", "aws:RequestTag/"+DefaultAppScopeTagKey, "prod", "aws:TagKeys", DefaultAppScopeTagKey),
	pc("set an app API's resource policy (who may call it)", "apigateway:UpdateRestApiPolicy", appAPI, appTagged...),
	pc("tag another API into the app scope (PUT /tags)", "apigateway:PUT", "arn:aws:apigateway:us-east-1::/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fz9y8x7", "aws:RequestTag/"+DefaultAppScopeTagKey, "acme-app", "aws:TagKeys", DefaultAppScopeTagKey),
	pc("remove an app API's scope tag (DELETE /tags)", "apigateway:DELETE", "arn:aws:apigateway:us-east-1::/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fa1b2c3", with(appTagged, []string{"aws:TagKeys", DefaultAppScopeTagKey})...),
	pc("read API keys", "apigateway:GET", "arn:aws:apigateway:us-east-1::/apikeys"),
	pc("create an API key", "apigateway:POST", "arn:aws:apigateway:us-east-1::/apikeys"),
	pc("map a custom domain onto an API (base path mapping)", "apigateway:POST", "arn:aws:apigateway:us-east-1::/domainnames/api.acme.com/basepathmappings"),
	pc("set API Gateway's account CloudWatch role", "apigateway:PATCH", "arn:aws:apigateway:us-east-1::/account"),
	pc("detach an app stage's WAF (SetWebACL)", "apigateway:SetWebACL", appAPI+"/stages/prod", appTagged...),
	pc("invoke another IAM-authorized API (execute-api:Invoke)", "execute-api:Invoke", "arn:aws:execute-api:"+use1+"z9y8x7/prod/GET/admin"),
	// Event rules.
	pc("send an app rule's events to another function", "events:PutTargets", appRule, targets(otherFn)...),
	pc("send an app rule's events to an app queue and another one", "events:PutTargets", appRule, targets(appQueue, otherQueue)...),
	pc("send events to another account's bus named like the app", "events:PutTargets", appRule, targets(otherAcctBus)...),
	pc("add a target to another rule", "events:PutTargets", otherRule, targets(appFn)...),
	pc("disable another system's rule", "events:DisableRule", otherRule),
	pc("rewrite another system's rule", "events:PutRule", otherRule),
	pc("app-named rule on another team's bus (reads its events)", "events:PutRule", "arn:aws:events:"+use1+"rule/prod-bus/acme-app-tap"),
	pc("open an app bus to other accounts (PutPermission)", "events:PutPermission", appBus),
	// Schedules.
	pc("give a schedule the admin role", "iam:PassRole", adminRole, toScheduler...),
	pc("change another system's schedule", "scheduler:UpdateSchedule", otherSched),
	pc("delete another system's schedule", "scheduler:DeleteSchedule", otherSched),
	// State machines.
	pc("give a state machine the CI role", "iam:PassRole", ciRole, toStates...),
	pc("run another system's state machine", "states:StartExecution", otherMachine),
	pc("rewrite another system's state machine", "states:UpdateStateMachine", otherMachine),
	pc("read another execution's input and output", "states:GetExecutionHistory", otherExec),
	pc("reveal an execution's HTTP task secrets (RevealSecrets)", "states:RevealSecrets", appExecution),
	// Stacks.
	pc("update another stack (UpdateStack)", "cloudformation:UpdateStack", otherStack),
	pc("change set on another stack", "cloudformation:CreateChangeSet", otherStack),
	pc("delete another stack", "cloudformation:DeleteStack", otherStack),
	pc("read another stack's template", "cloudformation:GetTemplate", otherStack),
	pc("give a stack the admin role", "iam:PassRole", adminRole, toStacks...),
	pc("give a stack the CI role", "iam:PassRole", ciRole, toStacks...),
	pc("run an account macro in an app change set", "cloudformation:CreateChangeSet", appStack).and("arn:aws:cloudformation:" + use1 + "transform/ExpandEverything"),
	pc("loosen an app stack's policy (SetStackPolicy)", "cloudformation:SetStackPolicy", appStack),
	pc("CDK bootstrap (creates roles)", "cloudformation:CreateStack", "arn:aws:cloudformation:"+use1+"stack/CDKToolkit/*"),
	pc("stack set in other accounts (CreateStackSet)", "cloudformation:CreateStackSet", "arn:aws:cloudformation:"+use1+"stackset/acme-app-everywhere:*"),
	// Sessions.
	pc("Session Manager shell on an untagged instance", "ssm:StartSession", instance).and(sessionDoc),
	pc("port forwarding through an app instance", "ssm:StartSession", instance, appTagged...).and("arn:aws:ssm:us-east-1::document/AWS-StartPortForwardingSessionToRemoteHost"),
	pc("interactive command document on an app instance", "ssm:StartSession", instance, appTagged...).and("arn:aws:ssm:us-east-1::document/AWS-StartInteractiveCommand"),
	pc("end another person's session", "ssm:TerminateSession", otherSession),
	pc("resume another person's session", "ssm:ResumeSession", otherSession),
	pc("rewrite the session preferences (logging, run-as)", "ssm:UpdateDocument", sessionDoc),
	pc("run a command on an app instance", "ssm:SendCommand", instance, appTagged...).and(ssmDocument),
	// Parameters.
	pc("read a parameter outside the app prefix", "ssm:GetParameter", "arn:aws:ssm:"+use1+"parameter/prod/api-key"),
	pc("read a parameter that merely starts like the app", "ssm:GetParameter", "arn:aws:ssm:"+use1+"parameter/acme-application/db-password"),
	pc("read every parameter by path /", "ssm:GetParametersByPath", "arn:aws:ssm:"+use1+"parameter/"),
	pc("overwrite another system's parameter", "ssm:PutParameter", parameter),
	pc("read a secret through Parameter Store's reference", "ssm:GetParameter", "arn:aws:ssm:"+use1+"parameter/aws/reference/secretsmanager/prod/payments/db"),
	pc("decrypt another SecureString with its key, through SSM", "kms:Decrypt", kmsKey, viaSSM...),
	// Keys.
	pc("rewrite an app key's policy (PutKeyPolicy)", "kms:PutKeyPolicy", kmsKey, appTagged...),
	pc("grant an app key to a principal (CreateGrant)", "kms:CreateGrant", kmsKey, appTagged...),
	pc("grant an app key for an AWS resource (CreateGrant; Terraform's job)", "kms:CreateGrant", kmsKey, with(appTagged, []string{"kms:GrantIsForAWSResource", "true"})...),
	pc("create a key (its creator writes its policy)", "kms:CreateKey", "*", createsApp...),
	pc("tag a key into the app scope", "kms:TagResource", kmsKey, "aws:RequestTag/"+DefaultAppScopeTagKey, "acme-app", "aws:TagKeys", DefaultAppScopeTagKey),
	pc("remove an app key's scope tag", "kms:UntagResource", kmsKey, with(appTagged, []string{"aws:TagKeys", DefaultAppScopeTagKey})...),
	pc("schedule an app key's deletion (erases what it encrypts)", "kms:ScheduleKeyDeletion", kmsKey, appTagged...),
	pc("disable an app key", "kms:DisableKey", kmsKey, appTagged...),
	pc("encrypt with another key", "kms:Encrypt", kmsKey),
	pc("data key from another key", "kms:GenerateDataKey", kmsKey),
	// Dashboards.
	pc("delete the audit alerts' dashboard (iambaseline-*)", "cloudwatch:DeleteDashboards", "arn:aws:cloudwatch::"+acct+":dashboard/iambaseline-org-trail"),
	pc("rewrite another team's dashboard", "cloudwatch:PutDashboard", "arn:aws:cloudwatch::"+acct+":dashboard/prod-ops"),
}

func init() {
	t := proofTables[RoleDevelopers]
	t.can = slices.Concat(t.can, developerJobCan)
	t.cannot = slices.Concat(t.cannot, developerJobCannot)
	proofTables[RoleDevelopers] = t
}

// otherGroupsJob are the Developers' "cannot" cases that another group's own job grants: SysAdmins
// monitor with cloudwatch:* everywhere, dashboards included (the audit guardrail protects the
// alerts' alarms; iambaseline_activity_alerts creates no dashboard).
var otherGroupsJob = map[string]map[string]bool{
	RoleSysAdmins: {
		"delete the audit alerts' dashboard (iambaseline-*)": true,
		"rewrite another team's dashboard":                   true,
	},
}

// The job cases are in the Developers table that TestProofTables evaluates (and no other group's
// table gained them by accident), and every "cannot" of the job stays denied for the other groups
// too, each evaluated with its own documents.
func TestProofDevelopersJob(t *testing.T) {
	table := proofTables[RoleDevelopers]
	for _, c := range developerJobCan {
		if !slices.ContainsFunc(table.can, func(x proofCase) bool { return x.what == c.what }) {
			t.Errorf("can case %q is not in the Developers proof table", c.what)
		}
	}
	for _, c := range developerJobCannot {
		if !slices.ContainsFunc(table.cannot, func(x proofCase) bool { return x.what == c.what }) {
			t.Errorf("cannot case %q is not in the Developers proof table", c.what)
		}
	}
	// The Developers' own job cases must hold for them (TestProofTables checks every context);
	// here: none of the tempting escalations is open to a member of another group either.
	mfa := MFAPolicy(true)
	for _, key := range []string{RoleSysAdmins, RoleDatabaseAdmins, RoleReadOnly} {
		docs := []PolicyDocument{mustGroupPolicy(t, key, proofOptions), mfa}
		for _, c := range developerJobCannot {
			if otherGroupsJob[key][c.what] {
				continue
			}
			if c.allowedIn(docs, c.ctx) {
				t.Errorf("%s may %q (%s on %s)", key, c.what, c.action, c.resources())
			}
		}
	}
	// The job fits: the Developers' grants take no more than the parts a group may have.
	for _, opts := range []Options{{}, proofOptions, goldenRestrictedOptions} {
		parts, err := GroupPolicyParts(RoleDevelopers, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) > MaxPolicyPartsPerGroup {
			t.Errorf("Developers take %d policies, more than %d", len(parts), MaxPolicyPartsPerGroup)
		}
	}
}

// The job follows app_scope, not the defaults: with a custom scope (names web-*, tag team = web) a
// member reaches the web app's APIs, rules, schedules, state machines, stacks, parameters, keys,
// dashboards and instances, and no longer the acme-app ones, by the same evaluator.
func TestProofDevelopersJobCustomScope(t *testing.T) {
	opts := proofOptions
	opts.AppScope = AppScope{NamePrefix: "web-", TagKey: "team", TagValue: "web", RolePath: "/web/"}
	docs := []PolicyDocument{mustGroupPolicy(t, RoleDevelopers, opts), MFAPolicy(true)}
	web := []string{"aws:ResourceTag/team", "web"}
	cases := []struct {
		c    proofCase
		want bool
	}{
		{pc("web API", "apigateway:PUT", appAPI+"/resources/r1/methods/GET/integration", web...), true},
		{pc("acme-app API", "apigateway:PUT", appAPI+"/resources/r1/methods/GET/integration", appTagged...), false},
		{pc("create a web API", "apigateway:POST", "arn:aws:apigateway:us-east-1::/restapis", "aws:RequestTag/team", "web"), true},
		{pc("web rule to a web function", "events:PutTargets", "arn:aws:events:"+use1+"rule/web-nightly", targets("arn:aws:lambda:"+use1+"function:web-api")...), true},
		{pc("web rule to an acme-app function", "events:PutTargets", "arn:aws:events:"+use1+"rule/web-nightly", targets(appFn)...), false},
		{pc("web schedule", "scheduler:CreateSchedule", "arn:aws:scheduler:"+use1+"schedule/default/web-reindex"), true},
		{pc("acme-app schedule", "scheduler:CreateSchedule", appSchedule), false},
		{pc("web state machine", "states:StartExecution", "arn:aws:states:"+use1+"stateMachine:web-orders"), true},
		{pc("web stack", "cloudformation:UpdateStack", "arn:aws:cloudformation:"+use1+"stack/web-api/0a1b"), true},
		{pc("acme-app stack", "cloudformation:UpdateStack", appStack), false},
		{pc("web parameter hierarchy", "ssm:GetParametersByPath", "arn:aws:ssm:"+use1+"parameter/web"), true},
		{pc("acme-app parameter", "ssm:GetParameter", appParameter), false},
		{pc("web key", "kms:Decrypt", kmsKey, web...), true},
		{pc("acme-app key", "kms:Decrypt", kmsKey, appTagged...), false},
		{pc("web dashboard", "cloudwatch:PutDashboard", "arn:aws:cloudwatch::"+acct+":dashboard/web-overview"), true},
		{pc("shell on a web instance", "ssm:StartSession", instance, web...).and(sessionDoc), true},
		{pc("shell on an acme-app instance", "ssm:StartSession", instance, appTagged...).and(sessionDoc), false},
		{pc("give a state machine a /web/ role", "iam:PassRole", "arn:aws:iam::"+acct+":role/web/orders", toStates...), true},
		{pc("give a state machine an /app/ role", "iam:PassRole", appRole, toStates...), false},
	}
	for _, tc := range cases {
		if got := tc.c.allowedIn(docs, tc.c.ctx); got != tc.want {
			t.Errorf("custom scope, %s: %s on %s allowed=%v, want %v", tc.c.what, tc.c.action, tc.c.resources(), got, tc.want)
		}
	}
}
