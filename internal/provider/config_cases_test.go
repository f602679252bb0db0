package provider

import (
	"maps"
	"testing"
)

// configCase is one row of a validation table: the attributes it adds to (or changes in) the
// table's minimal configuration, and the error they must raise: one mentioning want on attribute;
// none when both are ""; any error when only attribute is given.
type configCase struct {
	name      string
	extra     map[string]any
	attribute string
	want      string
}

// testConfigCases validates each case's configuration of the resource typeName, the minimal
// attributes with the case's on top, as Terraform's validate does, before any API call.
func testConfigCases(t *testing.T, typeName string, minimal map[string]any, cases []configCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			attrs := maps.Clone(minimal)
			maps.Copy(attrs, tc.extra)
			diags := validateConfig(t, resourceSchema, typeName, attrs)
			if tc.want == "" && tc.attribute != "" {
				if errorsOf(diags) == "" {
					t.Fatalf("a bad %s was accepted", tc.attribute)
				}
				return
			}
			expectDiagnostic(t, diags, tc.want, tc.attribute)
		})
	}
}
