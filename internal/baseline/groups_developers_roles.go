package baseline

// App roles, delegated safely: AWS's documented permissions-boundary delegation pattern
// (IAM User Guide, "Permissions boundaries for IAM entities", delegating responsibility to others
// using permissions boundaries). With Options.DelegateAppRoles, Developers may create, change and
// delete the roles their app runs as, but only:
//
//   - under the app role path (AppScope.RolePath, e.g. /app/), the only roles they may pass;
//   - with the app boundary (AppBoundaryPolicy, <name_prefix>AppBoundary at the baseline's path) as
//     the role's permissions boundary: CreateRole, PutRolePolicy, AttachRolePolicy,
//     DetachRolePolicy, DeleteRolePolicy and PutRolePermissionsBoundary carry the condition
//     iam:PermissionsBoundary = that policy's ARN, which IAM checks against the role's boundary
//     (for CreateRole and PutRolePermissionsBoundary, the one requested). A role without it, with
//     another boundary, or outside the path cannot be created or given a policy;
//   - never removing a boundary (DeleteRolePermissionsBoundary is denied on every role) and never
//     changing the boundary policy itself (a new version, another default, deleting it or its
//     versions, its tags).
//
// AttachRolePolicy and PutRolePolicy accept any policy, AdministratorAccess included: the boundary
// caps what the role may do whatever its own policies say (an action is allowed only when both the
// role's policies and the boundary allow it, and the boundary's denies always apply), so a role
// under the boundary can do at most what the boundary allows. Its ceiling is the app scope, not
// more than the Developers already have (AppBoundaryPolicy), so a developer who makes an app role
// trust themselves gains nothing. Trust changes (UpdateAssumeRolePolicy), tags, descriptions,
// session duration and DeleteRole on /app/ roles are granted without the condition (IAM does not
// offer iam:PermissionsBoundary for them): they change who may use a role whose powers are capped,
// or remove one, not what it may do; and every /app/ role may already be passed to the app's
// compute, so app roles made outside this delegation must already be no broader than the app
// (the AppScope contract).
//
// The boundary ARN names the account by ${aws:PrincipalAccount}: the group policy is rendered
// before the account is known and stays the same in every account.

// Sids of the delegation statements.
const (
	AppRolesWithBoundarySid   = "AppRolesWithBoundary"
	AppRolesSid               = "AppRoles"
	DenyBoundaryRemovalSid    = "DenyRoleBoundaryRemoval"
	DenyBoundaryPolicyEditSid = "DenyAppBoundaryEdits"
)

// appRoleBoundaryActions are the role writes Developers may make only with the app boundary.
var appRoleBoundaryActions = []string{
	"iam:AttachRolePolicy",
	"iam:CreateRole",
	"iam:DeleteRolePolicy",
	"iam:DetachRolePolicy",
	"iam:PutRolePermissionsBoundary",
	"iam:PutRolePolicy",
}

// appRoleActions are the role writes that take no iam:PermissionsBoundary condition.
var appRoleActions = []string{
	"iam:DeleteRole",
	"iam:TagRole",
	"iam:UntagRole",
	"iam:UpdateAssumeRolePolicy",
	"iam:UpdateRole",
	"iam:UpdateRoleDescription",
}

// boundaryPolicyEditActions change a managed policy's document, or remove it.
var boundaryPolicyEditActions = []string{
	"iam:CreatePolicyVersion",
	"iam:DeletePolicy",
	"iam:DeletePolicyVersion",
	"iam:SetDefaultPolicyVersion",
	"iam:TagPolicy",
	"iam:UntagPolicy",
}

func developerRoleStatements(o Options) []Statement {
	if !o.DelegateAppRoles {
		return nil
	}
	roles := passRoleARN(o.Partition, o.AppScope.RolePath)
	withBoundary := allow(AppRolesWithBoundarySid, appRoleBoundaryActions, roles)
	withBoundary.Condition = map[string]map[string][]string{
		"StringEquals": {"iam:PermissionsBoundary": {o.appBoundaryARN("${aws:PrincipalAccount}")}},
	}
	return []Statement{withBoundary, allow(AppRolesSid, appRoleActions, roles)}
}

// appRoleGuardStatements are the delegation's denies, in the guardrail policy (guardrails.go) with
// every other Deny of the baseline, so that no member of any group, whatever an extra policy grants,
// removes a role's boundary or changes the boundary policy.
func appRoleGuardStatements(o Options) []Statement {
	if !o.DelegateAppRoles {
		return nil
	}
	return []Statement{
		deny(DenyBoundaryRemovalSid, []string{"iam:DeleteRolePermissionsBoundary"}),
		deny(DenyBoundaryPolicyEditSid, boundaryPolicyEditActions, o.appBoundaryARN("*")),
	}
}

// AppServicePrincipals are the services Developers (and the app's own roles) may pass an app role
// to (iam:PassedToService): the compute, pipelines and schedulers the app runs on.
func AppServicePrincipals() []string {
	return []string{
		"apigateway.amazonaws.com",
		"codebuild.amazonaws.com",
		"codedeploy.amazonaws.com",
		"codepipeline.amazonaws.com",
		"ec2.amazonaws.com",
		"ecs-tasks.amazonaws.com",
		"events.amazonaws.com",
		"lambda.amazonaws.com",
		"scheduler.amazonaws.com",
		"states.amazonaws.com",
	}
}

// passAppRolesStatement lets the app's roles be handed only to the services the app uses, and to
// the further services named (Developers add CloudFormation, for a stack's service role; the app's
// own roles under the boundary do not deploy stacks).
func passAppRolesStatement(partition string, scope AppScope, further ...string) Statement {
	s := allow("PassAppRoles", []string{"iam:PassRole"}, passRoleARN(partition, scope.RolePath))
	s.Condition = map[string]map[string][]string{"StringEquals": {"iam:PassedToService": append(AppServicePrincipals(), further...)}}
	return s
}
