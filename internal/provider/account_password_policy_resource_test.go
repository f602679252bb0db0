package provider

import "testing"

func TestValidateAccountPasswordPolicy(t *testing.T) {
	for _, tc := range []struct {
		name      string
		attrs     map[string]any
		attribute string
		want      string
	}{
		{"defaults", map[string]any{}, "", ""},
		{"cis", map[string]any{"minimum_password_length": 14, "max_password_age": 90, "password_reuse_prevention": 24}, "", ""},
		{"never expire, no reuse check", map[string]any{"max_password_age": 0, "password_reuse_prevention": 0}, "", ""},
		{"too short", map[string]any{"minimum_password_length": 5}, "minimum_password_length", "between 6 and 128"},
		{"too long", map[string]any{"minimum_password_length": 129}, "minimum_password_length", "between 6 and 128"},
		{"age too high", map[string]any{"max_password_age": 1096}, "max_password_age", "between 0 and 1095"},
		{"age negative", map[string]any{"max_password_age": -1}, "max_password_age", "between 0 and 1095"},
		{"reuse too high", map[string]any{"password_reuse_prevention": 25}, "password_reuse_prevention", "between 0 and 24"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectDiagnostic(t, validateConfig(t, resourceSchema, "iambaseline_account_password_policy", tc.attrs), tc.want, tc.attribute)
		})
	}
}
