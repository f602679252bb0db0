package provider_test

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

const baselineResource = "iambaseline_startup_group_baseline.test"

// testAccBaselineImportStep imports the baseline named prefix at path with config and verifies
// every attribute against the state the steps before it left.
func testAccBaselineImportStep(config, prefix, path string) resource.TestStep {
	step := acctest.ImportStep(baselineResource, prefix+"|"+path)
	step.Config = config
	return step
}

func TestAccStartupGroupBaseline_basic(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{{
		Config: testAccBaselineConfig(prefix, ""),
		Check: resource.ComposeAggregateTestCheckFunc(
			testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil),
			resource.TestCheckResourceAttr(baselineResource, "id", prefix+"|/"),
			resource.TestCheckResourceAttr(baselineResource, "policy_style", "least_privilege"),
			resource.TestCheckResourceAttr(baselineResource, "enforce_mfa", "true"),
			resource.TestCheckResourceAttr(baselineResource, "groups.#", "4"),
			resource.TestCheckResourceAttr(baselineResource, "group_names.Developers", prefix+"Developers"),
			resource.TestCheckResourceAttr(baselineResource, "group_names.ReadOnly", prefix+"ReadOnly"),
			resource.TestCheckResourceAttrSet(baselineResource, "group_arns.SysAdmins"),
			resource.TestCheckResourceAttrSet(baselineResource, "policy_arns.DatabaseAdmins"),
			resource.TestCheckResourceAttrSet(baselineResource, "mfa_policy_arn"),
			resource.TestCheckResourceAttrSet(baselineResource, "guardrail_policy_arn"),
			resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.guardrails"),
			resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.app_boundary"),
			resource.TestCheckResourceAttr(baselineResource, "app_boundary_policy_arn", testAccPolicyARN(prefix+"AppBoundary")),
			// The Developers' grants take four managed policies (Developers#2 to #4), the SysAdmins' two
			// (SysAdmins#2), beside the MFA and guardrail policies.
			resource.TestCheckResourceAttr(baselineResource, "policy_documents.%", "11"),
			resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.Developers#2"),
			resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.Developers#4"),
			resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.SysAdmins#2"),
			resource.TestCheckResourceAttr(baselineResource, "attached_policy_arns.Developers.#", "6"),
			resource.TestCheckResourceAttr(baselineResource, "attached_policy_arns.SysAdmins.#", "4"),
		),
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}}))
}

func testAccBaselineConfig(prefix, body string) string {
	return fmt.Sprintf(`
resource "iambaseline_startup_group_baseline" "test" {
  name_prefix = %q
%s
}
`, prefix, body)
}

// testAccCheckBaselineInAWS checks through the SDK that each selected group exists with its baseline
// policy (customer managed, with the rendered document, or the AWS job-function policy), the MFA
// policy and the guardrail policy (with the rendered document, in both styles) attached, plus the
// given extra policies.
func testAccCheckBaselineInAWS(t *testing.T, prefix, iamPath string, keys []string, leastPrivilege bool, extra map[string][]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		api := acctest.IAM(t)
		rs, ok := s.RootModule().Resources[baselineResource]
		if !ok {
			return fmt.Errorf("%s not in state", baselineResource)
		}
		enforceMFA := rs.Primary.Attributes["enforce_mfa"] == "true"
		mfaARN := rs.Primary.Attributes["mfa_policy_arn"]
		if enforceMFA {
			if err := testAccCheckPolicyDocument(ctx, api, mfaARN, rs.Primary.Attributes["policy_documents.mfa"]); err != nil {
				return err
			}
		}
		guardARN := rs.Primary.Attributes["guardrail_policy_arn"]
		if !strings.HasSuffix(guardARN, ":policy"+iamPath+prefix+"Guardrails") {
			return fmt.Errorf("guardrail_policy_arn is %q, want the policy %sGuardrails at %s", guardARN, prefix, iamPath)
		}
		if err := testAccCheckPolicyDocument(ctx, api, guardARN, rs.Primary.Attributes["policy_documents.guardrails"]); err != nil {
			return err
		}
		// The app boundary exists with its document when Developers are least-privilege; it is
		// attached to no group (the exact attachments below).
		boundaryARN := rs.Primary.Attributes["app_boundary_policy_arn"]
		if wantBoundary := leastPrivilege && slices.Contains(keys, baseline.RoleDevelopers); wantBoundary != (boundaryARN != "") {
			return fmt.Errorf("app_boundary_policy_arn = %q with least_privilege=%v and groups %v", boundaryARN, leastPrivilege, keys)
		}
		if boundaryARN != "" {
			if err := testAccCheckPolicyDocument(ctx, api, boundaryARN, rs.Primary.Attributes["policy_documents.app_boundary"]); err != nil {
				return err
			}
		}
		for _, k := range keys {
			name := prefix + k
			g, err := api.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(name)})
			if err != nil {
				return fmt.Errorf("group %s: %w", name, err)
			}
			if got := aws.ToString(g.Group.Path); got != iamPath {
				return fmt.Errorf("group %s path %s, want %s", name, got, iamPath)
			}
			if got := aws.ToString(g.Group.Arn); got != rs.Primary.Attributes["group_arns."+k] {
				return fmt.Errorf("group %s ARN %s, state says %s", name, got, rs.Primary.Attributes["group_arns."+k])
			}
			att, err := api.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(name)})
			if err != nil {
				return err
			}
			var got []string
			for _, a := range att.AttachedPolicies {
				got = append(got, aws.ToString(a.PolicyArn))
			}
			var want []string
			policyARN := rs.Primary.Attributes["policy_arns."+k]
			if leastPrivilege {
				if !strings.HasSuffix(policyARN, ":policy"+iamPath+name+"Policy") {
					return fmt.Errorf("policy ARN of %s is %s", k, policyARN)
				}
				if err := testAccCheckPolicyDocument(ctx, api, policyARN, rs.Primary.Attributes["policy_documents."+k]); err != nil {
					return err
				}
			} else if policyARN != baseline.AWSManagedPolicyARN(k, "aws") {
				return fmt.Errorf("policy ARN of %s is %s, want the AWS managed one", k, policyARN)
			}
			want = append(want, policyARN, guardARN)
			// The further policies of a group whose grants take several (policy_documents <key>#n).
			for n := 2; leastPrivilege && rs.Primary.Attributes["policy_documents."+baseline.PolicyPartKey(k, n)] != ""; n++ {
				part := policyARN + strconv.Itoa(n)
				if err := testAccCheckPolicyDocument(ctx, api, part, rs.Primary.Attributes["policy_documents."+baseline.PolicyPartKey(k, n)]); err != nil {
					return err
				}
				want = append(want, part)
			}
			if enforceMFA {
				want = append(want, mfaARN)
			}
			want = append(want, extra[k]...)
			sort.Strings(got)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				return fmt.Errorf("group %s has policies %v, want %v", name, got, want)
			}
		}
		return nil
	}
}

func testAccCheckPolicyDocument(ctx context.Context, api *iam.Client, arn, want string) error {
	p, err := api.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil {
		return fmt.Errorf("policy %s: %w", arn, err)
	}
	v, err := api.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: p.Policy.DefaultVersionId})
	if err != nil {
		return err
	}
	doc, _ := url.QueryUnescape(aws.ToString(v.PolicyVersion.Document))
	same, err := baseline.PoliciesEquivalent(doc, want)
	if err != nil || !same {
		return fmt.Errorf("policy %s document differs from state (%v):\n%s\nwant\n%s", arn, err, doc, want)
	}
	return nil
}

func testAccCheckBaselineDestroy(s *terraform.State) error {
	ctx := context.Background()
	api := acctest.IAM(&testing.T{})
	for _, rs := range s.RootModule().Resources {
		if rs.Type != "iambaseline_startup_group_baseline" {
			continue
		}
		prefix := rs.Primary.Attributes["name_prefix"]
		for _, k := range baseline.RoleKeys() {
			if _, err := api.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(prefix + k)}); err == nil {
				return fmt.Errorf("group %s%s still exists", prefix, k)
			}
		}
		for attr, arn := range rs.Primary.Attributes {
			if (strings.HasPrefix(attr, "policy_arns.") || attr == "mfa_policy_arn" || attr == "guardrail_policy_arn" || attr == "app_boundary_policy_arn") && strings.Contains(arn, ":policy/") && !strings.Contains(arn, ":aws:policy/") {
				if _, err := api.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)}); err == nil {
					return fmt.Errorf("policy %s still exists", arn)
				}
			}
		}
	}
	return nil
}

func TestAccStartupGroupBaseline_update(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	extra := "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
	// The provider's default_tags are merged into the policies' tags; the resource's own tags win.
	defaultTags := `
provider "iambaseline" {
  default_tags {
    tags = { ManagedBy = "terraform", Team = "default" }
  }
}
`
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{
			Config: defaultTags + testAccBaselineConfig(prefix, `  tags = { Team = "platform", Env = "prod" }`),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil),
				testAccCheckPolicyTags(t, "policy_arns.Developers", map[string]string{"Team": "platform", "Env": "prod", "ManagedBy": "terraform"}),
			),
		},
		{
			// Fewer groups, MFA off, regions and buckets (new default versions), extra and additional
			// groups, tags changed.
			Config: defaultTags + testAccBaselineConfig(prefix, fmt.Sprintf(`
  groups                   = ["Developers", "ReadOnly"]
  enforce_mfa              = false
  allowed_regions          = ["eu-west-1", "us-east-1"]
  developer_s3_bucket_arns = ["arn:aws:s3:::acme-dev-*"]
  extra_policy_arns        = { Developers = [%q] }
  additional_groups = {
    Contractors = {
      policy_arns   = [%q]
      inline_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }] })
    }
  }
  tags = { Team = "infra" }`, extra, extra)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(baselineResource, plancheck.ResourceActionUpdate),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckBaselineInAWS(t, prefix, "/", []string{"Developers", "ReadOnly"}, true, map[string][]string{"Developers": {extra}}),
				testAccCheckGroupGone(t, prefix+"SysAdmins"),
				testAccCheckGroupGone(t, prefix+"DatabaseAdmins"),
				testAccCheckPolicyGone(t, prefix+"EnforceMFA"),
				testAccCheckPolicyGone(t, prefix+"SysAdminsPolicy"),
				// The buckets land in the second part, which gets a new default version; the first
				// part's document is unchanged, so it keeps its one version.
				testAccCheckPolicyPartVersions(t, "policy_arns.Developers", 2, 2),
				testAccCheckPolicyVersions(t, "policy_arns.Developers", 1),
				testAccCheckPolicyTags(t, "policy_arns.Developers", map[string]string{"Team": "infra", "ManagedBy": "terraform"}),
				testAccCheckGroupPolicies(t, prefix+"Contractors", []string{extra, "guardrails"}, true),
				resource.TestCheckNoResourceAttr(baselineResource, "mfa_policy_arn"),
				resource.TestCheckResourceAttr(baselineResource, "group_names.Contractors", prefix+"Contractors"),
				// With two regions and a bucket the Developers' grants take four policies: Developers,
				// Developers#2 to #4, then ReadOnly, the guardrails and the app boundary.
				resource.TestCheckResourceAttr(baselineResource, "policy_documents.%", "7"),
				resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.Developers#4"),
			),
		},
		{
			// MFA back on, AWS managed policies instead of the customer managed ones.
			Config: defaultTags + testAccBaselineConfig(prefix, `
  groups       = ["Developers", "ReadOnly"]
  policy_style = "aws_managed"`),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckBaselineInAWS(t, prefix, "/", []string{"Developers", "ReadOnly"}, false, nil),
				testAccCheckPolicyGone(t, prefix+"DevelopersPolicy"),
				testAccCheckPolicyGone(t, prefix+"AppBoundary"),
				resource.TestCheckNoResourceAttr(baselineResource, "app_boundary_policy_arn"),
				testAccCheckGroupGone(t, prefix+"Contractors"),
				resource.TestCheckResourceAttr(baselineResource, "policy_documents.%", "2"),
				resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.mfa"),
				resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.guardrails"),
			),
		},
		{
			// Back to all four least-privilege groups. (A path change moves groups with UpdateGroup,
			// which moto ignores: TestReconcileBaseline_pathChange covers it with captured requests.)
			Config: defaultTags + testAccBaselineConfig(prefix, ""),
			Check:  testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil),
		},
	}))
}

func TestAccStartupGroupBaseline_import(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	config := testAccBaselineConfig(prefix, `
  groups                            = ["Developers", "SysAdmins", "ReadOnly"]
  path                              = "/team/"
  allow_first_login_password_change = false
  allowed_regions                   = ["eu-central-1", "us-east-1"]
  developer_s3_bucket_arns          = ["arn:aws:s3:::acme-dev-data", "arn:aws:s3:::acme-dev-*"]
  extra_policy_arns                 = { SysAdmins = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] }
  readonly_cost_explorer            = false
  tags                              = { Team = "platform" }`)
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				// readonly_cost_explorer = false is read back by the import from the ReadOnly document.
				resource.TestCheckResourceAttrWith(baselineResource, "policy_documents.ReadOnly", func(doc string) error {
					if strings.Contains(doc, `"ce:Get*"`) {
						return fmt.Errorf("readonly_cost_explorer = false, but the ReadOnly document reads Cost Explorer: %s", doc)
					}
					return nil
				}),
				// The regions live in the guardrail policy, attached beside the group's own (and read
				// back from it by the import).
				resource.TestCheckResourceAttrWith(baselineResource, "policy_documents.guardrails", func(doc string) error {
					if !strings.Contains(doc, `"eu-central-1"`) {
						return fmt.Errorf("the guardrail policy does not restrict the regions: %s", doc)
					}
					return nil
				}),
				func(s *terraform.State) error {
					// The SysAdmins' grants take two managed policies.
					first := s.RootModule().Resources[baselineResource].Primary.Attributes["policy_arns.SysAdmins"]
					return testAccCheckGroupPolicies(t, prefix+"SysAdmins",
						[]string{first, first + "2", "mfa", "guardrails", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}, false)(s)
				},
			),
		},
		testAccBaselineImportStep(config, prefix, "/team/"),
	}))
}

func TestAccStartupGroupBaseline_awsManaged(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	config := testAccBaselineConfig(prefix, `
  policy_style = "aws_managed"
  enforce_mfa  = false`)
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), false, nil),
				testAccCheckPolicyGone(t, prefix+"DevelopersPolicy"),
				resource.TestCheckResourceAttr(baselineResource, "policy_arns.Developers", "arn:aws:iam::aws:policy/PowerUserAccess"),
				resource.TestCheckResourceAttr(baselineResource, "policy_arns.SysAdmins", "arn:aws:iam::aws:policy/job-function/SystemAdministrator"),
				resource.TestCheckResourceAttr(baselineResource, "policy_arns.DatabaseAdmins", "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator"),
				resource.TestCheckResourceAttr(baselineResource, "policy_arns.ReadOnly", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"),
				resource.TestCheckResourceAttr(baselineResource, "policy_documents.%", "1"),
				resource.TestCheckResourceAttrSet(baselineResource, "policy_documents.guardrails"),
			),
		},
		testAccBaselineImportStep(config, prefix, "/"),
	}))
}

func TestAccStartupGroupBaseline_additionalGroups(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	config := testAccBaselineConfig(prefix, `
  groups = ["ReadOnly"]
  additional_groups = {
    Finance = {
      policy_arns   = ["arn:aws:iam::aws:policy/job-function/Billing"]
      inline_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "Reports", Effect = "Allow", Action = ["ce:GetCostAndUsage", "ce:GetCostForecast"], Resource = "*" }] })
    }
    Auditors = {
      enforce_mfa = false
    }
  }`)
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckBaselineInAWS(t, prefix, "/", []string{"ReadOnly"}, true, nil),
				testAccCheckGroupPolicies(t, prefix+"Finance", []string{"arn:aws:iam::aws:policy/job-function/Billing", "mfa", "guardrails"}, true),
				testAccCheckGroupPolicies(t, prefix+"Auditors", []string{"guardrails"}, false),
				resource.TestCheckResourceAttr(baselineResource, "group_names.Finance", prefix+"Finance"),
				resource.TestCheckResourceAttrSet(baselineResource, "group_arns.Auditors"),
			),
		},
		// The inline policy edited out of band is put back.
		acctest.DriftStep(config, func() {
			testAccSDK(t, func(ctx context.Context, api *iam.Client) error {
				_, err := api.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String(prefix + "Finance"), PolicyName: aws.String("InlinePolicy"),
					PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:*","Resource":"*"}]}`)})
				return err
			})
		}, testAccCheckGroupPolicies(t, prefix+"Finance", []string{"arn:aws:iam::aws:policy/job-function/Billing", "mfa", "guardrails"}, true)),
	}))
}

func TestAccStartupGroupBaseline_disappears(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{{
		Config: testAccBaselineConfig(prefix, ""),
		Check: resource.ComposeAggregateTestCheckFunc(
			testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil),
			testAccDeleteBaselineOutOfBand(t, prefix),
		),
		ExpectNonEmptyPlan: true,
	}}))
}

// Out-of-band changes to the baseline's groups and attachments: the refresh shows each, and the
// apply restores the baseline (testAccBaselineDrift).
func TestAccStartupGroupBaseline_drift(t *testing.T) {
	cases := []struct {
		name   string
		change func(ctx context.Context, api *iam.Client, prefix string) error
	}{
		{"group deleted", func(ctx context.Context, api *iam.Client, prefix string) error {
			name := aws.String(prefix + "ReadOnly")
			for _, p := range []string{"ReadOnlyPolicy", "EnforceMFA", "Guardrails"} {
				if _, err := api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: name, PolicyArn: aws.String(testAccPolicyARN(prefix + p))}); err != nil {
					return err
				}
			}
			_, err := api.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: name})
			return err
		}},
		{"policy detached", func(ctx context.Context, api *iam.Client, prefix string) error {
			_, err := api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(prefix + "Developers"), PolicyArn: aws.String(testAccPolicyARN(prefix + "EnforceMFA"))})
			if err != nil {
				return err
			}
			_, err = api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(prefix + "SysAdmins"), PolicyArn: aws.String(testAccPolicyARN(prefix + "SysAdminsPolicy"))})
			return err
		}},
		{"guardrail policy detached", func(ctx context.Context, api *iam.Client, prefix string) error {
			for _, k := range baseline.RoleKeys() {
				if _, err := api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(prefix + k), PolicyArn: aws.String(testAccPolicyARN(prefix + "Guardrails"))}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"foreign policy attached", func(ctx context.Context, api *iam.Client, prefix string) error {
			_, err := api.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(prefix + "ReadOnly"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { testAccBaselineDrift(t, tc.change) })
	}
}

func TestAccStartupGroupBaseline_driftPolicyDocumentEdited(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	devPolicy := testAccPolicyARN(prefix + "DevelopersPolicy")
	parts, err := baseline.GroupPolicyParts(baseline.RoleDevelopers, baseline.Options{NamePrefix: prefix, DelegateAppRoles: true})
	if err != nil {
		t.Fatal(err)
	}
	rendered := parts[0] // the document of DevelopersPolicy, the first of the Developers' policies
	// The same document with statements reversed and compact: no drift.
	reordered := rendered
	reordered.Statements = slices.Clone(rendered.Statements)
	slices.Reverse(reordered.Statements)
	reorderedJSON, err := reordered.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	edited := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	newVersion := func(doc string) func() {
		return func() {
			testAccSDK(t, func(ctx context.Context, api *iam.Client) error {
				_, err := api.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(devPolicy), PolicyDocument: aws.String(doc), SetAsDefault: true})
				return err
			})
		}
	}
	config := testAccBaselineConfig(prefix, "")
	// editRepaired: an edited version out of band shows in the plan, and the repair leaves versions
	// versions of the Developers' policy (and passes the further checks).
	editRepaired := func(versions int, checks ...resource.TestCheckFunc) resource.TestStep {
		return resource.TestStep{
			PreConfig: newVersion(edited),
			Config:    config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectNonEmptyPlan()},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeAggregateTestCheckFunc(append([]resource.TestCheckFunc{
				testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil),
				testAccCheckPolicyVersions(t, "policy_arns.Developers", versions),
			}, checks...)...),
		}
	}
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{Config: config},
		{
			PreConfig:        newVersion(string(reorderedJSON)),
			Config:           config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		editRepaired(4),
		// Now at 4 versions: one more edit makes 5, and the repair must prune the oldest
		// non-default version (v1) to stay within IAM's quota.
		editRepaired(5, testAccCheckPolicyVersionGone(t, devPolicy, "v1")),
	}))
}

func TestAccStartupGroupBaseline_forceDestroy(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	user := acctest.RandomName("tfacc-member")
	t.Cleanup(func() {
		testAccSDK(t, func(ctx context.Context, api *iam.Client) error {
			_, _ = api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(user)})
			return nil
		})
	})
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{Config: testAccBaselineConfig(prefix, "")},
		{
			// A member added out of band blocks the destroy, and the error names them.
			PreConfig: func() {
				testAccSDK(t, func(ctx context.Context, api *iam.Client) error {
					if _, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
						return err
					}
					_, err := api.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(prefix + "Developers"), UserName: aws.String(user)})
					return err
				})
			},
			Config:      `provider "iambaseline" {}`,
			ExpectError: regexp.MustCompile(`(?s)members.*` + regexp.QuoteMeta(user) + `.*force_destroy`),
		},
		{
			Config: testAccBaselineConfig(prefix, `  force_destroy = true`),
			Check:  testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil),
		},
	}))
}

// testAccBaselineDrift creates a baseline, changes it out of band, and expects a non-empty plan, an
// apply that repairs it and an empty plan after.
func testAccBaselineDrift(t *testing.T, change func(ctx context.Context, api *iam.Client, prefix string) error) {
	prefix := acctest.RandomName("tfacc") + "-"
	config := testAccBaselineConfig(prefix, "")
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{Config: config, Check: testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil)},
		acctest.DriftStep(config, func() {
			testAccSDK(t, func(ctx context.Context, api *iam.Client) error { return change(ctx, api, prefix) })
		}, testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil)),
	}))
}

func testAccSDK(t *testing.T, fn func(ctx context.Context, api *iam.Client) error) {
	t.Helper()
	if err := fn(context.Background(), acctest.IAM(t)); err != nil {
		t.Fatalf("out-of-band change: %v", err)
	}
}

// testAccPolicyARN is the ARN of a customer managed policy at path "/" in the emulator's account.
func testAccPolicyARN(name string) string {
	return "arn:aws:iam::123456789012:policy/" + name
}

func testAccDeleteBaselineOutOfBand(t *testing.T, prefix string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		api := acctest.IAM(t)
		attrs := s.RootModule().Resources[baselineResource].Primary.Attributes
		for _, k := range baseline.RoleKeys() {
			name := aws.String(prefix + k)
			for _, arn := range []string{attrs["policy_arns."+k], attrs["mfa_policy_arn"], attrs["guardrail_policy_arn"]} {
				if _, err := api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: name, PolicyArn: aws.String(arn)}); err != nil {
					return err
				}
			}
			if _, err := api.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: name}); err != nil {
				return err
			}
			if _, err := api.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(attrs["policy_arns."+k])}); err != nil {
				return err
			}
		}
		for _, arn := range []string{attrs["mfa_policy_arn"], attrs["guardrail_policy_arn"]} {
			if _, err := api.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}); err != nil {
				return err
			}
		}
		return nil
	}
}

func testAccCheckGroupGone(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, err := acctest.IAM(t).GetGroup(context.Background(), &iam.GetGroupInput{GroupName: aws.String(name)}); err == nil {
			return fmt.Errorf("group %s still exists", name)
		}
		return nil
	}
}

func testAccCheckPolicyGone(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, err := acctest.IAM(t).GetPolicy(context.Background(), &iam.GetPolicyInput{PolicyArn: aws.String(testAccPolicyARN(name))}); err == nil {
			return fmt.Errorf("policy %s still exists", name)
		}
		return nil
	}
}

func testAccCheckPolicyVersions(t *testing.T, arnAttr string, want int) resource.TestCheckFunc {
	return testAccCheckPolicyVersionsOf(t, arnAttr, "", want)
}

// testAccCheckPolicyPartVersions checks the version count of part n (2 or more) of the policy whose
// first part's ARN is in arnAttr: the part's name is the first's with n appended.
func testAccCheckPolicyPartVersions(t *testing.T, arnAttr string, part, want int) resource.TestCheckFunc {
	return testAccCheckPolicyVersionsOf(t, arnAttr, strconv.Itoa(part), want)
}

// testAccCheckPolicyVersionsOf checks the version count of the policy whose ARN is the one in
// arnAttr with suffix appended.
func testAccCheckPolicyVersionsOf(t *testing.T, arnAttr, suffix string, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		arn := s.RootModule().Resources[baselineResource].Primary.Attributes[arnAttr] + suffix
		out, err := acctest.IAM(t).ListPolicyVersions(context.Background(), &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
		if err != nil {
			return err
		}
		if len(out.Versions) != want {
			return fmt.Errorf("policy %s has %d versions, want %d", arn, len(out.Versions), want)
		}
		return nil
	}
}

func testAccCheckPolicyVersionGone(t *testing.T, arn, version string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := acctest.IAM(t).ListPolicyVersions(context.Background(), &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
		if err != nil {
			return err
		}
		for _, v := range out.Versions {
			if aws.ToString(v.VersionId) == version {
				return fmt.Errorf("policy %s still has version %s", arn, version)
			}
		}
		return nil
	}
}

func testAccCheckPolicyTags(t *testing.T, arnAttr string, want map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		arn := s.RootModule().Resources[baselineResource].Primary.Attributes[arnAttr]
		out, err := acctest.IAM(t).ListPolicyTags(context.Background(), &iam.ListPolicyTagsInput{PolicyArn: aws.String(arn)})
		if err != nil {
			return err
		}
		got := iamTagMap(out.Tags)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("policy %s tags %v, want %v", arn, got, want)
		}
		return nil
	}
}

// testAccCheckGroupPolicies checks a group's attached policies ("mfa" and "guardrails" stand for the
// baseline's MFA and guardrail policies) and whether it has the baseline's inline policy.
func testAccCheckGroupPolicies(t *testing.T, group string, want []string, inline bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		api := acctest.IAM(t)
		attrs := s.RootModule().Resources[baselineResource].Primary.Attributes
		shared := map[string]string{"mfa": attrs["mfa_policy_arn"], "guardrails": attrs["guardrail_policy_arn"]}
		att, err := api.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(group)})
		if err != nil {
			return fmt.Errorf("group %s: %w", group, err)
		}
		var got, wanted []string
		for _, a := range att.AttachedPolicies {
			got = append(got, aws.ToString(a.PolicyArn))
		}
		for _, w := range want {
			if arn, ok := shared[w]; ok {
				w = arn
			}
			wanted = append(wanted, w)
		}
		sort.Strings(got)
		sort.Strings(wanted)
		if !slices.Equal(got, wanted) {
			return fmt.Errorf("group %s has policies %v, want %v", group, got, wanted)
		}
		inl, err := api.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String(group)})
		if err != nil {
			return err
		}
		if has := slices.Contains(inl.PolicyNames, "InlinePolicy"); has != inline {
			return fmt.Errorf("group %s inline policies %v, want InlinePolicy: %t", group, inl.PolicyNames, inline)
		}
		if inline {
			p, err := api.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String(group), PolicyName: aws.String("InlinePolicy")})
			if err != nil {
				return err
			}
			doc, _ := url.QueryUnescape(aws.ToString(p.PolicyDocument))
			if strings.Contains(doc, `"ce:*"`) {
				return fmt.Errorf("group %s inline policy still the out-of-band one: %s", group, doc)
			}
		}
		return nil
	}
}

// An apply interrupted after creating some groups and policies leaves them behind without state (its
// policies still carry the create marker); the next apply adopts them (no EntityAlreadyExists, no
// duplicates) and converges.
func TestAccStartupGroupBaseline_adoptsLeftovers(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{{
		// What an apply of this configuration interrupted midway leaves: the MFA policy it
		// rendered, one group with it attached and one group still empty, no members.
		PreConfig: func() {
			testAccSDK(t, func(ctx context.Context, api *iam.Client) error {
				mfa, err := baseline.MFAPolicyForPartition("aws", true).JSON()
				if err != nil {
					return err
				}
				p, err := api.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(prefix + "EnforceMFA"), PolicyDocument: aws.String(mfa),
					Tags: []iamtypes.Tag{{Key: aws.String(baseline.CreateMarkerTag), Value: aws.String("2026-01-01T00:00:00Z")}}})
				if err != nil {
					return err
				}
				for _, g := range []string{"Developers", "ReadOnly"} {
					if _, err := api.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(prefix + g)}); err != nil {
						return err
					}
				}
				_, err = api.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(prefix + "Developers"), PolicyArn: p.Policy.Arn})
				return err
			})
		},
		Config: testAccBaselineConfig(prefix, ""),
		Check:  testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil),
	}}))
}

// wrappedText matches text in an error Terraform may have wrapped at any space.
func wrappedText(text string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`)
}

// A group of the baseline's name that someone else made (a member, a foreign policy) is not taken
// over: the apply fails before changing anything, with the import hint, and the group keeps its
// member and policy. Once it is gone, the same configuration applies.
func TestAccStartupGroupBaseline_refusesForeignGroup(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	group, user := prefix+"Developers", prefix+"someone"
	const foreign = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	testAccRefusesForeign(t, prefix,
		func(ctx context.Context, api *iam.Client) error {
			if _, err := api.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(group)}); err != nil {
				return err
			}
			if _, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
				return err
			}
			if _, err := api.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(group), UserName: aws.String(user)}); err != nil {
				return err
			}
			_, err := api.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(group), PolicyArn: aws.String(foreign)})
			return err
		},
		func(ctx context.Context, api *iam.Client) error {
			// Untouched: member and policy remain, and nothing of the baseline was made.
			members, err := api.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(group)})
			if err != nil {
				return err
			}
			if len(members.Users) != 1 || aws.ToString(members.Users[0].UserName) != user {
				return fmt.Errorf("members of %s changed: %v", group, members.Users)
			}
			attached, err := api.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(group)})
			if err != nil {
				return err
			}
			if len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyArn) != foreign {
				return fmt.Errorf("policies of %s changed: %v", group, attached.AttachedPolicies)
			}
			if _, err := api.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(testAccPolicyARN(prefix + "EnforceMFA"))}); err == nil {
				return fmt.Errorf("the refused apply created %sEnforceMFA", prefix)
			}
			if _, err := api.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(prefix + "ReadOnly")}); err == nil {
				return fmt.Errorf("the refused apply created %sReadOnly", prefix)
			}
			// Its owner removes it; the baseline can then be applied.
			if _, err := api.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String(group), UserName: aws.String(user)}); err != nil {
				return err
			}
			if _, err := api.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(user)}); err != nil {
				return err
			}
			if _, err := api.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String(group), PolicyArn: aws.String(foreign)}); err != nil {
				return err
			}
			_, err = api.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String(group)})
			return err
		},
		wrappedText("IAM group "+group), wrappedText("it has members ("+user+")"), regexp.QuoteMeta(foreign),
		wrappedText("terraform import iambaseline_startup_group_baseline.<name> '"+prefix+"|/'"))
}

// A customer managed policy of the baseline's name with another document is not taken over either:
// the apply fails before changing anything and the policy keeps its document.
func TestAccStartupGroupBaseline_refusesForeignPolicy(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	name := prefix + "EnforceMFA"
	const foreignDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`
	testAccRefusesForeign(t, prefix,
		func(ctx context.Context, api *iam.Client) error {
			_, err := api.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(foreignDoc)})
			return err
		},
		func(ctx context.Context, api *iam.Client) error {
			arn := testAccPolicyARN(name)
			if err := testAccCheckPolicyDocument(ctx, api, arn, foreignDoc); err != nil {
				return fmt.Errorf("the refused apply changed %s: %w", name, err)
			}
			versions, err := api.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
			if err != nil {
				return err
			}
			if len(versions.Versions) != 1 {
				return fmt.Errorf("the refused apply added versions to %s: %d", name, len(versions.Versions))
			}
			if _, err := api.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(prefix + "Developers")}); err == nil {
				return fmt.Errorf("the refused apply created %sDevelopers", prefix)
			}
			_, err = api.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
			return err
		},
		wrappedText("customer managed policy "+name), wrappedText("document differs"),
		wrappedText("terraform import iambaseline_startup_group_baseline.<name> '"+prefix+"|/'"), wrappedText("remove or rename"))
}

// testAccRefusesForeign runs the refusal of an entity of the baseline's name that someone else made:
// plant makes it out of band; the apply then fails before changing anything, with an error that
// says, in this order, each of refused (patterns); untouchedThenRemove checks that the entity is as
// plant made it and nothing of the baseline exists, then removes it, after which the same
// configuration applies.
func testAccRefusesForeign(t *testing.T, prefix string, plant, untouchedThenRemove func(context.Context, *iam.Client) error, refused ...string) {
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{
			PreConfig:   func() { testAccSDK(t, plant) },
			Config:      testAccBaselineConfig(prefix, ""),
			ExpectError: regexp.MustCompile(`(?s)` + strings.Join(refused, `.*`)),
		},
		{
			PreConfig: func() { testAccSDK(t, untouchedThenRemove) },
			Config:    testAccBaselineConfig(prefix, ""),
			Check:     testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil),
		},
	}))
}

// Bad input fails at plan time, before any AWS call, with the attribute named.
func TestAccStartupGroupBaseline_invalid(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		acctest.PlanErrorStep(testAccBaselineConfig(prefix, `  groups = ["Developers", "Admins"]`), `groups.*Admins`),
		acctest.PlanErrorStep(testAccBaselineConfig(prefix, `  groups = ["ReadOnly"]`+"\n"+`  extra_policy_arns = { Developers = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }`), `extra_policy_arns.*add it to groups`),
		acctest.PlanErrorStep(testAccBaselineConfig(prefix, `  additional_groups = { Ops = { inline_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] }) } }`), `additional_groups\["Ops"\].inline_policy`),
		acctest.PlanErrorStep(testAccBaselineConfig(prefix, `  developer_s3_bucket_arns = ["acme-dev"]`), `developer_s3_bucket_arns.*arn:aws:s3:::`),
	}))
}

// testAccCheckAllPolicyTags checks through the SDK the tags of every customer managed policy of the
// baseline (policy_arns and mfa_policy_arn).
func testAccCheckAllPolicyTags(t *testing.T, want map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		var arns []string
		for k, v := range s.RootModule().Resources[baselineResource].Primary.Attributes {
			if (strings.HasPrefix(k, "policy_arns.") && k != "policy_arns.%") || k == "mfa_policy_arn" || k == "app_boundary_policy_arn" {
				arns = append(arns, v)
			}
		}
		if len(arns) == 0 {
			return fmt.Errorf("no customer managed policies in the state")
		}
		for _, arn := range arns {
			out, err := acctest.IAM(t).ListPolicyTags(context.Background(), &iam.ListPolicyTagsInput{PolicyArn: aws.String(arn)})
			if err != nil {
				return err
			}
			got := iamTagMap(out.Tags)
			if !maps.Equal(got, want) {
				return fmt.Errorf("policy %s tags %v, want %v", arn, got, want)
			}
		}
		return nil
	}
}

// TestAccStartupGroupBaseline_defaultTags: tags_all is default_tags with the own tags; a change of
// default_tags is applied to every policy. A policy tag deleted out of band is not detected by the
// refresh (no per-policy reads), but the next tags_all change repairs it.
func TestAccStartupGroupBaseline_defaultTags(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	cfg := func(defaults map[string]string) string {
		return testAccProviderDefaultTags(defaults) + testAccBaselineConfig(prefix, `
  groups = ["Developers", "ReadOnly"]
  tags   = { B = "2" }`)
	}
	ownTags := statecheck.ExpectKnownValue(baselineResource, tfjsonpath.New("tags"), knownTags(map[string]string{"B": "2"}))
	tagsAll := func(tags map[string]string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(baselineResource, tfjsonpath.New("tags_all"), knownTags(tags))
	}
	update := func(tags map[string]string) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectNonEmptyPlan(),
				plancheck.ExpectResourceAction(baselineResource, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(baselineResource, tfjsonpath.New("tags_all"), knownTags(tags)),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		}
	}
	abc := map[string]string{"A": "1", "B": "2", "C": "3"}
	bc := map[string]string{"B": "2", "C": "3"}
	bcd := map[string]string{"B": "2", "C": "3", "D": "4"}
	var developersPolicy string
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{
			Config:            cfg(map[string]string{"A": "1"}),
			Check:             testAccCheckAllPolicyTags(t, map[string]string{"A": "1", "B": "2"}),
			ConfigStateChecks: []statecheck.StateCheck{ownTags, tagsAll(map[string]string{"A": "1", "B": "2"})},
		},
		// A default tag added to the provider.
		{
			Config:            cfg(map[string]string{"A": "1", "C": "3"}),
			ConfigPlanChecks:  update(abc),
			Check:             testAccCheckAllPolicyTags(t, abc),
			ConfigStateChecks: []statecheck.StateCheck{ownTags, tagsAll(abc)},
		},
		// A default tag removed from the provider.
		{
			Config:           cfg(map[string]string{"C": "3"}),
			ConfigPlanChecks: update(bc),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckAllPolicyTags(t, bc),
				resource.TestCheckResourceAttrWith(baselineResource, "policy_arns.Developers", func(v string) error { developersPolicy = v; return nil }),
			),
			ConfigStateChecks: []statecheck.StateCheck{ownTags, tagsAll(bc)},
		},
		// Tags deleted out of band from one policy: not detected by the refresh (documented).
		{
			PreConfig: func() {
				if _, err := acctest.IAM(t).UntagPolicy(context.Background(), &iam.UntagPolicyInput{
					PolicyArn: aws.String(developersPolicy), TagKeys: []string{"B", "C"},
				}); err != nil {
					t.Fatal(err)
				}
			},
			Config:           cfg(map[string]string{"C": "3"}),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		// The next change of tags_all brings every policy to it, the one edited out of band too.
		{
			Config:            cfg(map[string]string{"C": "3", "D": "4"}),
			ConfigPlanChecks:  update(bcd),
			Check:             testAccCheckAllPolicyTags(t, bcd),
			ConfigStateChecks: []statecheck.StateCheck{ownTags, tagsAll(bcd)},
		},
		// Import: tags_all from the policies, tags without the provider's default tags.
		testAccBaselineImportStep(cfg(map[string]string{"C": "3", "D": "4"}), prefix, "/"),
	}))
}
