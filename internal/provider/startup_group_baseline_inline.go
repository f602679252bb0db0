package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// The baseline owns its groups' inline policies as it owns their managed policy attachments: a
// group holds only the inline policy of additional_groups' inline_policy. An inline policy put on a
// baseline group out of band shows in inline_policy_names as a change, with a warning naming it, and
// apply deletes it.

const inlinePolicyNamesDescription = "Inline policies of each group, by role key or additional group name, as found in AWS: none, or " +
	"`" + baseline.AdditionalInlinePolicy + "` for an additional group with `inline_policy`. An inline policy put on a baseline group " +
	"out of band shows here as a change (with a warning naming it) and apply deletes it: the baseline owns its groups' policies."

// desiredInlineNames are the inline policies each group should hold.
func (s baselineSpec) desiredInlineNames() map[string][]string { return s.rules().InlinePolicyNames() }

func inlineNamesValue(ctx context.Context, names map[string][]string, diags *diag.Diagnostics) types.Map {
	elems := map[string]attr.Value{}
	for k, v := range names {
		set, d := types.SetValueFrom(ctx, types.StringType, v)
		diags.Append(d...)
		elems[k] = set
	}
	m, d := types.MapValue(stringSetType, elems)
	diags.Append(d...)
	return m
}

// reportForeignInlinePolicies warns about inline policies on baseline groups that apply will delete.
func reportForeignInlinePolicies(ctx context.Context, state startupGroupBaselineModel, spec baselineSpec, diags *diag.Diagnostics) {
	if state.InlinePolicyNames.IsNull() || state.InlinePolicyNames.IsUnknown() {
		return
	}
	var actual map[string][]string
	if d := state.InlinePolicyNames.ElementsAs(ctx, &actual, false); d.HasError() {
		return
	}
	want := spec.desiredInlineNames()
	var foreign []string
	for _, k := range slices.Sorted(maps.Keys(actual)) {
		if _, ours := want[k]; !ours {
			continue
		}
		for _, name := range actual[k] {
			if !slices.Contains(want[k], name) {
				foreign = append(foreign, fmt.Sprintf("%s on group %s", name, spec.groupName(k)))
			}
		}
	}
	if len(foreign) > 0 {
		diags.AddAttributeWarning(path.Root("inline_policy_names"), "Foreign inline policies on baseline groups",
			"These inline policies were put on baseline groups outside this baseline and will be deleted by apply (the baseline owns "+
				"its groups' policies): "+strings.Join(foreign, "; ")+". To keep what one grants, make it a customer managed policy and add its ARN "+
				"to extra_policy_arns (or, for an additional group, to its policy_arns or inline_policy).")
	}
}
