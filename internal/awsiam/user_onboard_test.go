package awsiam

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

const createdUser = `<User><UserName>alice</UserName><Path>/</Path><UserId>AIDA1</UserId>` +
	`<Arn>arn:aws:iam::111122223333:user/alice</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User>`

// A group that does not exist undoes the user the create just made, and says so with its own type.
func TestOnboardUser_missingGroupUndoesTheUser(t *testing.T) {
	fake := iamfake.New(map[string]string{"CreateUser": createdUser, "DeleteUser": ``}).
		Fail("AddUserToGroup", 404, "NoSuchEntity", "The group with name Develoeprs cannot be found.").
		Fail("GetGroup", 404, "NoSuchEntity", "The group with name Develoeprs cannot be found.")
	c := newFakeClient(t, fake, Config{})
	_, err := c.OnboardUser(context.Background(), OnboardedUserSpec{Name: "alice", Path: "/", Groups: []string{"Develoeprs"}, Claim: "x"})
	var missing *MissingGroupError
	if !errors.As(err, &missing) {
		t.Fatalf("got %v, want a *MissingGroupError", err)
	}
	if got, want := strings.Join(fake.Actions(), ","), "CreateUser,AddUserToGroup,GetGroup,DeleteUser"; got != want {
		t.Fatalf("requests %s, want %s", got, want)
	}
}

// Console access with a generated password: the password policy is read, the password delivered
// before it is sent, and the failing step is named.
func TestOnboardUser_passwordStepsInOrder(t *testing.T) {
	fake := iamfake.New(map[string]string{
		"CreateUser": createdUser, "AddUserToGroup": ``,
		"GetAccountPasswordPolicy": `<PasswordPolicy><MinimumPasswordLength>24</MinimumPasswordLength></PasswordPolicy>`,
	}).Fail("CreateLoginProfile", 400, "PasswordPolicyViolation", "Password should have at least one symbol")
	c := newFakeClient(t, fake, Config{})
	var delivered string
	_, err := c.OnboardUser(context.Background(), OnboardedUserSpec{
		Name: "alice", Path: "/", Groups: []string{"Developers"}, Claim: "x", Console: true,
		Password: PasswordSpec{Length: 20, Deliver: func(p string) error { delivered = p; return nil }},
	})
	if step, _ := UserStepOf(err); step != StepSetPassword {
		t.Fatalf("got step %q (%v), want %q", step, err, StepSetPassword)
	}
	if len(delivered) != 24 {
		t.Errorf("delivered a %d-character password, want the policy's minimum of 24", len(delivered))
	}
	if got := fake.Find("CreateLoginProfile"); got.Get("Password") != delivered || got.Get("PasswordResetRequired") != "true" {
		t.Errorf("CreateLoginProfile %v, want the delivered password with a reset required", got)
	}
}

// A destroy of a user holding an access key is refused before any write without force_destroy.
func TestOffboardUser_blockedWithoutForce(t *testing.T) {
	fake := iamfake.New(map[string]string{}).Otherwise(func(v url.Values) iamfake.Reply {
		switch v.Get("Action") {
		case "ListAccessKeys":
			return iamfake.OK(`<IsTruncated>false</IsTruncated><AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>AKIA1</AccessKeyId><Status>Active</Status></member></AccessKeyMetadata>`)
		default:
			return iamfake.OK(`<IsTruncated>false</IsTruncated>`)
		}
	})
	c := newFakeClient(t, fake, Config{})
	err := c.OffboardUser(context.Background(), "alice", false)
	var blocked *OffboardingBlockedError
	if !errors.As(err, &blocked) || !strings.Contains(blocked.Attachments.Describe(), "AKIA1") {
		t.Fatalf("got %v, want a refusal naming the access key", err)
	}
	for _, a := range fake.Actions() {
		if strings.HasPrefix(a, "Delete") || strings.HasPrefix(a, "Remove") {
			t.Errorf("refused destroy sent %s", a)
		}
	}
}
