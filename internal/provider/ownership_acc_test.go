package provider_test

// Issue 11: never take, lose or re-issue what is not ours. Each test here reproduces one way the
// provider used to take over another state's person, lose a person from state on a lagging read, or
// fail after a rename, through the fault proxy that imitates IAM's lagging replicas; the
// TestAccOnboardedUser_duplicate* tests, two instances of one configuration that create the same
// user, end the file.

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
)

// ownershipRefusal is what a create says when the name is taken by an entity it cannot prove it made.
var ownershipRefusal = regexp.MustCompile(`(?s)already\s+exists\s+and\s+this\s+resource\s+cannot\s+prove\s+it\s+made\s+it.*moved.*import`)

// proxiedProvider points the provider at the fault proxy.
func proxiedProvider(proxy *faultproxy.Proxy) string {
	return fmt.Sprintf("provider \"iambaseline\" {\n  endpoints {\n    iam = %[1]q\n    sts = %[1]q\n  }\n}\n", proxy.URL())
}

// userID reads the user's unique ID through the SDK ("" when it does not exist).
func userID(t *testing.T, name string) string {
	out, err := acctest.IAM(t).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(name)})
	if err != nil {
		return ""
	}
	return aws.ToString(out.User.UserId)
}

// TestAccOwnership_twoStates: two states declare the same person. The second must not adopt her (it
// would issue a new password, killing the first state's, and its destroy would delete her): its apply
// fails before any write, naming `moved` and import.
func TestAccOwnership_twoStates(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-two")
	proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), faultproxy.Config{})
	cfg := acctest.ProviderBlock(proxy.URL(), 5) + userConfig{Name: name, FullName: "Grace Hopper", Email: "grace@example.com", Groups: groups, Store: true}.String()

	first, second := twoStates(t, cfg)
	id := userID(t, name)

	proxy.ResetCounters()
	out, err := second.Run(applyArgs()...)
	if err == nil || !ownershipRefusal.MatchString(out) {
		t.Fatalf("the second state's apply must fail with the ownership refusal; err %v\n%s", err, out)
	}
	for action, n := range proxy.Forwarded() {
		if !strings.HasPrefix(action, "Get") && !strings.HasPrefix(action, "List") {
			t.Errorf("the second state sent %d %s: it must change nothing", n, action)
		}
	}
	if got := userID(t, name); got != id {
		t.Errorf("the person was replaced: unique ID %s, was %s", got, id)
	}
	planMustBeEmpty(t, first)
}

// reKeyConfig is one onboarded user under a for_each key.
func reKeyConfig(key, name, group, moved string) string {
	return fmt.Sprintf(`
resource "iambaseline_onboarded_user" "team" {
  for_each  = toset([%[1]q])
  user_name = %[2]q
  full_name = "Katherine Johnson"
  email     = "kj@example.com"
  groups    = [%[3]q]
  store_password_in_state = true
}
%[4]s`, key, name, group, moved)
}

// TestAccOwnership_reKey: a roster re-key (same user_name under another for_each key) used to adopt
// the person in the new instance and delete her with the old one, in one apply that reported
// success. It must fail at plan, before the old instance's destroy can run; a `moved` block then
// carries her over in place. (The Terraform CLI runs it: the test framework's state shim does not
// take for_each string keys.)
func TestAccOwnership_reKey(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-rekey")
	provider := acctest.ProviderBlock(acctest.EmulatorEndpoint(), 5)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(provider + reKeyConfig("kj", name, groups[0], ""))
	if out, err := cli.Run(applyArgs()...); err != nil {
		t.Fatalf("first apply: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = cli.Run("destroy", "-auto-approve", "-input=false", "-no-color") })
	id := userID(t, name)

	cli.WriteConfig(provider + reKeyConfig("katherine", name, groups[0], ""))
	out, code, _ := cli.Start("plan", "-input=false", "-no-color").WaitTimeout(5 * time.Minute)
	if code == 0 || !ownershipRefusal.MatchString(out) {
		t.Fatalf("the re-keyed plan must fail with the ownership refusal (exit %d)\n%s", code, out)
	}
	if out, err := cli.Run(applyArgs()...); err == nil {
		t.Fatalf("the re-keyed apply succeeded:\n%s", out)
	}
	if got := userID(t, name); got != id || id == "" {
		t.Fatalf("the person was replaced or deleted by the refused re-key: unique ID %q, was %q", got, id)
	}

	cli.WriteConfig(provider + reKeyConfig("katherine", name, groups[0], `moved {
  from = iambaseline_onboarded_user.team["kj"]
  to   = iambaseline_onboarded_user.team["katherine"]
}
`))
	if out, err := cli.Run(applyArgs()...); err != nil {
		t.Fatalf("apply with the moved block: %v\n%s", err, out)
	}
	if got := userID(t, name); got != id {
		t.Fatalf("the moved block replaced the person: unique ID %q, was %q", got, id)
	}
	planMustBeEmpty(t, cli)
}

// TestAccOwnership_interruptedCreateIsAdopted: an apply killed right after CreateUser leaves a user
// that carries the create marker and was never used; applying again adopts it, finishes the
// onboarding and removes the marker.
func TestAccOwnership_interruptedCreateIsAdopted(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-killed")
	cfg := userConfig{Name: name, FullName: "Alan Turing", Email: "alan@example.com", Groups: groups, Store: true}
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			PreConfig: func() {
				_, err := acctest.IAM(t).CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(name), Path: aws.String("/"), Tags: []types.Tag{
					{Key: aws.String("FullName"), Value: aws.String("Alan Turing")}, {Key: aws.String("Email"), Value: aws.String("alan@example.com")},
					{Key: aws.String(baseline.CreateMarkerTag), Value: aws.String(time.Now().UTC().Format(time.RFC3339))},
				}})
				if err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUser(t, name, map[string]string{"FullName": "Alan Turing"}, groups, true),
				testAccCheckNoCreateMarker(t, name),
			),
		},
		emptyPlanStep(cfg.String()),
	))
}

func testAccCheckNoCreateMarker(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := acctest.IAM(t).ListUserTags(context.Background(), &iam.ListUserTagsInput{UserName: aws.String(name)})
		if err != nil {
			return err
		}
		for _, tag := range out.Tags {
			if aws.ToString(tag.Key) == baseline.CreateMarkerTag {
				return fmt.Errorf("user %s still carries %s after a successful create", name, baseline.CreateMarkerTag)
			}
		}
		return nil
	}
}

// TestAccOwnership_interruptedServiceRoleCreate: an apply killed right after CreateRole used to
// never converge without import. The role it leaves carries the marker: applying again adopts it.
func TestAccOwnership_interruptedServiceRoleCreate(t *testing.T) {
	name := acctest.RandomName("tf-acc-killedrole")
	resource.ParallelTest(t, testAccServiceRoleCase(t,
		resource.TestStep{
			PreConfig: func() {
				_, err := acctest.IAM(t).CreateRole(context.Background(), &iam.CreateRoleInput{
					RoleName: aws.String(name), Path: aws.String("/"), Description: aws.String("EC2 application servers"),
					AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
					Tags: []types.Tag{{Key: aws.String("Team"), Value: aws.String("platform")},
						{Key: aws.String(baseline.CreateMarkerTag), Value: aws.String(time.Now().UTC().Format(time.RFC3339))}},
				})
				if err != nil {
					t.Fatal(err)
				}
			},
			Config: testAccServiceRoleEC2Config(name),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckServiceRoleExists(t, name),
				testAccCheckRoleTags(t, name, map[string]string{"Team": "platform"}),
			),
		},
		resource.TestStep{Config: testAccServiceRoleEC2Config(name), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
	))
}

// TestAccOwnership_laggingBulkRead: a user missing from one GetAccountAuthorizationDetails answer
// (a lagging replica) is confirmed with GetUser before the refresh declares it gone.
func TestAccOwnership_laggingBulkRead(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-lag")
	proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), faultproxy.Config{})
	cfg := proxiedProvider(proxy) + userConfig{Name: name, FullName: "Edsger Dijkstra", Email: "ewd@example.com", Groups: groups, Store: true}.String()
	resource.ParallelTest(t, accTest(t, laggingBulkReadSteps(proxy, cfg, "user", name)...))
}

// laggingBulkReadSteps apply cfg, then hide the entity of kind and name from the next bulk read:
// the refresh must confirm it with a direct read, so the plan stays empty.
func laggingBulkReadSteps(proxy *faultproxy.Proxy, cfg, kind, name string) []resource.TestStep {
	return []resource.TestStep{
		{Config: cfg},
		{
			PreConfig:        func() { proxy.HideFromBulkReads(kind, name, 1) },
			Config:           cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: func(*terraform.State) error {
				if proxy.InjectedOf(faultproxy.FaultStaleRead) == 0 {
					return fmt.Errorf("the stale bulk read was never served: the test proves nothing")
				}
				return nil
			},
		},
	}
}

// TestAccOwnership_laggingLoginProfile: one NoSuchEntity from GetLoginProfile right after the
// password was set must not flip console_access nor rotate the delivered password.
func TestAccOwnership_laggingLoginProfile(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-lp")
	proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), faultproxy.Config{})
	cfg := proxiedProvider(proxy) + userConfig{Name: name, FullName: "Barbara Liskov", Email: "bl@example.com", Groups: groups, Store: true}.String()
	var password string
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{Config: cfg, Check: func(s *terraform.State) error {
			password = s.RootModule().Resources[userResource].Primary.Attributes["temporary_password"]
			return nil
		}},
		resource.TestStep{
			PreConfig:        func() { proxy.ArmNotFound("loginprofile:"+name, 1) },
			Config:           cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(userResource, "console_access", "true"),
				func(s *terraform.State) error {
					if got := s.RootModule().Resources[userResource].Primary.Attributes["temporary_password"]; got != password || password == "" {
						return fmt.Errorf("the delivered password was rotated by a read")
					}
					if proxy.InjectedOf(faultproxy.FaultNoSuchEntity) == 0 {
						return fmt.Errorf("the lagging GetLoginProfile was never served: the test proves nothing")
					}
					return nil
				},
			),
		},
	))
}

// TestAccOwnership_renameLag: after UpdateUser renames the person, the first read of the new name
// fails (lagging replica). The apply must ride it out and save the new name.
func TestAccOwnership_renameLag(t *testing.T) {
	groups := testGroups(t, 1)
	name, renamed := acctest.RandomName("tf-acc-ren"), acctest.RandomName("tf-acc-ren")
	proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), faultproxy.Config{NotFoundReadsAfterRename: 1})
	before := userConfig{Name: name, FullName: "Donald Knuth", Email: "dek@example.com", Groups: groups, Store: true}
	after := before
	after.Name = renamed
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{Config: proxiedProvider(proxy) + before.String()},
		resource.TestStep{
			Config: proxiedProvider(proxy) + after.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(userResource, "user_name", renamed),
				testAccCheckUser(t, renamed, map[string]string{"FullName": "Donald Knuth"}, groups, true),
				func(*terraform.State) error {
					if proxy.InjectedOf(faultproxy.FaultNoSuchEntity) == 0 {
						return fmt.Errorf("the lagging read of the new name was never served: the test proves nothing")
					}
					return nil
				},
			),
		},
		emptyPlanStep(proxiedProvider(proxy)+after.String()),
	))
}

// TestAccOwnership_mistypedGroup: a group that does not exist fails the create within seconds, and
// no user is left behind.
func TestAccOwnership_mistypedGroup(t *testing.T) {
	name := acctest.RandomName("tf-acc-typo")
	var started time.Time
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			PreConfig: func() { started = time.Now() },
			Config:    userConfig{Name: name, FullName: "Typo Tester", Email: "typo@example.com", Groups: []string{name + "-no-such-group"}, Store: true}.String(),
			// The plan already knows the group is missing (issue 12); the apply-time path, a write
			// that meets NoSuchEntity for an entity this process did not make and fails at once, is
			// proven by awsiam's TestAddNewUserToMissingGroupFailsAtOnce.
			ExpectError: regexp.MustCompile(`(?s)IAM\s+group\s+"` + regexp.QuoteMeta(name+"-no-such-group") + `"\s+does\s+not\s+exist`),
		},
		resource.TestStep{
			Config: `# nothing`,
			Check: func(*terraform.State) error {
				if d := time.Since(started); d > 30*time.Second {
					return fmt.Errorf("the mistyped group took %s to fail", d)
				}
				if id := userID(t, name); id != "" {
					return fmt.Errorf("user %s was left behind by the failed create", name)
				}
				return nil
			},
		},
	))
}

// TestAccOwnership_groupBaselineTwoAddresses: a second baseline with the same name_prefix (another
// address, or another state) used to adopt the first one's groups and policies, identical as they
// are, and its destroy would delete them. Its create fails before changing anything.
func TestAccOwnership_groupBaselineTwoAddresses(t *testing.T) {
	prefix := acctest.RandomName("tfacc") + "-"
	second := fmt.Sprintf(`
resource "iambaseline_startup_group_baseline" "again" {
  name_prefix = %q
}
`, prefix)
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, []resource.TestStep{
		{Config: testAccBaselineConfig(prefix, "")},
		{
			Config:      testAccBaselineConfig(prefix, "") + second,
			ExpectError: regexp.MustCompile(`(?s)not\s+provably\s+its\s+own.*create-pending.*moved`),
		},
		{
			Config: testAccBaselineConfig(prefix, ""),
			Check:  testAccCheckBaselineInAWS(t, prefix, "/", baseline.RoleKeys(), true, nil),
		},
	}))
}

// TestAccOwnership_laggingBulkReadGroup: a baseline group missing from one bulk answer is confirmed
// with GetGroup; the refresh shows no change.
func TestAccOwnership_laggingBulkReadGroup(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	prefix := acctest.RandomName("tfacc") + "-"
	proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), faultproxy.Config{})
	cfg := proxiedProvider(proxy) + testAccBaselineConfig(prefix, "")
	resource.ParallelTest(t, acctest.Case(t, testAccCheckBaselineDestroy, laggingBulkReadSteps(proxy, cfg, "group", prefix+"Developers")))
}

// TestAccOwnership_groupBaselineTwoStatesAtPlan: a second state with the same name_prefix is
// refused at plan (issue 25), not halfway through its apply, and its plan writes nothing.
func TestAccOwnership_groupBaselineTwoStatesAtPlan(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	prefix := acctest.RandomName("tfacc") + "-"
	proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), faultproxy.Config{})
	cfg := acctest.ProviderBlock(proxy.URL(), 5) + testAccBaselineConfig(prefix, "")
	first, second := twoStates(t, cfg)

	proxy.ResetCounters()
	out, err := second.Run("plan", "-input=false", "-no-color")
	if err == nil || !regexp.MustCompile(`(?s)not\s+provably\s+its\s+own.*terraform\s+import`).MatchString(out) {
		t.Fatalf("the second state's plan must fail with the ownership refusal; err %v\n%s", err, out)
	}
	for action, n := range proxy.Forwarded() {
		if !strings.HasPrefix(action, "Get") && !strings.HasPrefix(action, "List") {
			t.Errorf("the second state's plan sent %d %s", n, action)
		}
	}
	planMustBeEmpty(t, first)
}

// twoStates are two working directories with cfg, each its own state: the first applied (and
// destroyed when the test ends), the second not yet.
func twoStates(t *testing.T, cfg string) (first, second *acctest.CLI) {
	t.Helper()
	first, second = acctest.NewCLI(t), acctest.NewCLI(t)
	first.WriteConfig(cfg)
	second.WriteConfig(cfg)
	if out, err := first.Run(applyArgs()...); err != nil {
		t.Fatalf("first state's apply: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = first.Run("destroy", "-auto-approve", "-input=false", "-no-color") })
	return first, second
}

// duplicateUsersConfig declares the same user_name twice, under two provider configurations of one
// account (aliases a and b), so that the plan-time check (per provider configuration) lets both
// through and the apply-time rule is what is tested. order is "a" (b waits for a), "b" or "" (both
// at once).
func duplicateUsersConfig(endpoint, name, group, order string) string {
	provider := func(alias string) string {
		return fmt.Sprintf("provider \"iambaseline\" {\n  alias = %q\n  max_retries = 5\n  endpoints {\n    iam = %q\n    sts = %q\n  }\n}\n", alias, endpoint, endpoint)
	}
	dependsOn := map[string]string{}
	switch order {
	case "a":
		dependsOn["b"] = "depends_on = [iambaseline_onboarded_user.a]"
	case "b":
		dependsOn["a"] = "depends_on = [iambaseline_onboarded_user.b]"
	}
	user := func(alias, fullName string) string {
		return fmt.Sprintf(`
resource "iambaseline_onboarded_user" %[1]q {
  provider       = iambaseline.%[1]s
  user_name      = %[2]q
  full_name      = %[3]q
  email          = "%[1]s@example.com"
  groups         = [%[4]q]
  console_access = false
  %[5]s
}
`, alias, name, fullName, group, dependsOn[alias])
	}
	return `terraform {
  required_providers {
    iambaseline = { source = "iambaseline/iambaseline" }
  }
}
` + provider("a") + provider("b") + user("a", "Ada Lovelace") + user("b", "Ada Byron")
}

var duplicateRefusal = regexp.MustCompile(`(?s)(Cannot create the onboarded user|The IAM user already exists).*already\s+exists\s+and\s+this\s+resource\s+cannot\s+prove\s+it\s+made\s+it`)

// TestAccOnboardedUser_duplicateApply: two instances of one configuration create the same user, in
// either order and at once. Exactly one of them owns the user (it is in the state, and the user
// carries its record); the other fails with the ownership refusal (at apply, or at its re-plan in
// the apply when the first has finished) and changes nothing of it.
func TestAccOnboardedUser_duplicateApply(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	group := testGroups(t, 1)[0]
	fullNames := map[string]string{"iambaseline_onboarded_user.a": "Ada Lovelace", "iambaseline_onboarded_user.b": "Ada Byron"}
	for _, order := range []string{"a", "b", ""} {
		t.Run("first="+map[string]string{"a": "a", "b": "b", "": "parallel"}[order], func(t *testing.T) {
			name := acctest.RandomName("tf-acc-dup")
			cli := acctest.NewCLI(t)
			cli.WriteConfig(duplicateUsersConfig(acctest.EmulatorEndpoint(), name, group, order))
			out, err := cli.Run(applyArgs()...)
			t.Cleanup(func() { _, _ = cli.Run("destroy", "-auto-approve", "-input=false", "-no-color") })
			if err == nil || !duplicateRefusal.MatchString(out) {
				t.Fatalf("the apply must fail with the ownership refusal; err %v\n%s", err, out)
			}
			list, err := cli.Run("state", "list")
			if err != nil {
				t.Fatalf("state list: %v\n%s", err, list)
			}
			owners := strings.Fields(list)
			if len(owners) != 1 {
				t.Fatalf("want exactly one instance owning user %s, the state holds %q", name, owners)
			}
			if order != "" && owners[0] != "iambaseline_onboarded_user."+order {
				t.Errorf("the instance applied first must own the user, %s does", owners[0])
			}
			u, err := acctest.IAM(t).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(name)})
			if err != nil {
				t.Fatal(err)
			}
			tags := iamTagMap(u.User.Tags)
			if tags["FullName"] != fullNames[owners[0]] {
				t.Errorf("user %s carries FullName %q, but %s (%q) owns it: the loser changed it", name, tags["FullName"], owners[0], fullNames[owners[0]])
			}
			if _, marked := tags[baseline.CreateMarkerTag]; marked {
				t.Errorf("the owner's create left its marker: %v", tags)
			}
		})
	}
}

// TestAccOnboardedUser_duplicateMarker: the moment of the race a parallel apply may or may not hit,
// made certain: the user exists with the create marker of another instance (its create has not
// finished). This instance must not adopt it, and says whose it is.
func TestAccOnboardedUser_duplicateMarker(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	group := testGroups(t, 1)[0]
	name := acctest.RandomName("tf-acc-dupm")
	api := acctest.IAM(t)
	other := baseline.InstanceClaim("iambaseline_onboarded_user", name, "/", "Someone Else")
	if _, err := api.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(name), Tags: []types.Tag{
		{Key: aws.String(baseline.CreateMarkerTag), Value: aws.String(baseline.CreateMarkerValue(time.Now(), other))},
	}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = api.DeleteUser(context.Background(), &iam.DeleteUserInput{UserName: aws.String(name)}) })
	cli := acctest.NewCLI(t)
	cli.WriteConfig(acctest.ProviderBlock(acctest.EmulatorEndpoint(), 5) + userConfig{Name: name, FullName: "Ada Lovelace", Email: "ada@example.com", Groups: []string{group}, Store: true}.String())
	out, err := cli.Run(applyArgs()...)
	if err == nil || !duplicateRefusal.MatchString(out) || !regexp.MustCompile(`another\s+resource\s+instance\s+\(claim\s+`+other).MatchString(out) {
		t.Fatalf("the apply must refuse the user marked by another instance, naming its claim; err %v\n%s", err, out)
	}
	if list, _ := cli.Run("state", "list"); strings.TrimSpace(list) != "" {
		t.Fatalf("the refused instance is in the state: %q", list)
	}
}

// TestAccOnboardedUser_duplicatePlan: the same user_name, in another case, twice in one roster under
// one provider configuration fails at plan, before anything is created.
func TestAccOnboardedUser_duplicatePlan(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	group := testGroups(t, 1)[0]
	name := acctest.RandomName("tf-acc-dupp")
	cli := acctest.NewCLI(t)
	cli.WriteConfig(acctest.ProviderBlock(acctest.EmulatorEndpoint(), 5) + fmt.Sprintf(`
locals {
  roster = {
    ada   = { user_name = %[1]q, full_name = "Ada Lovelace" }
    byron = { user_name = %[2]q, full_name = "Ada Byron" }
  }
}
resource "iambaseline_onboarded_user" "team" {
  for_each       = local.roster
  user_name      = each.value.user_name
  full_name      = each.value.full_name
  email          = "${each.key}@example.com"
  groups         = [%[3]q]
  console_access = false
}
`, name, strings.ToUpper(name), group))
	out, code, _ := cli.Start("plan", "-input=false", "-no-color").WaitTimeout(5 * time.Minute)
	if code == 0 || !strings.Contains(out, "Two resources of this configuration manage the same IAM user") ||
		!regexp.MustCompile(`iambaseline_onboarded_user\.team\["(ada|byron)"\]`).MatchString(out) {
		t.Fatalf("the plan must fail naming the duplicate (exit %d)\n%s", code, out)
	}
	if userID(t, name) != "" || userID(t, strings.ToUpper(name)) != "" {
		t.Fatal("the failed plan created a user")
	}
}
