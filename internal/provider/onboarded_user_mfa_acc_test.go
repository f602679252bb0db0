package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

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
		resource.TestStep{
			PreConfig: func() {
				if _, err := acctest.IAM(t).EnableMFADevice(context.Background(), &iam.EnableMFADeviceInput{
					UserName: aws.String(name), SerialNumber: aws.String(serial),
					AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321"),
				}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(userResource, "mfa_enabled", "true"),
				resource.TestCheckResourceAttr(userResource, "mfa_devices.#", "1"),
				resource.TestCheckResourceAttrWith(userResource, "mfa_devices.0", func(v string) error {
					if v != serial {
						return fmt.Errorf("mfa_devices.0 = %s, want %s", v, serial)
					}
					return nil
				}),
				resource.TestCheckResourceAttr(userResource, "onboarding_checklist.mfa_enabled", "true"),
			),
		},
		emptyPlanStep(cfg.String()),
	))
}
