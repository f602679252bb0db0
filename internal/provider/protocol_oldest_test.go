package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// oldestTerraform is the oldest Terraform the provider supports: 1.0, the first release that speaks
// plugin protocol 6. No Terraform that old can be built here in reasonable time (`go install` builds
// 1.8.5 at best, in minutes), so this test speaks to the server the way it does: it announces
// version 1.0.0, sends no client capabilities (no write-only values, no deferral), and validates,
// plans and configures as 1.0 does. make test runs it; the acceptance tests run a current Terraform.
const oldestTerraform = "1.0.0"

func TestProtocol_oldestTerraform(t *testing.T) {
	h := newProtoHarness(t)
	ctx := context.Background()
	if resp, err := h.srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("schema: %v %v", err, resp.Diagnostics)
	}
	resp, err := h.srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: oldestTerraform, Config: configValue(t, h.srv, providerSchema, "", unreachableProvider),
	})
	if err != nil {
		t.Fatal(err)
	}
	expectDiagnostic(t, resp.Diagnostics, "")
	config := h.config(map[string]any{"user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com",
		"groups": []string{"Developers"}, "store_password_in_state": true})
	expectDiagnostic(t, h.validate(config, false), "")
	planned, _, diags := h.planDiags(tftypes.NewValue(h.typ, nil), config)
	expectDiagnostic(t, diags, "")
	if got, _ := stringAttr(t, planned, "user_name"); got != "ada" {
		t.Fatalf("planned user_name %q", got)
	}
	// What needs a newer Terraform says so instead of failing obscurely.
	wo := h.config(map[string]any{"user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com",
		"groups": []string{"Developers"}, "temporary_password_wo": "Xy7!abcdefghijkl", "temporary_password_wo_version": 1})
	expectDiagnostic(t, h.validate(wo, false), "Write-only")
}
