package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// checkDroppedGroupsEmpty fails the plan when the change deletes groups that still have members and
// force_destroy is off. Terraform applies the baseline before the onboarded users that use its
// group_names, so moving the people out in the same change cannot empty the group in time: the apply
// would fail halfway. The error names the groups and members and the two ways that work.
func checkDroppedGroupsEmpty(ctx context.Context, c *awsiam.Client, old, spec baselineSpec, diags *diag.Diagnostics) {
	if c == nil || spec.ForceDestroy {
		return
	}
	keep := map[string]bool{}
	for _, k := range spec.groupKeys() {
		keep[spec.groupName(k)] = true
	}
	var dropped []string
	for _, k := range old.groupKeys() {
		if !keep[old.groupName(k)] {
			dropped = append(dropped, k)
		}
	}
	if len(dropped) == 0 {
		return
	}
	snap, err := c.CachedSnapshot(ctx)
	if err != nil {
		return // the apply checks again
	}
	var busy, keys []string
	for _, k := range dropped {
		if g, ok := snap.Group(old.groupName(k)); ok && len(g.Members) > 0 {
			busy = append(busy, fmt.Sprintf("%s (members: %s)", g.Name, strings.Join(g.Members, ", ")))
			keys = append(keys, fmt.Sprintf("%q", k))
		}
	}
	if len(busy) == 0 {
		return
	}
	slices.Sort(busy)
	diags.AddAttributeError(path.Root("groups"), "Groups to delete still have members",
		fmt.Sprintf("This change deletes %s. Terraform applies the baseline before the onboarded users that use its group_names, "+
			"so moving these people to other groups in the same change cannot empty the groups in time, and the apply would fail halfway. Either:\n"+
			"  1. use two applies: first move the people (change their groups, keep %s in groups) and apply; then remove %s from groups and apply again; or\n"+
			"  2. set force_destroy = true on this baseline: the apply removes the members, deletes the groups, and the users then join their new groups in the same apply.",
			strings.Join(busy, "; "), strings.Join(keys, ", "), strings.Join(keys, ", ")))
}
