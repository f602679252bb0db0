package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

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
			tags := map[string]string{}
			for _, tag := range u.User.Tags {
				tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
			}
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
	if _, err := api.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(name), Tags: []iamtypes.Tag{
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
