package provider_test

import (
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// Issue 12, item 5: a group baseline adopted with an import block and -generate-config-out (here one
// this provider made, then removed from its state) plans as a pure import, and the next plan is empty.
func TestAccImport_generatedConfigBaseline(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	prefix := acctest.RandomName("tfimp") + "-"
	cli := acctest.NewCLI(t)
	header := `terraform {
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}
`
	cli.WriteConfig(header + `
resource "iambaseline_startup_group_baseline" "made" {
  name_prefix = "` + prefix + `"
  groups      = ["Developers", "ReadOnly"]
}
`)
	if out, err := cli.Run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	destroy := func() {
		if out, err := cli.Run("destroy", "-no-color", "-input=false", "-auto-approve"); err != nil {
			t.Errorf("destroy: %v\n%s", err, out)
		}
	}
	if out, err := cli.Run("state", "rm", "iambaseline_startup_group_baseline.made"); err != nil {
		t.Fatalf("state rm: %v\n%s", err, out)
	}
	cli.WriteConfig(header + `
import {
  to = iambaseline_startup_group_baseline.adopted
  id = "` + prefix + `|/"
}
`)
	out, err := cli.Run("plan", "-no-color", "-input=false", "-generate-config-out=generated.tf")
	if err != nil {
		t.Fatalf("plan -generate-config-out failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, "1 to import, 0 to add, 0 to change, 0 to destroy") {
		t.Errorf("the generated configuration does not plan as a pure import:\n%s", out)
	}
	if out, err := cli.Run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	defer destroy()
	r := cli.Start("plan", "-no-color", "-input=false", "-detailed-exitcode")
	if out, code, _ := r.Wait(); code != 0 {
		t.Errorf("the plan after adoption is not empty (exit %d):\n%s", code, out)
	}
}
