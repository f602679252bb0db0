package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

const identityCenterUserAddress = "iambaseline_identity_center_user.test"

func testAccIdentityCenterUserConfig(prefix, userName, extra string) string {
	return testAccIdentityCenterBaselineConfig(prefix, `groups = ["Developers", "ReadOnly"]`) + fmt.Sprintf(`
resource "iambaseline_identity_center_user" "test" {
  user_name   = %q
  given_name  = "Ada"
  family_name = "Lovelace"
  email       = "ada@example.com"
  groups = [
    iambaseline_identity_center_baseline.test.group_names["Developers"],
    iambaseline_identity_center_baseline.test.group_names["ReadOnly"],
  ]
  %s
}
`, userName, extra)
}

// identityCenterPerson is what the SDK sees of a user: its id, group display names and direct
// assignments.
type identityCenterPerson struct {
	ID, StoreID string
	Groups      []string
	Direct      int
}

func testAccIdentityCenterPerson(t *testing.T, userName string) (identityCenterPerson, bool) {
	t.Helper()
	ctx := context.Background()
	inst, err := acctest.SSOAdmin(t).ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	if err != nil || len(inst.Instances) == 0 {
		t.Fatalf("listing instances: %v", err)
	}
	store := acctest.IdentityStore(t)
	p := identityCenterPerson{StoreID: aws.ToString(inst.Instances[0].IdentityStoreId)}
	id, err := store.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: aws.String(p.StoreID), AlternateIdentifier: &idtypes.AlternateIdentifierMemberUniqueAttribute{
		Value: idtypes.UniqueAttribute{AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument(userName)},
	}})
	if err != nil {
		return p, false
	}
	p.ID = aws.ToString(id.UserId)
	ms, err := store.ListGroupMembershipsForMember(ctx, &identitystore.ListGroupMembershipsForMemberInput{IdentityStoreId: aws.String(p.StoreID), MemberId: &idtypes.MemberIdMemberUserId{Value: p.ID}})
	if err != nil {
		t.Fatalf("memberships: %v", err)
	}
	for _, m := range ms.GroupMemberships {
		g, err := store.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: aws.String(p.StoreID), GroupId: m.GroupId})
		if err != nil {
			t.Fatalf("group: %v", err)
		}
		p.Groups = append(p.Groups, aws.ToString(g.DisplayName))
	}
	slices.Sort(p.Groups)
	as, err := acctest.SSOAdmin(t).ListAccountAssignmentsForPrincipal(ctx, &ssoadmin.ListAccountAssignmentsForPrincipalInput{
		InstanceArn: inst.Instances[0].InstanceArn, PrincipalId: aws.String(p.ID), PrincipalType: ssotypes.PrincipalTypeUser,
	})
	if err != nil {
		t.Fatalf("assignments: %v", err)
	}
	p.Direct = len(as.AccountAssignments)
	return p, true
}

// testAccCheckIdentityCenterPersonDestroyed is the CheckDestroy of a test that made userName.
func testAccCheckIdentityCenterPersonDestroyed(t *testing.T, userName string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, ok := testAccIdentityCenterPerson(t, userName); ok {
			return fmt.Errorf("user %s left after destroy", userName)
		}
		return nil
	}
}

func testAccCheckIdentityCenterPerson(t *testing.T, userName string, groups ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, ok := testAccIdentityCenterPerson(t, userName)
		if !ok {
			return fmt.Errorf("user %s does not exist", userName)
		}
		slices.Sort(groups)
		if !slices.Equal(p.Groups, groups) {
			return fmt.Errorf("user %s is in %v, want %v", userName, p.Groups, groups)
		}
		if p.Direct != 0 {
			return fmt.Errorf("user %s holds %d direct assignments", userName, p.Direct)
		}
		return nil
	}
}

func testAccCheckIdentityCenterChecklist(groups, portal bool) []statecheck.StateCheck {
	at := func(k string) tfjsonpath.Path { return tfjsonpath.New("onboarding_checklist").AtMapKey(k) }
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(identityCenterUserAddress, at("user_created"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(identityCenterUserAddress, at("email_set"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(identityCenterUserAddress, at("groups_assigned"), knownvalue.Bool(groups)),
		statecheck.ExpectKnownValue(identityCenterUserAddress, at("portal_access"), knownvalue.Bool(portal)),
	}
}

func TestAccIdentityCenterUser_basic(t *testing.T) {
	prefix := acctest.RandomName("icu") + "-"
	userName := acctest.RandomName("ada")
	config := testAccIdentityCenterUserConfig(prefix, userName, "")
	suspended := testAccIdentityCenterUserConfig(prefix, userName, `status = "suspended"`)
	dev, ro := prefix+"Developers", prefix+"ReadOnly"
	person := func() identityCenterPerson {
		p, ok := testAccIdentityCenterPerson(t, userName)
		if !ok {
			t.Fatalf("user %s does not exist", userName)
		}
		return p
	}
	resource.Test(t, acctest.Case(t, testAccCheckIdentityCenterPersonDestroyed(t, userName), []resource.TestStep{
		{
			Config: config,
			Check:  testAccCheckIdentityCenterPerson(t, userName, dev, ro),
			ConfigStateChecks: append(testAccCheckIdentityCenterChecklist(true, true),
				statecheck.ExpectKnownValue(identityCenterUserAddress, tfjsonpath.New("display_name"), knownvalue.StringExact("Ada Lovelace")),
				statecheck.ExpectKnownValue(identityCenterUserAddress, tfjsonpath.New("onboarding_instructions"),
					knownvalue.StringRegexp(regexp.MustCompile(`(?s)https://d-[a-z0-9]+\.awsapps\.com/start.*Forgot password.*MFA.*aws configure sso`))),
			),
		},
		{
			ResourceName:      identityCenterUserAddress,
			ImportState:       true,
			ImportStateVerify: true,
			ImportStateIdFunc: func(*terraform.State) (string, error) { p := person(); return p.StoreID + "/" + userName, nil },
		},
		// A membership removed out of band is made again.
		acctest.DriftStep(config, func() {
			p := person()
			ctx := context.Background()
			store := acctest.IdentityStore(t)
			ms, err := store.ListGroupMembershipsForMember(ctx, &identitystore.ListGroupMembershipsForMemberInput{IdentityStoreId: aws.String(p.StoreID), MemberId: &idtypes.MemberIdMemberUserId{Value: p.ID}})
			if err != nil || len(ms.GroupMemberships) != 2 {
				t.Fatalf("memberships %v %v", ms, err)
			}
			if _, err := store.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{IdentityStoreId: aws.String(p.StoreID), MembershipId: ms.GroupMemberships[0].MembershipId}); err != nil {
				t.Fatal(err)
			}
		}, testAccCheckIdentityCenterPerson(t, userName, dev, ro)),
		// Suspension removes every membership and an assignment made to the user directly; the
		// user stays.
		{
			PreConfig: func() {
				testAccAssignToUser(t, testAccIdentityCenterSets(t, prefix)["Developers"].ARN, person().ID)
			},
			Config: suspended,
			Check:  testAccCheckIdentityCenterPerson(t, userName),
			ConfigStateChecks: append(testAccCheckIdentityCenterChecklist(false, false),
				statecheck.ExpectKnownValue(identityCenterUserAddress, tfjsonpath.New("onboarding_instructions"), knownvalue.StringRegexp(regexp.MustCompile(`suspended`)))),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		// A membership added out of band to a suspended person is removed again.
		acctest.DriftStep(suspended, func() {
			p := person()
			ctx := context.Background()
			store := acctest.IdentityStore(t)
			g, err := store.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: aws.String(p.StoreID), AlternateIdentifier: &idtypes.AlternateIdentifierMemberUniqueAttribute{
				Value: idtypes.UniqueAttribute{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument(dev)},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := store.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: aws.String(p.StoreID), GroupId: g.GroupId, MemberId: &idtypes.MemberIdMemberUserId{Value: p.ID}}); err != nil {
				t.Fatal(err)
			}
		}, testAccCheckIdentityCenterPerson(t, userName)),
		// Back to active: the memberships return.
		{
			Config:            config,
			Check:             testAccCheckIdentityCenterPerson(t, userName, dev, ro),
			ConfigStateChecks: testAccCheckIdentityCenterChecklist(true, true),
		},
		// Deleted out of band: the plan creates the user again.
		{
			PreConfig: func() {
				p := person()
				if _, err := acctest.IdentityStore(t).DeleteUser(context.Background(), &identitystore.DeleteUserInput{IdentityStoreId: aws.String(p.StoreID), UserId: aws.String(p.ID)}); err != nil {
					t.Fatal(err)
				}
			},
			Config:             config,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		},
	}))
}

// testAccAssignToUser assigns a permission set to a user directly in the caller's account, out of
// band.
func testAccAssignToUser(t *testing.T, setARN, userID string) {
	t.Helper()
	ctx := context.Background()
	c := acctest.SSOAdmin(t)
	inst, err := c.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := acctest.STS(t).GetCallerIdentity(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{
		InstanceArn: inst.Instances[0].InstanceArn, PermissionSetArn: aws.String(setARN),
		PrincipalType: ssotypes.PrincipalTypeUser, PrincipalId: aws.String(userID),
		TargetType: ssotypes.TargetTypeAwsAccount, TargetId: acct.Account,
	}); err != nil {
		t.Fatal(err)
	}
}

// A mistyped group fails the plan, naming the closest group the baseline of the same run creates;
// nothing is created.
func TestAccIdentityCenterUser_mistypedGroup(t *testing.T) {
	prefix := acctest.RandomName("icm") + "-"
	userName := acctest.RandomName("ada")
	config := testAccIdentityCenterBaselineConfig(prefix, `groups = ["Developers"]`) + fmt.Sprintf(`
resource "iambaseline_identity_center_user" "test" {
  user_name   = %q
  family_name = "Lovelace"
  email       = "ada@example.com"
  groups      = [%q]
  depends_on  = [iambaseline_identity_center_baseline.test]
}
`, userName, prefix+"Develpers")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Group does not exist.*Did you mean "` + regexp.QuoteMeta(prefix) + `Developers"`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if _, ok := testAccIdentityCenterPerson(t, userName); ok {
				return fmt.Errorf("user %s was created", userName)
			}
			return testAccCheckIdentityCenterBaselineDestroy(t, prefix)(nil)
		},
	})
}
