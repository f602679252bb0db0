package baseline

import (
	"strings"
	"testing"
	"time"
)

func TestParseSessionDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"PT1H", time.Hour, ""},
		{"PT8H", 8 * time.Hour, ""},
		{"PT1H30M", 90 * time.Minute, ""},
		{"PT90M", 90 * time.Minute, ""},
		{"PT12H", 12 * time.Hour, ""},
		{"PT13H", 0, "outside PT1H..PT12H"},
		{"PT30M", 0, "outside PT1H..PT12H"},
		{"8h", 0, "not an ISO 8601 duration"},
		{"PT", 0, "not an ISO 8601 duration"},
	} {
		got, err := ParseSessionDuration(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestValidatePermissionSetName(t *testing.T) {
	if err := ValidatePermissionSetName(IdentityCenterName("acme-", RoleDatabaseAdmins)); err != nil {
		t.Fatal(err)
	}
	long := IdentityCenterName("acme-platform-team-", RoleDatabaseAdmins) // 33 characters
	if err := ValidatePermissionSetName(long); err == nil || !strings.Contains(err.Error(), "shorten name_prefix by 1") {
		t.Fatalf("%s: %v", long, err)
	}
	if err := ValidatePermissionSetName("acme Developers"); err == nil {
		t.Fatal("a space is accepted")
	}
}

func TestDefaultSessionDuration(t *testing.T) {
	want := map[string]string{RoleDevelopers: "PT8H", RoleReadOnly: "PT8H", RoleSysAdmins: "PT4H", RoleDatabaseAdmins: "PT4H"}
	for k, v := range want {
		if got := DefaultSessionDuration(k); got != v {
			t.Errorf("%s: %s, want %s", k, got, v)
		}
	}
}

func TestValidateRelayState(t *testing.T) {
	if err := ValidateRelayState("https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:"); err != nil {
		t.Fatal(err)
	}
	if err := ValidateRelayState(strings.Repeat("a", RelayStateMax+1)); err == nil {
		t.Fatal("a 241-character relay state is accepted")
	}
	if err := ValidateRelayState("https://example.com/<script>"); err == nil {
		t.Fatal("< is accepted")
	}
}

func TestPermissionSetsFitInlineLimit(t *testing.T) {
	docs, err := Documents(RoleKeys(), Options{AllowedRegions: []string{"eu-west-1", "us-east-1"}}, false, false)
	if err != nil {
		t.Fatal(err)
	}
	for k, d := range docs {
		if err := ValidatePermissionSetInlinePolicy(d); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	if err := ValidatePermissionSetInlinePolicy(`{"a":"` + strings.Repeat("x", PermissionSetInlinePolicyMax) + `"}`); err == nil {
		t.Fatal("an oversized policy is accepted")
	}
}

func TestAccessPortalURL(t *testing.T) {
	if got := AccessPortalURL("d-1234567890"); got != "https://d-1234567890.awsapps.com/start" {
		t.Fatal(got)
	}
}

func TestValidatePermissionSetManagedPolicyARN(t *testing.T) {
	for arn, ok := range map[string]bool{
		"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess": true,
		"arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess":       true,
		"arn:aws:iam::111111111111:policy/app-read":           false,
		"AdministratorAccess":                                 false,
	} {
		if err := ValidatePermissionSetManagedPolicyARN(arn); (err == nil) != ok {
			t.Errorf("%s: error %v, want ok=%v", arn, err, ok)
		}
	}
}
