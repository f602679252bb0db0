package lint

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var lintUpdate = flag.Bool("update", false, "rewrite testdata/lint/*.golden from the current linter output")

// lintDoc wraps statements in a 2012-10-17 policy.
func lintDoc(statements ...string) string {
	return `{"Version": "2012-10-17", "Statement": [` + strings.Join(statements, ",") + `]}`
}

func lintAllow(action, resource string) string {
	return `{"Effect": "Allow", "Action": ` + action + `, "Resource": ` + resource + `}`
}

// want is one expected finding: severity, code and a fragment of the message.
type want struct {
	sev  Severity
	code string
	frag string
}

func e(code, frag string) want { return want{SeverityError, code, frag} }
func w(code, frag string) want { return want{SeverityWarning, code, frag} }

var (
	managed = Options{Kind: KindManagedPolicy}
	trust   = Options{Kind: KindTrustPolicy}
)

func TestPolicy(t *testing.T) {
	trustDoc := func(stmt string) string { return lintDoc(stmt) }
	tests := []struct {
		name string
		doc  string
		opts Options
		want []want // exactly these findings, in this order
	}{
		// JSON
		{"empty document", "", managed, []want{e("json", "empty")}},
		{"syntax error position", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [}\n}", managed, []want{e("json", "line 3, column 17")}},
		{"truncated", `{"Version": "2012-10-17"`, managed, []want{e("json", "ends before")}},
		{"trailing data", `{} {}`, managed, []want{e("json", "after the top-level value")}},
		{"array not object", `[{"Effect": "Allow"}]`, managed, []want{e("json", "JSON array")}},
		{"string not object", `"policy"`, managed, []want{e("json", "JSON string")}},

		// clean documents
		{"least privilege", lintDoc(lintAllow(`["s3:GetObject", "s3:PutObject"]`, `"arn:aws:s3:::acme-data/*"`)), managed, nil},
		{"single statement object", `{"Version": "2012-10-17", "Statement": ` + lintAllow(`"ec2:Describe*"`, `"*"`) + `}`, managed, nil},
		{"valid condition", lintDoc(`{"Sid": "Mfa1", "Effect": "Deny", "NotAction": "iam:ChangePassword", "Resource": "*",
			"Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": false}, "ForAnyValue:StringLike": {"aws:TagKeys": ["a*", "b"]}, "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}, "Null": {"aws:TokenIssueTime": "true"}}}`), managed, nil},

		// Version
		{"version missing", `{"Statement": [` + lintAllow(`"s3:GetObject"`, `"*"`) + `]}`, managed, []want{w("grammar", "Version\" is missing")}},
		{"version 2008", `{"Version": "2008-10-17", "Statement": [` + lintAllow(`"s3:GetObject"`, `"*"`) + `]}`, managed, []want{w("grammar", "2008-10-17")}},
		{"version other", `{"Version": "2012-10-18", "Statement": [` + lintAllow(`"s3:GetObject"`, `"*"`) + `]}`, managed, []want{e("grammar", `got "2012-10-18"`)}},
		{"version number", `{"Version": 2012, "Statement": [` + lintAllow(`"s3:GetObject"`, `"*"`) + `]}`, managed, []want{e("grammar", "got 2012")}},
		{"unknown top-level key", `{"Version": "2012-10-17", "statement": [], "Statement": [` + lintAllow(`"s3:GetObject"`, `"*"`) + `]}`, managed, []want{e("grammar", `unknown top-level key "statement"`)}},
		{"id not string", `{"Version": "2012-10-17", "Id": 1, "Statement": [` + lintAllow(`"s3:GetObject"`, `"*"`) + `]}`, managed, []want{e("grammar", `"Id" must be a string`)}},

		// Statement
		{"statement missing", `{"Version": "2012-10-17"}`, managed, []want{e("grammar", "Statement\" is missing")}},
		{"statement empty", `{"Version": "2012-10-17", "Statement": []}`, managed, []want{e("grammar", "empty array")}},
		{"statement string", `{"Version": "2012-10-17", "Statement": "x"}`, managed, []want{e("grammar", "got string")}},
		{"statement element not object", lintDoc(`1`), managed, []want{e("grammar", "Statement[0] must be an object, got number")}},
		{"effect lowercase", lintDoc(`{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}`), managed, []want{e("grammar", `exactly "Allow" or "Deny", got "allow"`)}},
		{"effect missing", lintDoc(`{"Action": "s3:GetObject", "Resource": "*"}`), managed, []want{e("grammar", `"Effect" is missing`)}},
		{"action and notaction", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"}`), managed, []want{e("grammar", "both \"Action\" and \"NotAction\"")}},
		{"action missing", lintDoc(`{"Effect": "Deny", "Resource": "*"}`), managed, []want{e("grammar", "needs \"Action\"")}},
		{"resource and notresource", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "NotResource": "*"}`), managed, []want{e("grammar", "both \"Resource\" and \"NotResource\"")}},
		{"resource missing", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject"}`), managed, []want{e("grammar", "needs \"Resource\"")}},
		{"principal in identity policy", lintDoc(`{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}`), managed, []want{e("grammar", "must not have \"Principal\"")}},
		{"unknown statement key", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Resources": "*"}`), managed, []want{e("grammar", `unknown key "Resources"`)}},
		{"bad action form", lintDoc(lintAllow(`["s3GetObject", "s3:Get Object", ""]`, `"*"`)), managed, []want{
			e("grammar", `Action "" is not`), e("grammar", `Action "s3:Get Object" is not`), e("grammar", `Action "s3GetObject" is not`)}},
		{"action not string", lintDoc(lintAllow(`[1]`, `"*"`)), managed, []want{e("grammar", "Action[0] must be a string, got number")}},
		{"action empty array", lintDoc(lintAllow(`[]`, `"*"`)), managed, []want{e("grammar", `"Action" is an empty array`)}},
		{"action object", lintDoc(lintAllow(`{}`, `"*"`)), managed, []want{e("grammar", `"Action" must be a string or an array of strings, got object`)}},
		{"wildcard actions are valid", lintDoc(lintAllow(`["s3:Get*", "ec2:Describe?nstances", "*"]`, `"arn:aws:s3:::b"`)), managed, nil},
		{"bad resource", lintDoc(lintAllow(`"s3:GetObject"`, `"my-bucket"`)), managed, []want{e("grammar", `Resource "my-bucket" is neither`)}},
		{"condition not object", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": []}`), managed, []want{e("grammar", `"Condition" must be an object`)}},
		{"condition unknown operator", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqual": {"aws:username": "a"}}}`), managed, []want{e("grammar", `unknown condition operator "StringEqual"`)}},
		{"condition operator value not object", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": true}}`), managed, []want{e("grammar", "Condition.Bool must be an object")}},
		{"condition value object", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:username": {"a": 1}}}}`), managed, []want{e("grammar", "Condition.StringEquals.aws:username must be")}},
		{"condition value null", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:username": null}}}`), managed, []want{e("grammar", "got null")}},
		{"condition empty operator", lintDoc(`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {}}}`), managed, []want{e("grammar", "Condition.StringEquals is empty")}},
		{"duplicate sid", lintDoc(`{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`, `{"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}`), managed, []want{e("grammar", `Statement[1]: duplicate Sid "Read" (also used by Statement[0])`)}},
		{"sid with punctuation", lintDoc(`{"Sid": "read-only", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`), managed, []want{e("grammar", "may contain only letters")}},
		{"sid not string", lintDoc(`{"Sid": 3, "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`), managed, []want{e("grammar", `"Sid" must be a string`)}},

		// trust policies
		{"trust ok", trustDoc(`{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}`), trust, nil},
		{"trust with resource", trustDoc(`{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}`), trust, []want{e("grammar", "must not have \"Resource\"")}},
		{"trust without principal", trustDoc(`{"Effect": "Allow", "Action": "sts:AssumeRole"}`), trust, []want{e("grammar", "needs \"Principal\"")}},
		{"trust unknown principal type", trustDoc(`{"Effect": "Allow", "Principal": {"Account": "1"}, "Action": "sts:AssumeRole"}`), trust, []want{e("grammar", `unknown principal type "Account"`)}},
		{"trust public", trustDoc(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}`), trust, []want{e("public-trust", "anyone in any account")}},
		{"trust public with MFA only", trustDoc(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}`), trust, []want{e("public-trust", "pins who the principal is")}},
		{"trust public with external ID only", trustDoc(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}`), trust, []want{e("public-trust", "sts:ExternalId alone")}},
		{"trust public with negated org", trustDoc(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}}`), trust, []want{e("public-trust", "")}},
		{"trust public with wildcard account", trustDoc(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringLike": {"aws:PrincipalAccount": "*"}}}`), trust, []want{e("public-trust", "")}},
		{"trust public pinned to an organization", trustDoc(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}`), trust, nil},
		{"trust public pinned to an account", trustDoc(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalAccount": ["123456789012"]}}}`), trust, nil},
		{"trust public pinned by OIDC sub", trustDoc(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}}}`), trust, nil},
		{"trust public with condition", trustDoc(`{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}}`), trust, nil},
		{"trust ignores identity checks", trustDoc(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "*"}`), trust, nil},

		// admin star
		{"admin star", lintDoc(lintAllow(`"*"`, `"*"`)), managed, []want{e("admin-star", "explicitly admin group")}},
		{"admin star colon form", lintDoc(lintAllow(`"*:*"`, `["arn:aws:s3:::b", "*"]`)), managed, []want{e("admin-star", "full administrator access")}},
		{"admin star allowed for admin", lintDoc(lintAllow(`"*"`, `"*"`)), Options{Kind: KindGroupInlinePolicy, AdminAllowed: true}, nil},
		{"star on scoped resource is not admin", lintDoc(lintAllow(`"*"`, `"arn:aws:s3:::acme-data/*"`)), managed, nil},
		{"deny star star is fine", lintDoc(`{"Effect": "Deny", "Action": "*", "Resource": "*"}`), managed, nil},

		// NotAction / NotResource
		{"allow notaction", lintDoc(`{"Effect": "Allow", "NotAction": ["s3:DeleteObject"], "Resource": "arn:aws:s3:::b/*"}`), managed, []want{w("not-action", "list the allowed actions")}},
		{"deny notaction is fine", lintDoc(`{"Effect": "Deny", "NotAction": "iam:ChangePassword", "Resource": "*"}`), managed, nil},
		{"allow notresource", lintDoc(`{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secrets/*"}`), managed, []want{w("not-resource", "list the allowed resources")}},
		{"deny notresource is fine", lintDoc(`{"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::public/*"}`), managed, nil},

		// service wildcards
		{"kms star", lintDoc(lintAllow(`"kms:*"`, `"arn:aws:kms:us-east-1:123456789012:key/abc"`)), managed, []want{w("service-wildcard", `"kms:*", every kms action`)}},
		{"organizations star", lintDoc(lintAllow(`"organizations:*"`, `"*"`)), managed, []want{w("service-wildcard", "every organizations action")}},
		{"iam star scoped resource", lintDoc(lintAllow(`"IAM:*"`, `"arn:aws:iam::123456789012:user/${aws:username}"`)), managed, []want{
			e("privesc", "add-user-to-group"), e("privesc", "attach-policy"), e("privesc", "create-policy-version"),
			e("privesc", "put-inline-policy"), e("privesc", "remove-group-policy"), e("privesc", "remove-permissions-boundary"),
			e("privesc", "set-default-policy-version"), e("privesc", "update-assume-role-policy"),
			w("service-wildcard", `"IAM:*"`)}},
		{"s3 star is not sensitive", lintDoc(lintAllow(`"s3:*"`, `"arn:aws:s3:::b/*"`)), managed, nil},
		{"iam partial wildcard is not service-wide", lintDoc(lintAllow(`"iam:Get*"`, `"*"`)), managed, nil},
		{"deny kms star is fine", lintDoc(`{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}`), managed, nil},

		// PassRole on any role
		{"passrole star", lintDoc(lintAllow(`"iam:PassRole"`, `"*"`)), managed, []want{w("passrole-star", "on any role")}},
		{"pass wildcard any role arn", lintDoc(lintAllow(`"iam:Pass*"`, `"arn:aws:iam::123456789012:role/*"`)), managed, []want{w("passrole-star", `"iam:Pass*"`)}},
		{"passrole scoped path", lintDoc(lintAllow(`"iam:PassRole"`, `"arn:aws:iam::123456789012:role/app/*"`)), managed, nil},
		{"passrole notresource", lintDoc(`{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::123456789012:role/admin"}`), managed, []want{w("not-resource", ""), w("passrole-star", "")}},

		// privilege escalation: single actions
		// AWS's permissions-boundary delegation: role writes pinned to a boundary are warnings.
		{"role writes pinned to a boundary", lintDoc(`{"Effect": "Allow", "Action": ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary"], "Resource": "arn:aws:iam::*:role/app/*",
			"Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::${aws:PrincipalAccount}:policy/acme-AppBoundary"}}}`), managed,
			[]want{w("privesc", "attach-policy"), w("privesc", "put-inline-policy"), w("privesc", "remove-group-policy"), w("privesc", "remove-permissions-boundary")}},
		{"role writes with a boundary condition that is only IfExists", lintDoc(`{"Effect": "Allow", "Action": "iam:AttachRolePolicy", "Resource": "arn:aws:iam::*:role/app/*",
			"Condition": {"StringEqualsIfExists": {"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/b"}}}`), managed, []want{e("privesc", "attach-policy")}},
		{"boundary removal pinned to the boundary is still an error", lintDoc(`{"Effect": "Allow", "Action": "iam:DeleteRolePermissionsBoundary", "Resource": "arn:aws:iam::*:role/app/*",
			"Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/b"}}}`), managed, []want{e("privesc", "remove-permissions-boundary")}},
		{"user writes pinned to a boundary stay errors", lintDoc(`{"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*",
			"Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/b"}}}`), managed, []want{e("privesc", "attach-policy")}},
		{"trust of named roles is a warning", lintDoc(lintAllow(`"iam:UpdateAssumeRolePolicy"`, `"arn:aws:iam::*:role/app/*"`)), managed, []want{w("privesc", "update-assume-role-policy")}},
		{"trust of every role is an error", lintDoc(lintAllow(`"iam:UpdateAssumeRolePolicy"`, `"arn:aws:iam::*:role/*"`)), managed, []want{e("privesc", "update-assume-role-policy")}},
		{"create policy version", lintDoc(lintAllow(`"iam:CreatePolicyVersion"`, `"arn:aws:iam::123456789012:policy/*"`)), managed, []want{e("privesc", "(create-policy-version): the policy allows iam:CreatePolicyVersion (Statement[0] via \"iam:CreatePolicyVersion\")")}},
		{"set default policy version", lintDoc(lintAllow(`"iam:SetDefaultPolicyVersion"`, `"arn:aws:iam::123456789012:policy/*"`)), managed, []want{e("privesc", "set-default-policy-version")}},
		{"attach wildcard expands", lintDoc(lintAllow(`"iam:Attach*"`, `"arn:aws:iam::123456789012:user/*"`)), managed, []want{e("privesc", "iam:AttachUserPolicy (Statement[0] via \"iam:Attach*\"), iam:AttachGroupPolicy (Statement[0] via \"iam:Attach*\"), iam:AttachRolePolicy")}},
		{"attach role policy case-insensitive", lintDoc(lintAllow(`"IAM:attachrolepolicy"`, `"arn:aws:iam::123456789012:role/x"`)), managed, []want{e("privesc", "allows iam:AttachRolePolicy (")}},
		{"put group policy", lintDoc(lintAllow(`"iam:PutGroupPolicy"`, `"*"`)), managed, []want{e("privesc", "put-inline-policy")}},
		{"question mark wildcard", lintDoc(lintAllow(`"iam:Put?serPolicy"`, `"*"`)), managed, []want{e("privesc", "iam:PutUserPolicy")}},
		{"add user to group", lintDoc(lintAllow(`"iam:AddUserToGroup"`, `"arn:aws:iam::123456789012:group/Admins"`)), managed, []want{e("privesc", "add-user-to-group")}},
		{"update assume role policy", lintDoc(lintAllow(`"iam:UpdateAssumeRolePolicy"`, `"*"`)), managed, []want{e("privesc", "update-assume-role-policy")}},
		{"access key for others", lintDoc(lintAllow(`["iam:CreateAccessKey", "iam:UpdateLoginProfile"]`, `"arn:aws:iam::*:user/*"`)), managed, []want{e("privesc", "iam:CreateAccessKey (Statement[0] via \"iam:CreateAccessKey\"), iam:UpdateLoginProfile")}},
		{"own credentials are fine", lintDoc(lintAllow(`["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:ChangePassword"]`, `["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::123456789012:user/eng/${aws:username}"]`)), managed, nil},
		{"own and others credentials", lintDoc(lintAllow(`"iam:CreateLoginProfile"`, `["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:user/bob"]`)), managed, []want{e("privesc", "other-users-credentials")}},
		{"iam action on s3 resource is inert", lintDoc(lintAllow(`["iam:AttachUserPolicy", "s3:*"]`, `"arn:aws:s3:::acme-data/*"`)), managed, nil},
		{"read-only iam is fine", lintDoc(lintAllow(`["iam:Get*", "iam:List*"]`, `"*"`)), managed, nil},
		{"unconditional deny cancels", lintDoc(lintAllow(`"iam:Attach*"`, `"*"`), `{"Effect": "Deny", "Action": "iam:Attach*", "Resource": "*"}`), managed, nil},
		{"conditional deny does not cancel", lintDoc(lintAllow(`"iam:AttachUserPolicy"`, `"*"`), `{"Effect": "Deny", "Action": "iam:Attach*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}`), managed, []want{e("privesc", "attach-policy")}},
		{"deny on one resource does not cancel", lintDoc(lintAllow(`"iam:AttachUserPolicy"`, `"*"`), `{"Effect": "Deny", "Action": "iam:Attach*", "Resource": "arn:aws:iam::1:user/a"}`), managed, []want{e("privesc", "attach-policy")}},
		{"admin allowed skips privesc", lintDoc(lintAllow(`"iam:AttachUserPolicy"`, `"*"`)), Options{Kind: KindManagedPolicy, AdminAllowed: true}, nil},
		{"notaction grants escalation", lintDoc(`{"Effect": "Allow", "NotAction": ["s3:*", "ec2:*", "lambda:*", "cloudformation:*", "glue:*", "ssm:*", "codebuild:*", "ecs:*", "ecr:*", "codedeploy:*", "ec2-instance-connect:*", "sagemaker:*", "states:*", "datapipeline:*", "autoscaling:*", "sts:*", "iam:PassRole", "iam:Create*", "iam:Update*", "iam:Put*", "iam:Delete*", "iam:Detach*", "iam:Deactivate*", "iam:Enable*", "iam:Resync*", "iam:AddUserToGroup", "iam:SetDefaultPolicyVersion"], "Resource": "*"}`), managed, []want{
			e("privesc", "iam:AttachUserPolicy (Statement[0] via NotAction)"), w("not-action", "")}},

		// privilege escalation: PassRole combinations
		{"passrole ec2 any role", lintDoc(lintAllow(`["iam:PassRole", "ec2:RunInstances"]`, `"*"`)), managed, []want{e("privesc", "(passrole-ec2)"), w("passrole-star", "")}},
		{"passrole ec2 scoped role is a warning", lintDoc(lintAllow(`"iam:PassRole"`, `"arn:aws:iam::123456789012:role/app/*"`), lintAllow(`"ec2:RunInstances"`, `"*"`)), managed, []want{w("privesc", "(passrole-ec2)")}},
		{"passrole lambda invoke", lintDoc(lintAllow(`"iam:PassRole"`, `"*"`), lintAllow(`["lambda:CreateFunction", "lambda:InvokeFunction"]`, `"*"`)), managed, []want{e("privesc", "passrole-lambda"), w("passrole-star", "")}},
		{"passrole lambda event source", lintDoc(lintAllow(`["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"]`, `"*"`)), managed, []want{e("privesc", "lambda:CreateEventSourceMapping"), w("passrole-star", "")}},
		{"passrole lambda without invoke", lintDoc(lintAllow(`"iam:PassRole"`, `"arn:aws:iam::1:role/app/*"`), lintAllow(`"lambda:CreateFunction"`, `"*"`)), managed, nil},
		{"passrole cloudformation", lintDoc(lintAllow(`["iam:PassRole", "cloudformation:CreateStack"]`, `"*"`)), managed, []want{e("privesc", "passrole-cloudformation"), w("passrole-star", "")}},
		{"passrole glue", lintDoc(lintAllow(`["iam:PassRole", "glue:CreateDevEndpoint"]`, `"*"`)), managed, []want{e("privesc", "passrole-glue"), w("passrole-star", "")}},
		{"ec2 without passrole", lintDoc(lintAllow(`["ec2:RunInstances", "lambda:*", "cloudformation:*", "glue:*"]`, `"*"`)), managed, []want{
			e("privesc", "(cloudformation-update-stack)"), e("privesc", "(glue-update-dev-endpoint)"), e("privesc", "(update-function-code)")}},

		// the catalogue: changing what already runs as another role
		{"update function code anywhere", lintDoc(lintAllow(`"lambda:UpdateFunctionCode"`, `"*"`)), managed, []want{e("privesc", "(update-function-code)")}},
		{"update function code in an app scope", lintDoc(lintAllow(`"lambda:UpdateFunctionCode"`, `"arn:aws:lambda:*:*:function:app-*"`)), managed, []want{w("privesc", "(update-function-code)")}},
		{"start build on any project", lintDoc(lintAllow(`"codebuild:StartBuild"`, `"arn:aws:codebuild:*:*:project/*"`)), managed, []want{e("privesc", "(codebuild-start-build)")}},
		{"send command", lintDoc(lintAllow(`"ssm:SendCommand"`, `"*"`)), managed, []want{e("privesc", "(ssm-send-command)")}},
		{"start session", lintDoc(lintAllow(`"ssm:StartSession"`, `"*"`)), managed, []want{e("privesc", "(ssm-start-session)")}},
		{"send ssh public key", lintDoc(lintAllow(`"ec2-instance-connect:SendSSHPublicKey"`, `"*"`)), managed, []want{e("privesc", "(ec2-instance-connect)")}},
		{"user data", lintDoc(lintAllow(`"ec2:ModifyInstanceAttribute"`, `"*"`)), managed, []want{e("privesc", "(ec2-user-data)")}},
		{"user data on tagged instances", lintDoc(`{"Effect": "Allow", "Action": "ec2:ModifyInstanceAttribute", "Resource": "arn:aws:ec2:*:*:instance/*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "app"}}}`), managed, []want{w("privesc", "(ec2-user-data)")}},
		{"launch template versions", lintDoc(lintAllow(`"ec2:CreateLaunchTemplateVersion"`, `"*"`)), managed, []want{e("privesc", "(ec2-launch-template)")}},
		{"assume any role", lintDoc(lintAllow(`"sts:AssumeRole"`, `"*"`)), managed, []want{e("privesc", "(assume-any-role)")}},
		{"assume a named role", lintDoc(lintAllow(`"sts:AssumeRole"`, `"arn:aws:iam::123456789012:role/deploy"`)), managed, nil},
		{"remove a permissions boundary", lintDoc(lintAllow(`"iam:DeleteRolePermissionsBoundary"`, `"*"`)), managed, []want{e("privesc", "(remove-permissions-boundary)")}},
		{"detach the MFA policy", lintDoc(lintAllow(`"iam:DetachGroupPolicy"`, `"*"`)), managed, []want{e("privesc", "(remove-group-policy)")}},
		{"other users' MFA", lintDoc(lintAllow(`"iam:DeactivateMFADevice"`, `"*"`)), managed, []want{e("privesc", "(other-users-mfa)")}},
		{"own MFA", lintDoc(lintAllow(`"iam:DeactivateMFADevice"`, `"arn:aws:iam::*:user/${aws:username}"`)), managed, nil},
		{"passrole ecs any role", lintDoc(lintAllow(`["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"]`, `"*"`)), managed, []want{e("privesc", "(passrole-ecs)"), w("passrole-star", "")}},

		// options
		{"unknown kind", lintDoc(lintAllow(`"s3:GetObject"`, `"*"`)), Options{Kind: Kind(42)}, []want{e("options", "unknown policy kind 42")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lintAssert(t, Policy(tt.doc, tt.opts), tt.want)
		})
	}
}

func lintAssert(t *testing.T, got []Finding, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(wants), lintFormat(got))
	}
	for i, wt := range wants {
		g := got[i]
		if g.Severity != wt.sev || g.Code != wt.code || !strings.Contains(g.Message, wt.frag) {
			t.Errorf("finding %d = %v\nwant %s %s containing %q", i, g, wt.sev, wt.code, wt.frag)
		}
	}
}

func TestLintPolicySize(t *testing.T) {
	// Padding with whitespace never counts; padding inside a string does.
	statement := func(n int) string {
		return lintDoc(`{"Sid": "` + strings.Repeat("a", n) + `", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`)
	}
	base := baseline.NonWhitespaceLen(statement(0))
	kinds := []struct {
		kind  Kind
		quota int
	}{
		{KindManagedPolicy, 6144},
		{KindGroupInlinePolicy, 5120},
		{KindRoleInlinePolicy, 10240},
		{KindUserInlinePolicy, 2048},
		{KindPermissionSetInlinePolicy, 32768},
	}
	for _, k := range kinds {
		t.Run(k.kind.String(), func(t *testing.T) {
			if k.kind.SizeQuota() != k.quota {
				t.Fatalf("SizeQuota() = %d, want %d", k.kind.SizeQuota(), k.quota)
			}
			atQuota := statement(k.quota - base)
			if n := baseline.NonWhitespaceLen(atQuota); n != k.quota {
				t.Fatalf("test document is %d characters, want %d", n, k.quota)
			}
			lintAssert(t, Policy(atQuota, Options{Kind: k.kind}), nil)
			spaced := strings.ReplaceAll(atQuota, ",", " ,\n\t ")
			lintAssert(t, Policy(spaced, Options{Kind: k.kind}), nil)
			over := statement(k.quota - base + 1)
			lintAssert(t, Policy(over, Options{Kind: k.kind}), []want{
				e("size", "is "+strconv.Itoa(k.quota+1)+" characters (whitespace excluded), over the AWS quota of "+strconv.Itoa(k.quota)+" for a "+k.kind.String())})
		})
	}
	t.Run("trust", func(t *testing.T) {
		if KindTrustPolicy.SizeQuota() != 2048 {
			t.Fatalf("trust quota = %d", KindTrustPolicy.SizeQuota())
		}
		doc := lintDoc(`{"Effect": "Allow", "Principal": {"AWS": [` + strings.Repeat(`"arn:aws:iam::123456789012:root",`, 70) + `"*"]}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}`)
		lintAssert(t, Policy(doc, trust), []want{e("size", "quota of 2048 for a role trust policy")})
	})
	t.Run("invalid JSON is still measured", func(t *testing.T) {
		lintAssert(t, Policy(strings.Repeat("x", 3000), Options{Kind: KindUserInlinePolicy}), []want{e("json", ""), e("size", "3000 characters")})
	})
}

func TestLintNonWhitespaceLen(t *testing.T) {
	for in, want := range map[string]int{
		"":                  0,
		" \t\r\n":           0,
		`{"a": "b c"}`:      10,
		"é\u00a0ü":          2, // no-break space is whitespace
		`"${aws:username}"`: 17,
	} {
		if got := baseline.NonWhitespaceLen(in); got != want {
			t.Errorf("baseline.NonWhitespaceLen(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestLintGlob(t *testing.T) {
	for _, tt := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "iam:passrole", true},
		{"iam:*", "iam:passrole", true},
		{"iam:pass*", "iam:passrole", true},
		{"iam:pass?ole", "iam:passrole", true},
		{"iam:pass?ole", "iam:passole", false},
		{"iam:*role", "iam:passrole", true},
		{"iam:*role", "iam:passroles", false},
		{"i*m:*", "iam:x", true},
		{"s3:*", "iam:x", false},
		{"role/app/*", "role/lint-probe-any-role", false},
		{"role/*", "role/lint-probe-any-role", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
	} {
		if got := lintGlob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("lintGlob(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestHasErrors(t *testing.T) {
	if HasErrors(nil) {
		t.Error("HasErrors(nil) = true")
	}
	if HasErrors([]Finding{{Severity: SeverityWarning, Code: "x", Message: "m"}}) {
		t.Error("HasErrors(warnings only) = true")
	}
	if !HasErrors([]Finding{{Severity: SeverityWarning}, {Severity: SeverityError}}) {
		t.Error("HasErrors(with an error) = false")
	}
	if !HasErrors(Policy(`{`, managed)) {
		t.Error("HasErrors(LintPolicy of broken JSON) = false")
	}
}

func TestLintPolicySortedAndDeterministic(t *testing.T) {
	doc := lintDoc(lintAllow(`["iam:*", "kms:*", "ec2:RunInstances"]`, `"*"`), `{"Effect": "allow", "Action": "s3:x", "Resource": "*"}`, lintAllow(`"*"`, `"*"`))
	first := Policy(doc, managed)
	if len(first) < 5 {
		t.Fatalf("expected many findings, got:\n%s", lintFormat(first))
	}
	sorted := sort.SliceIsSorted(first, func(i, j int) bool {
		a, b := first[i], first[j]
		if a.Severity != b.Severity {
			return a.Severity == SeverityError
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
	if !sorted {
		t.Errorf("findings are not sorted by severity, code, message:\n%s", lintFormat(first))
	}
	for i := 0; i < 20; i++ {
		if again := Policy(doc, managed); lintFormat(again) != lintFormat(first) {
			t.Fatalf("run %d differs:\n%s\nfirst:\n%s", i, lintFormat(again), lintFormat(first))
		}
	}
}

func TestKindString(t *testing.T) {
	if got := KindGroupInlinePolicy.String(); got != "group inline policy" {
		t.Errorf("String() = %q", got)
	}
	if got := Kind(9).String(); got != "Kind(9)" {
		t.Errorf("String() = %q", got)
	}
	if got := Kind(9).SizeQuota(); got != 0 {
		t.Errorf("SizeQuota() of unknown kind = %d", got)
	}
}

// Golden files: testdata/lint/<kind>_<name>.json is linted with the kind its
// prefix names (managed, group, role, user, trust); a name ending in "_admin"
// sets AdminAllowed. The findings are compared with <name>.golden.
func TestLintPolicyGolden(t *testing.T) {
	kinds := map[string]Kind{
		"managed": KindManagedPolicy, "group": KindGroupInlinePolicy, "role": KindRoleInlinePolicy,
		"user": KindUserInlinePolicy, "trust": KindTrustPolicy,
	}
	files, err := filepath.Glob(filepath.Join("testdata", "lint", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d golden inputs", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			prefix, _, _ := strings.Cut(name, "_")
			kind, ok := kinds[prefix]
			if !ok {
				t.Fatalf("file name must start with one of managed_, group_, role_, user_, trust_")
			}
			doc, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := lintFormat(Policy(string(doc), Options{Kind: kind, AdminAllowed: strings.HasSuffix(name, "_admin")}))
			golden := strings.TrimSuffix(file, ".json") + ".golden"
			if *lintUpdate {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestLintPolicyGolden -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("findings differ from %s (run with -update if the change is intended)\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func lintFormat(findings []Finding) string {
	if len(findings) == 0 {
		return "(no findings)\n"
	}
	var b strings.Builder
	for _, f := range findings {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}
