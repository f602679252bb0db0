package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// checkGroupsExist fails the plan for a group name that is known now but that neither exists in
// the account (the snapshot) nor is created by a baseline of this run, naming the closest existing
// group: a typo found at plan time instead of an apply that creates the user and then fails.
func (r *onboardedUserResource) checkGroupsExist(ctx context.Context, groups types.Set, diags *diag.Diagnostics) {
	if r.client == nil || groups.IsNull() || groups.IsUnknown() {
		return
	}
	var wanted []string
	for _, v := range groups.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsUnknown() || s.IsNull() {
			continue // decided at apply time
		}
		wanted = append(wanted, s.ValueString())
	}
	// Groups a baseline of this run has (it was planned first: the user uses its group_names) need
	// no request; only the others are looked up in the account.
	planned := r.plans.plannedGroups()
	wanted = slices.DeleteFunc(wanted, func(g string) bool { return slices.Contains(planned, g) })
	if len(wanted) == 0 {
		return
	}
	// A stale view is enough: groups created in this run by baselines are in the registry, and the
	// check must not cost a bulk read per user during an apply.
	snap, err := r.client.CachedSnapshot(ctx)
	if err != nil {
		return // the apply says what is wrong
	}
	known := append(snap.GroupNames(), planned...)
	for _, g := range wanted {
		if slices.Contains(known, g) {
			continue
		}
		at := path.Root("groups")
		if i := slices.IndexFunc(known, func(k string) bool { return strings.EqualFold(k, g) }); i >= 0 {
			diags.AddAttributeError(at, "Group name in the wrong case",
				fmt.Sprintf("The group %q is called %q in IAM: write it exactly that way, or better, use the group_names output of its "+
					"iambaseline_startup_group_baseline.", g, known[i]))
			continue
		}
		hint := "Check the spelling"
		if closest, near := baseline.Closest(g, known); near {
			hint = fmt.Sprintf("Did you mean %q? Fix the name", closest)
		}
		diags.AddAttributeError(at, "Group does not exist",
			fmt.Sprintf("The IAM group %q does not exist. %s, or take it from the group_names of an iambaseline_startup_group_baseline "+
				"(e.g. iambaseline_startup_group_baseline.this.group_names[\"Developers\"]), which also orders the apply. If a resource of another "+
				"provider creates this group in the same apply, create it first (terraform apply -target=<that resource>).", g, hint))
	}
}
