package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

const identityCenterBaselineAddress = "iambaseline_identity_center_baseline.test"

func testAccIdentityCenterBaselineConfig(prefix, extra string) string {
	return fmt.Sprintf(`
data "iambaseline_identity_center" "this" {}

resource "iambaseline_identity_center_baseline" "test" {
  name_prefix     = %q
  instance_arn    = data.iambaseline_identity_center.this.instance_arn
  allowed_regions = ["eu-west-1", "us-east-1"]
  %s
}
`, prefix, extra)
}

// identityCenterSet is what the SDK sees of one permission set of the baseline.
type identityCenterSet struct {
	ARN, SessionDuration, Inline string
	Managed                      []string
	Assignments                  int
}

func testAccIdentityCenterSets(t *testing.T, prefix string) map[string]identityCenterSet {
	t.Helper()
	ctx := context.Background()
	c := acctest.SSOAdmin(t)
	inst, err := c.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	if err != nil || len(inst.Instances) == 0 {
		t.Fatalf("listing instances: %v", err)
	}
	in := inst.Instances[0].InstanceArn
	list, err := c.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: in})
	if err != nil {
		t.Fatalf("listing permission sets: %v", err)
	}
	out := map[string]identityCenterSet{}
	for _, arn := range list.PermissionSets {
		d, err := c.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: in, PermissionSetArn: aws.String(arn)})
		if err != nil {
			t.Fatalf("describing %s: %v", arn, err)
		}
		name := aws.ToString(d.PermissionSet.Name)
		if len(name) < len(prefix) || name[:len(prefix)] != prefix {
			continue
		}
		s := identityCenterSet{ARN: arn, SessionDuration: aws.ToString(d.PermissionSet.SessionDuration)}
		p, err := c.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: in, PermissionSetArn: aws.String(arn)})
		if err != nil {
			t.Fatalf("inline policy of %s: %v", name, err)
		}
		s.Inline = aws.ToString(p.InlinePolicy)
		mp, err := c.ListManagedPoliciesInPermissionSet(ctx, &ssoadmin.ListManagedPoliciesInPermissionSetInput{InstanceArn: in, PermissionSetArn: aws.String(arn)})
		if err != nil {
			t.Fatalf("managed policies of %s: %v", name, err)
		}
		for _, m := range mp.AttachedManagedPolicies {
			s.Managed = append(s.Managed, aws.ToString(m.Arn))
		}
		acct, err := acctest.STS(t).GetCallerIdentity(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		as, err := c.ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{InstanceArn: in, PermissionSetArn: aws.String(arn), AccountId: acct.Account})
		if err != nil {
			t.Fatalf("assignments of %s: %v", name, err)
		}
		s.Assignments = len(as.AccountAssignments)
		out[name[len(prefix):]] = s
	}
	return out
}

// testAccCheckIdentityCenterBaseline checks through the SDK that each role key of keys has its set,
// with the IAM baseline's very document inline, assigned once in the caller's account.
func testAccCheckIdentityCenterBaseline(t *testing.T, prefix string, keys ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		sets := testAccIdentityCenterSets(t, prefix)
		if len(sets) != len(keys) {
			return fmt.Errorf("permission sets %v, want %v", slices.Sorted(mapKeys(sets)), keys)
		}
		for _, k := range keys {
			s, ok := sets[k]
			if !ok {
				return fmt.Errorf("no permission set for %s", k)
			}
			doc, err := baseline.GuardedGroupPolicy(k, baseline.Options{AllowedRegions: []string{"eu-west-1", "us-east-1"}, NamePrefix: prefix})
			if err != nil {
				return err
			}
			want, _ := doc.JSON()
			if eq, err := baseline.PoliciesEquivalent(s.Inline, want); err != nil || !eq {
				return fmt.Errorf("%s inline policy differs from the baseline document and the guardrails (%v)", k, err)
			}
			if len(s.Managed) != 0 {
				return fmt.Errorf("%s has managed policies %v", k, s.Managed)
			}
			if s.Assignments != 1 {
				return fmt.Errorf("%s has %d assignments, want 1", k, s.Assignments)
			}
		}
		return nil
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func testAccCheckIdentityCenterBaselineDestroy(t *testing.T, prefix string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if sets := testAccIdentityCenterSets(t, prefix); len(sets) != 0 {
			return fmt.Errorf("permission sets left after destroy: %v", slices.Sorted(mapKeys(sets)))
		}
		return nil
	}
}

func TestAccIdentityCenterBaseline_basic(t *testing.T) {
	prefix := acctest.RandomName("ic") + "-"
	config := testAccIdentityCenterBaselineConfig(prefix, "")
	all := baseline.RoleKeys()
	instanceARN := func() string {
		out, err := acctest.SSOAdmin(t).ListInstances(context.Background(), &ssoadmin.ListInstancesInput{})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Instances[0].InstanceArn)
	}
	set := func(key string) identityCenterSet { return testAccIdentityCenterSets(t, prefix)[key] }
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckIdentityCenterBaselineDestroy(t, prefix),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  testAccCheckIdentityCenterBaseline(t, prefix, all...),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(identityCenterBaselineAddress, tfjsonpath.New("group_names").AtMapKey("DatabaseAdmins"), knownvalue.StringExact(prefix+"DatabaseAdmins")),
					statecheck.ExpectKnownValue(identityCenterBaselineAddress, tfjsonpath.New("assignments").AtMapKey("Developers"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.iambaseline_identity_center.this", tfjsonpath.New("portal_url"), knownvalue.StringRegexp(regexp.MustCompile(`^https://d-[a-z0-9]+\.awsapps\.com/start$`))),
				},
			},
			{
				ResourceName:      identityCenterBaselineAddress,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return instanceARN() + "|" + prefix, nil },
			},
			// A policy changed out of band is put back (and the set re-provisioned).
			acctest.DriftStep(config, func() {
				_, err := acctest.SSOAdmin(t).PutInlinePolicyToPermissionSet(context.Background(), &ssoadmin.PutInlinePolicyToPermissionSetInput{
					InstanceArn: aws.String(instanceARN()), PermissionSetArn: aws.String(set("Developers").ARN),
					InlinePolicy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`),
				})
				if err != nil {
					t.Fatal(err)
				}
			}, testAccCheckIdentityCenterBaseline(t, prefix, all...)),
			// A managed policy attached out of band is detached.
			acctest.DriftStep(config, func() {
				_, err := acctest.SSOAdmin(t).AttachManagedPolicyToPermissionSet(context.Background(), &ssoadmin.AttachManagedPolicyToPermissionSetInput{
					InstanceArn: aws.String(instanceARN()), PermissionSetArn: aws.String(set("ReadOnly").ARN),
					ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess"),
				})
				if err != nil {
					t.Fatal(err)
				}
			}, testAccCheckIdentityCenterBaseline(t, prefix, all...)),
			// An assignment removed out of band is made again.
			acctest.DriftStep(config, func() {
				ctx := context.Background()
				c := acctest.SSOAdmin(t)
				s := set("SysAdmins")
				acct, _ := acctest.STS(t).GetCallerIdentity(ctx, nil)
				as, err := c.ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{InstanceArn: aws.String(instanceARN()), PermissionSetArn: aws.String(s.ARN), AccountId: acct.Account})
				if err != nil || len(as.AccountAssignments) != 1 {
					t.Fatalf("assignments: %v %v", as, err)
				}
				a := as.AccountAssignments[0]
				if _, err := c.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{
					InstanceArn: aws.String(instanceARN()), PermissionSetArn: aws.String(s.ARN), PrincipalId: a.PrincipalId,
					PrincipalType: a.PrincipalType, TargetId: acct.Account, TargetType: ssotypes.TargetTypeAwsAccount,
				}); err != nil {
					t.Fatal(err)
				}
			}, testAccCheckIdentityCenterBaseline(t, prefix, all...)),
			// Fewer groups and a shorter session: the dropped set and group go, the others stay.
			{
				Config: testAccIdentityCenterBaselineConfig(prefix, `groups = ["Developers", "ReadOnly"]
  session_durations = { Developers = "PT2H" }`),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckIdentityCenterBaseline(t, prefix, "Developers", "ReadOnly"),
					func(*terraform.State) error {
						if d := set("Developers").SessionDuration; d != "PT2H" {
							return fmt.Errorf("Developers session %s, want PT2H", d)
						}
						if d := set("ReadOnly").SessionDuration; d != "PT8H" {
							return fmt.Errorf("ReadOnly session %s, want PT8H", d)
						}
						return nil
					},
				),
			},
		},
	})
}

const testAccIdentityCenterBillingInline = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["aws-portal:ViewBilling","ce:GetCostAndUsage"],"Resource":"*"}]}`

// testAccCheckIdentityCenterAdditional checks through the SDK that the baseline holds ReadOnly and
// the additional group Billing: its set with its own inline and AWS managed policy, its session,
// its marking description, and one assignment (to its group) in the caller's account.
func testAccCheckIdentityCenterAdditional(t *testing.T, prefix string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		sets := testAccIdentityCenterSets(t, prefix)
		if len(sets) != 2 {
			return fmt.Errorf("permission sets %v, want ReadOnly and Billing", slices.Sorted(mapKeys(sets)))
		}
		b, ok := sets["Billing"]
		if !ok {
			return fmt.Errorf("no permission set %sBilling", prefix)
		}
		if eq, err := baseline.PoliciesEquivalent(b.Inline, testAccIdentityCenterBillingInline); err != nil || !eq {
			return fmt.Errorf("Billing inline policy %s differs from the configured one (%v)", b.Inline, err)
		}
		if want := []string{"arn:aws:iam::aws:policy/AWSSupportAccess"}; !slices.Equal(b.Managed, want) {
			return fmt.Errorf("Billing managed policies %v, want %v", b.Managed, want)
		}
		if b.SessionDuration != "PT2H" || b.Assignments != 1 {
			return fmt.Errorf("Billing session %s and %d assignments, want PT2H and 1", b.SessionDuration, b.Assignments)
		}
		d, err := acctest.SSOAdmin(t).DescribePermissionSet(context.Background(), &ssoadmin.DescribePermissionSetInput{
			InstanceArn: aws.String(testAccIdentityCenterInstanceARN(t)), PermissionSetArn: aws.String(b.ARN),
		})
		if err != nil {
			return err
		}
		if got, want := aws.ToString(d.PermissionSet.Description), baseline.AdditionalPermissionSetDescription("Billing"); got != want {
			return fmt.Errorf("Billing description %q, want %q", got, want)
		}
		// readonly_cost_explorer = false: the IAM baseline's ReadOnly document without Cost Explorer.
		doc, err := baseline.GuardedGroupPolicy("ReadOnly", baseline.Options{AllowedRegions: []string{"eu-west-1", "us-east-1"}, NamePrefix: prefix, OmitReadOnlyCostExplorer: true})
		if err != nil {
			return err
		}
		want, _ := doc.JSON()
		if eq, err := baseline.PoliciesEquivalent(sets["ReadOnly"].Inline, want); err != nil || !eq || strings.Contains(sets["ReadOnly"].Inline, "ce:Get") {
			return fmt.Errorf("ReadOnly inline policy is not the document without Cost Explorer (%v)", err)
		}
		return nil
	}
}

func testAccIdentityCenterInstanceARN(t *testing.T) string {
	t.Helper()
	out, err := acctest.SSOAdmin(t).ListInstances(context.Background(), &ssoadmin.ListInstancesInput{})
	if err != nil || len(out.Instances) == 0 {
		t.Fatalf("listing instances: %v", err)
	}
	return aws.ToString(out.Instances[0].InstanceArn)
}

func TestAccIdentityCenterBaseline_additionalGroups(t *testing.T) {
	prefix := acctest.RandomName("ica") + "-"
	config := testAccIdentityCenterBaselineConfig(prefix, fmt.Sprintf(`groups = ["ReadOnly"]
  readonly_cost_explorer = false
  session_durations = { Billing = "PT2H" }
  additional_groups = {
    Billing = {
      policy_arns   = ["arn:aws:iam::aws:policy/AWSSupportAccess"]
      inline_policy = %q
    }
  }`, testAccIdentityCenterBillingInline))
	billing := func() identityCenterSet { return testAccIdentityCenterSets(t, prefix)["Billing"] }
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckIdentityCenterBaselineDestroy(t, prefix),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  testAccCheckIdentityCenterAdditional(t, prefix),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(identityCenterBaselineAddress, tfjsonpath.New("group_names").AtMapKey("Billing"), knownvalue.StringExact(prefix+"Billing")),
					statecheck.ExpectKnownValue(identityCenterBaselineAddress, tfjsonpath.New("assignments").AtMapKey("Billing"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(identityCenterBaselineAddress, tfjsonpath.New("policy_documents"), knownvalue.MapSizeExact(1)),
					statecheck.ExpectKnownValue(identityCenterBaselineAddress, tfjsonpath.New("tags_all"), knownvalue.MapSizeExact(0)),
				},
			},
			{
				ResourceName:      identityCenterBaselineAddress,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return testAccIdentityCenterInstanceARN(t) + "|" + prefix, nil },
			},
			// The additional group's inline policy changed out of band is put back.
			acctest.DriftStep(config, func() {
				if _, err := acctest.SSOAdmin(t).PutInlinePolicyToPermissionSet(context.Background(), &ssoadmin.PutInlinePolicyToPermissionSetInput{
					InstanceArn: aws.String(testAccIdentityCenterInstanceARN(t)), PermissionSetArn: aws.String(billing().ARN),
					InlinePolicy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`),
				}); err != nil {
					t.Fatal(err)
				}
			}, testAccCheckIdentityCenterAdditional(t, prefix)),
			// Its managed policy detached out of band is attached again.
			acctest.DriftStep(config, func() {
				if _, err := acctest.SSOAdmin(t).DetachManagedPolicyFromPermissionSet(context.Background(), &ssoadmin.DetachManagedPolicyFromPermissionSetInput{
					InstanceArn: aws.String(testAccIdentityCenterInstanceARN(t)), PermissionSetArn: aws.String(billing().ARN),
					ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/AWSSupportAccess"),
				}); err != nil {
					t.Fatal(err)
				}
			}, testAccCheckIdentityCenterAdditional(t, prefix)),
			// Dropping the additional group removes its set and group; ReadOnly stays, Cost Explorer back.
			{
				Config: testAccIdentityCenterBaselineConfig(prefix, `groups = ["ReadOnly"]`),
				Check:  testAccCheckIdentityCenterBaseline(t, prefix, "ReadOnly"),
			},
		},
	})
}
