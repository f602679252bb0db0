package provider_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// TestAccOnboardedUser_hardwareMFAOutOfBand: a hardware key is not listed by ListVirtualMFADevices;
// the refresh finds it through the credential report's mfa_active column and confirms it with
// ListMFADevices. (The emulator's report is always current; AWS's may be up to 4 hours old.)
func TestAccOnboardedUser_hardwareMFAOutOfBand(t *testing.T) {
	groups := testGroups(t, 1)
	name := acctest.RandomName("tf-acc-user")
	cfg := userConfig{Name: name, FullName: "Whitfield Diffie", Email: "whit@example.com", Groups: groups, Store: true, ForceDestroy: true}
	serial := "GAHT" + strings.ToUpper(strings.TrimPrefix(acctest.RandomName("x"), "x-"))
	resource.ParallelTest(t, accTest(t,
		resource.TestStep{
			Config: cfg.String(),
			Check:  resource.TestCheckResourceAttr(userResource, "mfa_enabled", "false"),
		},
		mfaSeenStep(cfg.String(), func() { enableMFADevice(t, name, serial) }, &serial),
		emptyPlanStep(cfg.String()),
	))
}
