package awsiam

import (
	"context"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// The password policy is cached per process, and any change this process makes to it drops the
// cache: a user created after iambaseline_account_password_policy raised the minimum gets a password
// long enough for the new one.
func TestPasswordPolicyCacheFollowsWrites(t *testing.T) {
	var minimum atomic.Int32
	minimum.Store(14)
	f := iamfake.New(nil)
	f.Handle("GetAccountPasswordPolicy", func(url.Values) iamfake.Reply {
		if minimum.Load() == 0 {
			return iamfake.Error(404, "NoSuchEntity", "The Password Policy with domain name 123456789012 cannot be found.")
		}
		return iamfake.OK(`<PasswordPolicy><MinimumPasswordLength>` + strconv.Itoa(int(minimum.Load())) + `</MinimumPasswordLength><RequireSymbols>true</RequireSymbols><RequireNumbers>true</RequireNumbers><RequireUppercaseCharacters>true</RequireUppercaseCharacters><RequireLowercaseCharacters>true</RequireLowercaseCharacters><AllowUsersToChangePassword>true</AllowUsersToChangePassword><ExpirePasswords>false</ExpirePasswords></PasswordPolicy>`)
	})
	f.Handle("UpdateAccountPasswordPolicy", func(form url.Values) iamfake.Reply {
		minimum.Store(int32(must(strconv.Atoi(form.Get("MinimumPasswordLength")))))
		return iamfake.Reply{}
	})
	f.Handle("DeleteAccountPasswordPolicy", func(url.Values) iamfake.Reply {
		minimum.Store(0)
		return iamfake.Reply{}
	})
	c := newFakeClient(t, f, Config{})
	ctx := context.Background()
	read := func() AccountPasswordPolicy {
		t.Helper()
		p, err := c.PasswordPolicy(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := read(); p.MinimumLength != 14 {
		t.Fatalf("minimum = %d, want 14", p.MinimumLength)
	}
	read()
	if n := f.Count("GetAccountPasswordPolicy"); n != 1 {
		t.Errorf("GetAccountPasswordPolicy sent %d times before any write, want 1 (cached)", n)
	}
	if err := c.UpdateAccountPasswordPolicy(ctx, PasswordPolicySettings{MinimumPasswordLength: 64}); err != nil {
		t.Fatal(err)
	}
	if p := read(); p.MinimumLength != 64 {
		t.Errorf("after UpdateAccountPasswordPolicy the cached minimum is %d, want 64", p.MinimumLength)
	}
	if err := c.DeleteAccountPasswordPolicy(ctx); err != nil {
		t.Fatal(err)
	}
	if p := read(); !p.Default {
		t.Errorf("after DeleteAccountPasswordPolicy the policy is %+v, want AWS's default", p)
	}
}

func must(n int, err error) int {
	if err != nil {
		panic(err)
	}
	return n
}
