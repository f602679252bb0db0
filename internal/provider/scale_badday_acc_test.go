package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
)

// Issue 25, "a bad day at AWS": with the provider's DEFAULT retry settings (no max_retries, no
// retry_mode), a baseline, the account password policy and a few people are applied, planned and
// destroyed through 30% throttling, 10% 503s, two lagging NoSuchEntity reads after each create and
// lost write answers. The apply converges, the next plan is empty, the destroy leaves IAM empty
// (read directly from the emulator, not through the proxy), and every password delivered in state
// is the one IAM accepted last. Each phase logs the requests that reached IAM and the faults; the
// same population without faults costs 46 requests to apply, 9 to plan and 84 to destroy
// (BENCHMARKS.md). About two minutes, most of it the destroy: adaptive retry, the default, slows the
// whole client down at 30% throttling, as it should.
func TestAccScale_badDay(t *testing.T) {
	scalePreCheck(t)
	testBadDay(t, faultproxy.Config{
		Seed:                     20261207,
		ThrottlingShare:          0.30,
		UnavailableShare:         0.10,
		NotFoundReadsAfterCreate: 2,
		LostWriteResponseShare:   0.05,
		MaxFaults:                -1,
	})
}

const badDayPeople = 4

// badDayConfig declares the population with the provider's default retry settings.
func badDayConfig(endpoint, prefix string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}

provider "iambaseline" {
  endpoints {
    iam = %[3]q
    sts = %[3]q
  }
}

resource "iambaseline_startup_group_baseline" "this" {
  name_prefix = "%[1]s-"
}

resource "iambaseline_account_password_policy" "this" {}

resource "iambaseline_onboarded_user" "person" {
  count = %[2]d

  user_name               = format("%[1]s-p%%d", count.index)
  full_name               = format("Bad Day %%d", count.index)
  email                   = format("p%%d@example.com", count.index)
  groups                  = [iambaseline_startup_group_baseline.this.group_names["Developers"]]
  console_access          = true
  store_password_in_state = true
}

output "policy_arns" {
  value = concat(values(iambaseline_startup_group_baseline.this.policy_arns), [iambaseline_startup_group_baseline.this.mfa_policy_arn])
}

output "passwords" {
  value     = { for p in iambaseline_onboarded_user.person : p.user_name => p.temporary_password }
  sensitive = true
}
`, prefix, badDayPeople, endpoint)
}

func testBadDay(t *testing.T, cfg faultproxy.Config) {
	prefix := acctest.RandomName("bad")
	proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), cfg)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(badDayConfig(proxy.URL(), prefix))
	client := acctest.IAM(t)
	t.Cleanup(func() {
		if c := acctest.TakeCensus(t, client, prefix+"-"); len(c.Users)+len(c.Groups)+len(c.Policies) > 0 {
			_, _ = cli.Run("destroy", "-auto-approve", "-input=false", "-no-color")
		}
	})
	phase := func(name string, args ...string) string {
		t.Helper()
		proxy.ResetCounters()
		faultsBefore := proxy.InjectedErrors()
		start := time.Now()
		out, code, _ := cli.Start(args...).WaitTimeout(5 * time.Minute)
		t.Logf("%s: exit %d in %v, %d requests reached IAM, %d faults injected (%s)", name, code, time.Since(start).Round(time.Millisecond),
			proxy.ForwardedTotal(), proxy.InjectedErrors()-faultsBefore, proxy.Summary())
		if code != 0 {
			t.Fatalf("%s: exit %d, want 0\n%s", name, code, out)
		}
		return out
	}

	phase("apply", applyArgs()...)
	if proxy.InjectedErrors() == 0 {
		t.Fatalf("no fault was injected: %s", proxy.Summary())
	}
	census := acctest.TakeCensus(t, client, prefix+"-")
	if len(census.Users) != badDayPeople {
		t.Errorf("people in IAM: %v, want %d", census.Users, badDayPeople)
	}
	for name, u := range census.Users {
		if !u.LoginProfile {
			t.Errorf("%s has no login profile", name)
		}
	}
	// The census must really see the baseline's policies, or "no policy left" below proves nothing.
	var arns []string
	outputJSON(t, cli, "policy_arns", &arns)
	for _, arn := range arns {
		name := arn[strings.LastIndex(arn, "/")+1:]
		if strings.HasPrefix(name, prefix) && !slices.Contains(census.Policies, name) {
			t.Errorf("the census does not list the baseline's policy %s (it lists %v)", name, census.Policies)
		}
	}
	if len(census.Policies) == 0 {
		t.Fatalf("the census lists no policy of the baseline (state: %v)", arns)
	}
	for entity, n := range proxy.Created() {
		if n > 1 {
			t.Errorf("%s was created %d times", entity, n)
		}
	}
	// Every delivered password is the one IAM accepted last.
	var passwords map[string]string
	outputJSON(t, cli, "passwords", &passwords)
	accepted := proxy.PasswordDigests()
	if len(passwords) != badDayPeople {
		t.Errorf("%d passwords delivered, want %d", len(passwords), badDayPeople)
	}
	for user, pw := range passwords {
		if pw == "" || accepted[user] != faultproxy.PasswordDigest(pw) {
			t.Errorf("the password delivered for %s is not the one IAM accepted last", user)
		}
	}

	// The plan is a new process: to it NoSuchEntity means "deleted out of band", so the lag of the
	// apply's creates settles first; throttling, 503s and lost answers go on.
	proxy.SettlePropagation()
	phase("plan", "plan", "-detailed-exitcode", "-input=false", "-no-color")

	phase("destroy", "destroy", "-auto-approve", "-input=false", "-no-color")
	left := acctest.TakeCensus(t, client, prefix+"-")
	if len(left.Users)+len(left.Groups)+len(left.Policies) > 0 {
		t.Errorf("left after destroy: users %v, groups %v, policies %v", left.Users, left.Groups, left.Policies)
	}
	if _, err := client.GetAccountPasswordPolicy(context.Background(), &iam.GetAccountPasswordPolicyInput{}); !awsiam.IsNotFound(err) {
		t.Errorf("the account password policy is left after destroy (GetAccountPasswordPolicy: %v)", err)
	}
}

// outputJSON decodes a Terraform output of the CLI's state into v.
func outputJSON(t *testing.T, cli *acctest.CLI, name string, v any) {
	t.Helper()
	out, err := cli.Run("output", "-json", name)
	if err != nil {
		t.Fatalf("terraform output %s: %v", name, err)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("terraform output %s: %v (%d bytes, not shown: they may hold passwords)", name, err, len(out))
	}
	if m, ok := v.(*map[string]string); ok {
		keys := make([]string, 0, len(*m))
		for k := range *m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Logf("output %s: %d values for %v", name, len(keys), keys)
	}
}
