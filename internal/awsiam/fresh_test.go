package awsiam

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"errors"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// NoSuchEntity is IAM's propagation delay only about what this process made moments ago; about
// anything else it is the answer, and the write fails at once.

const noSuchGroup = "The group with name typo cannot be found."

// shortRetries makes the propagation backoff fast for the test.
func shortRetries(t *testing.T) {
	old, oldMax := backoffStart, backoffMax
	backoffStart, backoffMax = 5*time.Millisecond, 20*time.Millisecond
	t.Cleanup(func() { backoffStart, backoffMax = old, oldMax })
}

func TestAddUserToMissingGroupFailsAtOnce(t *testing.T) {
	shortRetries(t)
	f := iamfake.New(nil).Fail("AddUserToGroup", 404, "NoSuchEntity", noSuchGroup).Fail("GetGroup", 404, "NoSuchEntity", noSuchGroup)
	c := newFakeClient(t, f, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	err := c.AddUserToGroups(ctx, "ann", []string{"typo"})
	if !IsNotFound(err) {
		t.Fatalf("err = %v, want NoSuchEntity", err)
	}
	if n := f.Count("AddUserToGroup"); n != 1 || time.Since(start) > time.Second {
		t.Errorf("a missing group on an existing user took %d AddUserToGroup in %s: want one, at once", n, time.Since(start))
	}
}

func TestAddNewUserToMissingGroupFailsAtOnce(t *testing.T) {
	shortRetries(t)
	f := iamfake.New(map[string]string{
		"CreateUser": `<User><Path>/</Path><UserName>ann</UserName><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/ann</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User>`,
	}).Fail("AddUserToGroup", 404, "NoSuchEntity", noSuchGroup).Fail("GetGroup", 404, "NoSuchEntity", noSuchGroup)
	c := newFakeClient(t, f, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := c.CreateUser(ctx, CreateUserInput{Name: "ann", Path: "/"}); err != nil {
		t.Fatal(err)
	}
	err := c.AddUserToGroups(ctx, "ann", []string{"typo"})
	var nf *NotFoundError
	if !IsNotFound(err) || !asNotFound(err, &nf) || nf.Name != "typo" {
		t.Fatalf("err = %v, want the group typo named as not found", err)
	}
	wantSent(t, f, "AddUserToGroup", 1, "the group was confirmed missing, so one is enough")
	wantSent(t, f, "GetGroup", 1, "one point read confirming the group is missing")
}

func TestAddNewUserToGroupWaitsOutPropagation(t *testing.T) {
	shortRetries(t)
	var misses atomic.Int32
	f := iamfake.New(map[string]string{
		"CreateUser": `<User><Path>/</Path><UserName>ann</UserName><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/ann</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User>`,
		"GetGroup":   `<Group><Path>/</Path><GroupName>devs</GroupName><GroupId>AGPA1</GroupId><Arn>arn:aws:iam::123456789012:group/devs</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate></Group><Users/><IsTruncated>false</IsTruncated>`,
	})
	f.Handle("AddUserToGroup", func(url.Values) iamfake.Reply {
		if misses.Add(1) <= 2 {
			return iamfake.Error(404, "NoSuchEntity", "The user with name ann cannot be found.")
		}
		return iamfake.Reply{}
	})
	c := newFakeClient(t, f, Config{})
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, CreateUserInput{Name: "ann", Path: "/"}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddUserToGroups(ctx, "ann", []string{"devs"}); err != nil {
		t.Fatalf("a new user's membership must ride out propagation: %v", err)
	}
	wantSent(t, f, "AddUserToGroup", 3, "two misses ridden out, then the membership")
	wantSent(t, f, "GetGroup", 1, "the group is confirmed once per write")
}

func TestAttachMissingPolicyFailsAtOnce(t *testing.T) {
	shortRetries(t)
	const arn = "arn:aws:iam::aws:policy/ReadOnlyAcces"
	f := iamfake.New(map[string]string{
		"CreateGroup": `<Group><Path>/</Path><GroupName>devs</GroupName><GroupId>AGPA1</GroupId><Arn>arn:aws:iam::123456789012:group/devs</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Group>`,
	}).Fail("AttachGroupPolicy", 404, "NoSuchEntity", "Policy "+arn+" does not exist or is not attachable.").
		Fail("GetPolicy", 404, "NoSuchEntity", "Policy "+arn+" was not found.")
	c := newFakeClient(t, f, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := c.CreateGroup(ctx, "devs", "/"); err != nil {
		t.Fatal(err)
	}
	err := c.AttachGroupPolicy(ctx, "devs", arn)
	if !IsNotFound(err) || !strings.Contains(err.Error(), arn) {
		t.Fatalf("err = %v, want the policy named as not found", err)
	}
	wantSent(t, f, "AttachGroupPolicy", 1, "the policy was confirmed missing")
}

func TestRenamedUserIsFresh(t *testing.T) {
	f := iamfake.New(nil).Otherwise(iamfake.Empty)
	c := newFakeClient(t, f, Config{})
	if err := c.UpdateUserNameAndPath(context.Background(), "old", "new", ""); err != nil {
		t.Fatal(err)
	}
	if !c.UserIsNew("new") || c.UserIsNew("old") {
		t.Errorf("after a rename the new name must be read as fresh (it propagates), the old one not")
	}
}

func TestReadRetriesOnlyFreshEntities(t *testing.T) {
	shortRetries(t)
	var n atomic.Int32
	f := iamfake.New(nil)
	f.Handle("GetUser", func(url.Values) iamfake.Reply {
		if n.Add(1) <= 2 {
			return iamfake.Error(404, "NoSuchEntity", "The user with name ann cannot be found.")
		}
		return iamfake.OK(`<User><Path>/</Path><UserName>ann</UserName><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/ann</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User>`)
	})
	c := newFakeClient(t, f, Config{})
	get := func(ctx context.Context) (*iam.GetUserOutput, error) {
		return c.iamAPI.GetUser(ctx, &iam.GetUserInput{UserName: strPtr("ann")})
	}
	if _, err := retryReadWhenFresh(context.Background(), c, userRef("ann"), get); !IsNotFound(err) {
		t.Fatalf("a read of a user this process did not make must not wait: %v", err)
	}
	c.markUserNew("ann")
	if _, err := retryReadWhenFresh(context.Background(), c, userRef("ann"), get); err != nil {
		t.Fatalf("a read of a fresh user must ride out propagation: %v", err)
	}
}

func asNotFound(err error, target **NotFoundError) bool {
	return errors.As(err, target)
}

// wantSent fails t unless f received op want times; why says what that count stands for.
func wantSent(t *testing.T, f *iamfake.Fake, op string, want int, why string) {
	t.Helper()
	if n := f.Count(op); n != want {
		t.Errorf("sent %d %s, want %d: %s", n, op, want, why)
	}
}
