package baseline

import "testing"

// TestGenerateTemporaryPasswordUsesPolicyMinimum: the account minimum wins over a shorter length,
// and every character class is present whatever the account asks.
func TestGenerateTemporaryPasswordUsesPolicyMinimum(t *testing.T) {
	for _, tc := range []struct{ length, min, want int }{{20, 14, 20}, {14, 40, 40}, {128, 8, 128}} {
		pw, err := GenerateTemporaryPassword(tc.length, tc.min)
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != tc.want {
			t.Errorf("length %d with policy minimum %d: got %d characters, want %d", tc.length, tc.min, len(pw), tc.want)
		}
		all := PasswordPolicy{MinimumLength: tc.want, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true}
		if err := all.Check(pw); err != nil {
			t.Errorf("generated password misses a character class: %v", err)
		}
	}
}

func TestPasswordPolicyRequirements(t *testing.T) {
	for want, p := range map[string]PasswordPolicy{
		"":                                  {MinimumLength: 8},
		" with a lowercase letter, a digit": {RequireLowercase: true, RequireNumbers: true},
		" with a lowercase letter, an uppercase letter, a digit, a symbol": {RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true},
	} {
		if got := p.Requirements(); got != want {
			t.Errorf("%+v: %q, want %q", p, got, want)
		}
	}
}
