package provider_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
)

// testAccProviderDefaultTags renders a provider block with these default_tags.
func testAccProviderDefaultTags(tags map[string]string) string {
	var b strings.Builder
	b.WriteString("provider \"iambaseline\" {\n  default_tags {\n    tags = {\n")
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		fmt.Fprintf(&b, "      %q = %q\n", k, tags[k])
	}
	b.WriteString("    }\n  }\n}\n")
	return b.String()
}

// knownTags checks a map of strings exactly.
func knownTags(tags map[string]string) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for k, v := range tags {
		checks[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(checks)
}
