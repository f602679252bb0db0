package provider_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest"
)

// Issue 12, item 7: configure-time errors say what is missing and how to provide it, and give the
// skip_credentials_validation hint only where skipping helps (unit tests in internal/awsiam check
// that it is absent here).

const passwordPolicyOnly = `resource "iambaseline_account_password_policy" "test" {}` + "\n"

// No credentials anywhere (the instance metadata service refuses, as it does on many laptops): the
// error lists the credential chain in order, instead of an IMDS 403 and a hint to skip validation.
func TestAccProvider_noCredentials(t *testing.T) {
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusForbidden) }))
	t.Cleanup(imds.Close)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_EC2_METADATA_DISABLED",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
	resource.Test(t, acctest.Case(t, nil, []resource.TestStep{{
		Config: passwordPolicyOnly,
		ExpectError: expectWrapped("No AWS credentials found", "IMDS refused with HTTP 403",
			"1. the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "5. the EC2 instance profile",
			"AWS_ACCESS_KEY_ID=test"),
	}}))
}

// Nothing listens at the endpoint: the error names it and the request configure sent
// (iam:GetCredentialReport without account lists, sts:GetCallerIdentity with them) and says to start
// the emulator or fix the URL (skipping validation would only move the same failure to the first IAM
// call).
func TestAccProvider_connectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	_ = l.Close()
	resource.Test(t, acctest.Case(t, nil, []resource.TestStep{{
		Config:      fmt.Sprintf("provider \"iambaseline\" {\n  max_retries = 1\n  endpoints {\n    iam = %q\n    sts = %q\n  }\n}\n", url, url) + passwordPolicyOnly,
		ExpectError: expectWrapped("Cannot reach the IAM endpoint "+url, "(iam:GetCredentialReport)", "connection refused", "emulator or proxy there is running"),
	}, {
		Config:      fmt.Sprintf("provider \"iambaseline\" {\n  max_retries = 1\n  allowed_account_ids = [\"123456789012\"]\n  endpoints {\n    iam = %q\n    sts = %q\n  }\n}\n", url, url) + passwordPolicyOnly,
		ExpectError: expectWrapped("Cannot reach the STS endpoint "+url, "(sts:GetCallerIdentity)", "connection refused", "emulator or proxy there is running"),
	}}))
}

// An invalid region name is refused, in the provider block at validate time and from AWS_REGION at
// configure time; a likely typo of a known region names it.
func TestAccProvider_invalidRegion(t *testing.T) {
	resource.Test(t, acctest.Case(t, nil, []resource.TestStep{
		{
			Config:      "provider \"iambaseline\" {\n  region = \"us-east1\"\n}\n" + passwordPolicyOnly,
			ExpectError: expectWrapped("Invalid AWS region", `"us-east1" is not an AWS region name`, `Did you mean "us-east-1"?`),
		},
		{
			PreConfig:   func() { t.Setenv("AWS_REGION", "useast1") },
			Config:      passwordPolicyOnly,
			ExpectError: expectWrapped("invalid region from AWS_REGION", `"useast1" is not an AWS region name`),
		},
	}))
}

// expectWrapped matches an error holding each part in order, wherever Terraform wrapped its lines.
func expectWrapped(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}
