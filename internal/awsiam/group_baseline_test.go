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

func TestCheckMembers(t *testing.T) {
	groups := map[string]*GroupState{
		"Developers": {Name: "acme-Developers", Members: []string{"alice", "bob"}},
		"ReadOnly":   {Name: "acme-ReadOnly"},
	}
	err := checkMembers(groups, []string{"Developers", "ReadOnly"}, false)
	if err == nil || !strings.Contains(err.Error(), "acme-Developers (members: alice, bob)") || !strings.Contains(err.Error(), "force_destroy = true") {
		t.Fatalf("got %v", err)
	}
	if err := checkMembers(groups, []string{"Developers"}, true); err != nil {
		t.Fatalf("force_destroy: %v", err)
	}
	if err := checkMembers(groups, []string{"ReadOnly"}, false); err != nil {
		t.Fatalf("empty group: %v", err)
	}
}

// A path change moves the groups in place with UpdateGroup (moto ignores NewPath, so this is checked
// on the requests) and replaces the policies, which IAM cannot move: the group's and the guardrail
// policy.
func TestApplyGroupBaseline_pathChange(t *testing.T) {
	docs, err := baseline.Documents([]string{baseline.RoleReadOnly}, baseline.Options{Partition: "aws"}, false, false)
	if err != nil {
		t.Fatal(err)
	}
	const (
		oldARN      = "arn:aws:iam::123456789012:policy/acme-ReadOnlyPolicy"
		newARN      = "arn:aws:iam::123456789012:policy/people/acme-ReadOnlyPolicy"
		oldGuardARN = "arn:aws:iam::123456789012:policy/acme-Guardrails"
		newGuardARN = "arn:aws:iam::123456789012:policy/people/acme-Guardrails"
	)
	policy := func(name, arn, doc string) string {
		return `<member><PolicyName>` + name + `</PolicyName><Arn>` + arn + `</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId>
<PolicyVersionList><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><Document>` + url.PathEscape(doc) + `</Document></member></PolicyVersionList>
</member>`
	}
	rec := iamfake.New(map[string]string{
		"GetAccountAuthorizationDetails": `<IsTruncated>false</IsTruncated>
<GroupDetailList><member><GroupName>acme-ReadOnly</GroupName><Path>/</Path><GroupId>G1</GroupId>
<Arn>arn:aws:iam::123456789012:group/acme-ReadOnly</Arn>
<AttachedManagedPolicies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><PolicyArn>` + oldARN + `</PolicyArn></member>
<member><PolicyName>acme-Guardrails</PolicyName><PolicyArn>` + oldGuardARN + `</PolicyArn></member></AttachedManagedPolicies>
</member></GroupDetailList>
<Policies>` + policy("acme-ReadOnlyPolicy", oldARN, docs[baseline.RoleReadOnly]) + policy("acme-Guardrails", oldGuardARN, docs[baseline.GuardrailsDocumentKey]) + `</Policies>`,
		"ListUsers":             `<IsTruncated>false</IsTruncated><Users/>`,
		"ListVirtualMFADevices": `<IsTruncated>false</IsTruncated><VirtualMFADevices/>`,
		"ListEntitiesForPolicy": `<IsTruncated>false</IsTruncated><PolicyGroups><member><GroupName>acme-ReadOnly</GroupName></member></PolicyGroups>`,
		"DetachGroupPolicy":     ``,
		"ListPolicyVersions":    `<IsTruncated>false</IsTruncated><Versions><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></member></Versions>`,
		"DeletePolicy":          ``,
		"CreatePolicy":          ``,
		"UpdateGroup":           ``,
		"AttachGroupPolicy":     ``,
		"UntagPolicy":           ``,
	})
	rec.Handle("CreatePolicy", func(form url.Values) iamfake.Reply {
		name := form.Get("PolicyName")
		return iamfake.OK(`<Policy><PolicyName>` + name + `</PolicyName><Path>/people/</Path><Arn>arn:aws:iam::123456789012:policy/people/` + name + `</Arn></Policy>`)
	})
	c := newFakeClient(t, rec, Config{})
	spec := func(path string) GroupBaselineSpec {
		return GroupBaselineSpec{Rules: baseline.GroupBaseline{Prefix: "acme-", Path: path, RoleKeys: []string{baseline.RoleReadOnly}, Partition: "aws"}}
	}
	old, updated := spec("/"), spec("/people/")
	updated.Documents = docs
	out, err := c.ApplyGroupBaseline(context.Background(), &old, updated)
	if err != nil {
		t.Fatal(err)
	}
	want := "GetAccountAuthorizationDetails," +
		"ListEntitiesForPolicy,DetachGroupPolicy,ListPolicyVersions,DeletePolicy,CreatePolicy,AttachGroupPolicy," +
		"ListEntitiesForPolicy,DetachGroupPolicy,ListPolicyVersions,DeletePolicy,CreatePolicy," +
		"UpdateGroup,AttachGroupPolicy,UntagPolicy,UntagPolicy"
	if got := strings.Join(rec.Actions(), ","); got != want {
		t.Fatalf("requests\n %s\nwant\n %s", got, want)
	}
	if f := rec.Find("UpdateGroup"); f.Get("GroupName") != "acme-ReadOnly" || f.Get("NewPath") != "/people/" || f.Get("NewGroupName") != "" {
		t.Errorf("UpdateGroup %v, want NewPath=/people/ for acme-ReadOnly", f)
	}
	for i, f := range rec.FindAll("CreatePolicy") {
		// The baseline-wide policies first.
		if want := []string{"acme-Guardrails", "acme-ReadOnlyPolicy"}[i]; f.Get("Path") != "/people/" || f.Get("PolicyName") != want {
			t.Errorf("CreatePolicy %d: %s at %s, want %s at /people/", i, f.Get("PolicyName"), f.Get("Path"), want)
		}
	}
	var attached []string
	for _, f := range rec.FindAll("AttachGroupPolicy") {
		attached = append(attached, f.Get("PolicyArn"))
	}
	if got := strings.Join(attached, ","); got != newGuardARN+","+newARN {
		t.Errorf("AttachGroupPolicy %s, want the new guardrail and group policies", got)
	}
	if got := out.SharedPolicyARNs[baseline.GuardrailsDocumentKey]; got != newGuardARN {
		t.Errorf("guardrail policy ARN %s", got)
	}
	if got := out.GroupARNs[baseline.RoleReadOnly]; got != "arn:aws:iam::123456789012:group/people/acme-ReadOnly" {
		t.Errorf("group ARN %s", got)
	}
	if got := out.PolicyARNs[baseline.RoleReadOnly]; got != newARN {
		t.Errorf("policy ARN %s", got)
	}
}

// A baseline from before the guardrail policy (its group documents carried the denies): the apply
// creates the guardrail policy and attaches it to the group before it writes the group document
// without the denies, so the group's grants are never in force without them.
func TestApplyGroupBaseline_guardrailsBeforeGrants(t *testing.T) {
	docs, err := baseline.Documents([]string{baseline.RoleReadOnly}, baseline.Options{Partition: "aws"}, false, false)
	if err != nil {
		t.Fatal(err)
	}
	// The old document: the grants and the denies in one.
	old, err := baseline.GuardedGroupPolicy(baseline.RoleReadOnly, baseline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	oldJSON, _ := old.JSON()
	const policyARN = "arn:aws:iam::123456789012:policy/acme-ReadOnlyPolicy"
	rec := iamfake.New(map[string]string{
		"GetAccountAuthorizationDetails": `<IsTruncated>false</IsTruncated>
<GroupDetailList><member><GroupName>acme-ReadOnly</GroupName><Path>/</Path><GroupId>G1</GroupId>
<Arn>arn:aws:iam::123456789012:group/acme-ReadOnly</Arn>
<AttachedManagedPolicies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><PolicyArn>` + policyARN + `</PolicyArn></member></AttachedManagedPolicies>
</member></GroupDetailList>
<Policies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><Arn>` + policyARN + `</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId>
<PolicyVersionList><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><Document>` + url.PathEscape(oldJSON) + `</Document></member></PolicyVersionList>
</member></Policies>`,
		"ListUsers":             `<IsTruncated>false</IsTruncated><Users/>`,
		"ListVirtualMFADevices": `<IsTruncated>false</IsTruncated><VirtualMFADevices/>`,
		"CreatePolicy":          `<Policy><PolicyName>acme-Guardrails</PolicyName><Path>/</Path><Arn>arn:aws:iam::123456789012:policy/acme-Guardrails</Arn></Policy>`,
		"AttachGroupPolicy":     ``,
		"ListPolicyVersions":    `<IsTruncated>false</IsTruncated><Versions><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></member></Versions>`,
		"CreatePolicyVersion":   `<PolicyVersion><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>`,
		"UntagPolicy":           ``,
	})
	c := newFakeClient(t, rec, Config{})
	spec := GroupBaselineSpec{Rules: baseline.GroupBaseline{Prefix: "acme-", Path: "/", RoleKeys: []string{baseline.RoleReadOnly}, Partition: "aws"}, Documents: docs}
	prior := spec
	if _, err := c.ApplyGroupBaseline(context.Background(), &prior, spec); err != nil {
		t.Fatal(err)
	}
	actions := rec.Actions()
	at := func(action string) int { return slices.Index(actions, action) }
	if at("CreatePolicy") < 0 || at("AttachGroupPolicy") < at("CreatePolicy") || at("CreatePolicyVersion") < at("AttachGroupPolicy") {
		t.Fatalf("requests %v: want the guardrail policy created and attached before the group document loses its denies", actions)
	}
	if f := rec.Find("AttachGroupPolicy"); f.Get("PolicyArn") != "arn:aws:iam::123456789012:policy/acme-Guardrails" || f.Get("GroupName") != "acme-ReadOnly" {
		t.Errorf("AttachGroupPolicy %v", f)
	}
	if rec.Count("AttachGroupPolicy") != 1 {
		t.Errorf("the guardrail policy was attached %d times", rec.Count("AttachGroupPolicy"))
	}
}

// createFake plays an empty account in which creates succeed, except that CreateGroup answers
// failGroup after okGroups successful group creates.
func createFake(okGroups int, failGroup iamfake.Reply) *iamfake.Fake {
	f := destroyFake("")
	f.Result("AttachGroupPolicy", "").Result("UntagPolicy", "").Result("ListEntitiesForPolicy", emptyList).Result("ListPolicyVersions", emptyList).
		Result("ListGroupPolicies", emptyList).Result("ListAttachedGroupPolicies", emptyList)
	f.Handle("CreatePolicy", func(form url.Values) iamfake.Reply {
		name := form.Get("PolicyName")
		return iamfake.OK(`<Policy><PolicyName>` + name + `</PolicyName><Path>/</Path><Arn>` + PolicyARN("aws", testAccount, "/", name) + `</Arn></Policy>`)
	})
	groups := 0
	f.Handle("CreateGroup", func(form url.Values) iamfake.Reply {
		if groups++; groups > okGroups {
			return failGroup
		}
		name := form.Get("GroupName")
		return iamfake.OK(`<Group><GroupName>` + name + `</GroupName><Path>/</Path><GroupId>G` + name + `</GroupId><Arn>arn:aws:iam::` + testAccount +
			`:group/` + name + `</Arn><CreateDate>2026-11-27T10:00:00Z</CreateDate></Group>`)
	})
	return f
}

func createSpec(t *testing.T) GroupBaselineSpec {
	t.Helper()
	spec := destroySpec()
	var err error
	if spec.Documents, err = baseline.Documents(spec.Rules.RoleKeys, baseline.Options{Partition: "aws"}, spec.Rules.EnforceMFA, false); err != nil {
		t.Fatal(err)
	}
	return spec
}

// A create that fails after some writes deletes every group and policy it created. Checked as a
// property of the requests (each successful create has its delete), not as a sequence.
func TestApplyGroupBaseline_failedCreateUndoesItsWrites(t *testing.T) {
	f := createFake(1, iamfake.Error(403, "AccessDenied", "not allowed to create this one"))
	c := newFakeClientWithSTS(t, f)
	_, err := c.ApplyGroupBaseline(context.Background(), nil, createSpec(t))
	if err == nil || !strings.Contains(err.Error(), "AccessDenied") || !strings.Contains(err.Error(), "deleted again") {
		t.Fatalf("got %v, want the create's error and that its writes are undone", err)
	}
	var deletedPolicies, deletedGroups []string
	for _, r := range f.FindAll("DeletePolicy") {
		deletedPolicies = append(deletedPolicies, r.Get("PolicyArn"))
	}
	for _, r := range f.FindAll("DeleteGroup") {
		deletedGroups = append(deletedGroups, r.Get("GroupName"))
	}
	created := 0
	for _, r := range f.FindAll("CreatePolicy") {
		created++
		if arn := PolicyARN("aws", testAccount, "/", r.Get("PolicyName")); !slices.Contains(deletedPolicies, arn) {
			t.Errorf("policy %s was created and is left behind", arn)
		}
	}
	for i, r := range f.FindAll("CreateGroup") {
		if i == 0 {
			created++
			if !slices.Contains(deletedGroups, r.Get("GroupName")) {
				t.Errorf("group %s was created and is left behind", r.Get("GroupName"))
			}
		} else if slices.Contains(deletedGroups, r.Get("GroupName")) {
			t.Errorf("group %s was never created, but deleted", r.Get("GroupName"))
		}
	}
	if created < 2 {
		t.Fatalf("only %d creates before the failure: the test proves nothing (%v)", created, f.Actions())
	}
}

// The loser of two applies of one name_prefix at the same moment (its snapshot had no group, its
// CreateGroup meets EntityAlreadyExists on the first attempt) gets the ownership message, and undoes
// what it made before; it deletes nothing of the winner's.
func TestApplyGroupBaseline_losingACreateRaceGetsTheOwnershipMessage(t *testing.T) {
	f := createFake(0, iamfake.Error(409, "EntityAlreadyExists", "Group with name acme-ReadOnly already exists."))
	c := newFakeClientWithSTS(t, f)
	_, err := c.ApplyGroupBaseline(context.Background(), nil, createSpec(t))
	if err == nil || !strings.Contains(err.Error(), "cannot prove it made it") || !strings.Contains(err.Error(), "another apply created it") ||
		!strings.Contains(err.Error(), "terraform import "+groupBaselineResourceType) {
		t.Fatalf("got %v, want the ownership message", err)
	}
	if f.Count("DeleteGroup") != 0 {
		t.Errorf("the loser deleted the winner's group: %v", f.FindAll("DeleteGroup"))
	}
	if f.Count("DeletePolicy") != f.Count("CreatePolicy") || f.Count("CreatePolicy") == 0 {
		t.Errorf("created %d policies, deleted %d", f.Count("CreatePolicy"), f.Count("DeletePolicy"))
	}
}

// An interrupted create (its context cancelled) is not undone: the next apply adopts what it left.
func TestGroupBaselineUndo_notWhenInterrupted(t *testing.T) {
	f := destroyFake("")
	c := newFakeClientWithSTS(t, f)
	run := &groupBaselineRun{c: c, createdGroups: []string{"acme-ReadOnly"}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := run.undo(ctx, context.Canceled); err != context.Canceled {
		t.Fatalf("got %v", err)
	}
	if f.Count("DeleteGroup") != 0 {
		t.Error("an interrupted create was undone")
	}
}

// At plan, a baseline whose names nobody uses costs the one bulk read of the plan; one whose group
// another state made (not empty, no marked policy) is refused with the ownership message.
func TestGroupBaselineCollision(t *testing.T) {
	spec := createSpec(t)
	free := destroyFake("")
	if err := newFakeClientWithSTS(t, free).GroupBaselineCollision(context.Background(), spec); err != nil {
		t.Fatalf("free names: %v", err)
	}
	for _, a := range free.Actions() {
		if a != "GetAccountAuthorizationDetails" {
			t.Errorf("free names cost %s: want the snapshot's bulk read only (%v)", a, free.Actions())
		}
	}
	name := spec.Rules.GroupName(baseline.RoleReadOnly)
	taken := destroyFake(`<GroupDetailList><member><GroupName>` + name + `</GroupName><Path>/</Path><GroupId>G1</GroupId><Arn>arn:aws:iam::` + testAccount +
		`:group/` + name + `</Arn><AttachedManagedPolicies><member><PolicyName>Other</PolicyName><PolicyArn>arn:aws:iam::aws:policy/Other</PolicyArn></member></AttachedManagedPolicies></member></GroupDetailList>`)
	err := newFakeClientWithSTS(t, taken).GroupBaselineCollision(context.Background(), spec)
	if err == nil || !strings.Contains(err.Error(), "not provably its own") || !strings.Contains(err.Error(), name) {
		t.Fatalf("taken names: got %v, want the ownership refusal naming %s", err, name)
	}
	for _, a := range taken.Actions() {
		if strings.HasPrefix(a, "Create") || strings.HasPrefix(a, "Delete") || strings.HasPrefix(a, "Attach") {
			t.Errorf("the plan-time check wrote: %s", a)
		}
	}
}

// An onboarding that fails after its user was created deletes the user; the step that failed is
// still named, and the error says the user is gone again.
func TestOnboardUser_failedCreateUndoesTheUser(t *testing.T) {
	f := iamfake.New(map[string]string{"CreateUser": createdUser, "AddUserToGroup": ""}).
		Fail("CreateLoginProfile", 403, "AccessDenied", "not allowed").
		Otherwise(func(url.Values) iamfake.Reply { return iamfake.OK(emptyList) })
	c := newFakeClient(t, f, Config{})
	_, err := c.OnboardUser(context.Background(), OnboardedUserSpec{Name: "alice", Path: "/", Groups: []string{"g"}, Claim: "x", Console: true,
		Password: PasswordSpec{Deliver: func(string) error { return nil }}})
	if err == nil {
		t.Fatal("the create succeeded")
	}
	step, inner := UserStepOf(err)
	if step == "" || !strings.Contains(inner.Error(), "deleted again") || !HasCode(err, "AccessDenied") {
		t.Fatalf("step %q, error %v: want the failed step, its AccessDenied and that the user is deleted again", step, inner)
	}
	if f.Count("DeleteUser") != 1 {
		t.Errorf("DeleteUser sent %d times, want 1: %v", f.Count("DeleteUser"), f.Actions())
	}
}

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
