package awsiam

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// Real IAM pages every list answer (IsTruncated + Marker); the emulator never does. These tests
// serve each list the provider reads in two pages and check that the second page is read too.

// twoPages answers the first request with IsTruncated=true, Marker "page2" and first, and the request
// carrying that marker with the rest.
func twoPages(first, rest string) iamfake.HandlerFunc {
	return func(form url.Values) iamfake.Reply {
		if form.Get("Marker") == "page2" {
			return iamfake.OK(`<IsTruncated>false</IsTruncated>` + rest)
		}
		return iamfake.OK(`<IsTruncated>true</IsTruncated><Marker>page2</Marker>` + first)
	}
}

func userDetailXML(name string, groups ...string) string {
	var g strings.Builder
	for _, n := range groups {
		g.WriteString(`<member>` + n + `</member>`)
	}
	return fmt.Sprintf(`<member><UserName>%[1]s</UserName><Path>/</Path><UserId>AIDA%[1]s</UserId><Arn>arn:aws:iam::123456789012:user/%[1]s</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate><GroupList>%[2]s</GroupList><AttachedManagedPolicies/><UserPolicyList/></member>`, name, g.String())
}

func listUserXML(name, lastUsed string) string {
	used := ""
	if lastUsed != "" {
		used = `<PasswordLastUsed>` + lastUsed + `</PasswordLastUsed>`
	}
	return fmt.Sprintf(`<member><UserName>%[1]s</UserName><Path>/</Path><UserId>AIDA%[1]s</UserId><Arn>arn:aws:iam::123456789012:user/%[1]s</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate>%[2]s</member>`, name, used)
}

func virtualMFAXML(user string) string {
	return fmt.Sprintf(`<member><SerialNumber>arn:aws:iam::123456789012:mfa/%[1]s</SerialNumber><User><UserName>%[1]s</UserName><Arn>arn:aws:iam::123456789012:user/%[1]s</Arn><UserId>AIDA%[1]s</UserId><Path>/</Path><CreateDate>2025-01-01T00:00:00Z</CreateDate></User></member>`, user)
}

func pagedSnapshotFake() *iamfake.Fake {
	f := iamfake.New(nil)
	f.Handle("GetAccountAuthorizationDetails", twoPages(
		`<UserDetailList>`+userDetailXML("ann", "devs")+`</UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>`,
		`<UserDetailList>`+userDetailXML("bob", "devs")+`</UserDetailList><GroupDetailList><member><GroupName>devs</GroupName><GroupId>AGPA1</GroupId><Arn>arn:aws:iam::123456789012:group/devs</Arn><Path>/</Path><CreateDate>2025-01-01T00:00:00Z</CreateDate></member></GroupDetailList><RoleDetailList/><Policies/>`))
	f.Handle("ListUsers", twoPages(`<Users>`+listUserXML("ann", "")+`</Users>`, `<Users>`+listUserXML("bob", "2026-01-01T00:00:00Z")+`</Users>`))
	f.Handle("ListVirtualMFADevices", twoPages(`<VirtualMFADevices>`+virtualMFAXML("ann")+`</VirtualMFADevices>`, `<VirtualMFADevices>`+virtualMFAXML("bob")+`</VirtualMFADevices>`))
	return f
}

func TestSnapshotReadsEveryPage(t *testing.T) {
	f := pagedSnapshotFake()
	c := newFakeClient(t, f, Config{})
	snap, err := c.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := snap.users["bob"]; !ok {
		t.Errorf("user of page 2 of GetAccountAuthorizationDetails missing: %v", snap.users)
	}
	if _, ok := snap.groups["devs"]; !ok {
		t.Errorf("group of page 2 missing")
	}
	if got := snap.groupMembers["devs"]; !slices.Equal(got, []string{"ann", "bob"}) {
		t.Errorf("members of devs = %v, want ann and bob (from both pages)", got)
	}
	for _, action := range []string{"ListUsers", "ListVirtualMFADevices"} {
		if n := f.Count(action); n != 0 {
			t.Errorf("%s sent %d times before any Read needed it, want 0 (lazy)", action, n)
		}
	}
	if err := snap.loadLazyParts(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := snap.passwordLastUsed["bob"]; !ok {
		t.Errorf("PasswordLastUsed of page 2 of ListUsers missing")
	}
	if len(snap.virtualMFA["bob"]) != 1 {
		t.Errorf("virtual MFA device of page 2 missing: %v", snap.virtualMFA)
	}
	for _, action := range []string{"GetAccountAuthorizationDetails", "ListUsers", "ListVirtualMFADevices"} {
		if n := f.Count(action); n != 2 {
			t.Errorf("%s sent %d times, want 2 (one per page)", action, n)
		}
	}
}

func TestUserListsReadEveryPage(t *testing.T) {
	group := func(name string) string {
		return `<member><Path>/</Path><GroupName>` + name + `</GroupName><GroupId>AGPA` + name + `</GroupId><Arn>arn:aws:iam::123456789012:group/` + name + `</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate></member>`
	}
	key := func(id string) string {
		return `<member><UserName>ann</UserName><AccessKeyId>` + id + `</AccessKeyId><Status>Active</Status><CreateDate>2025-01-01T00:00:00Z</CreateDate></member>`
	}
	mfa := func(serial string) string {
		return `<member><UserName>ann</UserName><SerialNumber>` + serial + `</SerialNumber><EnableDate>2025-01-01T00:00:00Z</EnableDate></member>`
	}
	cred := func(id string) string {
		return `<member><UserName>ann</UserName><Status>Active</Status><ServiceUserName>ann-at-1</ServiceUserName><CreateDate>2025-01-01T00:00:00Z</CreateDate><ServiceSpecificCredentialId>` + id + `</ServiceSpecificCredentialId><ServiceName>codecommit.amazonaws.com</ServiceName></member>`
	}
	f := iamfake.New(nil)
	f.Handle("ListGroupsForUser", twoPages(`<Groups>`+group("a")+`</Groups>`, `<Groups>`+group("b")+`</Groups>`))
	f.Handle("GetGroup", twoPages(
		`<Group><Path>/</Path><GroupName>a</GroupName><GroupId>AGPAa</GroupId><Arn>arn:aws:iam::123456789012:group/a</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate></Group><Users>`+listUserXML("ann", "")+`</Users>`,
		`<Group><Path>/</Path><GroupName>a</GroupName><GroupId>AGPAa</GroupId><Arn>arn:aws:iam::123456789012:group/a</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate></Group><Users>`+listUserXML("bob", "")+`</Users>`))
	f.Handle("ListAccessKeys", twoPages(`<AccessKeyMetadata>`+key("AKIA1")+`</AccessKeyMetadata>`, `<AccessKeyMetadata>`+key("AKIA2")+`</AccessKeyMetadata>`))
	f.Handle("ListMFADevices", twoPages(`<MFADevices>`+mfa("GAHT1")+`</MFADevices>`, `<MFADevices>`+mfa("GAHT2")+`</MFADevices>`))
	f.Handle("ListServiceSpecificCredentials", twoPages(`<ServiceSpecificCredentials>`+cred("ACCA1")+`</ServiceSpecificCredentials>`, `<ServiceSpecificCredentials>`+cred("ACCA2")+`</ServiceSpecificCredentials>`))
	for _, action := range []string{"ListSSHPublicKeys", "ListSigningCertificates", "ListUserPolicies", "ListAttachedUserPolicies"} {
		f.Result(action, emptyList)
	}
	c := newFakeClient(t, f, Config{})
	ctx := context.Background()

	groups, err := c.ListUserGroups(ctx, "ann")
	if err != nil || !slices.Equal(groups, []string{"a", "b"}) {
		t.Errorf("ListUserGroups = %v, %v; want a and b", groups, err)
	}
	members, err := c.FindGroupMembers(ctx, "a")
	if err != nil || !slices.Equal(members, []string{"ann", "bob"}) {
		t.Errorf("FindGroupMembers = %v, %v; want ann and bob", members, err)
	}
	a, err := c.ListUserAttachments(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.AccessKeys, []string{"AKIA1", "AKIA2"}) {
		t.Errorf("access keys = %v", a.AccessKeys)
	}
	if len(a.MFADevices) != 2 {
		t.Errorf("MFA devices = %v", a.MFADevices)
	}
	if len(a.ServiceSpecificCredentials) != 2 {
		t.Errorf("service-specific credentials = %v, want both pages", a.ServiceSpecificCredentials)
	}
	if got := f.FindAll("ListServiceSpecificCredentials"); len(got) != 2 || got[1].Get("Marker") != "page2" {
		t.Errorf("ListServiceSpecificCredentials requests = %v, want page 1 then Marker=page2", got)
	}
}

func TestAuditPerUserFallbackReadsEveryPage(t *testing.T) {
	f := newAuditFake(true, 0)
	f.Handle("ListVirtualMFADevices", twoPages(`<VirtualMFADevices/>`,
		`<VirtualMFADevices><member><SerialNumber>arn:aws:iam::123456789012:mfa/root-account-mfa-device</SerialNumber><User><Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><CreateDate>2020-01-01T00:00:00Z</CreateDate></User></member></VirtualMFADevices>`))
	f.Handle("ListMFADevices", twoPages(`<MFADevices/>`, `<MFADevices><member><UserName>alice</UserName><SerialNumber>GAHT1</SerialNumber><EnableDate>2025-01-01T00:00:00Z</EnableDate></member></MFADevices>`))
	f.Handle("ListAccessKeys", twoPages(
		`<AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>AKIA1</AccessKeyId><Status>Active</Status><CreateDate>2025-02-01T00:00:00Z</CreateDate></member></AccessKeyMetadata>`,
		`<AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>AKIA2</AccessKeyId><Status>Inactive</Status><CreateDate>2025-03-01T00:00:00Z</CreateDate></member></AccessKeyMetadata>`))
	c := fakeAuditClient(t, f)
	a, err := c.ReadAccountAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !a.RootVirtualMFA {
		t.Error("root's virtual MFA device on page 2 was not seen")
	}
	if len(a.Credentials) != 1 {
		t.Fatalf("credentials = %+v", a.Credentials)
	}
	row := a.Credentials[0]
	if !row.MFAActive {
		t.Error("alice's MFA device on page 2 of ListMFADevices was not seen")
	}
	if len(row.AccessKeys) != 2 {
		t.Errorf("alice's access keys = %+v, want both pages", row.AccessKeys)
	}
}
