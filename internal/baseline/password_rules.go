package baseline

import (
	"fmt"
	"strings"
)

// CIS defaults of the account password policy (CIS AWS Foundations Benchmark 1.7 and 1.8; 90-day
// rotation from earlier versions). CISMinimumPasswordLength and CISPasswordReusePrevention are with
// the audit checks that enforce them.
const (
	CISMaxPasswordAge = 90
	// DefaultTemporaryPasswordLength is the length of a generated temporary password.
	DefaultTemporaryPasswordLength = 20
)

// TemporaryPasswordPolicy is what a generated temporary password meets: at least the account's
// minimum length and every character class, even where the account policy does not ask, so that it
// also meets AWS's default policy and any stricter one set later.
func TemporaryPasswordPolicy(length, accountMinimum int) PasswordPolicy {
	return PasswordPolicy{
		MinimumLength:    max(length, accountMinimum),
		RequireLowercase: true,
		RequireUppercase: true,
		RequireNumbers:   true,
		RequireSymbols:   true,
	}
}

// GenerateTemporaryPassword makes a temporary password of the requested length (at least the
// account minimum) that meets TemporaryPasswordPolicy.
func GenerateTemporaryPassword(length, accountMinimum int) (string, error) {
	length = max(length, accountMinimum)
	pw, err := GeneratePassword(length, TemporaryPasswordPolicy(length, accountMinimum))
	if err != nil {
		return "", fmt.Errorf("generating the temporary password: %v", err)
	}
	return pw, nil
}

// Requirements says in words which character classes p asks for: " with a lowercase letter, a
// digit", or "" when none.
func (p PasswordPolicy) Requirements() string {
	var need []string
	if p.RequireLowercase {
		need = append(need, "a lowercase letter")
	}
	if p.RequireUppercase {
		need = append(need, "an uppercase letter")
	}
	if p.RequireNumbers {
		need = append(need, "a digit")
	}
	if p.RequireSymbols {
		need = append(need, "a symbol")
	}
	if len(need) == 0 {
		return ""
	}
	return " with " + strings.Join(need, ", ")
}
