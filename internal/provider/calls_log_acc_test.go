package provider_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/provider"
)

// The resources report their AWS requests when an operation ends: a Terraform run with
// IAMBASELINE_CALLS_FILE set leaves one line per Create, Read and Delete with the process's counts.
// Not parallel: the variable is process-wide while the provider runs in-process.
func TestAccCallsFile_resourcesReportTheirRequests(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calls.jsonl")
	t.Setenv(provider.CallsFileEnv, path)
	name := acctest.RandomName("tf-acc-calls")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`resource "iambaseline_service_role" "test" {
  name             = %q
  trusted_services = ["lambda.amazonaws.com"]
}`, name),
			Check: func(*terraform.State) error {
				ops := readCallsFile(t, path)
				create, ok := ops["service_role.Create"]
				if !ok {
					return fmt.Errorf("no service_role.Create line in %s: %v", path, ops)
				}
				if create["IAM:CreateRole"] < 1 {
					return fmt.Errorf("service_role.Create counts lack IAM:CreateRole: %v", create)
				}
				return nil
			},
		}},
		// By destroy time the plans after apply have refreshed the role (Read) and destroy deleted it.
		CheckDestroy: func(*terraform.State) error {
			ops := readCallsFile(t, path)
			if r, ok := ops["service_role.Read"]; !ok || r["IAM:GetAccountAuthorizationDetails"] < 1 {
				return fmt.Errorf("service_role.Read line missing or without the bulk read: %v", ops)
			}
			if d, ok := ops["service_role.Delete"]; !ok || d["IAM:DeleteRole"] < 1 {
				return fmt.Errorf("service_role.Delete line missing or without IAM:DeleteRole: %v", ops)
			}
			return nil
		},
	})
}

// readCallsFile returns, per operation, the counts of its last line.
func readCallsFile(t *testing.T, path string) map[string]map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("calls file: %v", err)
	}
	defer f.Close()
	out := map[string]map[string]int{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		var line struct {
			Operation string         `json:"operation"`
			Counts    map[string]int `json:"counts"`
		}
		if err := json.Unmarshal(s.Bytes(), &line); err != nil {
			t.Fatalf("line %q: %v", s.Text(), err)
		}
		out[line.Operation] = line.Counts
	}
	return out
}
