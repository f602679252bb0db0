package provider_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
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

const baselineResource = "iambaseline_startup_group_baseline.test"

func TestAccStartupGroupBaseline_basic(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckBaselineDestroy,
		Steps: []resource.TestStep{{
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
				resource.TestCheckResourceAttr(baselineResource, "policy_documents.%", "5"),
				resource.TestCheckResourceAttr(baselineResource, "attached_policy_arns.Developers.#", "2"),
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{debugPlan{}, plancheck.ExpectEmptyPlan()}},
		}},
	})
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
// policy (customer managed, with the rendered document, or the AWS job-function policy) and the MFA
// policy attached, plus the given extra policies.
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
			want = append(want, policyARN)
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
			if (strings.HasPrefix(attr, "policy_arns.") || attr == "mfa_policy_arn") && strings.Contains(arn, ":policy/") && !strings.Contains(arn, ":aws:policy/") {
				if _, err := api.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)}); err == nil {
					return fmt.Errorf("policy %s still exists", arn)
				}
			}
		}
	}
	return nil
}
