package provider_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// openTofuVersion is the oldest OpenTofu the provider supports (protocol 6, no provider functions).
const openTofuVersion = "1.6.3"

// tofuPath is OpenTofu's CLI: TF_ACC_TOFU_PATH, else bin/tofu of this module (`make tools` builds
// it). The test fails rather than skips without it, so that a run that should cover OpenTofu does.
func tofuPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TOFU_PATH"); p != "" {
		return p
	}
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(filepath.Dir(strings.TrimSpace(string(gomod))), "bin", "tofu")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("OpenTofu %s is needed: run `make tools` (builds bin/tofu) or set TF_ACC_TOFU_PATH", openTofuVersion)
	}
	return p
}

// Issue 12, item 10: examples/startup (a roster of people driving for_each over the baseline's
// groups) runs on OpenTofu 1.6: apply, a second plan with nothing to change, destroy.
func TestAccOpenTofu_startupRoster(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	cli := acctest.NewCLI(t)
	cli.Terraform = tofuPath(t)
	if out, err := cli.Run("version"); err != nil || !strings.Contains(out, "OpenTofu v"+openTofuVersion) {
		t.Fatalf("want OpenTofu v%s, got (%v):\n%s", openTofuVersion, err, out)
	}

	files, err := filepath.Glob("../../examples/startup/*.tf")
	if err != nil || len(files) == 0 {
		t.Fatalf("examples/startup: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cli.Dir, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The roster: random user names and prefix, so that the test runs next to others.
	prefix := acctest.RandomName("tofu") + "-"
	roster := map[string]any{
		"name_prefix": prefix,
		"people": map[string]any{
			acctest.RandomName("ada"):   map[string]any{"full_name": "Ada Lovelace", "email": "ada@example.com", "job_title": "Software Engineer", "groups": []string{"Developers"}},
			acctest.RandomName("sean"):  map[string]any{"full_name": "Seán O'Brien", "email": "sean@example.com", "job_title": "", "groups": []string{"SysAdmins", "ReadOnly"}},
			acctest.RandomName("edgar"): map[string]any{"full_name": "Edgar Codd", "email": "edgar@example.com", "job_title": "Database Administrator", "groups": []string{"DatabaseAdmins", "Billing"}},
		},
	}
	cli.WriteVarFile("roster.tfvars.json", roster)

	run := func(args ...string) (string, int) {
		t.Helper()
		r := cli.Start(args...)
		out, code, _ := r.Wait()
		return out, code
	}
	destroyed := false
	t.Cleanup(func() {
		if !destroyed {
			_, _ = run("destroy", "-auto-approve", "-no-color", "-input=false", "-var-file=roster.tfvars.json")
		}
	})
	if out, code := run("apply", "-auto-approve", "-no-color", "-input=false", "-var-file=roster.tfvars.json"); code != 0 {
		t.Fatalf("tofu apply failed (exit %d):\n%s", code, out)
	}
	if out, code := run("plan", "-detailed-exitcode", "-no-color", "-input=false", "-var-file=roster.tfvars.json"); code != 0 {
		t.Fatalf("the second plan is not empty (exit %d):\n%s", code, out)
	}
	out, code := run("destroy", "-auto-approve", "-no-color", "-input=false", "-var-file=roster.tfvars.json")
	if code != 0 {
		t.Fatalf("tofu destroy failed (exit %d):\n%s", code, out)
	}
	destroyed = true
}
