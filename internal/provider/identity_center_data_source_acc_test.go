package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// The endpoints block's ssoadmin and identitystore URLs carry the Identity Center requests: a
// counting proxy in front of the emulator sees every sso-admin and identity-store request of a
// baseline and a person, while IAM keeps its own endpoint.
func TestAccIdentityCenter_endpointsBlock(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	counter := acctest.StartCounter(t, acctest.EmulatorEndpoint())
	prefix := acctest.RandomName("ice") + "-"
	userName := acctest.RandomName("ada")
	provider := fmt.Sprintf("provider \"iambaseline\" {\n  endpoints {\n    ssoadmin      = %q\n    identitystore = %q\n  }\n}\n", counter.URL(), counter.URL())
	seen := func(service string) int {
		n := 0
		for _, b := range counter.Since(0) {
			for k, v := range b {
				if strings.HasPrefix(k, service+":") {
					n += v
				}
			}
		}
		return n
	}
	resource.Test(t, acctest.Case(t, testAccCheckIdentityCenterPersonDestroyed(t, userName), []resource.TestStep{{
		Config: provider + testAccIdentityCenterUserConfig(prefix, userName, ""),
		Check: resource.ComposeTestCheckFunc(
			testAccCheckIdentityCenterPerson(t, userName, prefix+"Developers", prefix+"ReadOnly"),
			func(*terraform.State) error {
				// sso-admin signs as "sso"; IAM went to its own endpoint.
				if n := seen("sso"); n == 0 {
					return fmt.Errorf("no sso-admin request reached the ssoadmin endpoint: %v", counter.Since(0))
				}
				if n := seen("identitystore"); n == 0 {
					return fmt.Errorf("no identity-store request reached the identitystore endpoint: %v", counter.Since(0))
				}
				if n := seen("iam"); n != 0 {
					return fmt.Errorf("%d IAM requests reached the Identity Center endpoints", n)
				}
				return nil
			},
		),
	}}))
}
