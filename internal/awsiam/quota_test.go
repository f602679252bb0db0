package awsiam

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// limitServer is an httptest IAM that answers the actions in limited with LimitExceeded (HTTP 409,
// as IAM does) and the others from answers, recording every request.
type limitServer struct {
	mu      sync.Mutex
	actions []string
	limited map[string]string // action -> IAM's message
	answers map[string]string // action -> body inside <ActionResponse>
}

func (s *limitServer) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	form, _ := url.ParseQuery(string(body))
	action := form.Get("Action")
	s.mu.Lock()
	s.actions = append(s.actions, action)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	if msg, ok := s.limited[action]; ok {
		w.WriteHeader(http.StatusConflict)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>LimitExceeded</Code><Message>%s</Message></Error><RequestId>r</RequestId></ErrorResponse>`, msg)
		return
	}
	fmt.Fprintf(w, `<%sResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">%s<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></%sResponse>`, action, s.answers[action], action)
}

func (s *limitServer) count(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, a := range s.actions {
		if a == action {
			n++
		}
	}
	return n
}

func newLimitClient(t *testing.T, s *limitServer) *Client {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_IAM", "")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_MAX_ATTEMPTS", "")
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := NewClient(context.Background(), Config{Region: "us-east-1", IAMEndpoint: srv.URL, SkipCredentialsValidation: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const cannedRole = `<CreateRoleResult><Role><Path>/</Path><RoleName>app</RoleName><RoleId>AROAEXAMPLE</RoleId>` +
	`<Arn>arn:aws:iam::123456789012:role/app</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate><AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument></Role></CreateRoleResult>`

// TestLimitExceededIsExplainedAndNotRetried proves, from the requests sent, that a LimitExceeded
// answer to each write is sent once (no retry loop: it is not retryable) and comes back as a
// QuotaError saying in plain words which quota was hit and how to proceed.
func TestLimitExceededIsExplainedAndNotRetried(t *testing.T) {
	const policy = "arn:aws:iam::123456789012:policy/extra"
	cases := []struct {
		name, action, message string
		answers               map[string]string
		call                  func(context.Context, *Client) error
		want                  []string
	}{
		{
			name: "attach group policy", action: "AttachGroupPolicy", message: "Cannot exceed quota for PoliciesPerGroup: 10",
			call: func(ctx context.Context, c *Client) error { return c.AttachGroupPolicy(ctx, "acme-Developers", policy) },
			want: []string{"IAM refused to attach policy " + policy + " to IAM group (acme-Developers)", "already has 10 managed policies attached",
				"managed policies per group", "Detach a policy from the group", "then apply again", "Cannot exceed quota for PoliciesPerGroup: 10"},
		},
		{
			name: "add user to group", action: "AddUserToGroup", message: "Cannot exceed quota for GroupsPerUser: 10",
			call: func(ctx context.Context, c *Client) error {
				return c.AddUserToGroups(ctx, "ada", []string{"acme-Developers"})
			},
			want: []string{"IAM refused to add IAM user (ada) to group (acme-Developers)", "already in 10 groups", "groups per user",
				"Remove the user from a group"},
		},
		{
			name: "attach role policy", action: "AttachRolePolicy", message: "Cannot exceed quota for PoliciesPerRole: 10",
			answers: map[string]string{"CreateRole": cannedRole},
			call: func(ctx context.Context, c *Client) error {
				_, err := c.CreateRole(ctx, RoleSpec{Name: "app", Path: "/", TrustPolicy: "{}", ManagedPolicyARNs: []string{policy}})
				return err
			},
			want: []string{"IAM refused to attach policy " + policy + " to IAM role (app)", "already has 10 managed policies attached",
				"raisable to 20 via Service Quotas", "managed_policy_arns"},
		},
		{
			name: "policy version", action: "CreatePolicyVersion", message: "A managed policy can have up to 5 versions.",
			answers: map[string]string{"ListPolicyVersions": versionsXML("v2", "v2", "v1")},
			call: func(ctx context.Context, c *Client) error {
				return c.CreatePolicyVersion(ctx, policy, `{"Version":"2012-10-17","Statement":[]}`)
			},
			want: []string{"IAM refused to create a new version of policy " + policy, "already has 5 versions", "delete-policy-version"},
		},
		{
			name: "create policy too large", action: "CreatePolicy", message: "Cannot exceed quota for PolicySize: 6144",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.CreatePolicy(ctx, "acme-DevelopersPolicy", "/", "", "{}", nil)
				return err
			},
			want: []string{"IAM refused to create the customer managed policy acme-DevelopersPolicy", "6144 non-whitespace characters", "Split the document"},
		},
		{
			name: "tag user", action: "TagUser", message: "Cannot exceed quota for TagsPerUser: 50",
			call: func(ctx context.Context, c *Client) error {
				return c.SyncUserTags(ctx, "ada", nil, map[string]string{"Team": "x"})
			},
			want: []string{"IAM refused to tag IAM user (ada)", "at most 50 tags", "default_tags"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &limitServer{limited: map[string]string{tc.action: tc.message}, answers: tc.answers}
			c := newLimitClient(t, s)
			err := tc.call(context.Background(), c)
			if err == nil {
				t.Fatal("want an error")
			}
			if !IsQuotaError(err) || !HasCode(err, "LimitExceeded") {
				t.Fatalf("want a QuotaError wrapping LimitExceeded, got %T: %v", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%s", w, err)
				}
			}
			if n := s.count(tc.action); n != 1 {
				t.Errorf("%s sent %d times, want exactly once (LimitExceeded is not retryable)", tc.action, n)
			}
		})
	}
}

func TestExplainLimitPassesOtherErrorsThrough(t *testing.T) {
	if explainLimit(nil, OpCreateGroup, "creating IAM group (x)", "x", "") != nil {
		t.Fatal("nil must stay nil")
	}
	err := explainLimit(fmt.Errorf("boom"), OpCreateGroup, "creating IAM group (x)", "x", "")
	if err.Error() != "creating IAM group (x): boom" || IsQuotaError(err) {
		t.Fatalf("got %v", err)
	}
}
