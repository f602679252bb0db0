package awsiam

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// newFakeAWS answers STS GetCallerIdentity with a fixed account, IAM GetUser with a fixed user and
// GetCredentialReport with ReportNotPresent (an account that has none), and records the requests.
func newFakeAWS(account string) *iamfake.Fake {
	return iamfake.New(map[string]string{
		"GetCallerIdentity": iamfake.CallerIdentity(account),
		"GetUser":           `<User><UserName>alice</UserName><Path>/</Path><UserId>AIDA1</UserId><Arn>arn:aws:iam::111122223333:user/alice</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User>`,
	}).Fail("GetCredentialReport", 410, "ReportNotPresent", "Credential report not present")
}

// newFakeClient is a client of fake (credentials not validated; cfg says the rest).
func newFakeClient(t *testing.T, fake *iamfake.Fake, cfg Config) *Client {
	t.Helper()
	cfg.IAMEndpoint, cfg.SkipCredentialsValidation = fake.Start(t), true
	c, err := NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"empty is fine", Config{}, ""},
		{"standard", Config{RetryMode: "standard", MaxRetries: 25}, ""},
		{"unknown retry mode", Config{RetryMode: "fast"}, `retry_mode "fast" is not supported`},
		{"both account lists", Config{AllowedAccountIDs: []string{"111122223333"}, ForbiddenAccountIDs: []string{"444455556666"}}, "cannot both be set"},
		{"account list without validation", Config{AllowedAccountIDs: []string{"111122223333"}, SkipCredentialsValidation: true}, "remove skip_credentials_validation"},
		{"assume role without arn", Config{AssumeRole: &AssumeRole{SessionName: "x"}}, "role_arn is required"},
		{"negative retries", Config{MaxRetries: -1}, "max_retries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestNewClientAccountLists(t *testing.T) {
	fake := newFakeAWS("111122223333")
	endpoint := fake.Start(t)

	cases := []struct {
		name      string
		allowed   []string
		forbidden []string
		wantErr   string
	}{
		{"allowed", []string{"111122223333"}, nil, ""},
		{"not allowed", []string{"999999999999"}, nil, "not in allowed_account_ids"},
		{"forbidden", nil, []string{"111122223333"}, "forbidden_account_ids"},
		{"no lists", nil, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(context.Background(), Config{
				IAMEndpoint: endpoint, STSEndpoint: endpoint,
				AllowedAccountIDs: tc.allowed, ForbiddenAccountIDs: tc.forbidden,
			})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			id, _ := c.AccountID(context.Background())
			if id != "111122223333" {
				t.Fatalf("account = %q", id)
			}
		})
	}
}

func TestNewClientSkipCredentialsValidationSendsNothing(t *testing.T) {
	fake := newFakeAWS("111122223333")
	endpoint := fake.Start(t)
	c, err := NewClient(context.Background(), Config{IAMEndpoint: endpoint, STSEndpoint: endpoint, SkipCredentialsValidation: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := fake.Actions(); len(got) != 0 {
		t.Fatalf("configure sent %v, want no request", got)
	}
	if c.Calls.Total() != 0 {
		t.Fatalf("counted %d calls", c.Calls.Total())
	}
}

// The endpoints block wins over AWS_ENDPOINT_URL_IAM, which the SDK would otherwise use.
func TestExplicitEndpointWinsOverEnvironment(t *testing.T) {
	envFake := newFakeAWS("111122223333")
	envURL := envFake.Start(t)
	cfgFake := newFakeAWS("111122223333")
	cfgURL := cfgFake.Start(t)
	t.Setenv("AWS_ENDPOINT_URL_IAM", envURL)
	t.Setenv("AWS_ENDPOINT_URL_STS", envURL)

	c, err := NewClient(context.Background(), Config{IAMEndpoint: cfgURL, STSEndpoint: cfgURL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.iamAPI.GetUser(context.Background(), &iam.GetUserInput{}); err != nil {
		t.Fatal(err)
	}
	if got := envFake.Actions(); len(got) != 0 {
		t.Fatalf("environment endpoint got %v, want nothing", got)
	}
	if got := cfgFake.Actions(); len(got) != 2 {
		t.Fatalf("configured endpoint got %v, want GetCredentialReport and GetUser", got)
	}

	// Without the block, the SDK's own resolution reads AWS_ENDPOINT_URL_IAM.
	c2, err := NewClient(context.Background(), Config{SkipCredentialsValidation: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.iamAPI.GetUser(context.Background(), &iam.GetUserInput{}); err != nil {
		t.Fatal(err)
	}
	if got := envFake.Actions(); len(got) != 1 || !strings.HasSuffix(got[0], "GetUser") {
		t.Fatalf("environment endpoint got %v, want GetUser", got)
	}
}

func TestCallCounter(t *testing.T) {
	fake := newFakeAWS("111122223333")
	endpoint := fake.Start(t)
	c, err := NewClient(context.Background(), Config{IAMEndpoint: endpoint, STSEndpoint: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	gen := c.Calls.WriteGeneration()
	for i := 0; i < 3; i++ {
		if _, err := c.iamAPI.GetUser(context.Background(), &iam.GetUserInput{}); err != nil {
			t.Fatal(err)
		}
	}
	counts := c.Calls.Counts()
	if counts["IAM:GetUser"] != 3 || counts["IAM:GetCredentialReport"] != 1 || c.Calls.Total() != 4 {
		t.Fatalf("counts = %v", counts)
	}
	if c.Calls.WriteGeneration() != gen {
		t.Fatal("reads bumped the write generation")
	}
	_, _ = c.iamAPI.DeleteUser(context.Background(), &iam.DeleteUserInput{UserName: strPtr("x")})
	if c.Calls.WriteGeneration() == gen {
		t.Fatal("a write did not bump the write generation")
	}
	if !strings.Contains(c.Calls.Summary(), "IAM:GetUser=3") {
		t.Fatalf("summary = %q", c.Calls.Summary())
	}
}

func strPtr(s string) *string { return &s }

type apiErr struct{ code string }

func (e apiErr) Error() string                 { return e.code }
func (e apiErr) ErrorCode() string             { return e.code }
func (e apiErr) ErrorMessage() string          { return e.code }
func (e apiErr) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

func TestRetryWhenNew(t *testing.T) {
	old, oldMax := backoffStart, backoffMax
	backoffStart, backoffMax = time.Millisecond, 5*time.Millisecond
	t.Cleanup(func() { backoffStart, backoffMax = old, oldMax })
	calls := 0
	got, err := RetryWhenNew(context.Background(), true, func(context.Context) (string, error) {
		calls++
		if calls < 3 {
			return "", apiErr{"NoSuchEntity"}
		}
		return "ok", nil
	})
	if err != nil || got != "ok" || calls != 3 {
		t.Fatalf("got %q, %v after %d calls", got, err, calls)
	}

	// Not new: NoSuchEntity means gone, no retry.
	calls = 0
	_, err = RetryWhenNew(context.Background(), false, func(context.Context) (string, error) {
		calls++
		return "", apiErr{"NoSuchEntity"}
	})
	if !IsNotFound(err) || calls != 1 {
		t.Fatalf("err %v after %d calls", err, calls)
	}

	// Other errors are not retried.
	calls = 0
	_, err = RetryWhenNew(context.Background(), true, func(context.Context) (string, error) {
		calls++
		return "", apiErr{"AccessDenied"}
	})
	if ErrorCode(err) != "AccessDenied" || calls != 1 {
		t.Fatalf("err %v after %d calls", err, calls)
	}
}

func TestRetryIsCancellable(t *testing.T) {
	// A wait far longer than the test may take: only the cancellation can end it. The context is
	// cancelled by the first attempt itself, so no goroutine's timing races the backoff timer.
	old, oldMax := backoffStart, backoffMax
	backoffStart, backoffMax = 30*time.Second, 30*time.Second
	t.Cleanup(func() { backoffStart, backoffMax = old, oldMax })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	start := time.Now()
	_, err := RetryOnModify(ctx, func(context.Context) (int, error) {
		calls++
		cancel()
		return 0, apiErr{"ConcurrentModification"}
	})
	if ErrorCode(err) != "ConcurrentModification" {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancelled retry took %v (the backoff is 30s)", d)
	}
	if calls != 1 {
		t.Fatalf("calls = %d, want 1: no attempt after the cancellation", calls)
	}
}

func TestNotFoundError(t *testing.T) {
	err := notFound("IAM user", "alice", apiErr{"NoSuchEntity"})
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Name != "alice" || !IsNotFound(err) {
		t.Fatalf("err = %#v", err)
	}
	if notFound("IAM user", "alice", apiErr{"AccessDenied"}).Error() != "AccessDenied" {
		t.Fatal("other errors must pass through")
	}
	if !HasCode(fmt.Errorf("wrapped: %w", apiErr{"Throttling"}), "Foo", "Throttling") {
		t.Fatal("HasCode misses wrapped errors")
	}
}
