package provider

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Value converters between Terraform values and plain Go, the one home for them.

// stringsFromSet is the set's strings, sorted; nil when the set is null or unknown.
func stringsFromSet(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	slices.Sort(out)
	return out
}

// stringMapFrom is the map's entries; empty (never nil) when the map is null or unknown.
func stringMapFrom(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

// optionalString is null for "", else the string.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// stringSet is a set of the values (empty, not null, when there are none).
func stringSet(values []string) types.Set {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.SetValueMust(types.StringType, elems)
}

// stringList is a list of the values (empty, not null, when there are none).
func stringList(values []string) types.List {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.ListValueMust(types.StringType, elems)
}

// stringMapValue is a map of the entries (empty, not null, for a nil map).
func stringMapValue(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// stringListOrNull is a list of the values, null when there are none.
func stringListOrNull(ctx context.Context, values []string, diags *diag.Diagnostics) types.List {
	if len(values) == 0 {
		return types.ListNull(types.StringType)
	}
	v, d := types.ListValueFrom(ctx, types.StringType, values)
	diags.Append(d...)
	return v
}

// stringMap is a map of the entries (empty, not null, for a nil map).
func stringMap(ctx context.Context, in map[string]string, diags *diag.Diagnostics) types.Map {
	if in == nil {
		in = map[string]string{}
	}
	v, d := types.MapValueFrom(ctx, types.StringType, in)
	diags.Append(d...)
	return v
}

// setKeepingNull is a set of the values, null when there are none and the prior value was null:
// what keeps an unset optional argument from showing a diff after a refresh.
func setKeepingNull(values []string, prior types.Set) types.Set {
	if len(values) == 0 && (prior.IsNull() || prior.IsUnknown()) {
		return types.SetNull(types.StringType)
	}
	return stringSet(values)
}

// mapKeepingNull is a map of the entries, null when there are none and the prior value was null.
func mapKeepingNull(values map[string]string, prior types.Map) types.Map {
	if len(values) == 0 && (prior.IsNull() || prior.IsUnknown()) {
		return types.MapNull(types.StringType)
	}
	elems := make(map[string]attr.Value, len(values))
	for _, k := range slices.Sorted(maps.Keys(values)) {
		elems[k] = types.StringValue(values[k])
	}
	return types.MapValueMust(types.StringType, elems)
}

// policiesEquivalent reports whether two policy documents mean the same; a document that does not
// parse equals only itself.
func policiesEquivalent(a, b string) bool {
	if a == b {
		return true
	}
	eq, err := baseline.PoliciesEquivalent(a, b)
	return err == nil && eq
}

// canonicalPolicy is the provider's rendering of a policy document, or the document as is when it
// does not parse.
func canonicalPolicy(doc string) string {
	parsed, err := baseline.ParsePolicy(doc)
	if err != nil {
		return doc
	}
	out, err := parsed.JSON()
	if err != nil {
		return doc
	}
	return out
}
