package awsiam

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// quickBackoff keeps the SDK's retry loop but not its waits (up to 20 s each).
type quickBackoff struct{}

func (quickBackoff) BackoffDelay(int, error) (time.Duration, error) { return time.Millisecond, nil }

const getUserOK = `<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><UserName>alice</UserName><Path>/</Path><UserId>AIDA1</UserId><Arn>arn:aws:iam::111122223333:user/alice</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User></GetUserResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetUserResponse>`

func iamError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s from the stub</Message></Error><RequestId>r</RequestId></ErrorResponse>`, code, code)
}

// retryStub is an IAM endpoint whose answer to the n-th request (from 1) is decided by answer; it
// counts the requests.
func retryStub(t *testing.T, answer func(n int64, w http.ResponseWriter)) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer(n.Add(1), w)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

// isolateRetryEnv gives the test static credentials and no retry settings from the environment.
func isolateRetryEnv(t *testing.T) {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_MAX_ATTEMPTS", "")
	t.Setenv("AWS_RETRY_MODE", "")
}

// newRetryClient is a client of the endpoint with cfg's retry settings and no environment ones.
func newRetryClient(t *testing.T, endpoint string, cfg Config) *Client {
	t.Helper()
	isolateRetryEnv(t)
	cfg.IAMEndpoint, cfg.SkipCredentialsValidation, cfg.Region = endpoint, true, "us-east-1"
	c, err := NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func getUser(ctx context.Context, c *Client) error {
	_, err := c.iamAPI.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
	return err
}

func TestRetryDefaultsAreAdaptiveWith25Attempts(t *testing.T) {
	c := newRetryClient(t, "http://127.0.0.1:1", Config{})
	r := c.iamAPI.Options().Retryer
	if _, ok := r.(*retry.AdaptiveMode); !ok {
		t.Errorf("default retryer is %T, want *retry.AdaptiveMode", r)
	}
	if r.MaxAttempts() != 25 {
		t.Errorf("default attempts = %d, want 25", r.MaxAttempts())
	}
	c = newRetryClient(t, "http://127.0.0.1:1", Config{MaxRetries: 7, RetryMode: "standard"})
	r = c.iamAPI.Options().Retryer
	if _, ok := r.(*retry.Standard); !ok || r.MaxAttempts() != 7 {
		t.Errorf("configured retryer is %T with %d attempts, want *retry.Standard with 7", r, r.MaxAttempts())
	}
}

func TestRetryEnvironmentSettingsStillApply(t *testing.T) {
	isolateRetryEnv(t)
	t.Setenv("AWS_MAX_ATTEMPTS", "9")
	t.Setenv("AWS_RETRY_MODE", "standard")
	c, err := NewClient(context.Background(), Config{IAMEndpoint: "http://127.0.0.1:1", SkipCredentialsValidation: true, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	r := c.iamAPI.Options().Retryer
	if _, ok := r.(*retry.Standard); !ok || r.MaxAttempts() != 9 {
		t.Errorf("retryer from AWS_MAX_ATTEMPTS/AWS_RETRY_MODE is %T with %d attempts, want *retry.Standard with 9", r, r.MaxAttempts())
	}
}

func TestRetryDefaultSends25AttemptsAndNamesTheSetting(t *testing.T) {
	url, n := retryStub(t, func(_ int64, w http.ResponseWriter) { iamError(w, 500, "ServiceFailure") })
	c := newRetryClient(t, url, Config{retryBackoff: quickBackoff{}})

	err := getUser(context.Background(), c)
	if got := n.Load(); got != 25 {
		t.Errorf("attempts = %d, want 25", got)
	}
	var exhausted *awscore.RetryExhaustedError
	if !errors.As(err, &exhausted) || exhausted.Attempts != 25 {
		t.Fatalf("error = %v, want a *RetryExhaustedError after 25 attempts", err)
	}
	for _, want := range []string{"IAM GetUser", "25 attempts", "raise max_retries"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if !awscore.HasCode(err, "ServiceFailure") {
		t.Errorf("error %v lost AWS's error code", err)
	}
}

func TestRetryThrottlingExhaustedNamesMaxRetries(t *testing.T) {
	url, n := retryStub(t, func(_ int64, w http.ResponseWriter) { iamError(w, 400, "Throttling") })
	c := newRetryClient(t, url, Config{MaxRetries: 3, RetryMode: "standard", retryBackoff: quickBackoff{}})

	err := getUser(context.Background(), c)
	if got := n.Load(); got != 3 {
		t.Errorf("attempts = %d, want max_retries = 3", got)
	}
	if err == nil || !strings.Contains(err.Error(), "after 3 attempts (max_retries)") || !awscore.HasCode(err, "Throttling") {
		t.Errorf("error = %v, want the Throttling code and the max_retries setting named", err)
	}
}

// The SDK's retry quota (500 tokens, 5 per retry) would fail every request after about a hundred
// retries across the client; 40 requests that each succeed at their 5th attempt need 160.
func TestRetryHasNoClientWideQuota(t *testing.T) {
	url, n := retryStub(t, func(n int64, w http.ResponseWriter) {
		if n%5 != 0 {
			iamError(w, 500, "ServiceFailure")
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, getUserOK)
	})
	c := newRetryClient(t, url, Config{retryBackoff: quickBackoff{}})
	for i := range 40 {
		if err := getUser(context.Background(), c); err != nil {
			t.Fatalf("request %d after %d attempts in all: %v", i+1, n.Load(), err)
		}
	}
	if got := n.Load(); got != 200 {
		t.Errorf("attempts = %d, want 200", got)
	}
}

func TestRetryTotalTimeIsBounded(t *testing.T) {
	url, n := retryStub(t, func(_ int64, w http.ResponseWriter) {
		time.Sleep(30 * time.Millisecond)
		iamError(w, 503, "ServiceUnavailable")
	})
	// 25 attempts of 10 ms budget: 250 ms in all, before the 25 attempts of 30 ms are done.
	c := newRetryClient(t, url, Config{retryBackoff: quickBackoff{}, attemptBudget: 10 * time.Millisecond})

	start := time.Now()
	err := getUser(context.Background(), c)
	elapsed := time.Since(start)
	var exhausted *awscore.RetryExhaustedError
	if !errors.As(err, &exhausted) || exhausted.Bound != 250*time.Millisecond {
		t.Fatalf("error = %v, want a *RetryExhaustedError at the 250ms bound", err)
	}
	if !strings.Contains(err.Error(), "within 250ms") || !strings.Contains(err.Error(), "raise max_retries") {
		t.Errorf("error %q does not name the bound and max_retries", err)
	}
	if got := n.Load(); got >= 25 {
		t.Errorf("attempts = %d: the bound did not stop the retries", got)
	}
	if elapsed > 2*time.Second {
		t.Errorf("bounded request took %s", elapsed)
	}
}

func TestRetryIsCancelledWithTheCaller(t *testing.T) {
	url, _ := retryStub(t, func(_ int64, w http.ResponseWriter) { iamError(w, 500, "ServiceFailure") })
	c := newRetryClient(t, url, Config{}) // the SDK's real backoff: seconds between the later attempts
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()

	start := time.Now()
	err := getUser(ctx, c)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("cancelled request took %s", elapsed)
	}
	var exhausted *awscore.RetryExhaustedError
	if err == nil || errors.As(err, &exhausted) {
		t.Errorf("error = %v, want the caller's cancellation, not the retry bound", err)
	}
}
