package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// A group whose grants outgrow one managed policy gets a second one, attached beside the first;
// when the grants fit one again, the second is detached and deleted, and it comes back.
func TestAccStartupGroupBaseline_policyParts(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	// Thirty developer buckets do not fit one managed policy beside the Developers grants (nor
	// the app boundary, which is one policy: the delegation is off here).
	twoParts := testAccBaselineConfig(prefix, `
  groups                   = ["Developers"]
  delegate_app_roles       = false
  developer_s3_bucket_arns = [for i in range(30) : format("arn:aws:s3:::acme-team-%02d-artifacts", i)]`)
	onePart := testAccBaselineConfig(prefix, `
  groups             = ["Developers"]
  delegate_app_roles = false`)
	attached := func(parts int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			first := s.RootModule().Resources[baselineResource].Primary.Attributes["policy_arns.Developers"]
			want := []string{first, "mfa", "guardrails"}
			if parts == 2 {
				want = append(want, first+"2")
			}
			return testAccCheckGroupPolicies(t, prefix+"Developers", want, false)(s)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckBaselineDestroy,
		Steps: []resource.TestStep{
			{
				Config: twoParts,
				Check: resource.ComposeAggregateTestCheckFunc(
					attached(2),
					resource.TestCheckResourceAttr(baselineResource, "policy_documents.%", "4"),
					resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.Developers#2"),
					resource.TestCheckResourceAttr(baselineResource, "policy_arns.%", "1"),
				),
			},
			{
				Config: onePart,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(baselineResource, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					attached(1),
					testAccCheckPolicyGone(t, prefix+"DevelopersPolicy2"),
					resource.TestCheckNoResourceAttr(baselineResource, "policy_documents.Developers#2"),
				),
			},
			{
				Config: twoParts,
				Check:  attached(2),
			},
			{
				Config:            twoParts,
				ResourceName:      baselineResource,
				ImportState:       true,
				ImportStateId:     prefix + "|/",
				ImportStateVerify: true,
			},
		},
	})
}
