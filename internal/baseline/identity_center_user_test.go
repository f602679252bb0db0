package baseline

import (
	"strings"
	"testing"
)

func TestValidateIdentityStoreUserName(t *testing.T) {
	for name, ok := range map[string]bool{
		"ada.lovelace": true, "ada@example.com": true, "zoë": true, strings.Repeat("a", 128): true,
		"": false, "ada lovelace": false, strings.Repeat("a", 129): false, "administrator": false, "AWSAdministrators": false, "tab\tname": false,
	} {
		if err := ValidateIdentityStoreUserName(name); (err == nil) != ok {
			t.Errorf("ValidateIdentityStoreUserName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

func TestValidateIdentityStoreAttribute(t *testing.T) {
	for v, ok := range map[string]bool{"Ada": true, strings.Repeat("é", 1024): true, "": false, "   ": false, strings.Repeat("a", 1025): false} {
		if err := ValidateIdentityStoreAttribute(v); (err == nil) != ok {
			t.Errorf("ValidateIdentityStoreAttribute(%q) = %v, want ok=%v", v, err, ok)
		}
	}
}

func TestIdentityCenterOnboardingInstructions(t *testing.T) {
	in := IdentityCenterOnboarding{PortalURL: "https://d-1234567890.awsapps.com/start", UserName: "ada", DisplayName: "Ada Lovelace",
		Email: "ada@example.com", Groups: []string{"acme-Developers"}, Region: "eu-west-1"}
	got := IdentityCenterOnboardingInstructions(in)
	for _, want := range []string{
		"Welcome to AWS, Ada Lovelace", "https://d-1234567890.awsapps.com/start", "`ada`", "ada@example.com", "Forgot password",
		"Register MFA", "`acme-Developers`", "aws configure sso", "SSO region: eu-west-1", "SSO start URL: https://d-1234567890.awsapps.com/start",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("instructions lack %q:\n%s", want, got)
		}
	}
	in.Suspended = true
	got = IdentityCenterOnboardingInstructions(in)
	if !strings.Contains(got, "suspended") || strings.Contains(got, "aws configure sso") || strings.Contains(got, "Forgot password") {
		t.Errorf("suspended instructions tell how to sign in:\n%s", got)
	}
}

func TestIdentityCenterUserChecklist(t *testing.T) {
	wanted := []string{"Developers", "ReadOnly"}
	cases := []struct {
		name      string
		exists    bool
		have      []string
		email     string
		groups    int
		direct    int
		suspended bool
		want      IdentityCenterChecklist
	}{
		{"missing", false, nil, "", 0, 0, false, IdentityCenterChecklist{}},
		{"complete", true, []string{"ReadOnly", "Developers"}, "a@b.co", 2, 0, false, IdentityCenterChecklist{true, true, true, true}},
		{"membership removed", true, []string{"ReadOnly"}, "a@b.co", 1, 0, false, IdentityCenterChecklist{true, false, true, true}},
		{"groups not assigned anywhere", true, wanted, "a@b.co", 0, 0, false, IdentityCenterChecklist{true, true, true, false}},
		{"direct assignment only", true, nil, "a@b.co", 0, 1, false, IdentityCenterChecklist{true, false, true, true}},
		{"suspended", true, nil, "a@b.co", 0, 0, true, IdentityCenterChecklist{true, false, true, false}},
	}
	for _, c := range cases {
		if got := IdentityCenterUserChecklist(c.exists, wanted, c.have, c.email, c.groups, c.direct, c.suspended); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
