package provider_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

type debugPlan struct{}

func (debugPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		b, _ := json.MarshalIndent(rc.Change.Before, "", " ")
		a, _ := json.MarshalIndent(rc.Change.After, "", " ")
		u, _ := json.MarshalIndent(rc.Change.AfterUnknown, "", " ")
		fmt.Printf("=== %s %v\nBEFORE %s\nAFTER %s\nUNKNOWN %s\n", rc.Address, rc.Change.Actions, b, a, u)
	}
}
