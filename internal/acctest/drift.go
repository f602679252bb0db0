package acctest

import (
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// DriftStep is the step every drift test takes: change edits AWS out of band (through IAM(t))
// before the plan, which must then show a change; the apply repairs it, the next plan is empty,
// and check verifies what AWS holds.
func DriftStep(config string, change func(), check resource.TestCheckFunc) resource.TestStep {
	return resource.TestStep{
		PreConfig: change,
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectNonEmptyPlan()},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		Check: check,
	}
}
