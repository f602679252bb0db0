package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// The IAM names the resource instances of one run plan to own, by kind ("IAM
// user", "IAM group", "IAM role") and lower-case name (IAM compares names regardless of case).
// Terraform plans every instance once per run with the same configured provider (as
// checkSinglePasswordPolicyManager relies on), so a name claimed twice is claimed by two instances.
// The provider is never told resource addresses: the second claimant's error carries its own
// address (Terraform adds it) and describes the first by its arguments.
// The claims are kept in the planRegistry of the configured provider.

// claim records that an instance described by who plans to own the entity kind/name, and returns
// the description of the instance that claimed it first, or "" when nobody did. An update planned
// with the very description of the first claim is taken for that instance planned again after its
// create (a process that plans, applies and plans again): two new instances are both creates.
func (n *planRegistry) claim(kind, name, who string, update bool) string {
	key := kind + "\x00" + strings.ToLower(name)
	n.mu.Lock()
	defer n.mu.Unlock()
	if first, ok := n.claims[key]; ok {
		if update && first == who {
			return ""
		}
		return first
	}
	n.claims[key] = who
	return ""
}

// checkNameUnclaimed fails the plan of an instance whose entity name another instance of the same
// configuration (and the same provider configuration) already plans to own.
func checkNameUnclaimed(plans *planRegistry, attr path.Path, resourceType, kind, name, who, fix string, update bool, diags *diag.Diagnostics) {
	if plans == nil || name == "" {
		return
	}
	first := plans.claim(kind, name, who, update)
	if first == "" {
		return
	}
	diags.AddAttributeError(attr, "Two resources of this configuration manage the same "+kind,
		fmt.Sprintf("This %s (%s) and another %s of this configuration (%s) both want the %s named %q; names are compared regardless of case, "+
			"so only one %s can exist and the two resources would fight over it, each undoing the other's changes on every apply. "+
			"Terraform names this resource's address above; the provider is not told addresses, so the other one is described by its arguments. %s",
			resourceType, who, resourceType, first, kind, name, kind, fix))
}

// claimUserName claims the planned user_name of an onboarded user.
func (r *onboardedUserResource) claimUserName(ctx context.Context, plan tfsdk.Plan, update bool, diags *diag.Diagnostics) {
	var name, fullName, email types.String
	diags.Append(plan.GetAttribute(ctx, path.Root("user_name"), &name)...)
	diags.Append(plan.GetAttribute(ctx, path.Root("full_name"), &fullName)...)
	diags.Append(plan.GetAttribute(ctx, path.Root("email"), &email)...)
	if diags.HasError() || name.IsUnknown() || name.IsNull() {
		return
	}
	who := fmt.Sprintf("user_name %q, full_name %q, email %q", name.ValueString(), fullName.ValueString(), email.ValueString())
	checkNameUnclaimed(r.plans, path.Root("user_name"), userResourceType, "IAM user", name.ValueString(), who,
		"Keep one entry per person: remove one of them (from the roster or for_each map), or give one another user_name.", update, diags)
}

// claimRoleName claims the planned name of a service role.
func claimRoleName(plans *planRegistry, name, rolePath string, update bool, diags *diag.Diagnostics) {
	checkNameUnclaimed(plans, path.Root("name"), "iambaseline_service_role", "IAM role", name, fmt.Sprintf("name %q, path %q", name, rolePath),
		"Keep one iambaseline_service_role per role: remove one of them, or give one another name.", update, diags)
}

// claimGroupNames claims the groups a startup group baseline plans to own (name_prefix + role key,
// and its additional groups), so that two baselines with the same name_prefix (or overlapping
// additional groups) fail at plan.
func claimGroupNames(plans *planRegistry, prefix string, groupNames map[string]string, update bool, diags *diag.Diagnostics) {
	keys := slices.Sorted(maps.Keys(groupNames))
	for _, key := range keys {
		checkNameUnclaimed(plans, path.Root("name_prefix"), "iambaseline_startup_group_baseline", "IAM group", groupNames[key],
			fmt.Sprintf("name_prefix %q, group %q", prefix, key),
			"Give each baseline its own name_prefix (e.g. \"acme-\" and \"acme-data-\"), or keep one baseline; an additional group's name must not repeat another baseline's group either.", update, diags)
		if diags.HasError() {
			return // one error per baseline is enough
		}
	}
}

// userClaim identifies the onboarded user instance that creates a user (baseline.InstanceClaim),
// by the arguments that tell one person's entry from another's: two instances of one configuration
// with the same user_name but another record or other groups never adopt each other's user.
func userClaim(plan *onboardedUserModel, groups []string) string {
	sorted := slices.Clone(groups)
	slices.Sort(sorted)
	return baseline.InstanceClaim(userResourceType, plan.UserName.ValueString(), plan.Path.ValueString(),
		plan.FullName.ValueString(), plan.Email.ValueString(), plan.JobTitle.ValueString(), strings.Join(sorted, ","))
}
