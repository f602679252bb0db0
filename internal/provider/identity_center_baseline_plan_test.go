package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const identityCenterManualWarning = "IAM Identity Center settings Terraform cannot set"

// What AWS offers no API for is said in the plan, with the console steps: once in the plan that
// creates a baseline or a user, and not again in the plans of the unchanged resource.
func TestIdentityCenterManualStepsWarnedOncePerResource(t *testing.T) {
	for typeName, config := range map[string]map[string]any{
		"iambaseline_identity_center_baseline": {"name_prefix": "acme-", "account_ids": []string{"111111111111"}},
		"iambaseline_identity_center_user":     {"user_name": "ada", "family_name": "Lovelace", "email": "ada@example.com"},
	} {
		t.Run(typeName, func(t *testing.T) {
			h := newProtoHarness(t).of(typeName)
			cfg := h.config(config)
			planned, _, diags := h.planDiags(tftypes.NewValue(h.typ, nil), cfg)
			warnings := manualStepWarnings(diags)
			if len(warnings) != 1 {
				t.Fatalf("create plan: %d manual-step warnings, want 1:\n%s", len(warnings), diagText(diags))
			}
			for _, want := range []string{"Multi-factor authentication", "Require them to register an MFA device", "Send email OTP for users created from API", "no API"} {
				if !strings.Contains(warnings[0].Detail, want) {
					t.Errorf("the warning does not name %q:\n%s", want, warnings[0].Detail)
				}
			}
			prior := knownValue(t, planned)
			if _, _, diags := h.planDiags(prior, cfg); len(manualStepWarnings(diags)) != 0 {
				t.Fatalf("the plan of an existing, unchanged resource warns again:\n%s", diagText(diags))
			}
		})
	}
}

func manualStepWarnings(diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning && d.Summary == identityCenterManualWarning {
			out = append(out, d)
		}
	}
	return out
}

// knownValue is v with every unknown value replaced by a known one (empty, zero or null): a state
// standing for what the apply of a plan recorded.
func knownValue(t *testing.T, v tftypes.Value) tftypes.Value {
	t.Helper()
	out, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch typ := v.Type(); {
		case typ.Is(tftypes.String):
			return tftypes.NewValue(typ, "x"), nil
		case typ.Is(tftypes.Bool):
			return tftypes.NewValue(typ, false), nil
		case typ.Is(tftypes.Number):
			return tftypes.NewValue(typ, 0), nil
		case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}):
			return tftypes.NewValue(typ, []tftypes.Value{}), nil
		case typ.Is(tftypes.Map{}):
			return tftypes.NewValue(typ, map[string]tftypes.Value{}), nil
		default:
			return tftypes.NewValue(typ, nil), nil
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
