package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// An unreachable endpoint: the plan-time reads fail fast and are skipped (the create checks again).
var unreachableProvider = map[string]any{
	"skip_credentials_validation": true, "max_retries": 1, "region": "us-east-1",
	"endpoints": map[string]any{"iam": "http://127.0.0.1:1", "sts": "http://127.0.0.1:1"},
}

// TestOnboardedUserPlan_duplicateUserName: the same user_name (in any case) planned by a second
// instance of one configuration fails that plan, naming the first by its arguments; another name
// and a re-plan in a new run do not.
func TestOnboardedUserPlan_duplicateUserName(t *testing.T) {
	h := newProtoHarness(t)
	h.configure(unreachableProvider)
	person := func(name, full string) tftypes.Value {
		return h.config(map[string]any{"user_name": name, "full_name": full, "email": strings.ToLower(full[:3]) + "@example.com",
			"groups": []string{"Developers"}, "store_password_in_state": true})
	}
	null := tftypes.NewValue(h.typ, nil)
	if _, _, diags := h.planDiags(null, person("ada", "Ada Lovelace")); errorsOf(diags) != "" {
		t.Fatalf("first instance: %s", diagText(diags))
	}
	if _, _, diags := h.planDiags(null, person("grace", "Grace Hopper")); errorsOf(diags) != "" {
		t.Fatalf("another name: %s", diagText(diags))
	}
	_, _, diags := h.planDiags(null, person("Ada", "Ada Byron"))
	expectDiagnostic(t, diags, `another iambaseline_onboarded_user of this configuration (user_name "ada", full_name "Ada Lovelace", email "ada@example.com")`, "user_name")
	expectDiagnostic(t, diags, "regardless of case")

	// A new run (Terraform configures the provider again) starts with no claims.
	h2 := newProtoHarness(t)
	h2.configure(unreachableProvider)
	if _, _, diags := h2.planDiags(tftypes.NewValue(h2.typ, nil), person("Ada", "Ada Byron")); errorsOf(diags) != "" {
		t.Fatalf("new run: %s", diagText(diags))
	}
}

func TestCheckNameUnclaimed_rolesAndGroups(t *testing.T) {
	c := newPlanRegistry()
	var diags diag.Diagnostics
	claimRoleName(c, "app-worker", "/", false, &diags)
	claimGroupNames(c, "acme-", map[string]string{"Developers": "acme-Developers", "ReadOnly": "acme-ReadOnly"}, false, &diags)
	claimRoleName(c, "app-api", "/", false, &diags)
	if diags.HasError() {
		t.Fatalf("distinct names: %v", diags)
	}
	claimRoleName(c, "APP-worker", "/app/", true, &diags)
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), `name "app-worker", path "/"`) {
		t.Fatalf("duplicate role: %v", diags)
	}
	if ad, ok := diags[0].(diag.DiagnosticWithPath); !ok || !ad.Path().Equal(path.Root("name")) {
		t.Fatalf("the role error is not on name: %v", diags[0])
	}
	diags = nil
	claimGroupNames(c, "ACME-", map[string]string{"ReadOnly": "ACME-ReadOnly"}, false, &diags)
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), `name_prefix "acme-", group "ReadOnly"`) || !strings.Contains(diags[0].Detail(), "own name_prefix") {
		t.Fatalf("duplicate baseline prefix: %v", diags)
	}
	// Users, roles and groups have separate name spaces.
	diags = nil
	checkNameUnclaimed(c, path.Root("user_name"), userResourceType, "IAM user", "app-worker", "x", "", false, &diags)
	if diags.HasError() {
		t.Fatalf("a user named like a role: %v", diags)
	}
	// The same instance planned again after its create (an update with the first claim's
	// description) is no duplicate; a second create with that description is.
	checkNameUnclaimed(c, path.Root("user_name"), userResourceType, "IAM user", "app-worker", "x", "", true, &diags)
	if diags.HasError() {
		t.Fatalf("a re-plan of the first claimant: %v", diags)
	}
	checkNameUnclaimed(c, path.Root("user_name"), userResourceType, "IAM user", "app-worker", "x", "", false, &diags)
	if !diags.HasError() {
		t.Fatal("a second create with the same arguments passed")
	}
	diags = nil
	// No configured provider (validation): nothing to compare with.
	checkNameUnclaimed(nil, path.Root("user_name"), userResourceType, "IAM user", "app-worker", "y", "", false, &diags)
	if diags.HasError() {
		t.Fatalf("unconfigured: %v", diags)
	}
}
