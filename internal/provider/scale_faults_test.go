// Fault-injection and interrupted-apply acceptance tests (issue 6). Run only these with `make testscale`.
// Both run the real Terraform CLI with the provider binary (acctest.CLI) through an acctest.FaultProxy,
// and check the outcome directly against the emulator (acctest.TakeCensus), never through the proxy.

package provider_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

const scaleUsers = 12

// scaleConfig is a baseline with the given prefix and scaleUsers onboarded users in two of its groups.
func scaleConfig(endpoint, prefix string) string {
	return acctest.ProviderBlock(endpoint, 25) + fmt.Sprintf(`
resource "iambaseline_startup_group_baseline" "this" {
  name_prefix = "%[1]s-"
}

resource "iambaseline_onboarded_user" "user" {
  count = %[2]d

  user_name = format("%[1]s-u%%02d", count.index)
  full_name = format("Fault Test %%d", count.index)
  email     = format("u%%02d@example.com", count.index)
  groups = [
    iambaseline_startup_group_baseline.this.group_names["Developers"],
    iambaseline_startup_group_baseline.this.group_names["ReadOnly"],
  ]
  console_access          = true
  store_password_in_state = true
}
`, prefix, scaleUsers)
}

// checkConverged asserts that exactly the configured users, memberships and login profiles exist,
// read directly from the emulator, and that the proxy saw no entity created twice.
func checkConverged(t *testing.T, prefix string, proxy *acctest.FaultProxy) {
	t.Helper()
	census := acctest.TakeCensus(t, acctest.IAM(t), prefix+"-")
	devs, readOnly := prefix+"-Developers", prefix+"-ReadOnly"
	var want []string
	for i := range scaleUsers {
		want = append(want, fmt.Sprintf("%s-u%02d", prefix, i))
	}
	var got []string
	for name, u := range census.Users {
		got = append(got, name)
		if wantGroups := []string{devs, readOnly}; !reflect.DeepEqual(u.Groups, wantGroups) {
			t.Errorf("%s is in groups %v, want %v", name, u.Groups, wantGroups)
		}
		if !u.LoginProfile {
			t.Errorf("%s has no login profile", name)
		}
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("users in IAM:\n%v\nwant exactly:\n%v", got, want)
	}
	for _, g := range []string{devs, readOnly} {
		if !reflect.DeepEqual(census.Groups[g], want) {
			t.Errorf("members of %s = %v, want %v", g, census.Groups[g], want)
		}
	}
	for entity, n := range proxy.Created() {
		if n > 1 {
			t.Errorf("%s was created %d times", entity, n)
		}
	}
}

func applyArgs() []string { return []string{"apply", "-auto-approve", "-input=false", "-no-color"} }

func planMustBeEmpty(t *testing.T, cli *acctest.CLI) {
	t.Helper()
	out, code, _ := cli.Start("plan", "-detailed-exitcode", "-input=false", "-no-color").WaitTimeout(5 * time.Minute)
	if code != 0 {
		t.Fatalf("plan after apply: exit %d, want 0 (no changes)\n%s", code, out)
	}
}

func destroyAndCheck(t *testing.T, cli *acctest.CLI, prefix string) {
	t.Helper()
	if out, err := cli.Run("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
	if c := acctest.TakeCensus(t, acctest.IAM(t), prefix+"-"); len(c.Users) != 0 || len(c.Groups) != 0 || len(c.Policies) != 0 {
		t.Errorf("left after destroy: users %v, groups %v, policies %v", c.Users, c.Groups, c.Policies)
	}
}

func scalePreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	acctest.PreCheck(t)
	if acctest.EmulatorEndpoint() == "" {
		t.Fatal("fault-injection tests need the emulator (AWS_ENDPOINT_URL): run them through scripts/with-emulator.sh")
	}
}

// A baseline and a dozen users applied through throttling, 503s, connection resets, latency and
// NoSuchEntity after create converge in bounded time, the next plan is empty, and exactly the
// expected entities exist, none created twice.
func TestAccScale_faultInjection(t *testing.T) {
	scalePreCheck(t)
	prefix := acctest.RandomName("flt")
	proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), acctest.FaultConfig{
		Seed:                     20261126,
		ThrottlingShare:          0.15,
		UnavailableShare:         0.05,
		ResetShare:               0.05,
		LatencyShare:             0.10,
		Latency:                  50 * time.Millisecond,
		NotFoundReadsAfterCreate: 2,
		NotFoundIncludesWrites:   true,
		MaxFaults:                150,
	})
	cli := acctest.NewCLI(t)
	cli.WriteConfig(scaleConfig(proxy.URL(), prefix))

	start := time.Now()
	out, code, _ := cli.Start(applyArgs()...).WaitTimeout(10 * time.Minute)
	if code != 0 {
		t.Fatalf("apply through faults: exit %d after %v (%s)\n%s", code, time.Since(start), proxy.Summary(), out)
	}
	t.Logf("apply converged in %v; %s", time.Since(start).Round(time.Millisecond), proxy.Summary())
	if proxy.InjectedErrors() == 0 {
		t.Fatalf("no fault was injected: %s", proxy.Summary())
	}
	checkConverged(t, prefix, proxy)
	// The plan is a new provider process: to it NoSuchEntity means "deleted out of band", so let
	// propagation settle first; throttling, 503s, resets and latency go on.
	proxy.SettlePropagation()
	planMustBeEmpty(t, cli)
	proxy.SetEnabled(false)
	destroyAndCheck(t, cli, prefix)
}

// An apply interrupted midway, then applied again, converges with no orphan and no duplicate. With
// one SIGINT Terraform lets running operations finish and saves state; with two it exits at once,
// so users can exist in IAM that the state does not know: the next apply must adopt them (they
// carry this configuration's record), not fail and not create them twice.
func TestAccScale_interruptedApply(t *testing.T) {
	for _, tc := range []struct {
		name       string
		interrupts int
	}{
		{"graceful", 1},
		{"abandoned", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scalePreCheck(t)
			prefix := acctest.RandomName("int")
			// Latency only: slow enough to interrupt midway, no errors.
			proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), acctest.FaultConfig{
				Seed: 1, LatencyShare: 1, Latency: 150 * time.Millisecond,
			})
			cli := acctest.NewCLI(t)
			cli.WriteConfig(scaleConfig(proxy.URL(), prefix))

			run := cli.Start(append(applyArgs(), "-parallelism=3")...)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			if err := proxy.WaitForwarded(ctx, "CreateUser", 4); err != nil {
				out, _, _ := run.WaitTimeout(time.Second)
				t.Fatalf("%v\n%s", err, out)
			}
			for range tc.interrupts {
				// Terraform may be gone already after the first one: the provider cancels quickly.
				if err := run.Interrupt(); err != nil && !errors.Is(err, os.ErrProcessDone) {
					t.Fatal(err)
				}
			}
			out, code, _ := run.WaitTimeout(3 * time.Minute)
			if code == 0 {
				t.Logf("the apply finished before the interrupt took effect:\n%s", out)
			}
			t.Logf("interrupted apply: exit %d after %d CreateUser", code, proxy.Forwarded()["CreateUser"])
			if created := proxy.Forwarded()["CreateUser"]; created >= scaleUsers {
				t.Fatalf("interrupt came too late: all %d users were created", created)
			}
			// Abandoned provider processes may still finish their running calls.
			time.Sleep(2 * time.Second)
			inIAM := len(acctest.TakeCensus(t, acctest.IAM(t), prefix+"-").Users)
			stateList, _ := cli.Run("state", "list")
			t.Logf("after the interrupt: %d users in IAM, %d in the state (the difference must be adopted)",
				inIAM, strings.Count(stateList, "iambaseline_onboarded_user."))

			proxy.SetEnabled(false)
			if out, err := cli.Run(applyArgs()...); err != nil {
				t.Fatalf("apply after the interrupt: %v\n%s", err, out)
			}
			checkConverged(t, prefix, proxy)
			planMustBeEmpty(t, cli)
			if n := proxy.Forwarded()["DeleteUser"]; n != 0 {
				t.Errorf("re-apply deleted %d users: an interrupted create must be adopted, not replaced", n)
			}
			destroyAndCheck(t, cli, prefix)
			if strings.Contains(out, "panic") {
				t.Errorf("provider panicked:\n%s", out)
			}
		})
	}
}
