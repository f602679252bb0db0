package awsiam

import (
	"context"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

func instanceProfileXML(roles ...string) string {
	var b strings.Builder
	b.WriteString(`<InstanceProfile><InstanceProfileName>app</InstanceProfileName><Path>/</Path>` +
		`<Arn>arn:aws:iam::123456789012:instance-profile/app</Arn><InstanceProfileId>AIPAEXAMPLE</InstanceProfileId>` +
		`<CreateDate>2026-11-27T10:00:00Z</CreateDate><Roles>`)
	for _, r := range roles {
		b.WriteString(`<member><RoleName>` + r + `</RoleName><Path>/</Path><Arn>arn:aws:iam::123456789012:role/` + r +
			`</Arn><RoleId>AROAEXAMPLE</RoleId><CreateDate>2026-11-27T10:00:00Z</CreateDate></member>`)
	}
	b.WriteString(`</Roles></InstanceProfile>`)
	return b.String()
}

// A remove whose first answer was lost is retried, and the retry fails (moto answers 500 when the role
// is no longer in the profile). The profile is then read: the role is out, which is what was asked.
func TestRemoveRoleFromInstanceProfileChecksTheOutcome(t *testing.T) {
	fake := iamfake.New(map[string]string{"GetInstanceProfile": instanceProfileXML()}).
		Fail("RemoveRoleFromInstanceProfile", 500, "InternalFailure", "list.remove(x): x not in list")
	c := newFakeClient(t, fake, Config{MaxRetries: 1})
	if err := c.removeRoleFromInstanceProfile(context.Background(), "app", "app"); err != nil {
		t.Fatalf("role already out of the profile: %v", err)
	}
	if got := fake.FindAll("GetInstanceProfile"); len(got) != 1 {
		t.Errorf("GetInstanceProfile sent %d times, want 1 (after the failure only)", len(got))
	}

	// Still in the profile: the failure stands.
	still := iamfake.New(map[string]string{"GetInstanceProfile": instanceProfileXML("app")}).
		Fail("RemoveRoleFromInstanceProfile", 500, "InternalFailure", "boom")
	if err := newFakeClient(t, still, Config{MaxRetries: 1}).removeRoleFromInstanceProfile(context.Background(), "app", "app"); err == nil {
		t.Fatal("role still in the profile, but no error")
	}

	// A success reads nothing more.
	ok := iamfake.New(map[string]string{"RemoveRoleFromInstanceProfile": "", "GetInstanceProfile": instanceProfileXML("app")})
	if err := newFakeClient(t, ok, Config{}).removeRoleFromInstanceProfile(context.Background(), "app", "app"); err != nil {
		t.Fatal(err)
	}
	if got := ok.FindAll("GetInstanceProfile"); len(got) != 0 {
		t.Errorf("GetInstanceProfile sent %d times after a success", len(got))
	}
}
