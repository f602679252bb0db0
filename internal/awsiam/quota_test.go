package awsiam

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

const cannedRole = `<Role><Path>/</Path><RoleName>app</RoleName><RoleId>AROAEXAMPLE</RoleId>` +
	`<Arn>arn:aws:iam::123456789012:role/app</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate><AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument></Role>`

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
			s := iamfake.New(tc.answers).Otherwise(iamfake.Empty).Fail(tc.action, 409, "LimitExceeded", tc.message)
			c := newFakeClient(t, s, Config{})
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
			if n := s.Count(tc.action); n != 1 {
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
