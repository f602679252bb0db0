package provider_test

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Issue 10, item 7: confused-deputy protection for service principals and trusted principals
// that are not an account root. The emulator's account is 123456789012.

func testAccServiceRoleProtectedConfig(name, protection string) string {
	services := `["states.amazonaws.com", "config.amazonaws.com"]`
	if protection != testAccSourceARNs {
		// EC2 sends no source context: it may share a role with protected services, but not
		// with source_arns (a plan-time error, see TestAccServiceRole_trustPlanErrors).
		services = `["states.amazonaws.com", "config.amazonaws.com", "ec2.amazonaws.com"]`
	}
	return fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name             = %q
  trusted_services = %s
  %s
}
`, name, services, protection)
}

const testAccSourceARNs = `source_arns = ["arn:aws:states:*:123456789012:stateMachine:app-*", "arn:aws:config:us-east-1:123456789012:*"]`

// statementTrusting is the statement of doc that trusts service, or an error.
func statementTrusting(doc baseline.PolicyDocument, service string) (baseline.Statement, error) {
	for _, s := range doc.Statements {
		if s.Principal != nil && slices.Contains(s.Principal.Service, service) {
			return s, nil
		}
	}
	return baseline.Statement{}, fmt.Errorf("no statement trusts %s: %+v", service, doc.Statements)
}

// testAccCheckSourceCondition checks the trust policy AWS holds: the services that send source
// context are pinned to this account (and to arns, when given); EC2 has no condition.
func testAccCheckSourceCondition(t *testing.T, name string, protected bool, arns []string) resource.TestCheckFunc {
	return testAccCheckTrustPolicy(t, name, func(doc baseline.PolicyDocument) error {
		if ec2, err := statementTrusting(doc, "ec2.amazonaws.com"); err == nil && ec2.Condition != nil {
			return fmt.Errorf("EC2 got a condition that refuses every instance: %v", ec2.Condition)
		} else if err != nil && arns == nil {
			return err // every step without source ARNs trusts EC2 too
		}
		for _, service := range []string{"states.amazonaws.com", "config.amazonaws.com"} {
			s, err := statementTrusting(doc, service)
			if err != nil {
				return err
			}
			account := s.Condition["StringEquals"]["aws:SourceAccount"]
			switch {
			case !protected && s.Condition != nil:
				return fmt.Errorf("%s: protection is off, yet the condition is %v", service, s.Condition)
			case protected && !slices.Equal(account, []string{"123456789012"}):
				return fmt.Errorf("%s: aws:SourceAccount = %v, want [123456789012]", service, account)
			case protected && !slices.Equal(sortedCopy(s.Condition["ArnLike"]["aws:SourceArn"]), sortedCopy(arns)):
				return fmt.Errorf("%s: aws:SourceArn = %v, want %v", service, s.Condition["ArnLike"]["aws:SourceArn"], arns)
			}
		}
		return nil
	})
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func TestAccServiceRole_confusedDeputy(t *testing.T) {
	name := acctest.RandomName("tf-acc-cdp")
	arns := []string{"arn:aws:states:*:123456789012:stateMachine:app-*", "arn:aws:config:us-east-1:123456789012:*"}
	resource.ParallelTest(t, testAccServiceRoleCase(t,
		resource.TestStep{
			// The default: protection on, no source ARNs.
			Config: testAccServiceRoleProtectedConfig(name, ""),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckServiceRoleExists(t, name),
				testAccCheckSourceCondition(t, name, true, nil),
				testAccCheckInstanceProfileHoldsRole(t, name),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("confused_deputy_protection"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("trust_policy"), knownvalue.StringRegexp(regexp.MustCompile(`aws:SourceAccount`))),
			},
		},
		resource.TestStep{
			Config: testAccServiceRoleProtectedConfig(name, testAccSourceARNs),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(serviceRoleAddress, plancheck.ResourceActionUpdate),
				// The account is known at plan time: the whole trust policy is shown before the apply.
				plancheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("trust_policy"), knownvalue.StringRegexp(regexp.MustCompile(`stateMachine:app-\*`))),
			}},
			Check: testAccCheckSourceCondition(t, name, true, arns),
		},
		acctest.ImportStep(serviceRoleAddress, name),
		resource.TestStep{
			// Someone removes the condition: the plan shows it and the apply puts it back.
			PreConfig: func() {
				testAccUpdateTrustPolicy(t, name, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["states.amazonaws.com","config.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`)
			},
			Config: testAccServiceRoleProtectedConfig(name, testAccSourceARNs),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(serviceRoleAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: testAccCheckSourceCondition(t, name, true, arns),
		},
		resource.TestStep{
			Config: testAccServiceRoleProtectedConfig(name, "confused_deputy_protection = false"),
			Check:  testAccCheckSourceCondition(t, name, false, nil),
		},
		acctest.ImportStep(serviceRoleAddress, name),
	))
}

func TestAccServiceRole_trustedPrincipals(t *testing.T) {
	name := acctest.RandomName("tf-acc-prn")
	// A role principal and require_mfa cannot go together (a plan-time error, see
	// TestAccServiceRole_trustPlanErrors): MFA applies to the users and accounts, then the role is
	// trusted without it.
	principals := []string{"arn:aws:iam::111122223333:user/auditor", "arn:aws:iam::111122223333:user/reviewer", "arn:aws:iam::444455556666:root"}
	config := func(principals string, mfa bool) string {
		return fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                   = %q
  trusted_account_ids    = ["210987654321"]
  trusted_principal_arns = %s
  require_mfa            = %t
  external_id            = "partner-42"
}
`, name, principals, mfa)
	}
	resource.ParallelTest(t, testAccServiceRoleCase(t,
		resource.TestStep{
			Config: config(`["arn:aws:iam::111122223333:user/auditor", "arn:aws:iam::111122223333:user/reviewer", "arn:aws:iam::444455556666:root"]`, true),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckServiceRoleExists(t, name),
				testAccCheckTrustPolicy(t, name, func(doc baseline.PolicyDocument) error {
					if len(doc.Statements) != 1 || doc.Statements[0].Principal == nil {
						return fmt.Errorf("want one statement, got %+v", doc.Statements)
					}
					s := doc.Statements[0]
					want := append([]string{"arn:aws:iam::210987654321:root"}, principals...)
					if !slices.Equal(sortedCopy(s.Principal.AWS), sortedCopy(want)) {
						return fmt.Errorf("principals = %v, want %v", s.Principal.AWS, want)
					}
					if !slices.Equal(s.Condition["Bool"]["aws:MultiFactorAuthPresent"], []string{"true"}) ||
						!slices.Equal(s.Condition["StringEquals"]["sts:ExternalId"], []string{"partner-42"}) {
						return fmt.Errorf("MFA and external ID do not apply to the principals: %v", s.Condition)
					}
					return nil
				}),
			),
		},
		resource.TestStep{
			// The root written in trusted_principal_arns is imported as the account it is.
			ResourceName:            serviceRoleAddress,
			ImportState:             true,
			ImportStateId:           name,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"trusted_account_ids", "trusted_principal_arns"},
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if len(states) != 1 {
					return fmt.Errorf("imported %d resources", len(states))
				}
				a := states[0].Attributes
				if a["trusted_account_ids.#"] != "2" || a["trusted_principal_arns.#"] != "2" || a["require_mfa"] != "true" || a["external_id"] != "partner-42" {
					return fmt.Errorf("imported trust arguments: %v", a)
				}
				return nil
			},
		},
		resource.TestStep{
			Config: config(`["arn:aws:iam::111122223333:role/ci/deployer"]`, false),
			Check: testAccCheckTrustPolicy(t, name, func(doc baseline.PolicyDocument) error {
				if got := sortedCopy(doc.Statements[0].Principal.AWS); !slices.Equal(got, []string{"arn:aws:iam::111122223333:role/ci/deployer", "arn:aws:iam::210987654321:root"}) {
					return fmt.Errorf("principals after the update = %v", got)
				}
				if _, mfa := doc.Statements[0].Condition["Bool"]; mfa {
					return fmt.Errorf("require_mfa = false left an MFA condition: %v", doc.Statements[0].Condition)
				}
				return nil
			}),
		},
		acctest.ImportStep(serviceRoleAddress, name),
	))
}

// Bad trust arguments fail the plan, naming the attribute, before any role exists.
func TestAccServiceRole_trustPlanErrors(t *testing.T) {
	name := acctest.RandomName("tf-acc-bad")
	resource.ParallelTest(t, testAccServiceRoleCase(t,
		acctest.PlanErrorStep(fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name             = %q
  trusted_services = ["states.amazonaws.com"]
  source_arns      = ["arn:aws:states:us-east-1:999988887777:stateMachine:x"]
}
`, name), `Invalid source ARN.*999988887777.*not to this account`),
		acctest.PlanErrorStep(fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name             = %q
  trusted_services = ["ec2.amazonaws.com"]
  source_arns      = ["arn:aws:ec2:us-east-1:123456789012:instance/*"]
}
`, name), `ec2\.amazonaws\.com is not documented to send aws:SourceArn`),
		acctest.PlanErrorStep(fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                   = %q
  trusted_principal_arns = ["arn:aws-cn:iam::111122223333:role/x"]
}
`, name), `Invalid trusted principal.*partition "aws-cn"`),
		// A role session never carries MFA: the trust could never match, so the plan refuses it and
		// says what to trust instead.
		acctest.PlanErrorStep(fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                   = %q
  trusted_principal_arns = ["arn:aws:iam::111122223333:role/ci/deployer", "arn:aws:iam::111122223333:user/auditor"]
  require_mfa            = true
}
`, name), `require_mfa can never match a role principal.*role/ci/deployer.*could never assume this role.*Trust the IAM users`),
	))
}
