package baseline

import (
	"strings"
	"testing"
)

func TestOnboardingInstructionsNeverHoldThePassword(t *testing.T) {
	md := OnboardingInstructions(OnboardingInputs{
		SignInURL: "https://123456789012.signin.aws.amazon.com/console", UserName: "ada", FullName: "Ada Lovelace",
		Groups: []string{"Developers", "ReadOnly"}, Console: true, PGP: true,
	})
	for _, want := range []string{"https://123456789012.signin.aws.amazon.com/console", "`ada`", "change", "MFA", "`Developers`", "`ReadOnly`"} {
		if !strings.Contains(md, want) {
			t.Errorf("instructions lack %q:\n%s", want, md)
		}
	}
}

func TestUserTagsRecordWins(t *testing.T) {
	got := UserTags(map[string]string{"Team": "core", TagFullName: "Someone Else", TagJobTitle: "Old"}, PersonRecord{FullName: "Ada Lovelace", Email: "ada@example.com"})
	want := map[string]string{"Team": "core", TagFullName: "Ada Lovelace", TagEmail: "ada@example.com"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if rest := WithoutRecordTags(got); len(rest) != 1 || rest["Team"] != "core" {
		t.Errorf("WithoutRecordTags: %v", rest)
	}
}
