package provider_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
)

// Issue 22, "Done means": examples/app-walkthrough's IAM part (main.tf) applies against the
// emulator: both app roles are under /app/ with the baseline's app boundary, the plan after is empty,
// and it destroys. Every request it sends for the app roles is recorded at a proxy and must be the
// list internal/baseline/testdata/walkthrough_role_requests.txt, no more and no fewer: that a
// Developers member may make each of them, and not their wrong variants, is proven on that list by the
// evaluator (TestProofAppWalkthrough in internal/baseline), not by the emulator: moto's
// authorization evaluates no condition key but sts:ExternalId (iam:PermissionsBoundary, the MFA
// policy's aws:MultiFactorAuthPresent count as met) and authorizes CreateRole on "*", so it would
// refuse the right CreateRole and allow the wrong one alike (examples/app-walkthrough/README.md).
// app.tf.example (the hashicorp/aws part) is not applied: that provider is not installed here.
func TestAccAppWalkthrough(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	// Every request goes through a recording proxy: those naming the app roles are what a Developers
	// member's apply of them sends, and the proof evaluates exactly those.
	proxy := acctest.StartFaultProxy(t, acctest.EmulatorEndpoint(), faultproxy.Config{Record: true})
	cli := acctest.NewCLI(t)
	cli.Env = append(cli.Env, "AWS_ENDPOINT_URL="+proxy.URL())
	b, err := os.ReadFile("../../examples/app-walkthrough/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	cli.WriteConfig(string(b))
	prefix := acctest.RandomName("walk") + "-"
	cli.WriteVarFile("walk.tfvars.json", map[string]any{"name_prefix": prefix})
	run := func(args ...string) (string, int) {
		t.Helper()
		out, code, _ := cli.Start(append(args, "-no-color", "-input=false", "-var-file=walk.tfvars.json")...).Wait()
		return out, code
	}
	destroyed := false
	t.Cleanup(func() {
		if !destroyed {
			_, _ = run("destroy", "-auto-approve")
		}
	})
	out, code := run("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply failed (exit %d):\n%s", code, out)
	}
	if strings.Contains(out, "App role without the app permissions boundary") {
		t.Errorf("the walkthrough's roles are warned about as without a boundary:\n%s", out)
	}
	boundaryARN := testAccPolicyARN(prefix + "AppBoundary")
	app := strings.ToLower(prefix) + "app-"
	ctx := context.Background()
	api := acctest.IAM(t)
	for _, name := range []string{app + "api", app + "nightly"} {
		r, err := api.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
		if err != nil {
			t.Fatalf("role %s: %v", name, err)
		}
		if aws.ToString(r.Role.Path) != "/app/" || r.Role.PermissionsBoundary == nil || aws.ToString(r.Role.PermissionsBoundary.PermissionsBoundaryArn) != boundaryARN {
			t.Errorf("role %s: path %s, boundary %+v; want /app/ and %s", name, aws.ToString(r.Role.Path), r.Role.PermissionsBoundary, boundaryARN)
		}
	}
	if out, code := run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("the plan after the apply is not empty (exit %d):\n%s", code, out)
	}
	if out, code := run("destroy", "-auto-approve"); code != 0 {
		t.Fatalf("destroy failed (exit %d):\n%s", code, out)
	}
	destroyed = true
	// What the member's part sent: every IAM request naming an app role, and the account-wide reads
	// (no entity named); STS is answered whatever the policies say.
	roles := map[string]bool{app + "api": true, app + "nightly": true}
	sent := map[string]bool{}
	for _, r := range proxy.Recorded() {
		form, err := url.ParseQuery(string(r.Body))
		if err != nil || form.Get("Version") != "2010-05-08" {
			continue
		}
		named := false
		for _, k := range []string{"RoleName", "UserName", "GroupName", "PolicyArn", "PolicyName", "InstanceProfileName"} {
			named = named || form.Get(k) != ""
		}
		if named && !roles[form.Get("RoleName")] {
			continue
		}
		req := r.Action
		if form.Get("PermissionsBoundary") == boundaryARN {
			req += " with-boundary"
		}
		sent[req] = true
		if r.Action == "CreateRole" && form.Get("Tags.member.1.Key") != "" {
			sent["TagRole"] = true
		}
	}
	listed := walkthroughRoleRequests(t)
	for req := range sent {
		if !listed[req] {
			t.Errorf("the app roles' apply sent %s, which internal/baseline/testdata/walkthrough_role_requests.txt does not list (nor TestProofAppWalkthrough prove)", req)
		}
	}
	for req := range listed {
		if !sent[req] {
			t.Errorf("internal/baseline/testdata/walkthrough_role_requests.txt lists %s, which the app roles' apply did not send", req)
		}
	}
	if _, err := api.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(boundaryARN)}); err == nil {
		t.Errorf("the app boundary %s is still there after destroy", boundaryARN)
	}
}

// walkthroughRoleRequests reads the list TestProofAppWalkthrough proves.
func walkthroughRoleRequests(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../baseline/testdata/walkthrough_role_requests.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	return out
}
