package provider_test

// The fixed cost of a refresh (issue 14): a terraform plan of N onboarded users costs N + 4 requests,
// in both states of the account's IAM credential report. Each case runs in an emulator account of
// its own (moto's x-moto-account-id, added by the counting proxy), so the first refresh after the
// apply meets an account that has never had a credential report, whatever the other tests did.

import (
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"math/big"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

func TestAccOnboardedUser_refreshCost(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	for _, n := range []int{3, 12} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			t.Parallel()
			testAccRefreshCost(t, n)
		})
	}
}

// randomAccountID is a 12-digit account ID no other test uses.
func randomAccountID(t *testing.T) string {
	v, err := rand.Int(rand.Reader, big.NewInt(8_000_000_000))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%012d", 1_000_000_000+v.Int64())
}

func testAccRefreshCost(t *testing.T, n int) {
	proxy := startCallProxy(t)
	account := randomAccountID(t)
	proxy.SetUpstreamHeader("x-moto-account-id", account)
	api := proxyIAM(t, proxy.URL())
	prefix := acctest.RandomName("tf-acc-refresh")
	group := prefix + "-people"
	if _, err := api.CreateGroup(context.Background(), &iam.CreateGroupInput{GroupName: aws.String(group)}); err != nil {
		t.Fatalf("creating the test group in account %s: %v", account, err)
	}
	t.Cleanup(func() {
		_, _ = api.DeleteGroup(context.Background(), &iam.DeleteGroupInput{GroupName: aws.String(group)})
	})

	cfg := proxy.providerBlock() + fmt.Sprintf(`
resource "iambaseline_onboarded_user" "test" {
  count                   = %[3]d
  user_name               = "%[1]s-u${count.index}"
  full_name               = "Person ${count.index}"
  email                   = "person${count.index}@example.com"
  groups                  = [%[2]q]
  store_password_in_state = true
}
`, prefix, group, n)

	// The requests of the refresh, by action: the first one after the apply finds no credential
	// report (configure's GetCredentialReport says ReportNotPresent) and generates it; that fresh
	// report answers MFA and password_last_used for everyone. A later one reuses the report and
	// reads MFA devices and PasswordLastUsed live.
	first := map[string]int{
		"iam:GetCredentialReport": 2, "iam:GenerateCredentialReport": 1, "iam:GetAccountAuthorizationDetails": 1,
		"iam:GetLoginProfile": n,
	}
	later := map[string]int{
		"iam:GetCredentialReport": 1, "iam:GetAccountAuthorizationDetails": 1, "iam:ListVirtualMFADevices": 1, "iam:ListUsers": 1,
		"iam:GetLoginProfile": n,
	}
	// refreshOf finds the refresh among the commands of a step: the one command that read the
	// login profiles.
	refreshOf := func(what string, want map[string]int) func(commands []map[string]int) error {
		return func(commands []map[string]int) error {
			logCommands(t, what, commands)
			refresh, err := commandWith(commands, "iam:GetLoginProfile")
			if err != nil {
				return err
			}
			t.Logf("%s, N = %d: %s", what, n, breakdown(refresh))
			if total(refresh) != n+4 || !maps.Equal(refresh, want) {
				return fmt.Errorf("%s of %d users sent %s, want N + 4 = %d: %s", what, n, breakdown(refresh), n+4, breakdown(want))
			}
			return nil
		}
	}
	user0 := "iambaseline_onboarded_user.test.0"
	apply := proxy.countedStep(cfg, false, refreshOf("first refresh after the apply (no credential report yet)", first))
	apply.Check = resource.ComposeAggregateTestCheckFunc(
		resource.TestCheckResourceAttr(user0, "mfa_enabled", "false"),
		resource.TestCheckResourceAttr(user0, "mfa_devices.#", "0"),
		resource.TestCheckNoResourceAttr(user0, "password_last_used"),
		resource.TestCheckResourceAttr(user0, "onboarding_checklist.console_access", "true"),
		resource.TestCheckResourceAttr(user0, "console_sign_in_url", "https://"+account+".signin.aws.amazon.com/console"),
	)
	apply.ConfigPlanChecks.PostApplyPostRefresh = append([]plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}, apply.ConfigPlanChecks.PostApplyPostRefresh...)
	resource.Test(t, proxy.testCase(t, testAccCheckUsersGone(api),
		apply,
		proxy.countedStep(cfg, true, refreshOf("second refresh (the report exists)", later)),
		proxy.countedStep(cfg, true, refreshOf("third refresh", later)),
	))
}

// proxyIAM is an SDK client that talks to the emulator through the proxy (so in its account).
func proxyIAM(t *testing.T, endpoint string) *iam.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(endpoint) })
}
