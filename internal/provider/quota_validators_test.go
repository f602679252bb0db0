package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestOnboardedUserLimitExceededDiagnostic proves, from the requests sent, that when IAM refuses a
// membership with LimitExceeded (the user is already in 10 groups, some added outside Terraform),
// the apply's diagnostic says so in plain words with the way out, and the request is not retried.
func TestOnboardedUserLimitExceededDiagnostic(t *testing.T) {
	rec := userCreatingIAM().Fail("AddUserToGroup", 409, "LimitExceeded", "Cannot exceed quota for GroupsPerUser: 10")
	h := newFakeHarness(t, rec)
	config := h.config(map[string]any{
		"user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com",
		"groups": []string{"Developers"}, "console_access": false,
	})
	expectDiagnostic(t, h.validate(config, false), "")
	null := tftypes.NewValue(h.typ, nil)
	planned, private := h.plan(null, config)
	_, diags := h.apply(null, planned, config, private)
	got := errorsOf(diags)
	expectSays(t, "diagnostic", got,
		"IAM refused to add IAM user (ada) to group (Developers)",
		"the user is already in 10 groups, the IAM quota of groups per user",
		"Remove the user from a group it no longer needs",
		"retrying cannot clear",
	)
	if n := len(rec.FindAll("AddUserToGroup")); n != 1 {
		t.Errorf("AddUserToGroup sent %d times, want once: LimitExceeded is not retryable", n)
	}
}
