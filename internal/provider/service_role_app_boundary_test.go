package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// A role under the app role path without a permissions boundary is warned about at plan time,
// naming the baseline attribute to set; with a boundary, or outside the path, it is not.
func TestServiceRoleAppPathWithoutBoundaryWarns(t *testing.T) {
	lambda := []string{"lambda.amazonaws.com"}
	boundary := "arn:aws:iam::123456789012:policy/acme-AppBoundary"
	for _, tc := range []struct {
		name  string
		attrs map[string]any
		warn  bool
	}{
		{"app path, no boundary", map[string]any{"name": "acme-app-api", "path": "/app/", "trusted_services": lambda}, true},
		{"nested app path, no boundary", map[string]any{"name": "acme-app-api", "path": "/app/team/", "trusted_services": lambda}, true},
		{"app path with the boundary", map[string]any{"name": "acme-app-api", "path": "/app/", "trusted_services": lambda, "permissions_boundary": boundary}, false},
		{"another path", map[string]any{"name": "ops", "path": "/ops/", "trusted_services": lambda}, false},
		{"a path that only starts like it", map[string]any{"name": "ops", "path": "/application/", "trusted_services": lambda}, false},
		{"default path", map[string]any{"name": "ops", "trusted_services": lambda}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := validateConfig(t, resourceSchema, "iambaseline_service_role", tc.attrs)
			expectDiagnostic(t, diags, "")
			found := false
			for _, d := range diags {
				if d.Severity == tfprotov6.DiagnosticSeverityWarning && strings.Contains(d.Summary, "App role without the app permissions boundary") {
					found = true
					if !strings.Contains(d.Detail, "app_boundary_policy_arn") || !strings.Contains(diagLine(d), "permissions_boundary") {
						t.Errorf("the warning does not name the fix: %s", diagLine(d))
					}
				}
			}
			if found != tc.warn {
				t.Errorf("warned = %v, want %v:\n%s", found, tc.warn, diagText(diags))
			}
		})
	}
}
