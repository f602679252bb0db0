package provider_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// The data source renders the baseline's documents without AWS: a unit test (no TF_ACC), through
// the real Terraform CLI, with a provider that never calls AWS.
func TestPolicyDocumentsDataSource_noAWS(t *testing.T) {
	t.Parallel()
	// Developers delegate app roles under the app boundary, at the default path "/" (the resource's).
	want, err := baseline.Documents([]string{"Developers", "ReadOnly"}, baseline.Options{AllowedRegions: []string{"eu-west-1", "us-east-1"}, DelegateAppRoles: true, PolicyPath: "/"}, true, true)
	if err != nil {
		t.Fatal(err)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "iambaseline" {
  region                      = "us-east-1"
  skip_credentials_validation = true
}
data "iambaseline_policy_documents" "test" {
  groups          = ["Developers", "ReadOnly"]
  allowed_regions = ["eu-west-1", "us-east-1"]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.iambaseline_policy_documents.test", tfjsonpath.New("documents"), knownvalue.MapExact(map[string]knownvalue.Check{
					"Developers":   knownvalue.StringExact(want["Developers"]),
					"Developers#2": knownvalue.StringExact(want["Developers#2"]),
					"Developers#3": knownvalue.StringExact(want["Developers#3"]),
					"Developers#4": knownvalue.StringExact(want["Developers#4"]),
					"ReadOnly":     knownvalue.StringExact(want["ReadOnly"]),
					"mfa":          knownvalue.StringExact(want["mfa"]),
					"guardrails":   knownvalue.StringExact(want["guardrails"]),
					"app_boundary": knownvalue.StringExact(want["app_boundary"]),
				})),
			},
		}},
	})
}

// readonly_cost_explorer = false renders the ReadOnly document without Cost Explorer reads; the
// default keeps them.
func TestPolicyDocumentsDataSource_readOnlyCostExplorer(t *testing.T) {
	t.Parallel()
	render := func(omit bool) string {
		docs, err := baseline.Documents([]string{"ReadOnly"}, baseline.Options{OmitReadOnlyCostExplorer: omit}, false, false)
		if err != nil {
			t.Fatal(err)
		}
		return docs["ReadOnly"]
	}
	guardrails, err := baseline.GuardrailPolicy(baseline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	guardJSON, _ := guardrails.JSON()
	with, without := render(false), render(true)
	if with == without || !strings.Contains(with, `"ce:Get*"`) || strings.Contains(without, `"ce:Get*"`) {
		t.Fatalf("the default ReadOnly document does not read Cost Explorer:\n%s", with)
	}
	config := func(arg string) string {
		return `
provider "iambaseline" {
  region                      = "us-east-1"
  skip_credentials_validation = true
}
data "iambaseline_policy_documents" "test" {
  groups      = ["ReadOnly"]
  enforce_mfa = false
  ` + arg + `
}
`
	}
	check := func(doc string) []statecheck.StateCheck {
		return []statecheck.StateCheck{statecheck.ExpectKnownValue("data.iambaseline_policy_documents.test", tfjsonpath.New("documents"),
			knownvalue.MapExact(map[string]knownvalue.Check{"ReadOnly": knownvalue.StringExact(doc), "guardrails": knownvalue.StringExact(guardJSON)}))}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(""), ConfigStateChecks: check(with)},
			{Config: config("readonly_cost_explorer = true"), ConfigStateChecks: check(with)},
			{Config: config("readonly_cost_explorer = false"), ConfigStateChecks: check(without)},
		},
	})
}
