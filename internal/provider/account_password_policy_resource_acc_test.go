package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// The password policy is an account-wide singleton: these tests use resource.Test, never
// ParallelTest, so that they do not fight over it.

const (
	passwordPolicyAddress = "iambaseline_account_password_policy.test"
	passwordPolicyDefault = `resource "iambaseline_account_password_policy" "test" {}`
)

// testAccPasswordPolicyTest runs steps against the account's one password policy, checking that
// destroy deletes it.
func testAccPasswordPolicyTest(t *testing.T, steps ...resource.TestStep) {
	resource.Test(t, acctest.Case(t, testAccCheckPasswordPolicyDestroy(t), steps))
}

// cisPasswordPolicy is the policy the resource's defaults (CIS) give, changed by edit.
func cisPasswordPolicy(edit func(*iamtypes.PasswordPolicy)) iamtypes.PasswordPolicy {
	p := iamtypes.PasswordPolicy{
		MinimumPasswordLength:      aws.Int32(14),
		RequireLowercaseCharacters: true,
		RequireUppercaseCharacters: true,
		RequireNumbers:             true,
		RequireSymbols:             true,
		AllowUsersToChangePassword: true,
		MaxPasswordAge:             aws.Int32(90),
		PasswordReusePrevention:    aws.Int32(24),
		HardExpiry:                 aws.Bool(false),
		ExpirePasswords:            true,
	}
	if edit != nil {
		edit(&p)
	}
	return p
}

func TestAccAccountPasswordPolicy_basic(t *testing.T) {
	testAccPasswordPolicyTest(t, resource.TestStep{
		Config: passwordPolicyDefault,
		Check:  testAccCheckPasswordPolicy(t, cisPasswordPolicy(nil)),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(passwordPolicyAddress, tfjsonpath.New("id"), knownvalue.StringExact("iam-account-password-policy")),
			statecheck.ExpectKnownValue(passwordPolicyAddress, tfjsonpath.New("minimum_password_length"), knownvalue.Int64Exact(14)),
			statecheck.ExpectKnownValue(passwordPolicyAddress, tfjsonpath.New("max_password_age"), knownvalue.Int64Exact(90)),
			statecheck.ExpectKnownValue(passwordPolicyAddress, tfjsonpath.New("password_reuse_prevention"), knownvalue.Int64Exact(24)),
			statecheck.ExpectKnownValue(passwordPolicyAddress, tfjsonpath.New("hard_expiry"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(passwordPolicyAddress, tfjsonpath.New("expire_passwords"), knownvalue.Bool(true)),
		},
	})
}

func TestAccAccountPasswordPolicy_update(t *testing.T) {
	testAccPasswordPolicyTest(t,
		resource.TestStep{Config: passwordPolicyDefault},
		resource.TestStep{
			Config: `resource "iambaseline_account_password_policy" "test" {
  minimum_password_length        = 20
  require_symbols                = false
  require_lowercase_characters   = false
  allow_users_to_change_password = false
  max_password_age               = 0
  password_reuse_prevention      = 0
  hard_expiry                    = true
}`,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(passwordPolicyAddress, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(passwordPolicyAddress, tfjsonpath.New("expire_passwords"), knownvalue.Bool(false)),
			}},
			Check: testAccCheckPasswordPolicy(t, cisPasswordPolicy(func(p *iamtypes.PasswordPolicy) {
				p.MinimumPasswordLength = aws.Int32(20)
				p.RequireLowercaseCharacters, p.RequireSymbols, p.AllowUsersToChangePassword = false, false, false
				p.MaxPasswordAge, p.PasswordReusePrevention = nil, nil
				p.HardExpiry, p.ExpirePasswords = aws.Bool(true), false
			})),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(passwordPolicyAddress, tfjsonpath.New("expire_passwords"), knownvalue.Bool(false)),
			},
		},
		resource.TestStep{
			Config: `resource "iambaseline_account_password_policy" "test" {
  max_password_age = 30
}`,
			Check: testAccCheckPasswordPolicy(t, cisPasswordPolicy(func(p *iamtypes.PasswordPolicy) { p.MaxPasswordAge = aws.Int32(30) })),
		},
	)
}

func TestAccAccountPasswordPolicy_import(t *testing.T) {
	testAccPasswordPolicyTest(t,
		resource.TestStep{Config: `resource "iambaseline_account_password_policy" "test" {
  minimum_password_length = 16
  max_password_age        = 0
}`},
		resource.TestStep{
			ResourceName:      passwordPolicyAddress,
			ImportState:       true,
			ImportStateId:     "iam-account-password-policy",
			ImportStateVerify: true,
		},
		resource.TestStep{
			ResourceName:  passwordPolicyAddress,
			ImportState:   true,
			ImportStateId: "password-policy",
			ExpectError:   regexp.MustCompile(`Invalid import ID`),
		},
	)
}

func TestAccAccountPasswordPolicy_disappears(t *testing.T) {
	testAccPasswordPolicyTest(t,
		resource.TestStep{
			Config: passwordPolicyDefault,
			Check: resource.ComposeTestCheckFunc(
				testAccCheckPasswordPolicyExists(t),
				func(*terraform.State) error {
					_, err := acctest.IAM(t).DeleteAccountPasswordPolicy(context.Background(), &iam.DeleteAccountPasswordPolicyInput{})
					return err
				},
			),
			ExpectNonEmptyPlan: true,
		},
		// Re-applying recreates it.
		resource.TestStep{Config: passwordPolicyDefault, Check: testAccCheckPasswordPolicyExists(t)},
	)
}

func TestAccAccountPasswordPolicy_drift(t *testing.T) {
	testAccPasswordPolicyTest(t,
		resource.TestStep{Config: passwordPolicyDefault},
		resource.TestStep{
			PreConfig: func() {
				// Someone weakens the policy in the console.
				_, err := acctest.IAM(t).UpdateAccountPasswordPolicy(context.Background(), &iam.UpdateAccountPasswordPolicyInput{
					MinimumPasswordLength:      aws.Int32(8),
					AllowUsersToChangePassword: true,
				})
				if err != nil {
					t.Fatalf("weakening the password policy out of band: %v", err)
				}
			},
			Config: passwordPolicyDefault,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectNonEmptyPlan(),
					plancheck.ExpectResourceAction(passwordPolicyAddress, plancheck.ResourceActionUpdate),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: testAccCheckPasswordPolicy(t, cisPasswordPolicy(nil)),
		},
	)
}

// testAccReadPasswordPolicy is the account's password policy read through the SDK.
func testAccReadPasswordPolicy(t *testing.T) (*iamtypes.PasswordPolicy, error) {
	out, err := acctest.IAM(t).GetAccountPasswordPolicy(context.Background(), &iam.GetAccountPasswordPolicyInput{})
	if err != nil {
		return nil, err
	}
	return out.PasswordPolicy, nil
}

func testAccCheckPasswordPolicyExists(t *testing.T) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := testAccReadPasswordPolicy(t)
		if err != nil {
			return fmt.Errorf("reading the account password policy: %w", err)
		}
		if got == nil {
			return fmt.Errorf("the account has no password policy")
		}
		return nil
	}
}

// testAccCheckPasswordPolicy compares every field of the account's password policy, read through
// the SDK, with want. Absent and zero counts are the same to IAM.
func testAccCheckPasswordPolicy(t *testing.T, want iamtypes.PasswordPolicy) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := testAccReadPasswordPolicy(t)
		if err != nil {
			return fmt.Errorf("reading the account password policy: %w", err)
		}
		type field struct {
			name      string
			got, want any
		}
		for _, f := range []field{
			{"MinimumPasswordLength", aws.ToInt32(got.MinimumPasswordLength), aws.ToInt32(want.MinimumPasswordLength)},
			{"RequireLowercaseCharacters", got.RequireLowercaseCharacters, want.RequireLowercaseCharacters},
			{"RequireUppercaseCharacters", got.RequireUppercaseCharacters, want.RequireUppercaseCharacters},
			{"RequireNumbers", got.RequireNumbers, want.RequireNumbers},
			{"RequireSymbols", got.RequireSymbols, want.RequireSymbols},
			{"AllowUsersToChangePassword", got.AllowUsersToChangePassword, want.AllowUsersToChangePassword},
			{"MaxPasswordAge", aws.ToInt32(got.MaxPasswordAge), aws.ToInt32(want.MaxPasswordAge)},
			{"PasswordReusePrevention", aws.ToInt32(got.PasswordReusePrevention), aws.ToInt32(want.PasswordReusePrevention)},
			{"HardExpiry", aws.ToBool(got.HardExpiry), aws.ToBool(want.HardExpiry)},
			{"ExpirePasswords", got.ExpirePasswords, want.ExpirePasswords},
		} {
			if f.got != f.want {
				return fmt.Errorf("password policy %s = %v, want %v", f.name, f.got, f.want)
			}
		}
		return nil
	}
}

func testAccCheckPasswordPolicyDestroy(t *testing.T) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := testAccReadPasswordPolicy(t)
		if err == nil {
			return fmt.Errorf("the account password policy still exists")
		}
		if !awsiam.IsNotFound(err) {
			return err
		}
		return nil
	}
}
