package provider_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// Issue 12, item 5 and issue 24, item 3: a console-made EC2 role (AWS's standard trust policy, no Sid,
// an AWS managed policy and an inline policy added by hand) and the account password policy adopted with import blocks and -generate-config-out: the generated configuration
// plans with nothing to change.
func TestAccImport_generatedConfigRoleAndPasswordPolicy(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	api := acctest.IAM(t)
	ctx := context.Background()
	role := acctest.RandomName("tf-acc-console-role")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if _, err := api.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(role), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
	// What a console user adds to such a role: an AWS managed policy and an inline policy.
	if _, err := api.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(role), PolicyArn: aws.String("arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy")}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String("read-config"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:*:*:parameter/app/*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(16),
		RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
		AllowUsersToChangePassword: true, MaxPasswordAge: aws.Int32(90), PasswordReusePrevention: aws.Int32(24)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = api.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(role), PolicyArn: aws.String("arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy")})
		_, _ = api.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String("read-config")})
		_, _ = api.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(role)})
		_, _ = api.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
	})
	cli := acctest.NewCLI(t)
	cli.WriteConfig(importHeader + importBlock("iambaseline_service_role.console", role) +
		importBlock("iambaseline_account_password_policy.this", "iam-account-password-policy"))
	planGeneratedConfig(t, cli, "2 to import, 0 to add, 0 to change, 0 to destroy")
	applyAll(t, cli)
	if _, err := api.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String("read-config")}); err != nil {
		t.Errorf("the hand-made inline policy is gone after the apply: %v", err)
	}
	if attached, err := api.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(role)}); err != nil || len(attached.AttachedPolicies) != 1 {
		t.Errorf("the hand-attached managed policy is not kept alone: %v %v", attached, err)
	}
	r := cli.Start("plan", "-no-color", "-input=false", "-detailed-exitcode")
	if out, code, _ := r.Wait(); code != 0 {
		t.Fatalf("the plan after adoption is not empty (exit %d):\n%s", code, out)
	}
	if out, err := cli.Run("state", "rm", "iambaseline_service_role.console", "iambaseline_account_password_policy.this"); err != nil {
		t.Fatalf("state rm: %v\n%s", err, out)
	}
}
