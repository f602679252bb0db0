package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

const serviceRoleAddress = "iambaseline_service_role.test"

func testAccServiceRoleCase(t *testing.T, steps ...resource.TestStep) resource.TestCase {
	return acctest.Case(t, testAccCheckServiceRoleDestroy(t), steps)
}

func testAccServiceRoleEC2Config(name string) string {
	return fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                = %q
  description         = "EC2 application servers"
  trusted_services    = ["ec2.amazonaws.com"]
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  inline_policies = {
    read-config = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["ssm:GetParameter"]
        Resource = ["arn:aws:ssm:us-east-1:123456789012:parameter/app/*"]
      }]
    })
  }
  tags = { Team = "platform" }
}
`, name)
}

func TestAccServiceRole_ec2(t *testing.T) {
	name := acctest.RandomName("tf-acc-ec2")
	resource.ParallelTest(t, testAccServiceRoleCase(t, resource.TestStep{
		Config: testAccServiceRoleEC2Config(name),
		Check: resource.ComposeTestCheckFunc(
			testAccCheckServiceRoleExists(t, name),
			testAccCheckInstanceProfileHoldsRole(t, name),
			testAccCheckTrustPolicy(t, name, func(doc baseline.PolicyDocument) error {
				if len(doc.Statements) != 1 || doc.Statements[0].Principal == nil ||
					!slices.Equal(doc.Statements[0].Principal.Service, []string{"ec2.amazonaws.com"}) {
					return fmt.Errorf("trust policy does not trust exactly ec2.amazonaws.com: %+v", doc.Statements)
				}
				return nil
			}),
			testAccCheckRolePolicies(t, name, []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, []string{"read-config"}),
		),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("id"), knownvalue.StringExact(name)),
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("create_instance_profile"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("instance_profile_arn"), knownvalue.StringExact("arn:aws:iam::123456789012:instance-profile/"+name)),
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("arn"), knownvalue.StringExact("arn:aws:iam::123456789012:role/"+name)),
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("max_session_duration"), knownvalue.Int64Exact(3600)),
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("path"), knownvalue.StringExact("/")),
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("unique_id"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("trust_policy"), knownvalue.StringRegexp(regexp.MustCompile(`ec2\.amazonaws\.com`))),
		},
	}))
}

func TestAccServiceRole_lambda(t *testing.T) {
	name := acctest.RandomName("tf-acc-lambda")
	resource.ParallelTest(t, testAccServiceRoleCase(t, resource.TestStep{
		Config: fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                = %q
  trusted_services    = ["lambda.amazonaws.com"]
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
}
`, name),
		Check: resource.ComposeTestCheckFunc(
			testAccCheckServiceRoleExists(t, name),
			testAccCheckNoInstanceProfile(t, name),
			testAccCheckRolePolicies(t, name, []string{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}, nil),
		),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("create_instance_profile"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("instance_profile_arn"), knownvalue.Null()),
		},
	}))
}

func TestAccServiceRole_crossAccount(t *testing.T) {
	name := acctest.RandomName("tf-acc-xacct")
	resource.ParallelTest(t, testAccServiceRoleCase(t, resource.TestStep{
		Config: fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                 = %q
  trusted_account_ids  = ["111122223333"]
  require_mfa          = true
  external_id          = "partner-42:audit"
  max_session_duration = 7200
}
`, name),
		Check: resource.ComposeTestCheckFunc(
			testAccCheckServiceRoleExists(t, name),
			testAccCheckNoInstanceProfile(t, name),
			testAccCheckTrustPolicy(t, name, func(doc baseline.PolicyDocument) error {
				if len(doc.Statements) != 1 {
					return fmt.Errorf("want one statement, got %+v", doc.Statements)
				}
				s := doc.Statements[0]
				if s.Principal == nil || !slices.Equal(s.Principal.AWS, []string{"arn:aws:iam::111122223333:root"}) {
					return fmt.Errorf("trust policy principal = %+v, want the root of 111122223333", s.Principal)
				}
				if got := s.Condition["Bool"]["aws:MultiFactorAuthPresent"]; !slices.Equal(got, []string{"true"}) {
					return fmt.Errorf("trust policy MFA condition = %v, want [true]", got)
				}
				if got := s.Condition["StringEquals"]["sts:ExternalId"]; !slices.Equal(got, []string{"partner-42:audit"}) {
					return fmt.Errorf("trust policy external ID condition = %v", got)
				}
				return nil
			}),
			testAccCheckRoleSettings(t, name, 7200, ""),
		),
	}))
}

func TestAccServiceRole_update(t *testing.T) {
	name := acctest.RandomName("tf-acc-upd")
	resource.ParallelTest(t, testAccServiceRoleCase(t,
		resource.TestStep{
			Config: fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                = %q
  trusted_services    = ["lambda.amazonaws.com"]
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  inline_policies = {
    logs = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = ["*"] }]
    })
  }
  tags = { Team = "platform", Stage = "dev" }
}
`, name),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckRolePolicies(t, name, []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, []string{"logs"}),
				testAccCheckRoleTags(t, name, map[string]string{"Team": "platform", "Stage": "dev"}),
			),
		},
		resource.TestStep{
			Config: fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                 = %q
  description          = "updated"
  trusted_services     = ["lambda.amazonaws.com"]
  managed_policy_arns  = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"]
  max_session_duration = 7200
  permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
  inline_policies = {
    logs = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents", "logs:CreateLogStream"], Resource = ["*"] }]
    })
    queue = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["sqs:SendMessage"], Resource = ["arn:aws:sqs:us-east-1:123456789012:jobs"] }]
    })
  }
  tags = { Team = "data" }
}
`, name),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(serviceRoleAddress, plancheck.ResourceActionUpdate),
			}},
			Check: resource.ComposeTestCheckFunc(
				testAccCheckRolePolicies(t, name,
					[]string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"},
					[]string{"logs", "queue"}),
				testAccCheckRoleTags(t, name, map[string]string{"Team": "data"}),
				testAccCheckInlinePolicyActions(t, name, "logs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}),
				testAccCheckRoleSettings(t, name, 7200, "arn:aws:iam::aws:policy/PowerUserAccess", "updated"),
			),
		},
		resource.TestStep{
			// Trust EC2 as well (instance profile appears), drop the boundary and the inline policies.
			Config: fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name             = %q
  trusted_services = ["lambda.amazonaws.com", "ec2.amazonaws.com"]
}
`, name),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(serviceRoleAddress, plancheck.ResourceActionUpdate),
			}},
			Check: resource.ComposeTestCheckFunc(
				testAccCheckRolePolicies(t, name, nil, nil),
				testAccCheckRoleTags(t, name, map[string]string{}),
				testAccCheckInstanceProfileHoldsRole(t, name),
				testAccCheckRoleSettings(t, name, 3600, ""),
			),
		},
		resource.TestStep{
			// Opting out removes the instance profile.
			Config: fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                    = %q
  trusted_services        = ["lambda.amazonaws.com", "ec2.amazonaws.com"]
  create_instance_profile = false
}
`, name),
			Check: testAccCheckNoInstanceProfile(t, name),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("instance_profile_arn"), knownvalue.Null()),
			},
		},
	))
}

// TestAccServiceRole_defaultTags: tags_all is default_tags with the own tags; a change of
// default_tags is applied to the existing role, and tags deleted out of band are put back.
func TestAccServiceRole_defaultTags(t *testing.T) {
	name := acctest.RandomName("tf-acc-tags")
	cfg := func(defaults map[string]string) string {
		return testAccProviderDefaultTags(defaults) + fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name             = %q
  trusted_services = ["lambda.amazonaws.com"]
  tags             = { Team = "platform" }
}
`, name)
	}
	first := map[string]string{"ManagedBy": "terraform", "Team": "default"}
	added := map[string]string{"ManagedBy": "terraform", "Team": "default", "CostCenter": "42"}
	removed := map[string]string{"Team": "default", "CostCenter": "42"}
	ownTags := statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("tags"), knownTags(map[string]string{"Team": "platform"}))
	resource.ParallelTest(t, testAccServiceRoleCase(t,
		resource.TestStep{
			Config: cfg(first),
			Check:  testAccCheckRoleTags(t, name, map[string]string{"ManagedBy": "terraform", "Team": "platform"}),
			ConfigStateChecks: []statecheck.StateCheck{ownTags,
				statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("tags_all"),
					knownTags(map[string]string{"ManagedBy": "terraform", "Team": "platform"})),
			},
		},
		// A default tag added to the provider: an in-place update of tags_all.
		resource.TestStep{
			Config: cfg(added),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(serviceRoleAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("tags_all"),
						knownTags(map[string]string{"ManagedBy": "terraform", "Team": "platform", "CostCenter": "42"})),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: testAccCheckRoleTags(t, name, map[string]string{"ManagedBy": "terraform", "Team": "platform", "CostCenter": "42"}),
			ConfigStateChecks: []statecheck.StateCheck{ownTags,
				statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("tags_all"),
					knownTags(map[string]string{"ManagedBy": "terraform", "Team": "platform", "CostCenter": "42"})),
			},
		},
		// A default tag removed from the provider: removed from the role.
		resource.TestStep{
			Config: cfg(removed),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(serviceRoleAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: testAccCheckRoleTags(t, name, map[string]string{"Team": "platform", "CostCenter": "42"}),
			ConfigStateChecks: []statecheck.StateCheck{ownTags,
				statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("tags_all"),
					knownTags(map[string]string{"Team": "platform", "CostCenter": "42"})),
			},
		},
		// An own tag and a default tag deleted out of band: drift, repaired by apply.
		resource.TestStep{
			PreConfig: func() {
				_, err := acctest.IAM(t).UntagRole(context.Background(), &iam.UntagRoleInput{
					RoleName: aws.String(name), TagKeys: []string{"Team", "CostCenter"},
				})
				if err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg(removed),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectNonEmptyPlan(),
					plancheck.ExpectResourceAction(serviceRoleAddress, plancheck.ResourceActionUpdate),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: testAccCheckRoleTags(t, name, map[string]string{"Team": "platform", "CostCenter": "42"}),
			ConfigStateChecks: []statecheck.StateCheck{ownTags,
				statecheck.ExpectKnownValue(serviceRoleAddress, tfjsonpath.New("tags_all"),
					knownTags(map[string]string{"Team": "platform", "CostCenter": "42"})),
			},
		},
		emptyPlanStep(cfg(removed)),
		// Import: tags are the tags that are not a provider default of the same value.
		resource.TestStep{
			Config:            cfg(removed),
			ResourceName:      serviceRoleAddress,
			ImportState:       true,
			ImportStateId:     name,
			ImportStateVerify: true,
		},
	))
}

func TestAccServiceRole_import(t *testing.T) {
	name := acctest.RandomName("tf-acc-imp")
	resource.ParallelTest(t, testAccServiceRoleCase(t,
		resource.TestStep{Config: testAccServiceRoleEC2Config(name)},
		acctest.ImportStep(serviceRoleAddress, name),
	))
}

func TestAccServiceRole_importCrossAccount(t *testing.T) {
	name := acctest.RandomName("tf-acc-impx")
	resource.ParallelTest(t, testAccServiceRoleCase(t,
		resource.TestStep{Config: fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name                = %q
  trusted_services    = ["lambda.amazonaws.com"]
  trusted_account_ids = ["111122223333", "444455556666"]
  require_mfa         = true
  external_id         = "xyz-123"
}
`, name)},
		acctest.ImportStep(serviceRoleAddress, name),
	))
}

func TestAccServiceRole_alreadyExists(t *testing.T) {
	name := acctest.RandomName("tf-acc-dup")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			_, err := acctest.IAM(t).CreateRole(context.Background(), &iam.CreateRoleInput{
				RoleName:                 aws.String(name),
				AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				_, _ = acctest.IAM(t).DeleteRole(context.Background(), &iam.DeleteRoleInput{RoleName: aws.String(name)})
			})
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "iambaseline_service_role" "test" {
  name             = %q
  trusted_services = ["lambda.amazonaws.com"]
}
`, name),
			ExpectError: regexp.MustCompile(`(?s)already exists.*terraform import`),
		}},
	})
}

func TestAccServiceRole_disappears(t *testing.T) {
	name := acctest.RandomName("tf-acc-gone")
	resource.ParallelTest(t, testAccServiceRoleCase(t, resource.TestStep{
		Config: testAccServiceRoleEC2Config(name),
		Check: resource.ComposeTestCheckFunc(
			testAccCheckServiceRoleExists(t, name),
			func(*terraform.State) error { return testAccDeleteRoleOutOfBand(t, name) },
		),
		ExpectNonEmptyPlan: true,
	}))
}

func TestAccServiceRole_driftTrustPolicyEdited(t *testing.T) {
	name := acctest.RandomName("tf-acc-trust")
	resource.ParallelTest(t, testAccServiceRoleCase(t,
		resource.TestStep{Config: testAccServiceRoleEC2Config(name)},
		resource.TestStep{
			PreConfig: func() {
				// Someone lets an extra account assume the role.
				doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com","AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole"}]}`
				testAccUpdateTrustPolicy(t, name, doc)
			},
			Config: testAccServiceRoleEC2Config(name),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectNonEmptyPlan(),
					plancheck.ExpectResourceAction(serviceRoleAddress, plancheck.ResourceActionUpdate),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: testAccCheckTrustPolicy(t, name, func(doc baseline.PolicyDocument) error {
				for _, s := range doc.Statements {
					if s.Principal != nil && len(s.Principal.AWS) > 0 {
						return fmt.Errorf("the foreign account is still trusted: %+v", s.Principal)
					}
				}
				return nil
			}),
		},
		resource.TestStep{
			// The same trust policy, reordered and compact as AWS may hand it back: no diff.
			PreConfig: func() {
				doc := `{"Statement":[{"Action":["sts:AssumeRole"],"Principal":{"Service":["ec2.amazonaws.com"]},"Effect":"Allow","Sid":"TrustServices"}],"Version":"2012-10-17"}`
				testAccUpdateTrustPolicy(t, name, doc)
			},
			Config: testAccServiceRoleEC2Config(name),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
	))
}

// Out-of-band changes to the role's policies and instance profile: the refresh shows each, and the
// apply repairs it (acctest.DriftStep).
func TestAccServiceRole_drift(t *testing.T) {
	policies := func(t *testing.T, name string) resource.TestCheckFunc {
		return testAccCheckRolePolicies(t, name, []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, []string{"read-config"})
	}
	cases := []struct {
		name, prefix string
		change       func(ctx context.Context, api *iam.Client, role string) error
		check        func(t *testing.T, role string) resource.TestCheckFunc
	}{
		{"inline policy deleted", "tf-acc-inl", func(ctx context.Context, api *iam.Client, role string) error {
			_, err := api.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String("read-config")})
			return err
		}, policies},
		{"foreign policy attached", "tf-acc-fpol", func(ctx context.Context, api *iam.Client, role string) error {
			_, err := api.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(role), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
			return err
		}, policies},
		{"inline policy added", "tf-acc-inla", func(ctx context.Context, api *iam.Client, role string) error {
			_, err := api.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
				RoleName: aws.String(role), PolicyName: aws.String("backdoor"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
			})
			return err
		}, policies},
		{"instance profile removed", "tf-acc-ipd", func(ctx context.Context, api *iam.Client, role string) error {
			if _, err := api.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{
				InstanceProfileName: aws.String(role), RoleName: aws.String(role),
			}); err != nil {
				return err
			}
			_, err := api.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String(role)})
			return err
		}, testAccCheckInstanceProfileHoldsRole},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := acctest.RandomName(tc.prefix)
			resource.ParallelTest(t, testAccServiceRoleCase(t,
				resource.TestStep{Config: testAccServiceRoleEC2Config(name)},
				acctest.DriftStep(testAccServiceRoleEC2Config(name), func() {
					if err := tc.change(context.Background(), acctest.IAM(t), name); err != nil {
						t.Fatalf("%s out of band: %v", tc.name, err)
					}
				}, tc.check(t, name)),
			))
		})
	}
}

// --- SDK checks, bypassing Terraform ---

func testAccCheckServiceRoleExists(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := acctest.IAM(t).GetRole(context.Background(), &iam.GetRoleInput{RoleName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("IAM role %s: %w", name, err)
		}
		return nil
	}
}

func testAccCheckInstanceProfileHoldsRole(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := acctest.IAM(t).GetInstanceProfile(context.Background(), &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("instance profile %s: %w", name, err)
		}
		for _, r := range out.InstanceProfile.Roles {
			if aws.ToString(r.RoleName) == name {
				return nil
			}
		}
		return fmt.Errorf("instance profile %s does not hold role %s", name, name)
	}
}

func testAccCheckNoInstanceProfile(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := acctest.IAM(t).ListInstanceProfilesForRole(context.Background(), &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String(name)})
		if err != nil {
			return err
		}
		if len(out.InstanceProfiles) > 0 {
			return fmt.Errorf("role %s is in instance profile %s", name, aws.ToString(out.InstanceProfiles[0].InstanceProfileName))
		}
		_, err = acctest.IAM(t).GetInstanceProfile(context.Background(), &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(name)})
		if err == nil {
			return fmt.Errorf("instance profile %s exists", name)
		}
		if !awsiam.IsNotFound(err) {
			return err
		}
		return nil
	}
}

// testAccCheckRole checks through the SDK the role IAM holds under name.
func testAccCheckRole(t *testing.T, name string, check func(*iamtypes.Role) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := acctest.IAM(t).GetRole(context.Background(), &iam.GetRoleInput{RoleName: aws.String(name)})
		if err != nil {
			return err
		}
		return check(out.Role)
	}
}

// testAccCheckRoleSettings checks the role's session duration, its permissions boundary ("" for
// none) and, when given, its description.
func testAccCheckRoleSettings(t *testing.T, name string, maxSession int32, boundary string, description ...string) resource.TestCheckFunc {
	return testAccCheckRole(t, name, func(r *iamtypes.Role) error {
		if got := aws.ToInt32(r.MaxSessionDuration); got != maxSession {
			return fmt.Errorf("MaxSessionDuration = %d, want %d", got, maxSession)
		}
		gotBoundary := ""
		if r.PermissionsBoundary != nil {
			gotBoundary = aws.ToString(r.PermissionsBoundary.PermissionsBoundaryArn)
		}
		if gotBoundary != boundary {
			return fmt.Errorf("PermissionsBoundary = %q, want %q", gotBoundary, boundary)
		}
		for _, want := range description {
			if got := aws.ToString(r.Description); got != want {
				return fmt.Errorf("Description = %q, want %q", got, want)
			}
		}
		return nil
	})
}

func testAccCheckTrustPolicy(t *testing.T, name string, check func(baseline.PolicyDocument) error) resource.TestCheckFunc {
	return testAccCheckRole(t, name, func(r *iamtypes.Role) error {
		doc, err := baseline.ParsePolicy(aws.ToString(r.AssumeRolePolicyDocument))
		if err != nil {
			return fmt.Errorf("parsing the trust policy of %s: %w", name, err)
		}
		return check(doc)
	})
}

func testAccCheckRolePolicies(t *testing.T, name string, managed, inline []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		attached, err := acctest.IAM(t).ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
		if err != nil {
			return err
		}
		var gotManaged []string
		for _, p := range attached.AttachedPolicies {
			gotManaged = append(gotManaged, aws.ToString(p.PolicyArn))
		}
		slices.Sort(gotManaged)
		slices.Sort(managed)
		if !slices.Equal(gotManaged, managed) {
			return fmt.Errorf("managed policies of %s = %v, want %v", name, gotManaged, managed)
		}
		names, err := acctest.IAM(t).ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
		if err != nil {
			return err
		}
		gotInline := slices.Clone(names.PolicyNames)
		slices.Sort(gotInline)
		slices.Sort(inline)
		if !slices.Equal(gotInline, inline) {
			return fmt.Errorf("inline policies of %s = %v, want %v", name, gotInline, inline)
		}
		return nil
	}
}

func testAccCheckInlinePolicyActions(t *testing.T, role, policy string, actions []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := acctest.IAM(t).GetRolePolicy(context.Background(), &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(policy)})
		if err != nil {
			return err
		}
		doc, err := baseline.ParsePolicy(aws.ToString(out.PolicyDocument))
		if err != nil {
			return err
		}
		var got []string
		for _, s := range doc.Statements {
			got = append(got, s.Action...)
		}
		slices.Sort(got)
		if !slices.Equal(got, actions) {
			return fmt.Errorf("actions of inline policy %s = %v, want %v", policy, got, actions)
		}
		return nil
	}
}

func testAccCheckRoleTags(t *testing.T, name string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := acctest.IAM(t).ListRoleTags(context.Background(), &iam.ListRoleTagsInput{RoleName: aws.String(name)})
		if err != nil {
			return err
		}
		got := iamTagMap(out.Tags)
		if len(got) != len(want) {
			return fmt.Errorf("tags of %s = %v, want %v", name, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				return fmt.Errorf("tags of %s = %v, want %v", name, got, want)
			}
		}
		return nil
	}
}

func testAccUpdateTrustPolicy(t *testing.T, name, doc string) {
	t.Helper()
	_, err := acctest.IAM(t).UpdateAssumeRolePolicy(context.Background(), &iam.UpdateAssumeRolePolicyInput{
		RoleName: aws.String(name), PolicyDocument: aws.String(doc),
	})
	if err != nil {
		t.Fatalf("editing the trust policy out of band: %v", err)
	}
}

// testAccDeleteRoleOutOfBand deletes the role and everything hanging off it, as someone with the
// console would.
func testAccDeleteRoleOutOfBand(t *testing.T, name string) error {
	ctx := context.Background()
	api := acctest.IAM(t)
	attached, err := api.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	if err != nil {
		return err
	}
	for _, p := range attached.AttachedPolicies {
		if _, err := api.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(name), PolicyArn: p.PolicyArn}); err != nil {
			return err
		}
	}
	inline, err := api.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	if err != nil {
		return err
	}
	for _, p := range inline.PolicyNames {
		if _, err := api.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(p)}); err != nil {
			return err
		}
	}
	profiles, err := api.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return err
	}
	for _, p := range profiles.InstanceProfiles {
		if _, err := api.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: p.InstanceProfileName, RoleName: aws.String(name)}); err != nil {
			return err
		}
		if _, err := api.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: p.InstanceProfileName}); err != nil {
			return err
		}
	}
	_, err = api.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
	return err
}

func testAccCheckServiceRoleDestroy(t *testing.T) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "iambaseline_service_role" {
				continue
			}
			name := rs.Primary.ID
			_, err := acctest.IAM(t).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
			if err == nil {
				return fmt.Errorf("IAM role %s still exists", name)
			}
			if !awsiam.IsNotFound(err) {
				return err
			}
			_, err = acctest.IAM(t).GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(name)})
			if err == nil {
				return fmt.Errorf("instance profile %s still exists", name)
			}
			if !awsiam.IsNotFound(err) {
				return err
			}
		}
		return nil
	}
}

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
