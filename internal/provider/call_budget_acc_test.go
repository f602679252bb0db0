package provider_test

// API-call budgets of issue 6, measured at the emulator: a counting reverse proxy sits between the
// provider and the emulator (the provider's endpoints point at it) and counts every request it
// forwards, by action and by Terraform command. terraform-plugin-testing starts the in-process
// provider anew through its factory for each Terraform command it runs; the tests wrap that factory
// so that each command's requests are told apart.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
)

// Budgets of issue 6, per user at N = 100 users (each in two groups) plus a group baseline.
const (
	budgetUsers             = 100
	budgetRefreshPerUser    = 1.1
	budgetApplyPerUser      = 6.0
	budgetBaselineRefreshed = 4
)

// callProxy is the counting proxy (faultproxy.Counter) with one bucket per Terraform command.
type callProxy struct {
	*faultproxy.Counter
}

func startCallProxy(t *testing.T) *callProxy {
	t.Helper()
	return &callProxy{acctest.StartCounter(t, acctest.EmulatorEndpoint())}
}

// factories wraps the provider factory: each call is a new Terraform command.
func (p *callProxy) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	inner := acctest.ProtoV6ProviderFactories[acctest.ProviderName]
	return map[string]func() (tfprotov6.ProviderServer, error){
		acctest.ProviderName: func() (tfprotov6.ProviderServer, error) {
			p.NextBucket()
			return inner()
		},
	}
}

// mark is the position of the next Terraform command.
func (p *callProxy) mark() int { return p.Mark() }

// since returns the per-command counts of the commands started at or after mark that sent requests.
func (p *callProxy) since(mark int) []map[string]int { return p.Since(mark) }

func total(counts map[string]int) int {
	n := 0
	for _, v := range counts {
		n += v
	}
	return n
}

func sum(commands []map[string]int) map[string]int {
	out := map[string]int{}
	for _, c := range commands {
		for k, v := range c {
			out[k] += v
		}
	}
	return out
}

func breakdown(counts map[string]int) string {
	parts := make([]string, 0, len(counts))
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, counts[k]))
	}
	return fmt.Sprintf("%d requests: %s", total(counts), strings.Join(parts, " "))
}

// commandWith returns the command that sent action, e.g. the apply is the one with iam:CreateUser
// and the refresh plan the one with iam:GetAccountAuthorizationDetails.
func commandWith(commands []map[string]int, action string) (map[string]int, error) {
	var found []map[string]int
	for _, c := range commands {
		if c[action] > 0 {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("%d Terraform commands sent %s, want exactly 1", len(found), action)
	}
	return found[0], nil
}

func logCommands(t *testing.T, what string, commands []map[string]int) {
	t.Helper()
	for i, c := range commands {
		t.Logf("%s, Terraform command %d/%d: %s", what, i+1, len(commands), breakdown(c))
	}
}

// checkCalls runs fn as a plan check: after the last command of a step, before the next step.
type checkCalls func() error

func (f checkCalls) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// testCase is steps run through the proxy, destroy checked by checkDestroy.
func (p *callProxy) testCase(t *testing.T, checkDestroy resource.TestCheckFunc, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: p.factories(),
		CheckDestroy:             checkDestroy,
		Steps:                    steps,
	}
}

// countedStep is a step of config whose requests, per Terraform command (the apply's plan, apply
// and plans, or with planOnly the plan -refresh=false and the plan), check sees after its last
// command.
func (p *callProxy) countedStep(config string, planOnly bool, check func(commands []map[string]int) error) resource.TestStep {
	var mark int
	return resource.TestStep{
		PreConfig: func() { mark = p.mark() },
		Config:    config,
		PlanOnly:  planOnly,
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
			checkCalls(func() error { return check(p.since(mark)) }),
		}},
	}
}

func (p *callProxy) providerBlock() string {
	return fmt.Sprintf(`
provider "iambaseline" {
  endpoints {
    iam = %[1]q
    sts = %[1]q
  }
}
`, p.URL())
}

// TestAccOnboardedUser_callBudget applies a group baseline plus 100 onboarded users, each in two of
// its groups, then runs a refresh plan, and checks the AWS requests of each against issue 6's
// budgets: the apply <= 6 per user, the refresh plan <= 1.1 per user.
func TestAccOnboardedUser_callBudget(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	proxy := startCallProxy(t)
	prefix := acctest.RandomName("tf-acc-budget")
	cfg := proxy.providerBlock() + fmt.Sprintf(`
resource "iambaseline_startup_group_baseline" "test" {
  name_prefix = "%[1]s-"
}

resource "iambaseline_onboarded_user" "test" {
  count                   = %[2]d
  user_name               = "%[1]s-u${count.index}"
  full_name               = "Person ${count.index}"
  email                   = "person${count.index}@example.com"
  groups                  = [iambaseline_startup_group_baseline.test.group_names["Developers"], iambaseline_startup_group_baseline.test.group_names["ReadOnly"]]
  store_password_in_state = true
}
`, prefix, budgetUsers)
	n := float64(budgetUsers)
	applyStep := proxy.countedStep(cfg, false, func(commands []map[string]int) error {
		logCommands(t, "apply step", commands)
		step := sum(commands)
		t.Logf("apply step (plan, apply, plan -refresh=false, plan): %.2f requests per user, %s", float64(total(step))/n, breakdown(step))
		apply, err := commandWith(commands, "iam:CreateUser")
		if err != nil {
			return err
		}
		perUser := float64(total(apply)) / n
		t.Logf("terraform apply: %.2f requests per user (budget %.1f), %s", perUser, budgetApplyPerUser, breakdown(apply))
		if apply["iam:CreateUser"] != budgetUsers {
			return fmt.Errorf("terraform apply sent %d CreateUser, want %d", apply["iam:CreateUser"], budgetUsers)
		}
		if perUser > budgetApplyPerUser {
			return fmt.Errorf("terraform apply sent %.2f AWS requests per user, budget %.1f: %s", perUser, budgetApplyPerUser, breakdown(apply))
		}
		return nil
	})
	applyStep.Check = testAccCheckBudgetUsers(t, prefix)
	resource.ParallelTest(t, proxy.testCase(t, testAccCheckUserDestroy(t),
		applyStep,
		// A refresh plan. PlanOnly runs `terraform plan -refresh=false` and then `terraform plan`;
		// both are counted.
		proxy.countedStep(cfg, true, func(commands []map[string]int) error {
			logCommands(t, "refresh step", commands)
			step := sum(commands)
			refresh, err := commandWith(commands, "iam:GetAccountAuthorizationDetails")
			if err != nil {
				return err
			}
			t.Logf("terraform plan (refresh): %.2f requests per user, %s", float64(total(refresh))/n, breakdown(refresh))
			perUser := float64(total(step)) / n
			t.Logf("refresh step (plan -refresh=false + plan): %.2f requests per user (budget %.1f), %s", perUser, budgetRefreshPerUser, breakdown(step))
			var errs []error
			if perUser > budgetRefreshPerUser {
				errs = append(errs, fmt.Errorf("the refresh plan step sent %.2f AWS requests per user, budget %.1f: %s", perUser, budgetRefreshPerUser, breakdown(step)))
			}
			// One fresh GetLoginProfile per user; MFA and everything else in bulk.
			if got := refresh["iam:GetLoginProfile"]; got != budgetUsers {
				errs = append(errs, fmt.Errorf("refresh sent %d GetLoginProfile, want %d (one per user)", got, budgetUsers))
			}
			for _, perUserAction := range []string{"iam:ListMFADevices", "iam:GetUser", "iam:ListGroupsForUser", "iam:ListUserTags"} {
				if got := refresh[perUserAction]; got != 0 {
					errs = append(errs, fmt.Errorf("refresh sent %d %s, want 0 (the snapshot or the credential report has it)", got, perUserAction))
				}
			}
			return errors.Join(errs...)
		}),
	))
}

// testAccCheckBudgetUsers checks a few of the users through the SDK: the apply that was counted did
// create them with their groups and console access.
func testAccCheckBudgetUsers(t *testing.T, prefix string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		api, ctx := acctest.IAM(t), context.Background()
		for _, i := range []int{0, budgetUsers / 2, budgetUsers - 1} {
			name := fmt.Sprintf("%s-u%d", prefix, i)
			groups, err := api.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String(name)})
			if err != nil {
				return fmt.Errorf("user %s: %w", name, err)
			}
			if len(groups.Groups) != 2 {
				return fmt.Errorf("user %s is in %d groups, want 2", name, len(groups.Groups))
			}
			if _, err := api.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(name)}); err != nil {
				return fmt.Errorf("user %s has no login profile: %w", name, err)
			}
		}
		return nil
	}
}

// TestAccStartupGroupBaseline_callBudget: the baseline's own refresh plan costs at most 4 requests
// (configure's GetCredentialReport and the snapshot's GetAccountAuthorizationDetails: 2 today).
func TestAccStartupGroupBaseline_callBudget(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	proxy := startCallProxy(t)
	prefix := acctest.RandomName("tf-acc-budget") + "-"
	cfg := proxy.providerBlock() + testAccBaselineConfig(prefix, "")
	resource.ParallelTest(t, proxy.testCase(t, testAccCheckBaselineDestroy,
		proxy.countedStep(cfg, false, func(commands []map[string]int) error {
			logCommands(t, "baseline apply step", commands)
			return nil
		}),
		proxy.countedStep(cfg, true, func(commands []map[string]int) error {
			logCommands(t, "baseline refresh step", commands)
			refresh, err := commandWith(commands, "iam:GetAccountAuthorizationDetails")
			if err != nil {
				return err
			}
			t.Logf("baseline terraform plan (refresh): %s (budget %d)", breakdown(refresh), budgetBaselineRefreshed)
			if total(refresh) > budgetBaselineRefreshed {
				return fmt.Errorf("the baseline's refresh plan sent %d AWS requests, budget %d: %s", total(refresh), budgetBaselineRefreshed, breakdown(refresh))
			}
			return nil
		}),
	))
}
