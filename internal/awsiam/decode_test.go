package awsiam

import (
	"context"
	"net/url"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// A role's trust policy and inline policies are decoded like every other policy document: "+" in an
// external ID or a condition value stays "+", so a refresh shows no drift.
func TestRoleDocumentsKeepPlus(t *testing.T) {
	trust, err := baseline.TrustPolicy(nil, []string{"123456789012"}, false, "team+ops").JSON()
	if err != nil {
		t.Fatal(err)
	}
	inline := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a+b"}}}]}`
	f := iamfake.New(map[string]string{
		"GetRole": `<Role><Path>/</Path><RoleName>app</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/app</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>` +
			url.PathEscape(trust) + `</AssumeRolePolicyDocument></Role>`,
		"ListAttachedRolePolicies":    emptyList,
		"ListRolePolicies":            emptyList + `<PolicyNames><member>extra</member></PolicyNames>`,
		"GetRolePolicy":               `<RoleName>app</RoleName><PolicyName>extra</PolicyName><PolicyDocument>` + url.PathEscape(inline) + `</PolicyDocument>`,
		"ListInstanceProfilesForRole": emptyList,
	})
	c := newFakeClient(t, f, Config{})
	r, err := c.FindRoleDirect(context.Background(), "app")
	if err != nil {
		t.Fatal(err)
	}
	if same, err := baseline.PoliciesEquivalent(trust, r.TrustPolicy); err != nil || !same {
		t.Errorf("trust policy read back as %s: not the one sent (%v)", r.TrustPolicy, err)
	}
	if same, err := baseline.PoliciesEquivalent(inline, r.InlinePolicies["extra"]); err != nil || !same {
		t.Errorf("inline policy read back as %s: not the one sent (%v)", r.InlinePolicies["extra"], err)
	}
}
