package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awssso"
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

// Two Identity Center baselines of one configuration with the same name_prefix (in any case), or
// an additional group repeating another baseline's set, fail the second plan, naming the first;
// the re-plan of the same baseline in the same run does not.
func TestClaimPermissionSetNames(t *testing.T) {
	plans := newPlanRegistry()
	sets := func(prefix string, keys ...string) []awssso.SetSpec {
		var out []awssso.SetSpec
		for _, k := range keys {
			out = append(out, awssso.SetSpec{Key: k, Name: prefix + k, Additional: k == "Billing"})
		}
		return out
	}
	var diags diag.Diagnostics
	claimPermissionSetNames(plans, "acme-", sets("acme-", "Developers", "ReadOnly"), false, &diags)
	claimPermissionSetNames(plans, "data-", sets("data-", "ReadOnly"), false, &diags)
	claimPermissionSetNames(plans, "acme-", sets("acme-", "Developers", "ReadOnly"), true, &diags)
	if diags.HasError() {
		t.Fatalf("distinct baselines and a re-plan: %v", diags)
	}
	claimPermissionSetNames(plans, "ACME-", sets("ACME-", "ReadOnly"), false, &diags)
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), `name_prefix "acme-", group "ReadOnly"`) {
		t.Fatalf("duplicate prefix: %v", diags)
	}
	diags = nil
	claimPermissionSetNames(plans, "", sets("", "acme-Developers", "Billing"), false, &diags)
	claimPermissionSetNames(plans, "data-", sets("data-", "Billing"), false, &diags)
	claimPermissionSetNames(plans, "data", sets("data", "-Billing"), false, &diags)
	if !diags.HasError() {
		t.Fatal("a set named like another baseline's was accepted")
	}
	if !strings.Contains(diags[0].Detail(), `"acme-Developers"`) {
		t.Fatalf("first error %v, want the clash on acme-Developers", diags[0])
	}
}

// The same user_name (in any case) planned by a second identity_center_user of one configuration
// fails that plan before any request, naming the first by its arguments.
func TestIdentityCenterUserPlan_duplicateUserName(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1") // sso-admin and identitystore too: nothing leaves the machine
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "example")
	h := newProtoHarness(t)
	h.configure(unreachableProvider)
	u := h.of("iambaseline_identity_center_user")
	person := func(name, email string) tftypes.Value {
		return u.config(map[string]any{"user_name": name, "family_name": "Lovelace", "email": email})
	}
	null := tftypes.NewValue(u.typ, nil)
	u.planDiags(null, person("ada", "ada@example.com")) // the unreachable instance fails this plan; the claim is made
	_, _, diags := u.planDiags(null, person("ADA", "ada.byron@example.com"))
	expectDiagnostic(t, diags, `another iambaseline_identity_center_user of this configuration (user_name "ada", email "ada@example.com")`, "user_name")
	if strings.Contains(errorsOf(diags), "Cannot find the IAM Identity Center instance") {
		t.Fatalf("the duplicate was found after a request: %s", diagText(diags))
	}
}
