package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// Adopting console-made users with import blocks and -generate-config-out (issue 12 item 5, issue 24
// item 3). A console user's generated configuration plans as a pure import without edits: the login
// profile exists, so no delivery is needed and no password is generated; the person keeps theirs.
// A user without record tags cannot get a complete configuration (full_name and email are required
// and nothing in IAM holds them): the messages say what to add, and once it is added the flow ends in
// an empty plan, with nothing replaced or reset on the way.
func TestAccImport_generatedConfigUsers(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	api := acctest.IAM(t)
	ctx := context.Background()
	group := testGroups(t, 1)[0]
	console, bare := acctest.RandomName("tf-acc-console"), acctest.RandomName("tf-acc-bare")
	for _, u := range []struct {
		name string
		tags []types.Tag
	}{
		{console, []types.Tag{{Key: aws.String("FullName"), Value: aws.String("Console Carla")}, {Key: aws.String("Email"), Value: aws.String("carla@example.com")}}},
		{bare, nil},
	} {
		if _, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u.name), Tags: u.tags}); err != nil {
			t.Fatal(err)
		}
		if _, err := api.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(u.name), GroupName: aws.String(group)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := api.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(console), Password: aws.String("Console-made-1234!")}); err != nil {
		t.Fatal(err)
	}
	profile, err := api.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(console)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = api.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String(console)})
		for _, u := range []string{console, bare} {
			_, _ = api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(u), GroupName: aws.String(group)})
			_, _ = api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(u)})
		}
	})

	cli := acctest.NewCLI(t)
	// The console user: generated, planned, applied and planned again without an edit.
	cli.WriteConfig(importHeader + importBlock("iambaseline_onboarded_user.console", console))
	planGeneratedConfig(t, cli, "1 to import, 0 to add, 0 to change, 0 to destroy")
	applyAll(t, cli)
	after, err := api.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(console)})
	if err != nil {
		t.Fatalf("the imported console user lost its password: %v", err)
	}
	if !after.LoginProfile.CreateDate.Equal(*profile.LoginProfile.CreateDate) {
		t.Errorf("the login profile was replaced (created %v, now %v)", profile.LoginProfile.CreateDate, after.LoginProfile.CreateDate)
	}
	state, err := cli.Run("state", "show", "-no-color", "iambaseline_onboarded_user.console")
	if err != nil {
		t.Fatalf("state show: %v\n%s", err, state)
	}
	if strings.Contains(state, "Console-made-1234!") || strings.Contains(state, "temporary_password ") && !strings.Contains(state, "temporary_password = null") {
		t.Errorf("a password is in the state of the imported user:\n%s", state)
	}
	r := cli.Start("plan", "-no-color", "-input=false", "-detailed-exitcode")
	if out, code, _ := r.Wait(); code != 0 {
		t.Fatalf("the plan after adopting the console user is not empty (exit %d):\n%s", code, out)
	}

	// The user without a record: the plan says what to add.
	generatedPath := filepath.Join(cli.Dir, "generated.tf")
	if err := os.Rename(generatedPath, filepath.Join(cli.Dir, "console.tf")); err != nil {
		t.Fatal(err)
	}
	cli.WriteConfig(importHeader + importBlock("iambaseline_onboarded_user.console", console) + importBlock("iambaseline_onboarded_user.bare", bare))
	out, err := cli.Run("plan", "-no-color", "-input=false", "-generate-config-out=generated.tf")
	if err == nil {
		t.Fatalf("the generated configuration of a user without record cannot be complete, yet the plan passed:\n%s", out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Imported user has no record", "full_name (tag FullName) and email (tag Email)"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan after -generate-config-out does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(flat, "No delivery chosen") {
		t.Errorf("the plan asks for a delivery for a user whose password exists or who has none:\n%s", out)
	}
	// Do what the messages say.
	b, err := os.ReadFile(generatedPath)
	if err != nil {
		t.Fatalf("no generated configuration: %v\n%s", err, out)
	}
	generated := regexp.MustCompile(`full_name\s*=\s*null`).ReplaceAllString(string(b), `full_name = "Bare Bob"`)
	generated = regexp.MustCompile(`email\s*=\s*null`).ReplaceAllString(generated, `email = "bob@example.com"`)
	if err := os.WriteFile(generatedPath, []byte(generated), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := cli.Run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil || strings.Contains(out, "must be replaced") || strings.Contains(out, "destroy") && !strings.Contains(out, "0 to destroy") {
		t.Fatalf("apply of the completed configuration (err %v):\n%s", err, out)
	}
	testAccCheckUserTagsExactNow(t, bare, map[string]string{"FullName": "Bare Bob", "Email": "bob@example.com"})
	r = cli.Start("plan", "-no-color", "-input=false", "-detailed-exitcode")
	if out, code, _ := r.Wait(); code != 0 {
		t.Fatalf("the plan after adoption is not empty (exit %d):\n%s", code, out)
	}
	if out, err := cli.Run("state", "rm", "iambaseline_onboarded_user.console", "iambaseline_onboarded_user.bare"); err != nil {
		t.Fatalf("state rm: %v\n%s", err, out)
	}
}

// importHeader is the terraform block of the configurations the import tests write.
const importHeader = `terraform {
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}
`

// importBlock is an import block for address.
func importBlock(address, id string) string {
	return "\nimport {\n  to = " + address + "\n  id = \"" + id + "\"\n}\n"
}

// planGeneratedConfig runs terraform plan -generate-config-out=generated.tf, which must succeed and
// end with summary, and returns its output.
func planGeneratedConfig(t *testing.T, cli *acctest.CLI, summary string) string {
	t.Helper()
	out, err := cli.Run("plan", "-no-color", "-input=false", "-generate-config-out=generated.tf")
	if err != nil {
		t.Fatalf("the generated configuration does not plan: %v\n%s", err, out)
	}
	if !strings.Contains(out, summary) || strings.Contains(out, "must be replaced") {
		t.Errorf("the generated configuration does not plan as %q:\n%s", summary, out)
	}
	return out
}

// applyAll applies the working directory's configuration.
func applyAll(t *testing.T, cli *acctest.CLI) {
	t.Helper()
	if out, err := cli.Run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
}

func testAccCheckUserTagsExactNow(t *testing.T, name string, want map[string]string) {
	t.Helper()
	if err := testAccCheckUserTagsExact(t, name, want)(nil); err != nil {
		t.Error(err)
	}
}

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
