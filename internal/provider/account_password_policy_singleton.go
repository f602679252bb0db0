package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// checkSinglePasswordPolicyManager fails the plan of a second iambaseline_account_password_policy
// in one configuration (typically a reusable module instantiated twice): an account has one password
// policy, so two instances would overwrite each other on every apply, and destroying either would
// delete it for both. Terraform plans every instance once per run with the same configured provider,
// which is how the second one is seen.
func checkSinglePasswordPolicyManager(plans *planRegistry, diags *diag.Diagnostics) {
	if plans == nil {
		return
	}
	if n := plans.managePasswordPolicy(); n > 1 {
		diags.AddError("The account password policy has more than one manager",
			"The account password policy is managed by more than one iambaseline_account_password_policy in this configuration "+
				"(for example a reusable module used twice). An AWS account has exactly one password policy: the instances would overwrite "+
				"each other on every apply, and destroying either would delete the policy for both. Keep exactly one, in the root module "+
				"or in a module instantiated once, and remove the others (for instances already applied, `terraform state rm <address>` "+
				"first, so that removing them does not delete the policy).")
	}
}
