package awsiam

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

func destroySpec() GroupBaselineSpec {
	return GroupBaselineSpec{Rules: baseline.GroupBaseline{Prefix: "acme-", Path: "/", RoleKeys: []string{baseline.RoleReadOnly, baseline.RoleDevelopers}, Partition: "aws", EnforceMFA: true}}
}

// destroyFake answers a destroy: the snapshot lists what listed holds (GAAD inner XML), every read
// naming a policy answers NoSuchEntity (a lagging replica), and the deletes succeed.
func destroyFake(listed string) *iamfake.Fake {
	f := iamfake.New(map[string]string{
		"GetCallerIdentity":              iamfake.CallerIdentity(testAccount),
		"GetAccountAuthorizationDetails": emptyList + listed,
		"ListUsers":                      emptyList + `<Users/>`,
		"ListVirtualMFADevices":          emptyList + `<VirtualMFADevices/>`,
		"DeletePolicy":                   ``,
		"DeleteGroup":                    ``,
		"DetachGroupPolicy":              ``,
	})
	f.Fail("ListEntitiesForPolicy", 404, "NoSuchEntity", "lagging")
	f.Fail("ListPolicyVersions", 404, "NoSuchEntity", "lagging")
	return f
}

// Every group and customer managed policy of the spec gets its own delete request, whatever the
// reads said: a NoSuchEntity from a read is not "gone". Properties, not a sequence: the baseline
// may gain policies.
func TestDestroyGroupBaseline_sendsTheDeleteDespiteNoSuchEntityReads(t *testing.T) {
	spec := destroySpec()
	arn := PolicyARN("aws", testAccount, "/", spec.Rules.CustomerPolicyName(baseline.RoleReadOnly))
	listed := `<Policies><member><PolicyName>` + spec.Rules.CustomerPolicyName(baseline.RoleReadOnly) + `</PolicyName><Arn>` + arn +
		`</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId></member></Policies>`
	for name, listed := range map[string]string{"listed by the snapshot": listed, "left out of the snapshot": ""} {
		t.Run(name, func(t *testing.T) {
			f := destroyFake(listed)
			c := newFakeClientWithSTS(t, f)
			if err := c.DestroyGroupBaseline(context.Background(), spec); err != nil {
				t.Fatal(err)
			}
			var deletedPolicies, deletedGroups []string
			for _, r := range f.FindAll("DeletePolicy") {
				deletedPolicies = append(deletedPolicies, r.Get("PolicyArn"))
			}
			for _, r := range f.FindAll("DeleteGroup") {
				deletedGroups = append(deletedGroups, r.Get("GroupName"))
			}
			keys := spec.Rules.CustomerPolicyKeys()
			if len(keys) == 0 {
				t.Fatal("the spec has no customer managed policy: the test proves nothing")
			}
			for _, k := range keys {
				if want := PolicyARN("aws", testAccount, "/", spec.Rules.CustomerPolicyName(k)); !slices.Contains(deletedPolicies, want) {
					t.Errorf("no DeletePolicy for %s (sent for %v)", want, deletedPolicies)
				}
			}
			for _, k := range spec.Rules.GroupKeys() {
				if want := spec.Rules.GroupName(k); !slices.Contains(deletedGroups, want) {
					t.Errorf("no DeleteGroup for %s (sent for %v)", want, deletedGroups)
				}
			}
		})
	}
}

// A policy whose lagging read hid what it holds is refused with DeleteConflict; the destroy reads
// again, detaches and deletes.
func TestDeletePolicy_readsAgainAfterDeleteConflict(t *testing.T) {
	arn := PolicyARN("aws", testAccount, "/", "acme-ReadOnlyPolicy")
	f := destroyFake("")
	lists, deletes := 0, 0
	f.Handle("ListEntitiesForPolicy", func(url.Values) iamfake.Reply {
		if lists++; lists == 1 {
			return iamfake.Error(404, "NoSuchEntity", "lagging")
		}
		return iamfake.OK(emptyList + `<PolicyGroups><member><GroupName>acme-ReadOnly</GroupName></member></PolicyGroups>`)
	})
	f.Handle("DeletePolicy", func(url.Values) iamfake.Reply {
		if deletes++; deletes == 1 {
			return iamfake.Error(409, "DeleteConflict", "Cannot delete a policy attached to entities.")
		}
		return iamfake.Reply{}
	})
	c := newFakeClientWithSTS(t, f)
	if err := c.DeletePolicy(context.Background(), arn); err != nil {
		t.Fatal(err)
	}
	if f.Count("DetachGroupPolicy") != 1 || f.Count("DeletePolicy") != 2 {
		t.Fatalf("requests %v, want the detach found by the second read, then the delete again", f.Actions())
	}
}

// What cannot be deleted is reported, and the rest of the baseline is still deleted.
func TestDestroyGroupBaseline_reportsWhatItCouldNotRemove(t *testing.T) {
	spec := destroySpec()
	f := destroyFake("")
	f.Fail("DeletePolicy", 400, "AccessDenied", "not allowed")
	c := newFakeClientWithSTS(t, f)
	err := c.DestroyGroupBaseline(context.Background(), spec)
	var incomplete *DestroyIncompleteError
	if !errors.As(err, &incomplete) || len(incomplete.Failed) != len(spec.Rules.CustomerPolicyKeys()) {
		t.Fatalf("got %v, want one failure per customer managed policy", err)
	}
	if !strings.Contains(err.Error(), spec.Rules.CustomerPolicyName(baseline.RoleReadOnly)) || !strings.Contains(err.Error(), "left") {
		t.Errorf("the error does not name what is left: %v", err)
	}
	if f.Count("DeleteGroup") != len(spec.Rules.GroupKeys()) {
		t.Errorf("DeleteGroup sent %d times, want once per group: %v", f.Count("DeleteGroup"), f.Actions())
	}
}

// A user or role whose reads answer NoSuchEntity (a lagging replica) still gets its delete request:
// only the delete's own NoSuchEntity means gone.
func TestOffboardUserAndDeleteRole_sendTheDeleteDespiteNoSuchEntityReads(t *testing.T) {
	lagging := func(url.Values) iamfake.Reply { return iamfake.Error(404, "NoSuchEntity", "lagging") }
	user := iamfake.New(map[string]string{"DeleteUser": ""}).Otherwise(lagging)
	if err := newFakeClient(t, user, Config{}).OffboardUser(context.Background(), "alice", false); err != nil {
		t.Fatal(err)
	}
	if user.Count("DeleteUser") != 1 {
		t.Errorf("DeleteUser sent %d times after a NoSuchEntity read, want 1: %v", user.Count("DeleteUser"), user.Actions())
	}
	role := iamfake.New(map[string]string{"DeleteRole": ""}).Otherwise(lagging)
	if err := newFakeClient(t, role, Config{}).DeleteRole(context.Background(), "app"); err != nil {
		t.Fatal(err)
	}
	if role.Count("DeleteRole") != 1 {
		t.Errorf("DeleteRole sent %d times after a NoSuchEntity read, want 1: %v", role.Count("DeleteRole"), role.Actions())
	}
}

// A delete refused because the reads missed what the user still holds reads again.
func TestOffboardUser_readsAgainAfterDeleteConflict(t *testing.T) {
	deletes := 0
	f := iamfake.New(map[string]string{"DeleteLoginProfile": ""}).Otherwise(func(form url.Values) iamfake.Reply {
		return iamfake.OK(emptyList)
	})
	f.Handle("DeleteUser", func(url.Values) iamfake.Reply {
		if deletes++; deletes == 1 {
			return iamfake.Error(409, "DeleteConflict", "Cannot delete entity, must delete login profile first.")
		}
		return iamfake.Reply{}
	})
	if err := newFakeClient(t, f, Config{}).OffboardUser(context.Background(), "alice", false); err != nil {
		t.Fatal(err)
	}
	if f.Count("DeleteUser") != 2 || f.Count("ListAccessKeys") != 2 {
		t.Errorf("requests %v, want the reads and the delete twice", f.Actions())
	}
}
