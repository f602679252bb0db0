package baseline

import (
	"slices"
	"testing"
)

// The patterns of actionsExcept grant exactly what the wildcard grants but the excepted actions, among
// the actions the provider's action list knows, and they are stable from call to call.
func TestActionsExcept(t *testing.T) {
	cases := [][]string{
		{"ec2:Describe*", "ec2:DescribeInstanceAttribute"},
		{"ssm:List*", "ssm:ListCommandInvocations"},
		{"autoscaling:*", "autoscaling:DescribeLaunchConfigurations"},
		{"autoscaling:Describe*", "autoscaling:DescribeLaunchConfigurations"},
		{"elasticloadbalancing:*", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
			"elasticloadbalancing:AllowVendedLogDeliveryForResource", "elasticloadbalancing:DeleteSharedTrustStoreAssociation"},
	}
	for _, c := range cases {
		got := actionsExcept(c[0], c[1:]...)
		if again := actionsExcept(c[0], c[1:]...); !slices.Equal(got, again) {
			t.Errorf("%s: %v, then %v", c[0], got, again)
		}
		var want, granted []string
		for _, a := range ExpandActionPattern(c[0]) {
			if KnownAction(a) && !slices.Contains(c[1:], a) {
				want = append(want, a)
			}
		}
		for _, p := range got {
			granted = append(granted, ExpandActionPattern(p)...)
		}
		granted = SortedUnique(granted)
		var knownGranted []string
		for _, a := range granted {
			if KnownAction(a) {
				knownGranted = append(knownGranted, a)
			}
			if slices.Contains(c[1:], a) {
				t.Errorf("%s: %v grant the excepted %s", c[0], got, a)
			}
		}
		if !slices.Equal(knownGranted, SortedUnique(want)) {
			t.Errorf("%s except %v: patterns %v grant %d actions, want %d", c[0], c[1:], got, len(knownGranted), len(want))
		}
	}
}

// The reclassifications of the last open grants, each with its reason in grantClassRules: an ECR
// login token carries only the caller's own ECR permissions; a deployment's DeploymentInfo has no
// AppSpec content, but a deployment instance's or target's lifecycle events carry its script log
// tail; saved Logs Insights queries change nothing recorded; a new flow log adds a record (its
// deliveries out of the account are logs:CreateLogDelivery and iam:PassRole, judged on their own).
func TestClassifyAction_reclassified(t *testing.T) {
	cases := map[string]GrantClass{
		"ecr:GetAuthorizationToken":                              ClassRead,
		"codedeploy:GetDeployment":                               ClassList,
		"codedeploy:BatchGetDeployments":                         ClassRead,
		"codedeploy:GetDeploymentInstance":                       ClassSecretRead,
		"codedeploy:GetDeploymentTarget":                         ClassSecretRead,
		"codedeploy:BatchGetDeploymentInstances":                 ClassSecretRead,
		"codedeploy:BatchGetDeploymentTargets":                   ClassSecretRead,
		"logs:PutQueryDefinition":                                ClassWrite,
		"logs:DeleteQueryDefinition":                             ClassWrite,
		"ec2:CreateFlowLogs":                                     ClassWrite,
		"ec2:DeleteFlowLogs":                                     ClassAudit,
		"logs:CreateLogDelivery":                                 ClassAudit,
		"elasticloadbalancing:RemoveTags":                        ClassTagging,
		"elasticloadbalancing:DeleteSharedTrustStoreAssociation": ClassResourceAccess,
	}
	checkClasses(t, cases)
}
