package provider_test

import (
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// A group whose grants outgrow their managed policies gets a further one, attached beside the
// others; when the grants fit fewer again, the last is detached and deleted, and it comes back. The
// Developers' grants take four policies by themselves, five with thirty buckets.
func TestAccStartupGroupBaseline_policyParts(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	// Thirty developer buckets do not fit four managed policies beside the Developers grants (nor
	// the app boundary, which is one policy: the delegation is off here).
	moreParts := testAccBaselineConfig(prefix, `
  groups                   = ["Developers"]
  delegate_app_roles       = false
  developer_s3_bucket_arns = [for i in range(30) : format("arn:aws:s3:::acme-team-%02d-artifacts", i)]`)
	fewerParts := testAccBaselineConfig(prefix, `
  groups             = ["Developers"]
  delegate_app_roles = false`)
	attached := func(parts int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			first := s.RootModule().Resources[baselineResource].Primary.Attributes["policy_arns.Developers"]
			want := []string{first, "mfa", "guardrails"}
			for n := 2; n <= parts; n++ {
				want = append(want, first+strconv.Itoa(n))
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
				Config: moreParts,
				Check: resource.ComposeAggregateTestCheckFunc(
					attached(5),
					resource.TestCheckResourceAttr(baselineResource, "policy_documents.%", "7"),
					resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.Developers#5"),
					resource.TestCheckResourceAttr(baselineResource, "policy_arns.%", "1"),
				),
			},
			{
				Config: fewerParts,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(baselineResource, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					attached(4),
					testAccCheckPolicyGone(t, prefix+"DevelopersPolicy5"),
					resource.TestCheckNoResourceAttr(baselineResource, "policy_documents.Developers#5"),
					resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.Developers#4"),
				),
			},
			{
				Config: moreParts,
				Check:  attached(5),
			},
			{
				Config:            moreParts,
				ResourceName:      baselineResource,
				ImportState:       true,
				ImportStateId:     prefix + "|/",
				ImportStateVerify: true,
			},
		},
	})
}
