package baseline

import (
	"bufio"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// PasswordPolicy is the part of an IAM account password policy that decides
// whether a password is acceptable.
type PasswordPolicy struct {
	MinimumLength    int
	RequireLowercase bool
	RequireUppercase bool
	RequireNumbers   bool
	RequireSymbols   bool
}

const (
	passwordLowercase = "abcdefghijklmnopqrstuvwxyz"
	passwordUppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	passwordDigits    = "0123456789"
	// The non-alphanumeric characters an IAM password policy counts as symbols.
	passwordSymbols  = "!@#$%^&*()_+-=[]{}|'"
	passwordAlphabet = passwordLowercase + passwordUppercase + passwordDigits + passwordSymbols

	// passwordMinGenerated follows CIS: never generate fewer than 14 characters.
	passwordMinGenerated = 14
	// passwordMaxLength is the longest password IAM accepts.
	passwordMaxLength = 128
)

var passwordClasses = []string{passwordLowercase, passwordUppercase, passwordDigits, passwordSymbols}

// GeneratePassword returns a password from crypto/rand of
// max(length, policy.MinimumLength, 14) characters, at most 128. It always
// holds a lowercase and an uppercase letter, a digit and a symbol, so it
// satisfies any IAM password policy of that length.
func GeneratePassword(length int, policy PasswordPolicy) (string, error) {
	return passwordGenerate(rand.Reader, length, policy)
}

func passwordGenerate(random io.Reader, length int, policy PasswordPolicy) (string, error) {
	n := max(length, policy.MinimumLength, passwordMinGenerated)
	if n > passwordMaxLength {
		return "", fmt.Errorf("password length %d is over the IAM maximum of %d: lower password_length or the policy's minimum length", n, passwordMaxLength)
	}
	// Buffered so a password costs one or two reads of the system source;
	// the buffer is dropped with the call.
	r := bufio.NewReaderSize(random, 64)
	out := make([]byte, 0, n)
	for _, class := range passwordClasses {
		c, err := passwordPick(r, class)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	for len(out) < n {
		c, err := passwordPick(r, passwordAlphabet)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	// Fisher-Yates, so the four guaranteed characters can be anywhere.
	for i := len(out) - 1; i > 0; i-- {
		j, err := passwordIndex(r, i+1)
		if err != nil {
			return "", err
		}
		out[i], out[j] = out[j], out[i]
	}
	return string(out), nil
}

func passwordPick(r io.ByteReader, alphabet string) (byte, error) {
	i, err := passwordIndex(r, len(alphabet))
	if err != nil {
		return 0, err
	}
	return alphabet[i], nil
}

// passwordIndex returns a uniform index in [0, n), 1 <= n <= 256, by
// rejection sampling: bytes at or above the largest multiple of n are
// discarded, so every index is equally likely (no modulo bias).
func passwordIndex(r io.ByteReader, n int) (int, error) {
	if n < 1 || n > 256 {
		return 0, fmt.Errorf("passwordIndex: n = %d out of range", n)
	}
	limit := 256 - 256%n
	for {
		b, err := r.ReadByte()
		if err != nil {
			return 0, fmt.Errorf("reading random bytes: %w", err)
		}
		if int(b) < limit {
			return int(b) % n, nil
		}
	}
}

// Check reports whether password satisfies the policy. The error lists every
// rule broken and never contains the password.
func (p PasswordPolicy) Check(password string) error {
	var problems []string
	n := utf8.RuneCountInString(password)
	if n < p.MinimumLength {
		problems = append(problems, fmt.Sprintf("shorter than %d characters", p.MinimumLength))
	}
	if n > passwordMaxLength {
		problems = append(problems, fmt.Sprintf("longer than the IAM maximum of %d characters", passwordMaxLength))
	}
	if p.RequireLowercase && !strings.ContainsAny(password, passwordLowercase) {
		problems = append(problems, "no lowercase letter (a-z)")
	}
	if p.RequireUppercase && !strings.ContainsAny(password, passwordUppercase) {
		problems = append(problems, "no uppercase letter (A-Z)")
	}
	if p.RequireNumbers && !strings.ContainsAny(password, passwordDigits) {
		problems = append(problems, "no number (0-9)")
	}
	if p.RequireSymbols && !strings.ContainsAny(password, passwordSymbols) {
		problems = append(problems, "no symbol (one of "+passwordSymbols+")")
	}
	if len(problems) > 0 {
		return errors.New("password does not satisfy the password policy: " + strings.Join(problems, ", "))
	}
	return nil
}
