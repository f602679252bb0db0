package awsiam

import (
	"context"
	"errors"
	"fmt"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// The failures of configure time, each said with what is missing and how to provide it. The hint to
// set skip_credentials_validation is given only where skipping helps: an endpoint that answers but
// does not implement STS. It does not help without credentials, with rejected credentials or with an
// unreachable endpoint: the first IAM call would fail the same way.

// credentialChain is where the AWS SDK looks for credentials, in its order.
func credentialChain(profile string) string {
	if profile == "" {
		profile = "the profile named by AWS_PROFILE (else \"default\"),"
	} else {
		profile = fmt.Sprintf("the profile %q (the provider's profile argument, looked at first),", profile)
	}
	return "The provider looks for credentials the way the AWS CLI does, in this order:\n" +
		"  1. the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials);\n" +
		"  2. a web identity token: AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (EKS service accounts, CI with OIDC);\n" +
		"  3. " + profile + " in the shared files ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE): " +
		"access keys, IAM Identity Center (run `aws sso login --profile NAME`), credential_process, or a role to assume;\n" +
		"  4. container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI (ECS tasks, CodeBuild);\n" +
		"  5. the EC2 instance profile, through the instance metadata service (IMDS)."
}

// usesCustomEndpoint: the provider talks to an endpoint of the user's choosing (an emulator, usually).
func usesCustomEndpoint(c Config) bool {
	return c.IAMEndpoint != "" || c.STSEndpoint != "" || os.Getenv("AWS_ENDPOINT_URL") != "" ||
		os.Getenv("AWS_ENDPOINT_URL_IAM") != "" || os.Getenv("AWS_ENDPOINT_URL_STS") != ""
}

// checkCredentials retrieves the credentials the SDK resolved (before any role is assumed) and says
// what is missing when there are none.
func checkCredentials(ctx context.Context, c Config, base aws.CredentialsProvider) error {
	if base == nil {
		return errors.New("no AWS credentials found. " + credentialChain(c.Profile))
	}
	_, err := base.Retrieve(ctx)
	if err == nil || ctx.Err() != nil {
		return err
	}
	if aws.IsCredentialsProvider(base, &ec2rolecreds.Provider{}) {
		// The SDK falls back to the instance profile only when nothing else is configured.
		msg := "No AWS credentials found: none in the environment or the shared files, and no EC2 instance profile " +
			"answered (" + shortIMDSReason(err) + ").\n" + credentialChain(c.Profile) + "\nProvide credentials in one of these ways."
		if usesCustomEndpoint(c) {
			msg += " An emulator such as moto or LocalStack accepts any key: export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test."
		}
		return errors.New(msg)
	}
	msg := fmt.Sprintf("Cannot load the AWS credentials: %v.", err)
	if aws.IsCredentialsProvider(base, &ssocreds.Provider{}) || errors.As(err, new(*ssocreds.InvalidTokenError)) {
		msg += " The IAM Identity Center (SSO) session may have expired: run `aws sso login"
		if c.Profile != "" {
			msg += " --profile " + c.Profile
		}
		msg += "` and try again."
	}
	return errors.New(msg + "\n" + credentialChain(c.Profile))
}

// shortIMDSReason is why the instance metadata service gave no credentials, in a few words.
func shortIMDSReason(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "AWS_EC2_METADATA_DISABLED"):
		return "IMDS is disabled by AWS_EC2_METADATA_DISABLED"
	case strings.Contains(s, "StatusCode: 403"):
		return "IMDS refused with HTTP 403"
	case strings.Contains(s, "StatusCode: 404"):
		return "this instance has no instance profile"
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(s, "deadline exceeded") || strings.Contains(s, "timeout"):
		return "IMDS did not answer: this is not an EC2 instance"
	}
	return "IMDS: " + s
}

// The requests configure validates the credentials with (see NewClient).
const (
	requestCallerIdentity   = "sts:GetCallerIdentity"
	requestCredentialReport = "iam:GetCredentialReport"
)

// credentialsRejected: AWS does not know the access key, or the signature does not match it.
func credentialsRejected(err error) bool {
	return HasCode(err, "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "IncompleteSignature", "AuthFailure")
}

// credentialsExpired: temporary credentials past their expiry.
func credentialsExpired(err error) bool {
	return HasCode(err, "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired")
}

// isNetworkError: the request got no answer (refused, name not resolved, timed out).
func isNetworkError(err error) bool {
	var urlErr *url.Error
	var dnsErr *net.DNSError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dnsErr) || errors.As(err, &urlErr) && urlErr.Timeout()
}

// explainValidationError says why the request configure validated the credentials with
// (sts:GetCallerIdentity or iam:GetCredentialReport) failed, and what to do.
func explainValidationError(err error, c Config, request string) error {
	var urlErr *url.Error
	iamRequest := request == requestCredentialReport
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("validating credentials with %s: %w", request, err)
	case isNetworkError(err):
		service, endpointArg, endpointEnv := "STS", "endpoints.sts", "AWS_ENDPOINT_URL_STS"
		if iamRequest {
			service, endpointArg, endpointEnv = "IAM", "endpoints.iam", "AWS_ENDPOINT_URL_IAM"
		}
		where := "the AWS " + service + " endpoint"
		if errors.As(err, &urlErr) {
			where = fmt.Sprintf("the %s endpoint %s", service, urlOrigin(urlErr.URL))
		}
		msg := fmt.Sprintf("Cannot reach %s to check the credentials (%s): %s.", where, request, networkReason(err))
		switch {
		case !iamRequest && c.IAMEndpoint != "" && c.STSEndpoint == "":
			msg += " endpoints.iam is set but endpoints.sts is not, so STS goes to its default endpoint: set endpoints.sts as well (an emulator usually serves both on one URL)."
		case usesCustomEndpoint(c):
			msg += fmt.Sprintf(" Check that the endpoint is right (%s, else %s, else AWS_ENDPOINT_URL) and that the emulator or proxy there is running.", endpointArg, endpointEnv)
		default:
			msg += " Check the network (proxy settings HTTPS_PROXY / NO_PROXY) and the region."
		}
		return errors.New(msg)
	case answeredHTML(err) != "":
		return fmt.Errorf("the endpoint %s answered %s with an HTML page (HTTP %d), not an AWS API answer: it is not an %s endpoint. "+
			"Check the endpoint URL (%s, else %s, else AWS_ENDPOINT_URL): the port, the path, or a proxy or login page in between. (%v)",
			answeredHTML(err), request, httpStatus(err), map[bool]string{true: "IAM", false: "STS"}[iamRequest],
			map[bool]string{true: "endpoints.iam", false: "endpoints.sts"}[iamRequest], map[bool]string{true: "AWS_ENDPOINT_URL_IAM", false: "AWS_ENDPOINT_URL_STS"}[iamRequest], err)
	case credentialsRejected(err):
		return fmt.Errorf("AWS rejected the credentials (%s): the access key does not exist or the secret key does not match it. "+
			"Check which credentials the provider found and replace them.\n%s\n(%s: %v)", ErrorCode(err), credentialChain(c.Profile), request, err)
	case credentialsExpired(err):
		return fmt.Errorf("the AWS credentials have expired (%s): get new temporary credentials (for IAM Identity Center: `aws sso login`) and try again. (%s: %v)", ErrorCode(err), request, err)
	case HasCode(err, "AccessDenied", "AccessDeniedException") && c.AssumeRole != nil:
		return fmt.Errorf("cannot assume the role %s of assume_role: %v. The role's trust policy must trust the caller (and expect the external_id, when set), and the caller needs sts:AssumeRole on it", c.AssumeRole.RoleARN, err)
	}
	return fmt.Errorf("validating credentials with %s: %w. If this endpoint serves IAM but does not implement STS (some emulators), set skip_credentials_validation = true (then allowed_account_ids and forbidden_account_ids cannot be used)", request, err)
}

// urlOrigin is scheme://host of a request URL.
func urlOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return u.Scheme + "://" + u.Host
}

func networkReason(err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (nothing listens there)"
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("the host name %s does not resolve", dnsErr.Name)
	}
	return "no answer in time"
}

// explainLoadError says what is wrong with the shared configuration.
func explainLoadError(err error, c Config) error {
	var noProfile config.SharedConfigProfileNotExistError
	if errors.As(err, &noProfile) {
		return fmt.Errorf("the AWS profile %q is not in the shared config or credentials files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE): "+
			"create it with `aws configure --profile %s` (or `aws configure sso`), or fix the profile argument / AWS_PROFILE", noProfile.Profile, noProfile.Profile)
	}
	return fmt.Errorf("loading AWS configuration: %w", err)
}

// checkRegionName refuses a region name that cannot be a region, wherever it came from.
func checkRegionName(region string, c Config) (warning string, err error) {
	if region == "" {
		return "", nil
	}
	problem, unknown := baseline.CheckRegion(region)
	if problem == "" && (unknown == "" || c.Region != "") {
		return "", nil // the region argument's own validator warns about an unknown one
	}
	source := "the region argument"
	if c.Region == "" {
		source = "AWS_REGION (or AWS_DEFAULT_REGION, or the profile's region in ~/.aws/config)"
	}
	if problem == "" {
		return fmt.Sprintf("The region from %s: %s", source, unknown), nil
	}
	return "", fmt.Errorf("invalid region from %s: %s", source, problem)
}

func regionWarnings(w string) []string {
	if w == "" {
		return nil
	}
	return []string{w}
}

// answeredHTML is the origin of the endpoint when err is an answer in HTML (a web page where an
// AWS API was expected), else "".
func answeredHTML(err error) string {
	var respErr *awshttp.ResponseError
	if !errors.As(err, &respErr) || respErr.Response == nil || respErr.Response.Response == nil {
		return ""
	}
	if !strings.HasPrefix(strings.ToLower(respErr.Response.Header.Get("Content-Type")), "text/html") {
		return ""
	}
	if req := respErr.Response.Request; req != nil && req.URL != nil {
		return req.URL.Scheme + "://" + req.URL.Host
	}
	return "(unknown)"
}

func httpStatus(err error) int {
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		return respErr.HTTPStatusCode()
	}
	return 0
}
