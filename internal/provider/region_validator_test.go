package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

func TestProviderRegionValidation(t *testing.T) {
	cases := []struct {
		region, want string
		severity     tfprotov6.DiagnosticSeverity
	}{
		{"eu-west-1", "", 0},
		{"us-gov-west-1", "", 0},
		{"us-east1", `"us-east1" is not an AWS region name`, tfprotov6.DiagnosticSeverityError},
		{"us-east-1a", `Did you mean "us-east-1"?`, tfprotov6.DiagnosticSeverityError},
		{"us-est-1", `Did you mean "us-east-1"?`, tfprotov6.DiagnosticSeverityWarning},
	}
	for _, tc := range cases {
		t.Run(tc.region, func(t *testing.T) {
			diags := validateConfig(t, providerSchema, "", map[string]any{"region": tc.region})
			if tc.severity == tfprotov6.DiagnosticSeverityError {
				expectDiagnostic(t, diags, tc.want, "region")
				return
			}
			expectDiagnostic(t, diags, "")
			if tc.want != "" && (len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning) {
				t.Fatalf("want one warning mentioning %q, got %s", tc.want, diagText(diags))
			}
		})
	}
}
