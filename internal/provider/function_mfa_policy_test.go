package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

func mustJSON(t *testing.T, d baseline.PolicyDocument) string {
	t.Helper()
	s, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestProviderFunction_mfaPolicy(t *testing.T) {
	t.Parallel()
	// A pure feature: a unit test (no TF_ACC, no AWS), through the real Terraform CLI.
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps: []resource.TestStep{
			{
				Config: `
output "first_login" {
  value = provider::iambaseline::mfa_policy(true)
}
output "strict" {
  value = provider::iambaseline::mfa_policy(false)
}
output "statements" {
  value = length(jsondecode(provider::iambaseline::mfa_policy(true)).Statement)
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("first_login", knownvalue.StringExact(mustJSON(t, baseline.MFAPolicy(true)))),
					statecheck.ExpectKnownOutputValue("strict", knownvalue.StringExact(mustJSON(t, baseline.MFAPolicy(false)))),
					statecheck.ExpectKnownOutputValue("statements", knownvalue.Int64Exact(int64(len(baseline.MFAPolicy(true).Statements)))),
				},
			},
		},
	})
}
