package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// The data source renders byte-identical documents to the ones the resource creates from the same
// inputs.
func TestAccPolicyDocumentsDataSource_basic(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	inputs := `
  groups                            = ["Developers", "SysAdmins", "DatabaseAdmins", "ReadOnly"]
  allowed_regions                   = ["eu-west-1", "us-east-1"]
  developer_s3_bucket_arns          = ["arn:aws:s3:::acme-dev-*", "arn:aws:s3:::acme-artifacts"]
  allow_first_login_password_change = false
`
	const ds = "data.iambaseline_policy_documents.test"
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{{
		Config: `
data "iambaseline_policy_documents" "test" {
  name_prefix = "` + prefix + `"` + inputs + `}
resource "iambaseline_startup_group_baseline" "test" {
  name_prefix = "` + prefix + `"` + inputs + `}
`,
		Check: resource.ComposeAggregateTestCheckFunc(
			// With these inputs Developers take four managed policies and SysAdmins two, beside mfa,
			// guardrails and app_boundary.
			resource.TestCheckResourceAttr(ds, "documents.%", "11"),
			resource.TestCheckResourceAttrPair(ds, "documents.SysAdmins#2", baselineResource, "policy_documents.SysAdmins#2"),
			resource.TestCheckResourceAttrPair(ds, "documents.Developers#2", baselineResource, "policy_documents.Developers#2"),
			resource.TestCheckResourceAttrPair(ds, "documents.Developers#3", baselineResource, "policy_documents.Developers#3"),
			resource.TestCheckResourceAttrPair(ds, "documents.Developers#4", baselineResource, "policy_documents.Developers#4"),
			resource.TestCheckResourceAttrSet(ds, "documents.Developers#4"),
			resource.TestCheckResourceAttrPair(ds, "documents.app_boundary", baselineResource, "policy_documents.app_boundary"),
			resource.TestCheckResourceAttrPair(ds, "documents.guardrails", baselineResource, "policy_documents.guardrails"),
			resource.TestCheckResourceAttrPair(ds, "documents.%", baselineResource, "policy_documents.%"),
			resource.TestCheckResourceAttrPair(ds, "documents.Developers", baselineResource, "policy_documents.Developers"),
			resource.TestCheckResourceAttrPair(ds, "documents.SysAdmins", baselineResource, "policy_documents.SysAdmins"),
			resource.TestCheckResourceAttrPair(ds, "documents.DatabaseAdmins", baselineResource, "policy_documents.DatabaseAdmins"),
			resource.TestCheckResourceAttrPair(ds, "documents.ReadOnly", baselineResource, "policy_documents.ReadOnly"),
			resource.TestCheckResourceAttrPair(ds, "documents.mfa", baselineResource, "policy_documents.mfa"),
		),
	}}))
}
