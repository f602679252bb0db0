package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
)

// addPolicyLintDiagnostics lints a policy document the provider accepts or renders, before any API
// call: error findings become attribute errors that block the plan, warnings are shown.
func addPolicyLintDiagnostics(diags *diag.Diagnostics, attr path.Path, document string, opts lint.Options) {
	for _, f := range lint.Policy(document, opts) {
		summary := fmt.Sprintf("Policy problem (%s) in %s", f.Code, opts.Kind)
		switch f.Severity {
		case lint.SeverityError:
			diags.AddAttributeError(attr, summary, f.Message)
		default:
			diags.AddAttributeWarning(attr, summary, f.Message)
		}
	}
}
