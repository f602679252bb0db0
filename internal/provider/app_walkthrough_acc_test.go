package provider_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// Issue 22, "Done means": examples/app-walkthrough's IAM part (main.tf) applies against the
// emulator: both app roles are under /app/ with the baseline's app boundary, the plan after is empty,
// and it destroys. That a Developers member may make each of these requests, and not their wrong
// variants, is proven by the evaluator (TestProofAppWalkthrough in internal/baseline), not here: moto's
// authorization evaluates no condition key but sts:ExternalId (iam:PermissionsBoundary, the MFA
// policy's aws:MultiFactorAuthPresent count as met) and authorizes CreateRole on "*", so it would
// refuse the right CreateRole and allow the wrong one alike (examples/app-walkthrough/README.md).
// app.tf.example (the hashicorp/aws part) is not applied: that provider is not installed here.
func TestAccAppWalkthrough(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	cli := acctest.NewCLI(t)
	b, err := os.ReadFile("../../examples/app-walkthrough/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	cli.WriteConfig(string(b))
	prefix := acctest.RandomName("walk") + "-"
	vars, err := json.Marshal(map[string]any{"name_prefix": prefix})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cli.Dir, "walk.tfvars.json"), vars, 0o600); err != nil {
		t.Fatal(err)
	}
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
	if _, err := api.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(boundaryARN)}); err == nil {
		t.Errorf("the app boundary %s is still there after destroy", boundaryARN)
	}
}
