package awsiam

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// The answer to the first attempt of a create is lost after IAM executed it; the SDK retries and the
// retry meets the entity: EntityAlreadyExists (or LimitExceeded). These tests play that exchange on
// a fake IAM and check that the entity is adopted only when it is provably what the create made.

// lostThen answers the first request with a reset connection (the lost answer) and the next ones
// with then.
func lostThen(then iamfake.Reply) iamfake.HandlerFunc {
	var n atomic.Int32
	return func(url.Values) iamfake.Reply {
		if n.Add(1) == 1 {
			return iamfake.LostAnswer()
		}
		return then
	}
}

var alreadyExistsReply = iamfake.Error(409, "EntityAlreadyExists", "already exists")

const (
	testAccount   = "123456789012"
	ourDocument   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	otherDocument = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	ourTrust      = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	otherTrust    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}]}`
	emptyList     = `<IsTruncated>false</IsTruncated>`
	tagsXML       = `<Tags><member><Key>ManagedBy</Key><Value>iambaseline</Value></member></Tags>`
)

// writes lists the actions that change something (not Get*/List*/STS).
func writes(f *iamfake.Fake) []string {
	return awscore.Writes(f.Actions())
}

// newFakeClientWithSTS is newFakeClient with STS (the account ID) served by the fake too.
func newFakeClientWithSTS(t *testing.T, f *iamfake.Fake) *Client {
	t.Helper()
	endpoint := f.Start(t)
	c, err := NewClient(context.Background(), Config{IAMEndpoint: endpoint, STSEndpoint: endpoint, SkipCredentialsValidation: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func policyFake(path, document, tags string) *iamfake.Fake {
	arn := PolicyARN("aws", testAccount, path, "acme-ReadOnlyPolicy")
	f := iamfake.New(map[string]string{
		"GetCallerIdentity": iamfake.CallerIdentity(testAccount),
		"GetPolicy": `<Policy><PolicyName>acme-ReadOnlyPolicy</PolicyName><Arn>` + arn + `</Arn><Path>` + path +
			`</Path><DefaultVersionId>v1</DefaultVersionId><Description>read only</Description></Policy>`,
		"GetPolicyVersion": `<PolicyVersion><Document>` + url.PathEscape(document) + `</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>`,
		"ListPolicyTags":   emptyList + tags,
	})
	f.Handle("CreatePolicy", lostThen(alreadyExistsReply))
	return f
}

func TestCreatePolicy_adoptsWhatTheLostAttemptMade(t *testing.T) {
	f := policyFake("/baseline/", ourDocument, tagsXML)
	c := newFakeClientWithSTS(t, f)
	p, err := c.CreatePolicy(context.Background(), "acme-ReadOnlyPolicy", "/baseline/", "read only", ourDocument, map[string]string{"ManagedBy": "iambaseline"})
	if err != nil {
		t.Fatalf("a create whose answer was lost must adopt its own policy: %v", err)
	}
	if got, want := p.ARN, "arn:aws:iam::123456789012:policy/baseline/acme-ReadOnlyPolicy"; got != want {
		t.Errorf("ARN = %s, want %s", got, want)
	}
	if got := strings.Join(writes(f), ","); got != "CreatePolicy,CreatePolicy" {
		t.Errorf("writes = %s, want the lost CreatePolicy and its retry only", got)
	}
	if got := f.Find("GetPolicy").Get("PolicyArn"); got != p.ARN {
		t.Errorf("GetPolicy of %s, want the ARN from account, path and name", got)
	}
}

func TestCreatePolicy_foreignPolicyStaysAnError(t *testing.T) {
	defer func(w time.Duration) { existingLagWindow = w }(existingLagWindow)
	existingLagWindow = 100 * time.Millisecond // the policy at another path: its NoSuchEntity is no lag
	for _, tc := range []struct {
		name, path, document, tags string
	}{
		{"other document", "/baseline/", otherDocument, tagsXML},
		{"other tags", "/baseline/", ourDocument, `<Tags><member><Key>Owner</Key><Value>someone</Value></member></Tags>`},
		{"no tags", "/baseline/", ourDocument, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := policyFake(tc.path, tc.document, tc.tags)
			c := newFakeClientWithSTS(t, f)
			wantCreatePolicyRefused(t, c)
			if f.Count("GetPolicy") != 1 {
				t.Errorf("the existing policy was not looked at: %v", f.Actions())
			}
			if got := strings.Join(writes(f), ","); got != "CreatePolicy,CreatePolicy" {
				t.Errorf("writes = %s: nothing may change", got)
			}
		})
	}
	t.Run("other path", func(t *testing.T) {
		f := policyFake("/baseline/", ourDocument, tagsXML)
		f.Fail("GetPolicy", 404, "NoSuchEntity", "no policy at that path")
		c := newFakeClientWithSTS(t, f)
		wantCreatePolicyRefused(t, c)
	})
}

// Without a retry, EntityAlreadyExists is someone else's policy, however similar: nothing is read.
func TestCreatePolicy_firstAttemptConflictIsNotAdopted(t *testing.T) {
	f := policyFake("/baseline/", ourDocument, tagsXML)
	f.Fail("CreatePolicy", 409, "EntityAlreadyExists", "already exists")
	c := newFakeClientWithSTS(t, f)
	wantCreatePolicyRefused(t, c)
	if got := strings.Join(f.Actions(), ","); got != "CreatePolicy" {
		t.Errorf("requests = %s, want CreatePolicy only", got)
	}
}

func groupFake(getGroup, attached, inline string) *iamfake.Fake {
	f := iamfake.New(map[string]string{
		"GetGroup":                  getGroup,
		"ListAttachedGroupPolicies": emptyList + attached,
		"ListGroupPolicies":         emptyList + inline,
	})
	f.Handle("CreateGroup", lostThen(alreadyExistsReply))
	return f
}

const ourGroupXML = `<Group><Path>/baseline/</Path><GroupName>acme-Developers</GroupName><GroupId>AGPAX</GroupId>` +
	`<Arn>arn:aws:iam::123456789012:group/baseline/acme-Developers</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Group><Users></Users>` + emptyList

func TestCreateGroup_lostAnswer(t *testing.T) {
	t.Run("empty group with the path is adopted", func(t *testing.T) {
		f := groupFake(ourGroupXML, "", "")
		c := newFakeClient(t, f, Config{})
		g, err := c.CreateGroup(context.Background(), "acme-Developers", "/baseline/")
		if err != nil {
			t.Fatal(err)
		}
		if g.ARN != "arn:aws:iam::123456789012:group/baseline/acme-Developers" {
			t.Errorf("ARN = %s", g.ARN)
		}
		if got := strings.Join(writes(f), ","); got != "CreateGroup,CreateGroup" {
			t.Errorf("writes = %s", got)
		}
	})
	for _, tc := range []struct{ name, group, attached, inline string }{
		{"other path", strings.Replace(ourGroupXML, "<Path>/baseline/</Path>", "<Path>/</Path>", 1), "", ""},
		{"with a member", strings.Replace(ourGroupXML, "<Users></Users>",
			`<Users><member><Path>/</Path><UserName>bob</UserName><UserId>AIDAB</UserId><Arn>arn:aws:iam::123456789012:user/bob</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member></Users>`, 1), "", ""},
		{"with an attached policy", ourGroupXML, `<AttachedPolicies><member><PolicyName>p</PolicyName><PolicyArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn></member></AttachedPolicies>`, ""},
		{"with an inline policy", ourGroupXML, "", `<PolicyNames><member>extra</member></PolicyNames>`},
	} {
		t.Run(tc.name+" is an error", func(t *testing.T) {
			f := groupFake(tc.group, tc.attached, tc.inline)
			c := newFakeClient(t, f, Config{})
			if _, err := c.CreateGroup(context.Background(), "acme-Developers", "/baseline/"); !HasCode(err, "EntityAlreadyExists") {
				t.Fatalf("error = %v, want EntityAlreadyExists", err)
			}
			if f.Count("GetGroup") != 1 {
				t.Errorf("the existing group was not looked at: %v", f.Actions())
			}
			if got := strings.Join(writes(f), ","); got != "CreateGroup,CreateGroup" {
				t.Errorf("writes = %s: nothing may change", got)
			}
		})
	}
}

func roleXML(path, trust, tags string) string {
	return `<Role><Path>` + path + `</Path><RoleName>acme-app</RoleName><RoleId>AROAX</RoleId><Arn>arn:aws:iam::123456789012:role` + path +
		`acme-app</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>` + url.PathEscape(trust) +
		`</AssumeRolePolicyDocument><Description>app</Description>` + tags + `</Role>`
}

func TestCreateRole_lostAnswer(t *testing.T) {
	spec := RoleSpec{Name: "acme-app", Path: "/service/", Description: "app", TrustPolicy: ourTrust, Tags: map[string]string{"ManagedBy": "iambaseline"}}
	cases := []struct {
		name, role, attached, inline string
		adopted                      bool
	}{
		{"same role", roleXML("/service/", ourTrust, tagsXML), "", "", true},
		{"other trust policy", roleXML("/service/", otherTrust, tagsXML), "", "", false},
		{"other path", roleXML("/", ourTrust, tagsXML), "", "", false},
		{"other tags", roleXML("/service/", ourTrust, ""), "", "", false},
		{"with a policy", roleXML("/service/", ourTrust, tagsXML), `<AttachedPolicies><member><PolicyName>p</PolicyName><PolicyArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn></member></AttachedPolicies>`, "", false},
		{"with an inline policy", roleXML("/service/", ourTrust, tagsXML), "", `<PolicyNames><member>extra</member></PolicyNames>`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := iamfake.New(map[string]string{
				"GetRole":                  tc.role,
				"ListAttachedRolePolicies": emptyList + tc.attached,
				"ListRolePolicies":         emptyList + tc.inline,
			})
			f.Handle("CreateRole", lostThen(alreadyExistsReply)).Result("UntagRole", "")
			c := newFakeClient(t, f, Config{})
			r, err := c.CreateRole(context.Background(), spec)
			if got := strings.TrimSuffix(strings.Join(writes(f), ","), ",UntagRole"); got != "CreateRole,CreateRole" {
				t.Errorf("writes = %s", got)
			}
			if !tc.adopted {
				if r != nil || !HasCode(err, "EntityAlreadyExists") {
					t.Fatalf("role %v, error %v: want EntityAlreadyExists and no role", r, err)
				}
				if f.Count("GetRole") == 0 {
					t.Errorf("the existing role was not looked at: %v", f.Actions())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.ARN != "arn:aws:iam::123456789012:role/service/acme-app" || r.UniqueID != "AROAX" {
				t.Errorf("role = %+v", r)
			}
		})
	}
}

func TestCreateUser_lostAnswer(t *testing.T) {
	userXML := func(path, tags string) string {
		return `<User><Path>` + path + `</Path><UserName>alice</UserName><UserId>AIDAX</UserId><Arn>arn:aws:iam::123456789012:user` + path +
			`alice</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>` + tags + `</User>`
	}
	for _, tc := range []struct {
		name, user, groups string
		adopted            bool
	}{
		{"same user", userXML("/people/", tagsXML), "", true},
		{"other tags", userXML("/people/", ""), "", false},
		{"other path", userXML("/", tagsXML), "", false},
		{"in a group", userXML("/people/", tagsXML), `<Groups><member><Path>/</Path><GroupName>g</GroupName><GroupId>AGPAX</GroupId><Arn>arn:aws:iam::123456789012:group/g</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member></Groups>`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := iamfake.New(map[string]string{"GetUser": tc.user, "ListGroupsForUser": emptyList + tc.groups})
			f.Handle("CreateUser", lostThen(alreadyExistsReply))
			c := newFakeClient(t, f, Config{})
			u, err := c.CreateUser(context.Background(), CreateUserInput{Name: "alice", Path: "/people/", Tags: map[string]string{"ManagedBy": "iambaseline"}})
			if got := strings.Join(writes(f), ","); got != "CreateUser,CreateUser" {
				t.Errorf("writes = %s", got)
			}
			if !tc.adopted {
				if !HasCode(err, "EntityAlreadyExists") {
					t.Fatalf("error = %v, want EntityAlreadyExists", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.UserID != "AIDAX" || !c.UserIsNew("alice") {
				t.Errorf("user = %+v, new = %t", u, c.UserIsNew("alice"))
			}
		})
	}
}

// A retried CreateLoginProfile meets the profile its lost attempt made: the password is set again
// with UpdateLoginProfile, with the reset required, never without a password.
func TestSetLoginProfilePassword_lostAnswer(t *testing.T) {
	f := iamfake.New(nil).Otherwise(iamfake.Empty)
	f.Handle("CreateLoginProfile", lostThen(alreadyExistsReply))
	c := newFakeClient(t, f, Config{})
	if err := c.SetLoginProfilePassword(context.Background(), "alice", "Zq9!secret-pw"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.Actions(), ","); got != "CreateLoginProfile,CreateLoginProfile,UpdateLoginProfile" {
		t.Fatalf("actions = %s", got)
	}
	up := f.Find("UpdateLoginProfile")
	if up.Get("Password") != "Zq9!secret-pw" || up.Get("PasswordResetRequired") != "true" {
		t.Errorf("UpdateLoginProfile sent %v, want the password and PasswordResetRequired=true", up)
	}
}

// A retried CreatePolicyVersion whose lost attempt filled the quota fails with LimitExceeded: the
// default version holding the document proves the update done.
func TestCreatePolicyVersion_lostAnswerAtQuota(t *testing.T) {
	const arn = "arn:aws:iam::123456789012:policy/acme-DevelopersPolicy"
	for _, tc := range []struct {
		name, defaultDoc string
		ok               bool
	}{{"ours is the default", ourDocument, true}, {"another document is the default", otherDocument, false}} {
		t.Run(tc.name, func(t *testing.T) {
			f := iamfake.New(map[string]string{
				"ListPolicyVersions": versionsXML("v4", "v1", "v2", "v3", "v4"),
				"GetPolicy":          `<Policy><PolicyName>acme-DevelopersPolicy</PolicyName><Arn>` + arn + `</Arn><Path>/</Path><DefaultVersionId>v5</DefaultVersionId></Policy>`,
				"GetPolicyVersion":   `<PolicyVersion><Document>` + url.PathEscape(tc.defaultDoc) + `</Document><VersionId>v5</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>`,
			})
			f.Handle("CreatePolicyVersion", lostThen(iamfake.Error(409, "LimitExceeded", "A managed policy can have up to 5 versions")))
			c := newFakeClient(t, f, Config{})
			err := c.CreatePolicyVersion(context.Background(), arn, ourDocument)
			if tc.ok && err != nil {
				t.Fatal(err)
			}
			if !tc.ok && !HasCode(err, "LimitExceeded") {
				t.Fatalf("error = %v, want LimitExceeded", err)
			}
			if got := strings.Join(writes(f), ","); got != "CreatePolicyVersion,CreatePolicyVersion" {
				t.Errorf("writes = %s", got)
			}
		})
	}
}

// AddRoleToInstanceProfile retried after a lost answer meets the quota of one role: the profile
// holding this role proves it done.
func TestEnsureInstanceProfile_lostAddRoleAnswer(t *testing.T) {
	f := iamfake.New(map[string]string{
		"CreateInstanceProfile": `<InstanceProfile><Path>/</Path><InstanceProfileName>acme-app</InstanceProfileName><InstanceProfileId>AIPAX</InstanceProfileId>` +
			`<Arn>arn:aws:iam::123456789012:instance-profile/acme-app</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><Roles></Roles></InstanceProfile>`,
		"GetInstanceProfile": `<InstanceProfile><Path>/</Path><InstanceProfileName>acme-app</InstanceProfileName><InstanceProfileId>AIPAX</InstanceProfileId>` +
			`<Arn>arn:aws:iam::123456789012:instance-profile/acme-app</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><Roles><member><Path>/</Path>` +
			`<RoleName>acme-app</RoleName><RoleId>AROAX</RoleId><Arn>arn:aws:iam::123456789012:role/acme-app</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member></Roles></InstanceProfile>`,
	})
	f.Handle("AddRoleToInstanceProfile", lostThen(iamfake.Error(409, "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"))).Result("UntagInstanceProfile", "")
	c := newFakeClient(t, f, Config{})
	arn, err := c.ensureInstanceProfile(context.Background(), "acme-app", "/")
	if err != nil {
		t.Fatal(err)
	}
	if arn != "arn:aws:iam::123456789012:instance-profile/acme-app" {
		t.Errorf("ARN = %s", arn)
	}
}

// The retry of a create whose answer was lost meets EntityAlreadyExists, and the first reads of the
// entity answer NoSuchEntity (IAM's replicas lag behind the create they just refused to repeat):
// the lag is waited out and the entity adopted, not the create failed.
func TestCreate_lostAnswerThenLaggingRead(t *testing.T) {
	user := `<User><Path>/people/</Path><UserName>alice</UserName><UserId>AIDAX</UserId><Arn>arn:aws:iam::123456789012:user/people/alice</Arn>` +
		`<CreateDate>2026-01-01T00:00:00Z</CreateDate>` + tagsXML + `</User>`
	f := iamfake.New(map[string]string{"ListGroupsForUser": emptyList})
	reads := 0
	f.Handle("GetUser", func(url.Values) iamfake.Reply {
		if reads++; reads <= 2 {
			return iamfake.Error(404, "NoSuchEntity", "lagging")
		}
		return iamfake.OK(user)
	})
	f.Handle("CreateUser", lostThen(alreadyExistsReply))
	c := newFakeClient(t, f, Config{})
	u, err := c.CreateUser(context.Background(), CreateUserInput{Name: "alice", Path: "/people/", Tags: map[string]string{"ManagedBy": "iambaseline"}})
	if err != nil || u.UserID != "AIDAX" {
		t.Fatalf("user %+v, error %v: want the lost attempt's user adopted after the lag", u, err)
	}
	if reads != 3 {
		t.Errorf("GetUser sent %d times, want 3 (two lagging answers, then the user)", reads)
	}
}

// wantCreatePolicyRefused sends the CreatePolicy of acme-ReadOnlyPolicy and wants it refused with
// EntityAlreadyExists (someone else's policy, not adopted).
func wantCreatePolicyRefused(t *testing.T, c *Client) {
	t.Helper()
	_, err := c.CreatePolicy(context.Background(), "acme-ReadOnlyPolicy", "/baseline/", "read only", ourDocument, map[string]string{"ManagedBy": "iambaseline"})
	if !HasCode(err, "EntityAlreadyExists") {
		t.Fatalf("error = %v, want EntityAlreadyExists", err)
	}
}
