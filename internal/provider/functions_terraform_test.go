package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
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

// lintExpectation is the known value lint_policy must return for a document: the Go linter's findings.
func lintExpectation(document string) knownvalue.Check {
	var elems []knownvalue.Check
	for _, f := range lint.Policy(document, lint.Options{Kind: lint.KindManagedPolicy}) {
		elems = append(elems, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"severity": knownvalue.StringExact(string(f.Severity)),
			"message":  knownvalue.StringExact(f.Message),
		}))
	}
	if elems == nil {
		return knownvalue.ListSizeExact(0)
	}
	return knownvalue.ListExact(elems)
}

func TestProviderFunction_lintPolicy(t *testing.T) {
	const (
		adminDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
		cleanDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`
		warnDoc  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`
	)
	if f := lint.Policy(adminDoc, lint.Options{Kind: lint.KindManagedPolicy}); !lint.HasErrors(f) {
		t.Fatalf("the linter no longer rejects *:*: %v", f)
	}
	t.Parallel()
	// A pure feature: a unit test (no TF_ACC, no AWS), through the real Terraform CLI.
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
locals {
  admin = %q
  clean = %q
  warn  = %q
}
output "admin" {
  value = provider::iambaseline::lint_policy(local.admin)
}
output "admin_from_jsonencode" {
  value = provider::iambaseline::lint_policy(jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  }))
}
output "admin_has_error" {
  value = anytrue([for f in provider::iambaseline::lint_policy(local.admin) : f.severity == "error"])
}
output "clean" {
  value = provider::iambaseline::lint_policy(local.clean)
}
output "warn" {
  value = provider::iambaseline::lint_policy(local.warn)
}
output "not_json" {
  value = provider::iambaseline::lint_policy("{\"Version\":")
}
`, adminDoc, cleanDoc, warnDoc),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("admin", lintExpectation(adminDoc)),
					statecheck.ExpectKnownOutputValue("admin_has_error", knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("clean", knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownOutputValue("warn", lintExpectation(warnDoc)),
					statecheck.ExpectKnownOutputValue("not_json", lintExpectation(`{"Version":`)),
					statecheck.ExpectKnownOutputValue("admin_from_jsonencode", knownvalue.ListPartial(map[int]knownvalue.Check{
						0: knownvalue.ObjectExact(map[string]knownvalue.Check{
							"severity": knownvalue.StringExact("error"),
							"message":  knownvalue.StringRegexp(regexp.MustCompile(`\*`)),
						}),
					})),
				},
			},
		},
	})
}
