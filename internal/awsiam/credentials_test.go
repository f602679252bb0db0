package awsiam

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// noCredentials leaves the SDK nothing to find: no keys in the environment, no shared files, and an
// instance metadata service that refuses (403), as on a laptop behind some proxies.
func noCredentials(t *testing.T) {
	t.Helper()
	iamfake.Isolate(t)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "")
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusForbidden) }))
	t.Cleanup(imds.Close)
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
}

// closedPort is a loopback URL where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	_ = l.Close()
	return url
}

func expectMessage(t *testing.T, err error, want []string, notWant ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not say %q:\n%v", w, err)
		}
	}
	for _, w := range notWant {
		if strings.Contains(err.Error(), w) {
			t.Errorf("error says %q, which does not help here:\n%v", w, err)
		}
	}
}

func TestNewClientNoCredentials(t *testing.T) {
	noCredentials(t)
	fake := iamfake.New(map[string]string{"GetCallerIdentity": iamfake.CallerIdentity("111122223333")})
	url := fake.Start(t)
	noCredentials(t) // Start isolates with fake keys; take them away again
	_, err := NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url})
	expectMessage(t, err, []string{
		"No AWS credentials found", "IMDS refused with HTTP 403",
		"1. the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
		"2. a web identity token", "3. the profile named by AWS_PROFILE", "4. container credentials", "5. the EC2 instance profile",
		"export AWS_ACCESS_KEY_ID=test",
	}, "skip_credentials_validation", "[")
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests reached AWS without credentials", n)
	}
}

func TestNewClientConnectionRefused(t *testing.T) {
	iamfake.Isolate(t)
	url := closedPort(t)
	// Without account lists configure validates with the IAM request the refresh needs anyway.
	_, err := NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url, MaxRetries: 1})
	expectMessage(t, err, []string{"Cannot reach the IAM endpoint " + url, "(iam:GetCredentialReport)", "connection refused", "endpoints.iam", "emulator"}, "skip_credentials_validation")

	// With them, sts:GetCallerIdentity, as before.
	_, err = NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url, MaxRetries: 1, AllowedAccountIDs: []string{"111122223333"}})
	expectMessage(t, err, []string{"Cannot reach the STS endpoint " + url, "(sts:GetCallerIdentity)", "connection refused", "emulator"}, "skip_credentials_validation")

	_, err = NewClient(context.Background(), Config{IAMEndpoint: url, MaxRetries: 1, Region: "us-east-1", AllowedAccountIDs: []string{"111122223333"}})
	if err != nil && strings.Contains(err.Error(), "Cannot reach") {
		expectMessage(t, err, []string{"endpoints.iam is set but endpoints.sts is not"}, "skip_credentials_validation")
	}
}

func TestNewClientRejectedCredentials(t *testing.T) {
	fake := iamfake.New(nil).Fail("GetCallerIdentity", 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
	url := fake.Start(t)
	_, err := NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url})
	expectMessage(t, err, []string{"AWS rejected the credentials (InvalidClientTokenId)", "in this order"}, "skip_credentials_validation")
}

func TestNewClientEndpointWithoutSTS(t *testing.T) {
	fake := iamfake.New(nil) // refuses GetCallerIdentity with InvalidAction, as an IAM-only emulator would
	url := fake.Start(t)
	_, err := NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url})
	expectMessage(t, err, []string{"set skip_credentials_validation = true"})
}

func TestNewClientRegion(t *testing.T) {
	fake := iamfake.New(map[string]string{"GetCallerIdentity": iamfake.CallerIdentity("111122223333")})
	url := fake.Start(t)
	_, err := NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url, Region: "us-east1"})
	expectMessage(t, err, []string{"invalid region from the region argument", `"us-east1" is not an AWS region name`})
	t.Setenv("AWS_REGION", "useast1")
	_, err = NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url})
	expectMessage(t, err, []string{"invalid region from AWS_REGION"})
	t.Setenv("AWS_REGION", "eu-central-1")
	if _, err = NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url}); err != nil {
		t.Fatal(err)
	}
}

func TestNewClientAllowedAccountsWording(t *testing.T) {
	fake := iamfake.New(map[string]string{"GetCallerIdentity": iamfake.CallerIdentity("111122223333")})
	url := fake.Start(t)
	_, err := NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url, AllowedAccountIDs: []string{"444455556666", "777788889999"}})
	expectMessage(t, err, []string{"not in allowed_account_ids (444455556666 and 777788889999)"}, "[")
}

func TestNewClientMissingProfile(t *testing.T) {
	noCredentials(t)
	_, err := NewClient(context.Background(), Config{Profile: "startup-admin", SkipCredentialsValidation: true})
	expectMessage(t, err, []string{`the AWS profile "startup-admin" is not in the shared config`, "aws configure --profile startup-admin"})
}

// A mistyped region from the environment that has the shape of a region is not refused (it may be
// newer than the provider) but warned about; from the region argument, its validator warns.
func TestNewClientRegionWarning(t *testing.T) {
	fake := iamfake.New(map[string]string{"GetCallerIdentity": iamfake.CallerIdentity("111122223333")})
	url := fake.Start(t)
	t.Setenv("AWS_REGION", "us-est-1")
	c, err := NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.ConfigWarnings) != 1 || !strings.Contains(c.ConfigWarnings[0], `AWS_REGION`) || !strings.Contains(c.ConfigWarnings[0], `Did you mean "us-east-1"?`) {
		t.Fatalf("warnings %q", c.ConfigWarnings)
	}
	t.Setenv("AWS_REGION", "us-east-1")
	if c, err = NewClient(context.Background(), Config{IAMEndpoint: url, STSEndpoint: url}); err != nil || len(c.ConfigWarnings) != 0 {
		t.Fatalf("a known region: %v %q", err, c.ConfigWarnings)
	}
}

// An endpoint that answers with a web page (a wrong port, a proxy's login page, a dashboard) is not
// an STS or IAM that lacks a call: say so, without advising skip_credentials_validation.
func TestNewClientEndpointAnswersHTML(t *testing.T) {
	for _, status := range []int{200, 404} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Grafana</title></head><body>Welcome</body></html>"))
		}))
		t.Cleanup(srv.Close)
		t.Setenv("AWS_ACCESS_KEY_ID", "test")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
		_, err := NewClient(context.Background(), Config{IAMEndpoint: srv.URL, STSEndpoint: srv.URL, MaxRetries: 1})
		expectMessage(t, err, []string{"with an HTML page", srv.URL, "not an AWS API"}, "skip_credentials_validation")
	}
}

// An expired IAM Identity Center session is told by its error type, not by words in its text.
func TestCheckCredentialsExpiredSSOSession(t *testing.T) {
	expired := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, fmt.Errorf("refreshing: %w", &ssocreds.InvalidTokenError{})
	})
	err := checkCredentials(context.Background(), Config{Profile: "dev"}, expired)
	if err == nil || !strings.Contains(err.Error(), "aws sso login --profile dev") {
		t.Fatalf("got %v, want the advice to run aws sso login", err)
	}
	other := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("the process credentials helper (sso-helper) exited 1")
	})
	if err := checkCredentials(context.Background(), Config{}, other); err == nil || strings.Contains(err.Error(), "session may have expired") {
		t.Fatalf("got %v, want no SSO advice for another failure that merely mentions sso", err)
	}
}
