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
			{
				Config:            config,
				ResourceName:      baselineResource,
				ImportState:       true,
				ImportStateId:     prefix + "|/",
				ImportStateVerify: true,
			},
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
			{
				Config: testAccBaselineConfig(prefix, `
  groups             = ["Developers"]
  delegate_app_roles = false`),
				ResourceName:      baselineResource,
				ImportState:       true,
				ImportStateId:     prefix + "|/",
				ImportStateVerify: true,
			},
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
