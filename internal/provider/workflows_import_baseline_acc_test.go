package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// Issue 12, item 5: a group baseline adopted with an import block and -generate-config-out (here one
// this provider made, then removed from its state) plans as a pure import, and the next plan is empty.
func TestAccImport_generatedConfigBaseline(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	prefix := acctest.RandomName("tfimp") + "-"
	cli := acctest.NewCLI(t)
	header := `terraform {
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}
`
	cli.WriteConfig(header + `
resource "iambaseline_startup_group_baseline" "made" {
  name_prefix = "` + prefix + `"
  groups      = ["Developers", "ReadOnly"]
}
`)
	if out, err := cli.Run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	destroy := func() {
		if out, err := cli.Run("destroy", "-no-color", "-input=false", "-auto-approve"); err != nil {
			t.Errorf("destroy: %v\n%s", err, out)
		}
	}
	if out, err := cli.Run("state", "rm", "iambaseline_startup_group_baseline.made"); err != nil {
		t.Fatalf("state rm: %v\n%s", err, out)
	}
	cli.WriteConfig(header + `
import {
  to = iambaseline_startup_group_baseline.adopted
  id = "` + prefix + `|/"
}
`)
	out, err := cli.Run("plan", "-no-color", "-input=false", "-generate-config-out=generated.tf")
	if err != nil {
		t.Fatalf("plan -generate-config-out failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, "1 to import, 0 to add, 0 to change, 0 to destroy") {
		t.Errorf("the generated configuration does not plan as a pure import:\n%s", out)
	}
	if out, err := cli.Run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	defer destroy()
	r := cli.Start("plan", "-no-color", "-input=false", "-detailed-exitcode")
	if out, code, _ := r.Wait(); code != 0 {
		t.Errorf("the plan after adoption is not empty (exit %d):\n%s", code, out)
	}
}

// A hand-made group setup (issue 24 item 3): groups named like a baseline's, one with a member and an
// AWS managed policy, no baseline policies. The generated configuration plans without edits, and the
// plan is exactly what the docs say the first apply does: the import and one change, which creates the
// baseline's customer managed policies and attaches them (the policy JSON is not printed: the new
// documents are "known after apply", their summaries known); nothing is replaced or destroyed. After
// the apply the members and the hand-attached policy (now in extra_policy_arns) are still there, and
// the next plan is empty.
func TestAccImport_generatedConfigHandMadeBaseline(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	api := acctest.IAM(t)
	ctx := context.Background()
	prefix := acctest.RandomName("tfhand") + "-"
	person := acctest.RandomName("tf-acc-member")
	const readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	for _, g := range []string{prefix + "Developers", prefix + "ReadOnly"} {
		if _, err := api.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := api.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(prefix + "ReadOnly"), PolicyArn: aws.String(readOnly)}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(person)}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(person), GroupName: aws.String(prefix + "Developers")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(person), GroupName: aws.String(prefix + "Developers")})
		_, _ = api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(person)})
	})
	cli := acctest.NewCLI(t)
	cli.WriteConfig(importHeader + importBlock("iambaseline_startup_group_baseline.adopted", prefix+"|/"))
	out := planGeneratedConfig(t, cli, "1 to import, 0 to add, 1 to change, 0 to destroy")
	for _, want := range []string{"policy_document_summaries", prefix + "DevelopersPolicy", prefix + "ReadOnlyPolicy", prefix + "Guardrails"} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan does not show %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "jsonencode(") {
		t.Errorf("the plan prints policy JSON for documents that do not exist yet:\n%s", out)
	}
	generated, err := os.ReadFile(filepath.Join(cli.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(generated), readOnly) || !regexp.MustCompile(`enforce_mfa\s*=\s*false`).Match(generated) {
		t.Errorf("the generated configuration does not keep what the setup has (the hand-attached policy, no MFA policy):\n%s", generated)
	}
	applyAll(t, cli)
	defer func() {
		if out, err := cli.Run("state", "rm", "iambaseline_startup_group_baseline.adopted"); err != nil {
			t.Errorf("state rm: %v\n%s", err, out)
		}
		for _, k := range []string{"Developers", "ReadOnly"} {
			g := prefix + k
			attached, _ := api.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(g)})
			if attached != nil {
				for _, p := range attached.AttachedPolicies {
					_, _ = api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(g), PolicyArn: p.PolicyArn})
					if !strings.Contains(aws.ToString(p.PolicyArn), ":aws:policy/") {
						_, _ = api.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: p.PolicyArn})
					}
				}
			}
			_, _ = api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(person), GroupName: aws.String(g)})
			_, _ = api.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(g)})
		}
	}()
	members, err := api.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(prefix + "Developers")})
	if err != nil || len(members.Users) != 1 || aws.ToString(members.Users[0].UserName) != person {
		t.Errorf("the member of the hand-made group is gone after the apply: %v %v", members, err)
	}
	attached, err := api.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(prefix + "ReadOnly")})
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, p := range attached.AttachedPolicies {
		arns = append(arns, aws.ToString(p.PolicyArn))
	}
	if len(arns) != 3 || !slices.Contains(arns, readOnly) || !slices.Contains(arns, testAccPolicyARN(prefix+"Guardrails")) {
		t.Errorf("ReadOnly holds %v after the apply, want its hand-attached policy, the baseline's and the guardrail policy", arns)
	}
	r := cli.Start("plan", "-no-color", "-input=false", "-detailed-exitcode")
	if out, code, _ := r.Wait(); code != 0 {
		t.Errorf("the plan after the first apply is not empty (exit %d):\n%s", code, out)
	}
}
