package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// The guardrail policy in the aws_managed style: created, attached beside each AWS job-function
// policy and to the additional groups that keep guardrails = true (not to the one that opts out),
// detached out of band and put back, attached when the opt-out is dropped, and imported.
func TestAccStartupGroupBaseline_guardrailsAWSManaged(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	const billing = "arn:aws:iam::aws:policy/job-function/Billing"
	withGroups := func(breakGlassGuarded bool) string {
		return testAccBaselineConfig(prefix, fmt.Sprintf(`
  groups          = ["Developers", "ReadOnly"]
  policy_style    = "aws_managed"
  allowed_regions = ["eu-west-1", "us-east-1"]
  additional_groups = {
    Ops = {
      policy_arns = [%q]
    }
    BreakGlass = {
      policy_arns = [%q]
      enforce_mfa = false
      guardrails  = %t
    }
  }`, billing, billing, breakGlassGuarded))
	}
	plain := testAccBaselineConfig(prefix, `
  groups          = ["Developers", "ReadOnly"]
  policy_style    = "aws_managed"
  allowed_regions = ["eu-west-1", "us-east-1"]`)
	keys := []string{"Developers", "ReadOnly"}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckBaselineDestroy,
		Steps: []resource.TestStep{
			{
				Config: withGroups(false),
				Check: resource.ComposeAggregateTestCheckFunc(
					// Each role group holds its AWS policy, the MFA policy and the guardrail policy,
					// whose document in AWS is the rendered one.
					testAccCheckBaselineInAWS(t, prefix, "/", keys, false, nil),
					testAccCheckGroupPolicies(t, prefix+"Ops", []string{billing, "mfa", "guardrails"}, false),
					testAccCheckGroupPolicies(t, prefix+"BreakGlass", []string{billing}, false),
					resource.TestCheckResourceAttr(baselineResource, "guardrail_policy_arn", testAccPolicyARN(prefix+"Guardrails")),
					resource.TestCheckResourceAttr(baselineResource, "policy_documents.%", "2"),
					resource.TestCheckResourceAttrWith(baselineResource, "policy_documents.guardrails", func(doc string) error {
						for _, want := range []string{"DenyAuditTrailChanges", "DenyDetectionOff", "DenyBackupErasure", "DenyOutsideAllowedRegions", `"guardduty:DeleteDetector"`} {
							if !strings.Contains(doc, want) {
								return fmt.Errorf("the guardrail policy lacks %s: %s", want, doc)
							}
						}
						return nil
					}),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			// Detached out of band from a role group and an additional group: the plan shows it, the
			// apply puts it back.
			acctest.DriftStep(withGroups(false), func() {
				testAccSDK(t, func(ctx context.Context, api *iam.Client) error {
					for _, g := range []string{"Developers", "Ops"} {
						if _, err := api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(prefix + g),
							PolicyArn: aws.String(testAccPolicyARN(prefix + "Guardrails"))}); err != nil {
							return err
						}
					}
					return nil
				})
			}, resource.ComposeAggregateTestCheckFunc(
				testAccCheckBaselineInAWS(t, prefix, "/", keys, false, nil),
				testAccCheckGroupPolicies(t, prefix+"Ops", []string{billing, "mfa", "guardrails"}, false),
			)),
			{
				// Dropping the opt-out attaches it.
				Config: withGroups(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(baselineResource, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckGroupPolicies(t, prefix+"BreakGlass", []string{billing, "guardrails"}, false),
			},
			{
				Config: plain,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckBaselineInAWS(t, prefix, "/", keys, false, nil),
					testAccCheckGroupGone(t, prefix+"Ops"),
				),
			},
			{
				// The import finds the guardrail policy, and reads the regions back from it.
				Config:            plain,
				ResourceName:      baselineResource,
				ImportState:       true,
				ImportStateId:     prefix + "|/",
				ImportStateVerify: true,
			},
		},
	})
}
