package lint

import (
	"fmt"
	"slices"
	"strings"
)

// Privilege escalation.
//
// Severity: a rule that lets the principal rewrite permissions directly
// (new policy versions, attaching or writing policies, joining groups,
// editing trust, minting other users' credentials) is an error, because
// the holder can make itself administrator in one call and no non-admin
// group of the baseline needs it. A PassRole combination is an error when
// iam:PassRole covers any role (the holder can run code as an administrator
// role), but only a warning when PassRole is limited to named roles: that
// is the documented Developers pattern, bounded by what those roles can do.

type lintPrivescRule struct {
	name string
	// requires lists groups of alternatives; every group must be allowed.
	requires [][]string
	risk     string
	fix      string
	// selfCredentials: grants limited to the caller's own user
	// (${aws:username}) do not count.
	selfCredentials bool
	passRole        bool
	// compute: the holder changes what already runs as another role. An unconditional grant on
	// every resource of the service is an error; a grant limited to named resources or by a
	// condition (an app scope) is a warning: those resources must not run as roles broader
	// than the principal.
	compute bool
	// anyRole: only a grant that covers every role counts (sts:AssumeRole on a named role is how
	// roles are meant to be used).
	anyRole bool
	// delegable: a grant of role writes only, with a condition that pins the role's permissions
	// boundary (AWS's delegation pattern), is a warning: the boundary caps the role.
	delegable bool
	// namedRoles: a grant limited to named roles (a path such as role/app/*) is a warning, as for
	// PassRole: those roles must be no broader than the principal.
	namedRoles bool
}

const lintFixRemove = "remove these actions, or grant them only to an explicitly admin group or role"

var lintPrivescRules = []lintPrivescRule{
	{
		name:     "create-policy-version",
		requires: [][]string{{"iam:CreatePolicyVersion"}},
		risk:     "lets the principal publish a new default version of a managed policy, including one attached to itself, granting \"*\"",
		fix:      lintFixRemove,
	},
	{
		name:     "set-default-policy-version",
		requires: [][]string{{"iam:SetDefaultPolicyVersion"}},
		risk:     "lets the principal switch a managed policy to an older, broader version",
		fix:      lintFixRemove,
	},
	{
		name:      "attach-policy",
		delegable: true,
		requires:  [][]string{{"iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy"}},
		risk:      "lets the principal attach AdministratorAccess to itself, its group or a role it can use",
		fix:       lintFixRemove,
	},
	{
		name:      "put-inline-policy",
		delegable: true,
		requires:  [][]string{{"iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy"}},
		risk:      "lets the principal write an inline policy granting \"*\" to itself, its group or a role it can use",
		fix:       lintFixRemove,
	},
	{
		name:            "other-users-credentials",
		requires:        [][]string{{"iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"}},
		risk:            "lets the principal create access keys or set console passwords for other users, and act as them",
		fix:             "restrict Resource to the caller's own user, arn:aws:iam::*:user/${aws:username}, or grant it only to an explicitly admin group",
		selfCredentials: true,
	},
	{
		name:     "add-user-to-group",
		requires: [][]string{{"iam:AddUserToGroup"}},
		risk:     "lets the principal add itself to any group, including an admin group",
		fix:      lintFixRemove,
	},
	{
		name:       "update-assume-role-policy",
		namedRoles: true,
		requires:   [][]string{{"iam:UpdateAssumeRolePolicy"}},
		risk:       "lets the principal rewrite a role's trust policy so it can assume that role",
		fix:        lintFixRemove,
	},
	{
		name:     "passrole-lambda",
		requires: [][]string{{"iam:PassRole"}, {"lambda:CreateFunction"}, {"lambda:InvokeFunction", "lambda:CreateEventSourceMapping"}},
		risk:     "lets the principal create and run a Lambda function with a more privileged role",
		passRole: true,
	},
	{
		name:     "passrole-ec2",
		requires: [][]string{{"iam:PassRole"}, {"ec2:RunInstances"}},
		risk:     "lets the principal launch an EC2 instance with a more privileged instance profile and use its credentials",
		passRole: true,
	},
	{
		name:     "passrole-cloudformation",
		requires: [][]string{{"iam:PassRole"}, {"cloudformation:CreateStack"}},
		risk:     "lets the principal create a CloudFormation stack that runs as a more privileged role",
		passRole: true,
	},
	{
		name:            "other-users-mfa",
		requires:        [][]string{{"iam:DeactivateMFADevice", "iam:DeleteVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice"}},
		risk:            "lets the principal turn off, replace or enrol other users' MFA devices, and then sign in as them",
		fix:             "restrict Resource to the caller's own user and device (arn:aws:iam::*:user/${aws:username}, arn:aws:iam::*:mfa/${aws:username}), or grant it only to an explicitly admin group",
		selfCredentials: true,
	},
	{
		name:      "remove-permissions-boundary",
		delegable: true,
		requires:  [][]string{{"iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:PutUserPermissionsBoundary", "iam:PutRolePermissionsBoundary"}},
		risk:      "lets the principal remove or replace the permissions boundary that limits a user or role, including itself",
		fix:       lintFixRemove,
	},
	{
		name:      "remove-group-policy",
		delegable: true,
		requires:  [][]string{{"iam:DetachGroupPolicy", "iam:DeleteGroupPolicy", "iam:DetachUserPolicy", "iam:DeleteUserPolicy", "iam:DetachRolePolicy", "iam:DeleteRolePolicy"}},
		risk:      "lets the principal remove a policy from its own group, user or role, such as the MFA policy's deny",
		fix:       lintFixRemove,
	},
	{
		name:     "assume-any-role",
		requires: [][]string{{"sts:AssumeRole"}},
		risk:     "lets the principal assume every role that trusts its account, administrator roles included",
		fix:      "restrict Resource to the ARNs of the roles this principal must assume",
		anyRole:  true,
	},
	{
		name:     "update-function-code",
		requires: [][]string{{"lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"}},
		risk:     "lets the principal put new code or layers into existing functions, which then run as each function's role",
		compute:  true,
	},
	{
		name:     "codebuild-start-build",
		requires: [][]string{{"codebuild:StartBuild", "codebuild:StartBuildBatch", "codebuild:UpdateProject"}},
		risk:     "lets the principal run commands (a buildspec override or a changed project) as each project's service role",
		compute:  true,
	},
	{
		name:     "ssm-send-command",
		requires: [][]string{{"ssm:SendCommand", "ssm:StartAutomationExecution"}},
		risk:     "lets the principal run commands on instances, as root with each instance profile's role",
		compute:  true,
	},
	{
		name:     "ssm-start-session",
		requires: [][]string{{"ssm:StartSession"}},
		risk:     "lets the principal open a shell on instances, with each instance profile's role",
		compute:  true,
	},
	{
		name:     "ec2-instance-connect",
		requires: [][]string{{"ec2-instance-connect:SendSSHPublicKey", "ec2-instance-connect:SendSerialConsoleSSHPublicKey"}},
		risk:     "lets the principal push an SSH key to instances and log in, with each instance profile's role",
		compute:  true,
	},
	{
		name:     "ec2-user-data",
		requires: [][]string{{"ec2:ModifyInstanceAttribute"}},
		risk:     "lets the principal rewrite an instance's user data (stop, modify, start), which then runs as root with the instance profile's role",
		compute:  true,
	},
	{
		name:     "ec2-launch-template",
		requires: [][]string{{"ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"}},
		risk:     "lets the principal publish new launch template versions (user data), which Auto Scaling groups then launch with their instance profile",
		compute:  true,
	},
	{
		name:     "ecs-execute-command",
		requires: [][]string{{"ecs:ExecuteCommand"}},
		risk:     "lets the principal open a shell in running tasks, with each task's role",
		compute:  true,
	},
	{
		name:     "codedeploy-create-deployment",
		requires: [][]string{{"codedeploy:CreateDeployment"}},
		risk:     "lets the principal deploy an appspec whose hooks run as root on each deployment group's instances",
		compute:  true,
	},
	{
		name:     "ecr-put-image",
		requires: [][]string{{"ecr:PutImage"}},
		risk:     "lets the principal overwrite image tags that tasks and functions pull and run with their roles",
		compute:  true,
	},
	{
		name:     "cloudformation-update-stack",
		requires: [][]string{{"cloudformation:UpdateStack", "cloudformation:CreateChangeSet"}},
		risk:     "lets the principal change stacks that run as their existing service role",
		compute:  true,
	},
	{
		name:     "glue-update-dev-endpoint",
		requires: [][]string{{"glue:UpdateDevEndpoint"}},
		risk:     "lets the principal add an SSH key to a Glue development endpoint and log in as its role",
		compute:  true,
	},
	{
		name:     "sagemaker-notebook-url",
		requires: [][]string{{"sagemaker:CreatePresignedNotebookInstanceUrl"}},
		risk:     "lets the principal open existing notebooks, which run as their role",
		compute:  true,
	},
	{
		name:     "passrole-ecs",
		requires: [][]string{{"iam:PassRole"}, {"ecs:RegisterTaskDefinition"}, {"ecs:RunTask", "ecs:StartTask", "ecs:CreateService", "ecs:UpdateService"}},
		risk:     "lets the principal run a task with a more privileged task role",
		passRole: true,
	},
	{
		name:     "passrole-codebuild",
		requires: [][]string{{"iam:PassRole"}, {"codebuild:CreateProject"}, {"codebuild:StartBuild", "codebuild:StartBuildBatch"}},
		risk:     "lets the principal create and run a build project with a more privileged service role",
		passRole: true,
	},
	{
		name:     "passrole-sagemaker",
		requires: [][]string{{"iam:PassRole"}, {"sagemaker:CreateNotebookInstance", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"}},
		risk:     "lets the principal run a notebook or job with a more privileged role",
		passRole: true,
	},
	{
		name:     "passrole-datapipeline",
		requires: [][]string{{"iam:PassRole"}, {"datapipeline:CreatePipeline"}, {"datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"}},
		risk:     "lets the principal run a data pipeline with a more privileged role",
		passRole: true,
	},
	{
		name:     "passrole-stepfunctions",
		requires: [][]string{{"iam:PassRole"}, {"states:CreateStateMachine", "states:UpdateStateMachine"}},
		risk:     "lets the principal run a state machine with a more privileged role",
		passRole: true,
	},
	{
		name:     "passrole-autoscaling",
		requires: [][]string{{"iam:PassRole"}, {"autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup"}},
		risk:     "lets the principal have Auto Scaling launch instances with a more privileged instance profile",
		passRole: true,
	},
	{
		name:     "passrole-glue",
		requires: [][]string{{"iam:PassRole"}, {"glue:CreateDevEndpoint"}},
		risk:     "lets the principal create a Glue development endpoint with a more privileged role and log in to it",
		passRole: true,
	},
}

const lintFixPassRole = "restrict iam:PassRole to the ARNs of roles whose permissions are no broader than this principal's (e.g. a documented path such as arn:aws:iam::123456789012:role/app/*), or grant these actions only to an explicitly admin group"

// lintGrant records that one statement allows an action.
type lintGrant struct {
	label     string
	via       string // the Action pattern, or "NotAction"
	resources []string
	notRes    bool
	condition bool
	boundary  bool
}

// delegated: a grant of a role write (the action names a role) pinned to a permissions boundary.
// Removing a boundary is never delegated: the condition would only say which boundary goes.
func (g lintGrant) delegated(action string) bool {
	a := strings.ToLower(action)
	return g.boundary && strings.Contains(a, "role") && a != "iam:deleterolepermissionsboundary"
}

// everyResource: unconditional, and some resource of the action's service names every resource of
// its type ("*", "function:*", "project/*", ...). Deployment configurations are settings, not
// what a deployment runs on, so codedeploy's deploymentconfig:* does not count.
func (g lintGrant) everyResource(action string) bool {
	service, _, _ := strings.Cut(strings.ToLower(action), ":")
	if g.condition {
		return false
	}
	if g.notRes {
		return true
	}
	for _, r := range g.resources {
		if r == "*" {
			return true
		}
		parts := strings.SplitN(r, ":", 6)
		if len(parts) != 6 || !lintGlob(strings.ToLower(parts[2]), service) || strings.HasPrefix(parts[5], "deploymentconfig:") {
			continue
		}
		rest := strings.TrimRight(parts[5], "*")
		if rest == "" || strings.HasSuffix(rest, ":") || strings.HasSuffix(rest, "/") {
			return true
		}
	}
	return false
}

func (g lintGrant) anyRole() bool {
	return lintAnyRole(lintStatement{resources: g.resources, hasNotRes: g.notRes})
}

// selfOnly: every resource is the caller's own user.
func (g lintGrant) selfOnly() bool {
	if g.notRes || len(g.resources) == 0 {
		return false
	}
	for _, r := range g.resources {
		if (!strings.Contains(r, ":user/") && !strings.Contains(r, ":mfa/")) || r[strings.LastIndexByte(r, '/')+1:] != "${aws:username}" {
			return false
		}
	}
	return true
}

// lintGrants lists the Allow statements granting action, or nil when an
// unconditional Deny on every resource removes it. Conditional Denies and
// Denies on specific resources are ignored: they may not apply.
func lintGrants(stmts []lintStatement, action string) []lintGrant {
	var grants []lintGrant
	for _, st := range stmts {
		via, ok := lintStatementCovers(st, action)
		if !ok {
			continue
		}
		switch st.effect {
		case "Deny":
			if !st.hasCondition && !st.hasNotRes && lintContains(st.resources, "*") {
				return nil
			}
		case "Allow":
			if lintIsAdminStar(st) {
				continue // reported as admin-star; the fix is the same
			}
			if !st.hasNotRes && !lintResourcesApply(st.resources, action) {
				continue // e.g. "*" on an S3 bucket grants no IAM action
			}
			grants = append(grants, lintGrant{label: st.label, via: via, resources: st.resources, notRes: st.hasNotRes, condition: st.hasCondition, boundary: st.pinsBoundary})
		}
	}
	return grants
}

// lintResourcesApply reports whether any resource can name a resource of
// the action's service: "*" or an ARN of that service.
func lintResourcesApply(resources []string, action string) bool {
	service, _, _ := strings.Cut(strings.ToLower(action), ":")
	for _, r := range resources {
		if r == "*" {
			return true
		}
		if parts := strings.SplitN(r, ":", 6); len(parts) == 6 && lintGlob(strings.ToLower(parts[2]), service) {
			return true
		}
	}
	return false
}

func lintStatementCovers(st lintStatement, action string) (string, bool) {
	if st.hasNotAct {
		if len(st.notActions) == 0 {
			return "", false // NotAction was malformed
		}
		for _, a := range st.notActions {
			if lintActionMatch(a, action) {
				return "", false
			}
		}
		return "NotAction", true
	}
	for _, a := range st.actions {
		if lintActionMatch(a, action) {
			return a, true
		}
	}
	return "", false
}

func lintContains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func (l *run) checkPrivesc(stmts []lintStatement) {
	for _, rule := range lintPrivescRules {
		var parts []string
		passRoleAnyRole, computeEverywhere := false, false
		allDelegated, allNamedRoles := true, true
		satisfied := true
		for _, group := range rule.requires {
			found := false
			for _, action := range group {
				grants := lintGrants(stmts, action)
				if rule.selfCredentials {
					kept := grants[:0:0]
					for _, g := range grants {
						if !g.selfOnly() {
							kept = append(kept, g)
						}
					}
					grants = kept
				}
				if rule.anyRole {
					grants = slices.DeleteFunc(grants, func(g lintGrant) bool { return !g.anyRole() })
				}
				if len(grants) == 0 {
					continue
				}
				for _, g := range grants {
					computeEverywhere = computeEverywhere || g.everyResource(action)
					allDelegated = allDelegated && g.delegated(action)
					allNamedRoles = allNamedRoles && !g.anyRole() && !g.condition && lintOnlyRoles(g.resources) && !g.notRes
				}
				found = true
				parts = append(parts, action+" ("+lintDescribeGrants(grants)+")")
				if action == "iam:PassRole" {
					for _, g := range grants {
						passRoleAnyRole = passRoleAnyRole || g.anyRole()
					}
				}
			}
			if !found {
				satisfied = false
				break
			}
		}
		if !satisfied {
			continue
		}
		sev, fix := SeverityError, rule.fix
		if rule.compute {
			fix = "restrict Resource to the resources this principal owns (an app scope: a name prefix or a tag condition) and make sure none of them runs as a role broader than the principal, or grant these actions only to an explicitly admin group"
			if !computeEverywhere {
				sev = SeverityWarning
				fix = "check that none of these resources runs as a role broader than this principal (a resource in its scope that runs as an administrator role hands that role over)"
			}
		}
		if rule.delegable && allDelegated {
			sev = SeverityWarning
			fix = "every grant is of role writes pinned to a permissions boundary (iam:PermissionsBoundary): check that the boundary is no broader than this principal, that the principal can neither remove it (deny iam:DeleteRolePermissionsBoundary) nor change it (deny new versions of the boundary policy)"
		}
		if rule.namedRoles && allNamedRoles {
			sev = SeverityWarning
			fix = "check that the roles whose trust this principal may change are no more privileged than the principal itself (as for iam:PassRole of the same roles), or grant it only to an explicitly admin group"
		}
		if rule.passRole {
			fix = lintFixPassRole
			if !passRoleAnyRole {
				sev = SeverityWarning
				fix = "check that the roles this principal may pass are no more privileged than the principal itself, or " + "grant these actions only to an explicitly admin group"
			}
		}
		l.add(sev, CodePrivesc, "privilege escalation (%s): the policy allows %s, which %s: %s",
			rule.name, strings.Join(parts, ", "), rule.risk, fix)
	}
}

// lintOnlyRoles: every resource is a role ARN.
func lintOnlyRoles(resources []string) bool {
	for _, r := range resources {
		if !strings.Contains(r, ":role/") {
			return false
		}
	}
	return len(resources) > 0
}

func lintDescribeGrants(grants []lintGrant) string {
	descs := make([]string, 0, len(grants))
	for _, g := range grants {
		d := g.label + " via NotAction"
		if g.via != "NotAction" {
			d = fmt.Sprintf("%s via %q", g.label, g.via)
		}
		if !lintContains(descs, d) {
			descs = append(descs, d)
		}
	}
	return strings.Join(descs, "; ")
}
