package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// Issue 12, items 1-4 and 6: drift that matters and plans that fail early.

// Item 1: a suspended person who gets a console password or an active access key out of band is
// drift: the plan shows it, apply removes both, and the instructions say one thing (suspended).
func TestAccOnboardedUser_suspensionEnforced(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Kevin Mitnick", Email: "kevin@example.com", Groups: groups, Store: true, Status: "suspended", ForceDestroy: true}
	api := acctest.IAM(t)
	ctx := context.Background()
	var keyID string
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, nil, groups, false),
				testAccCheckSuspendedInstructions(),
			),
		},
		resource.TestStep{
			PreConfig: func() {
				if _, err := api.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name), Password: aws.String("Out-of-band-1234!")}); err != nil {
					t.Fatal(err)
				}
				out, err := api.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
				if err != nil {
					t.Fatal(err)
				}
				keyID = aws.ToString(out.AccessKey.AccessKeyId)
			},
			Config: cfg.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(userResource, plancheck.ResourceActionUpdate),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, nil, groups, false),
				func(*terraform.State) error {
					out, err := api.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(name)})
					if err != nil {
						return err
					}
					for _, k := range out.AccessKeyMetadata {
						if k.Status == types.StatusTypeActive {
							return fmt.Errorf("access key %s of the suspended user is still active", aws.ToString(k.AccessKeyId))
						}
					}
					if len(out.AccessKeyMetadata) != 1 || aws.ToString(out.AccessKeyMetadata[0].AccessKeyId) != keyID {
						return fmt.Errorf("want the key %s kept (inactive), got %v", keyID, out.AccessKeyMetadata)
					}
					return nil
				},
				resource.TestCheckResourceAttr(userResource, "status", "suspended"),
				resource.TestCheckResourceAttr(userResource, "onboarding_checklist.console_access", "false"),
				testAccCheckSuspendedInstructions(),
			),
		},
		emptyPlanStep(cfg.String()),
	))
}

// testAccCheckSuspendedInstructions: a suspended person's instructions say they are suspended and
// nothing that contradicts it (no temporary password, no first sign-in steps).
func testAccCheckSuspendedInstructions() resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(userResource, "onboarding_instructions", func(v string) error {
		if !strings.Contains(v, "suspended") {
			return fmt.Errorf("instructions do not say the access is suspended:\n%s", v)
		}
		for _, contradiction := range []string{"temporary password", "Set up MFA right away", "not enabled for you yet"} {
			if strings.Contains(v, contradiction) {
				return fmt.Errorf("instructions of a suspended person say %q:\n%s", contradiction, v)
			}
		}
		return nil
	})
}

// Item 2: an inline policy put on a baseline group out of band shows in the plan and apply removes
// it, like a foreign managed policy attachment.
func TestAccStartupGroupBaseline_foreignInlinePolicy(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	cfg := testAccBaselineConfig(prefix, `  groups = ["ReadOnly"]`)
	api := acctest.IAM(t)
	ctx := context.Background()
	group := prefix + "ReadOnly"
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{Config: cfg},
		{
			PreConfig: func() {
				if _, err := api.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String(group), PolicyName: aws.String("sneaky"),
					PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`)}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(baselineResource, plancheck.ResourceActionUpdate),
			}},
			Check: func(*terraform.State) error {
				out, err := api.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String(group)})
				if err != nil {
					return err
				}
				if len(out.PolicyNames) > 0 {
					return fmt.Errorf("group %s still has inline policies %v", group, out.PolicyNames)
				}
				return nil
			},
		},
		{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
	}))
}

// Item 2: the audit reports inline policies on groups.
func TestAccAudit_groupInlinePolicy(t *testing.T) {
	groups := testGroups(t, 1)
	api := acctest.IAM(t)
	if _, err := api.PutGroupPolicy(context.Background(), &iam.PutGroupPolicyInput{GroupName: aws.String(groups[0]), PolicyName: aws.String("inline"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = api.DeleteGroupPolicy(context.Background(), &iam.DeleteGroupPolicyInput{GroupName: aws.String(groups[0]), PolicyName: aws.String("inline")})
	})
	const audit = "data.iambaseline_audit.test"
	resource.ParallelTest(t, acctest.Case(t, nil, []resource.TestStep{{
		Config: `data "iambaseline_audit" "test" {}`,
		Check: func(s *terraform.State) error {
			findings, err := findingsFromState(s, audit)
			if err != nil {
				return err
			}
			for _, f := range findings {
				if f.checkID == "group_inline_policies" && strings.HasSuffix(f.resource, ":group/"+groups[0]) && strings.Contains(f.message, "inline") {
					return nil
				}
			}
			return fmt.Errorf("no group_inline_policies finding for group %s in %d findings", groups[0], len(findings))
		},
	}}))
}

// Item 3: a mistyped group fails at plan, naming the closest existing group; nothing is created.
func TestAccOnboardedUser_mistypedGroup(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	name := acctest.RandomName("tf-acc-user")
	base := testAccBaselineConfig(prefix, `  groups = ["Developers", "ReadOnly"]`)
	user := base + userConfig{Name: name, FullName: "Typo Tom", Email: "tom@example.com", Groups: []string{prefix + "Developer"}, NoConsole: true}.String()
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{Config: base},
		{Config: user, ExpectError: expectWrapped(fmt.Sprintf(`group %q does not exist`, prefix+"Developer"), fmt.Sprintf(`Did you mean %q?`, prefix+"Developers"))},
		{Config: base, Check: testAccCheckNoUser(t, name)},
	}))
}

// Item 3: groups a baseline of the same configuration creates in this apply, referenced through
// group_names (known at plan), are not mistaken for typos.
func TestAccOnboardedUser_groupsCreatedInSameApply(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	name := acctest.RandomName("tf-acc-user")
	cfg := testAccBaselineConfig(prefix, `  groups = ["Developers", "ReadOnly"]`) + strings.Replace(
		userConfig{Name: name, FullName: "New Hire", Email: "new@example.com", Groups: []string{"PLACEHOLDER"}, NoConsole: true}.String(),
		`"PLACEHOLDER"`, `iambaseline_startup_group_baseline.test.group_names["Developers"]`, 1)
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{Config: cfg, Check: testAccCheckUser(t, name, nil, []string{prefix + "Developers"}, false)},
		emptyPlanStep(cfg),
	}))
}

// Item 4: dropping a group of the baseline while moving its member out in the same change. Without
// force_destroy the plan fails (not the apply, halfway) and says what works; the workaround it names
// (two applies) works, and so does force_destroy in one apply.
func TestAccStartupGroupBaseline_shrinkWhileMovingPeople(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	name := acctest.RandomName("tf-acc-user")
	config := func(groups, userGroup, extra string) string {
		return testAccBaselineConfig(prefix, "  groups = "+groups+"\n"+extra) + strings.Replace(
			userConfig{Name: name, FullName: "Mover Mia", Email: "mia@example.com", Groups: []string{"PLACEHOLDER"}, NoConsole: true}.String(),
			`"PLACEHOLDER"`, `iambaseline_startup_group_baseline.test.group_names["`+userGroup+`"]`, 1)
	}
	before := config(`["DatabaseAdmins", "ReadOnly"]`, "DatabaseAdmins", "")
	both := config(`["ReadOnly"]`, "ReadOnly", "")
	moved := config(`["DatabaseAdmins", "ReadOnly"]`, "ReadOnly", "")
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{Config: before},
		{Config: both, ExpectError: expectWrapped(prefix+"DatabaseAdmins", name, "two applies")},
		// The workaround: first move the people, then drop the group.
		{Config: moved, Check: testAccCheckUser(t, name, nil, []string{prefix + "ReadOnly"}, false)},
		{Config: both, Check: testAccCheckUser(t, name, nil, []string{prefix + "ReadOnly"}, false)},
		emptyPlanStep(both),
		// And in one apply with force_destroy.
		{Config: config(`["DatabaseAdmins", "ReadOnly"]`, "DatabaseAdmins", "  force_destroy = true")},
		{Config: config(`["ReadOnly"]`, "ReadOnly", "  force_destroy = true"), Check: testAccCheckUser(t, name, nil, []string{prefix + "ReadOnly"}, false)},
		emptyPlanStep(config(`["ReadOnly"]`, "ReadOnly", "  force_destroy = true")),
	}))
}

// Item 6: two instances managing the account's one password policy (e.g. a reusable module used
// twice) fail at plan instead of flipping the policy forever.
func TestAccAccountPasswordPolicy_secondManager(t *testing.T) {
	resource.Test(t, acctest.Case(t, nil, []resource.TestStep{{
		Config: `
resource "iambaseline_account_password_policy" "one" {
  minimum_password_length = 14
}

resource "iambaseline_account_password_policy" "two" {
  minimum_password_length = 16
}
`,
		ExpectError: expectWrapped("account password policy", "more than one", "iambaseline_account_password_policy"),
	}}))
}

// Item 9: what is computable at plan time is known at plan time, so that consumers can use it in
// for_each and count (the test uses count: the test harness's state shim cannot read for_each): the baseline's group_arns and policy_arns, a role's arn, id, instance_profile_arn and
// instance_profile_name.
func TestAccPlanTimeKnowledge(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	role := acctest.RandomName("tf-acc-role")
	account := callerAccount(t)
	cfg := testAccBaselineConfig(prefix, `  groups = ["Developers", "ReadOnly"]`) + fmt.Sprintf(`
resource "iambaseline_service_role" "app" {
  name             = %q
  path             = "/app/"
  trusted_services = ["ec2.amazonaws.com"]
}

resource "terraform_data" "per_group" {
  count = length(iambaseline_startup_group_baseline.test.group_arns)
  input = values(iambaseline_startup_group_baseline.test.group_arns)[count.index]
}

resource "terraform_data" "per_policy" {
  count = length(iambaseline_startup_group_baseline.test.policy_arns)
  input = values(iambaseline_startup_group_baseline.test.policy_arns)[count.index]
}

resource "terraform_data" "per_profile" {
  count = iambaseline_service_role.app.instance_profile_arn != null && startswith(iambaseline_service_role.app.arn, "arn:") ? 1 : 0
  input = iambaseline_service_role.app.instance_profile_name
}
`, role)
	const roleResource = "iambaseline_service_role.app"
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(baselineResource, tfjsonpath.New("group_arns").AtMapKey("Developers"),
					knownvalue.StringExact(fmt.Sprintf("arn:aws:iam::%s:group/%sDevelopers", account, prefix))),
				plancheck.ExpectKnownValue(baselineResource, tfjsonpath.New("policy_arns").AtMapKey("ReadOnly"),
					knownvalue.StringExact(fmt.Sprintf("arn:aws:iam::%s:policy/%sReadOnlyPolicy", account, prefix))),
				plancheck.ExpectKnownValue(roleResource, tfjsonpath.New("arn"), knownvalue.StringExact(fmt.Sprintf("arn:aws:iam::%s:role/app/%s", account, role))),
				plancheck.ExpectKnownValue(roleResource, tfjsonpath.New("id"), knownvalue.StringExact(role)),
				// The first plan carries no policy JSON, only a summary line per document.
				plancheck.ExpectUnknownValue(baselineResource, tfjsonpath.New("policy_documents")),
				plancheck.ExpectKnownValue(baselineResource, tfjsonpath.New("policy_document_summaries").AtMapKey("Developers"),
					knownvalue.StringRegexp(regexp.MustCompile(`^\d+ statements?, [\d,]+ of 6,144 characters, sha256:[0-9a-f]{12}$`))),
				plancheck.ExpectKnownValue(roleResource, tfjsonpath.New("instance_profile_arn"),
					knownvalue.StringExact(fmt.Sprintf("arn:aws:iam::%s:instance-profile/app/%s", account, role))),
				plancheck.ExpectKnownValue(roleResource, tfjsonpath.New("instance_profile_name"), knownvalue.StringExact(role)),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(roleResource, "instance_profile_name", role),
				resource.TestCheckResourceAttr(roleResource, "instance_profile_arn", fmt.Sprintf("arn:aws:iam::%s:instance-profile/app/%s", account, role)),
			),
		},
		emptyPlanStep(cfg),
	}))
}

// callerAccount is the account ID of the test credentials (an acceptance test skips without TF_ACC
// before it gets here).
func callerAccount(t *testing.T) string {
	t.Helper()
	acctest.SkipUnlessAcc(t)
	out, err := acctest.STS(t).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("sts:GetCallerIdentity: %v", err)
	}
	return aws.ToString(out.Account)
}
