package baseline

// TEMPORARY stand-in for the password generator being written on another branch; removed when
// main's baseline.GeneratePassword lands.

import (
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
	"unicode"
)

type PasswordPolicy struct {
	MinimumLength                                                      int
	RequireLowercase, RequireUppercase, RequireNumbers, RequireSymbols bool
}

const stubSymbols = "!@#$%^&*()_+-=[]{}|'"

func GeneratePassword(length int, p PasswordPolicy) (string, error) {
	if length < p.MinimumLength {
		length = p.MinimumLength
	}
	classes := []string{"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", stubSymbols}
	all := strings.Join(classes, "")
	for {
		b := make([]byte, length)
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(all))))
			if err != nil {
				return "", err
			}
			b[i] = all[n.Int64()]
		}
		if p.Check(string(b)) == nil && strings.ContainsAny(string(b), stubSymbols) && strings.ContainsAny(string(b), "0123456789") {
			return string(b), nil
		}
	}
}

func (p PasswordPolicy) Check(pw string) error {
	if len(pw) < p.MinimumLength {
		return errors.New("too short")
	}
	has := func(f func(rune) bool) bool { return strings.IndexFunc(pw, f) >= 0 }
	if p.RequireLowercase && !has(unicode.IsLower) || p.RequireUppercase && !has(unicode.IsUpper) ||
		p.RequireNumbers && !has(unicode.IsDigit) || p.RequireSymbols && !strings.ContainsAny(pw, stubSymbols) {
		return errors.New("missing class")
	}
	return nil
}
