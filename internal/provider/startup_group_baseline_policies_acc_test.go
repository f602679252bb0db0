package provider_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Issue 22 item 1: the baseline creates the app permissions boundary <name_prefix>AppBoundary with
// the document the baseline package renders, attaches it to no group or anyone, reads it back on
// import, repairs an out-of-band edit, and an app role under /app/ carries it.
func TestAccStartupGroupBaseline_appBoundary(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	role := prefix + "app-api"
	boundaryName := prefix + baseline.AppBoundaryPolicySuffix
	boundaryARN := testAccPolicyARN(boundaryName)
	want, err := baseline.AppBoundaryPolicy(baseline.Options{NamePrefix: prefix, DelegateAppRoles: true})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, err := want.JSON()
	if err != nil {
		t.Fatal(err)
	}
	config := testAccBaselineConfig(prefix, `  groups = ["Developers", "ReadOnly"]`) + fmt.Sprintf(`
resource "iambaseline_service_role" "app" {
  name                 = %q
  path                 = "/app/"
  trusted_services     = ["lambda.amazonaws.com"]
  managed_policy_arns  = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
  permissions_boundary = iambaseline_startup_group_baseline.test.app_boundary_policy_arn
}
`, role)
	inAWS := resource.ComposeAggregateTestCheckFunc(
		testAccCheckBaselineInAWS(t, prefix, "/", []string{"Developers", "ReadOnly"}, true, nil),
		resource.TestCheckResourceAttr(baselineResource, "app_boundary_policy_arn", boundaryARN),
		resource.TestCheckResourceAttr(baselineResource, "policy_documents.app_boundary", wantJSON),
		testAccCheckAppBoundaryInAWS(t, boundaryARN, wantJSON, role),
	)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			testAccCheckBaselineDestroy, testAccCheckServiceRoleDestroy(t), testAccCheckPolicyGone(t, boundaryName)),
		Steps: []resource.TestStep{
			{
				Config:           config,
				Check:            inAWS,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			testAccBaselineImportStep(config, prefix, "/"),
			// The boundary widened out of band (a new default version that allows everything) shows
			// in the plan and the apply puts the rendered document back.
			acctest.DriftStep(config, func() {
				testAccSDK(t, func(ctx context.Context, api *iam.Client) error {
					_, err := api.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{
						PolicyArn: aws.String(boundaryARN), SetAsDefault: true,
						PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`),
					})
					return err
				})
			}, inAWS),
			// Attached to a group out of band, it is foreign there and detached.
			acctest.DriftStep(config, func() {
				testAccSDK(t, func(ctx context.Context, api *iam.Client) error {
					_, err := api.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(prefix + "ReadOnly"), PolicyArn: aws.String(boundaryARN)})
					return err
				})
			}, inAWS),
		},
	})
}

// Without Developers, or in the aws_managed style, there is no boundary.
func TestAccStartupGroupBaseline_appBoundaryOnlyWithDevelopers(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckBaselineDestroy,
		Steps: []resource.TestStep{
			{
				Config: testAccBaselineConfig(prefix, `  groups = ["Developers"]`),
				Check:  resource.TestCheckResourceAttr(baselineResource, "app_boundary_policy_arn", testAccPolicyARN(prefix+baseline.AppBoundaryPolicySuffix)),
			},
			{
				Config: testAccBaselineConfig(prefix, `  groups = ["ReadOnly"]`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(baselineResource, "app_boundary_policy_arn"),
					resource.TestCheckNoResourceAttr(baselineResource, "policy_documents.app_boundary"),
					testAccCheckPolicyGone(t, prefix+baseline.AppBoundaryPolicySuffix),
				),
			},
			{
				// delegate_app_roles = false: no boundary, and Developers create no role.
				Config: testAccBaselineConfig(prefix, `
  groups             = ["Developers"]
  delegate_app_roles = false`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(baselineResource, "app_boundary_policy_arn"),
					testAccCheckPolicyGone(t, prefix+baseline.AppBoundaryPolicySuffix),
					func(s *terraform.State) error {
						doc := s.RootModule().Resources[baselineResource].Primary.Attributes["policy_documents.Developers"]
						if strings.Contains(doc, baseline.AppRolesWithBoundarySid) || strings.Contains(doc, "iam:CreateRole") {
							return fmt.Errorf("with delegate_app_roles = false the Developers document still delegates roles:\n%s", doc)
						}
						return nil
					},
				),
			},
			testAccBaselineImportStep(testAccBaselineConfig(prefix, `
  groups             = ["Developers"]
  delegate_app_roles = false`), prefix, "/"),
			{
				Config: testAccBaselineConfig(prefix, `
  groups       = ["Developers"]
  policy_style = "aws_managed"`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(baselineResource, "app_boundary_policy_arn"),
					testAccCheckPolicyGone(t, prefix+baseline.AppBoundaryPolicySuffix),
				),
			},
		},
	})
}

// testAccCheckAppBoundaryInAWS checks through the SDK that the boundary's default document is want,
// that it is attached to no group, user or role (it bounds; it grants nothing), and that the app
// role carries it as its permissions boundary.
func testAccCheckAppBoundaryInAWS(t *testing.T, arn, want, role string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		api := acctest.IAM(t)
		if err := testAccCheckPolicyDocument(ctx, api, arn, want); err != nil {
			return err
		}
		entities, err := api.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn)})
		if err != nil {
			return err
		}
		if n := len(entities.PolicyGroups) + len(entities.PolicyUsers) + len(entities.PolicyRoles); n > 0 {
			return fmt.Errorf("the app boundary is attached to %d entities (%+v)", n, entities)
		}
		r, err := api.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(role)})
		if err != nil {
			return err
		}
		if r.Role.PermissionsBoundary == nil || aws.ToString(r.Role.PermissionsBoundary.PermissionsBoundaryArn) != arn {
			return fmt.Errorf("role %s has permissions boundary %+v, want %s", role, r.Role.PermissionsBoundary, arn)
		}
		if got := aws.ToString(r.Role.Path); got != "/app/" {
			return fmt.Errorf("role %s path %s, want /app/", role, got)
		}
		return nil
	}
}

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
			// The import finds the guardrail policy, and reads the regions back from it.
			testAccBaselineImportStep(plain, prefix, "/"),
		},
	})
}

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
			testAccBaselineImportStep(moreParts, prefix, "/"),
		},
	})
}
