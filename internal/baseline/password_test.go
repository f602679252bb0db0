package baseline

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

var strictPolicy = PasswordPolicy{MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true}

func TestGeneratePasswordLength(t *testing.T) {
	tests := []struct {
		name    string
		length  int
		policy  PasswordPolicy
		want    int
		wantErr string
	}{
		{"zero means the CIS floor", 0, PasswordPolicy{}, 14, ""},
		{"negative means the CIS floor", -3, PasswordPolicy{}, 14, ""},
		{"below the floor is raised", 8, PasswordPolicy{MinimumLength: 6}, 14, ""},
		{"requested length", 20, strictPolicy, 20, ""},
		{"policy minimum wins", 20, PasswordPolicy{MinimumLength: 32}, 32, ""},
		{"maximum", 128, PasswordPolicy{}, 128, ""},
		{"over the maximum", 129, PasswordPolicy{}, 0, "129 is over the IAM maximum of 128"},
		{"policy minimum over the maximum", 20, PasswordPolicy{MinimumLength: 200}, 0, "200 is over the IAM maximum of 128"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := GeneratePassword(tt.length, tt.policy)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				if got != "" {
					t.Errorf("password returned with an error: len %d", len(got))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("len = %d, want %d", len(got), tt.want)
			}
		})
	}
}

func TestGeneratePasswordClassesAndAlphabet(t *testing.T) {
	for i := 0; i < 2000; i++ {
		// The shortest password is the hardest case for "every class present".
		pw, err := GeneratePassword(0, PasswordPolicy{})
		if err != nil {
			t.Fatal(err)
		}
		for _, class := range passwordClasses {
			if !strings.ContainsAny(pw, class) {
				t.Fatalf("password %d has no character of %q", i, class)
			}
		}
		if strings.Trim(pw, passwordAlphabet) != "" {
			t.Fatalf("password %d has characters outside the alphabet", i)
		}
		if err := strictPolicy.Check(pw); err != nil {
			t.Fatalf("generated password fails the strict policy: %v", err)
		}
	}
}

func TestGeneratePasswordUnique(t *testing.T) {
	seen := make(map[string]bool, 1000)
	for i := 0; i < 1000; i++ {
		pw, err := GeneratePassword(14, PasswordPolicy{})
		if err != nil {
			t.Fatal(err)
		}
		if seen[pw] {
			t.Fatalf("password %d repeats an earlier one", i)
		}
		seen[pw] = true
	}
}

// TestGeneratePasswordDistribution is a chi-square test of character
// frequencies against the exact expectation (uniform over the alphabet plus
// one guaranteed character per class). The threshold, 180 for 81 degrees of
// freedom, fails by chance about once in 10^8 runs; modulo bias of a plain
// byte%82 would give a statistic in the thousands.
func TestGeneratePasswordDistribution(t *testing.T) {
	const samples, length = 2000, 100
	counts := map[byte]int{}
	firstClass := make([]int, len(passwordClasses))
	for i := 0; i < samples; i++ {
		pw, err := GeneratePassword(length, PasswordPolicy{})
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < len(pw); j++ {
			counts[pw[j]]++
		}
		for c, class := range passwordClasses {
			if strings.IndexByte(class, pw[0]) >= 0 {
				firstClass[c]++
			}
		}
	}
	chi2 := 0.0
	for _, class := range passwordClasses {
		for k := 0; k < len(class); k++ {
			expected := samples * (float64(length-len(passwordClasses))/float64(len(passwordAlphabet)) + 1/float64(len(class)))
			d := float64(counts[class[k]]) - expected
			chi2 += d * d / expected
		}
	}
	if len(counts) != len(passwordAlphabet) {
		t.Errorf("saw %d distinct characters, want %d", len(counts), len(passwordAlphabet))
	}
	if chi2 > 180 {
		t.Errorf("chi-square = %.1f over 81 degrees of freedom: characters are not uniform", chi2)
	}
	// The guaranteed characters are shuffled: the first position is not
	// always the same class (each class has probability >= 10/82 there).
	for c, n := range firstClass {
		if n < samples/20 {
			t.Errorf("class %q is first in only %d of %d passwords: the shuffle is broken", passwordClasses[c], n, samples)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy exhausted") }

func TestGeneratePasswordRandomFailure(t *testing.T) {
	if pw, err := passwordGenerate(failingReader{}, 20, PasswordPolicy{}); err == nil || !strings.Contains(err.Error(), "entropy exhausted") || pw != "" {
		t.Errorf("got (%d chars, %v), want an error from the random source", len(pw), err)
	}
	short := bytes.NewReader(make([]byte, 5))
	if _, err := passwordGenerate(short, 20, PasswordPolicy{}); !errors.Is(err, io.EOF) {
		t.Errorf("err = %v, want io.EOF when the source runs dry", err)
	}
}

func TestPasswordIndexRejectsBiasedBytes(t *testing.T) {
	// For n = 82 the bytes 246..255 would favour indexes 0..9 and must be
	// skipped.
	r := bytes.NewReader([]byte{255, 246, 250, 245, 5})
	if got, err := passwordIndex(r, 82); err != nil || got != 245%82 {
		t.Fatalf("passwordIndex = %d, %v; want %d", got, err, 245%82)
	}
	if got, err := passwordIndex(r, 82); err != nil || got != 5 {
		t.Fatalf("passwordIndex = %d, %v; want 5", got, err)
	}
	// Powers of two need no rejection.
	if got, err := passwordIndex(bytes.NewReader([]byte{255}), 128); err != nil || got != 127 {
		t.Fatalf("passwordIndex(255, 128) = %d, %v", got, err)
	}
	if _, err := passwordIndex(bytes.NewReader([]byte{1}), 0); err == nil {
		t.Error("passwordIndex(n=0) did not fail")
	}
}

func TestPasswordPolicyCheck(t *testing.T) {
	tests := []struct {
		name     string
		policy   PasswordPolicy
		password string
		problems []string // fragments of the error; none means valid
	}{
		{"strict ok", strictPolicy, "Abcdefghijk1!x", nil},
		{"every symbol counts", strictPolicy, "Abcdefghijk1'x", nil},
		{"too short", strictPolicy, "Abcdefgh1!", []string{"shorter than 14 characters"}},
		{"no lowercase", strictPolicy, "ABCDEFGHIJK1!X", []string{"no lowercase"}},
		{"no uppercase", strictPolicy, "abcdefghijk1!x", []string{"no uppercase"}},
		{"no number", strictPolicy, "Abcdefghijkl!x", []string{"no number"}},
		{"no symbol", strictPolicy, "Abcdefghijkl1x", []string{"no symbol"}},
		{"space is not a symbol", strictPolicy, "Abcdefghijk1 x", []string{"no symbol"}},
		{"everything wrong", strictPolicy, "", []string{"shorter than 14", "no lowercase", "no uppercase", "no number", "no symbol"}},
		{"lax policy", PasswordPolicy{MinimumLength: 6}, "abcdef", nil},
		{"zero policy still caps length", PasswordPolicy{}, strings.Repeat("a", 129), []string{"longer than the IAM maximum of 128"}},
		{"length counts characters not bytes", PasswordPolicy{MinimumLength: 4}, "ééé", []string{"shorter than 4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Check(tt.password)
			if len(tt.problems) == 0 {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check = nil, want problems %q", tt.problems)
			}
			for _, p := range tt.problems {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q does not mention %q", err, p)
				}
			}
			if tt.password != "" && strings.Contains(err.Error(), tt.password) {
				t.Errorf("error reveals the password")
			}
		})
	}
}
