package acctest

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// ImportStep imports id into address and verifies that the imported state matches the state the
// previous step left, but for the attributes in ignore (those an import cannot recover).
func ImportStep(address, id string, ignore ...string) resource.TestStep {
	return resource.TestStep{
		ResourceName:            address,
		ImportState:             true,
		ImportStateId:           id,
		ImportStateVerify:       true,
		ImportStateVerifyIgnore: ignore,
	}
}

// PlanErrorStep plans config without applying it and expects an error matching pattern (compiled
// with (?s), so that it may span the lines Terraform wraps a diagnostic into).
func PlanErrorStep(config, pattern string) resource.TestStep {
	return resource.TestStep{
		Config:      config,
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)` + pattern),
	}
}
