package provider

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// testPGPKey makes a throwaway key pair; it returns the entity (with the private key) and the
// public key as base64 binary and ASCII-armored.
func testPGPKey(t *testing.T) (*openpgp.Entity, string, string) {
	t.Helper()
	e, err := openpgp.NewEntity("New Hire", "test", "new.hire@example.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	var bin bytes.Buffer
	if err := e.Serialize(&bin); err != nil {
		t.Fatal(err)
	}
	var arm bytes.Buffer
	w, err := armor.Encode(&arm, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(bin.Bytes())
	_ = w.Close()
	return e, base64.StdEncoding.EncodeToString(bin.Bytes()), arm.String()
}

func decryptPGP(t *testing.T, e *openpgp.Entity, b64 string) string {
	t.Helper()
	s, err := decrypt(e, b64)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// decrypt is the plain text of the base64 message b64 encrypted to e.
func decrypt(e *openpgp.Entity, b64 string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("encrypted_temporary_password is not base64: %w", err)
	}
	md, err := openpgp.ReadMessage(bytes.NewReader(raw), openpgp.EntityList{e}, nil, nil)
	if err != nil {
		return "", fmt.Errorf("decrypting: %w", err)
	}
	b, err := io.ReadAll(md.UnverifiedBody)
	return string(b), err
}

// PGPKeyForTests and DecryptForTests are testPGPKey and decrypt for the acceptance tests (package
// provider_test).
var (
	PGPKeyForTests  = testPGPKey
	DecryptForTests = decrypt
)

func TestPGPKeyParsing(t *testing.T) {
	e, b64, armored := testPGPKey(t)
	for name, in := range map[string]string{"base64": b64, "armored": armored, "base64 wrapped": wrap(b64, 64)} {
		got, err := parsePGPKey(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if pgpFingerprint(got) != pgpFingerprint(e) {
			t.Fatalf("%s: fingerprint %s, want %s", name, pgpFingerprint(got), pgpFingerprint(e))
		}
	}
	enc, err := encryptForPGPKey(e, "s3cret-Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	if got := decryptPGP(t, e, enc); got != "s3cret-Passw0rd!" {
		t.Fatalf("round trip gave %q", got)
	}
	for _, bad := range []string{"", "not a key", base64.StdEncoding.EncodeToString([]byte("garbage")), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----"} {
		if _, err := parsePGPKey(bad); err == nil {
			t.Errorf("parsePGPKey(%q) accepted an invalid key", bad)
		}
	}
}

func wrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

func TestCheckEmail(t *testing.T) {
	for _, ok := range []string{"ada@example.com", "ada.lovelace+aws@eng.example.co.uk", "a_b-c@x-y.io"} {
		if msg := checkEmail(ok); msg != "" {
			t.Errorf("%q rejected: %s", ok, msg)
		}
	}
	for _, bad := range []string{"", "ada", "ada@", "@example.com", "Ada <ada@example.com>", "ada@localhost", "ada@example", "ada @example.com", "ada@exa mple.com"} {
		if msg := checkEmail(bad); msg == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestOnboardedUserValidateConfig covers the plan-time rules, at the protocol level: no AWS.
func TestOnboardedUserValidateConfig(t *testing.T) {
	_, pgp, _ := testPGPKey(t)
	h := newProtoHarness(t)
	base := func(extra map[string]any) tftypes.Value {
		v := map[string]any{
			"user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com",
			"groups": []string{"Developers"},
		}
		for k, x := range extra {
			v[k] = x
		}
		return h.config(v)
	}
	tests := []struct {
		name      string
		extra     map[string]any
		writeOnly bool
		wantErr   string // "" means valid
	}{
		// Whether a delivery is needed is decided at plan time (TestOnboardedUserDeliveryDecidedAtPlan).
		{name: "no delivery is decided at plan", extra: nil},
		{name: "pgp", extra: map[string]any{"pgp_key": pgp}},
		{name: "store", extra: map[string]any{"store_password_in_state": true}},
		{name: "store false is decided at plan", extra: map[string]any{"store_password_in_state": false}},
		{name: "write-only", writeOnly: true, extra: map[string]any{"temporary_password_wo": "Xy7!abcdefghijkl", "temporary_password_wo_version": 1}},
		{name: "write-only needs a client that supports it", extra: map[string]any{"temporary_password_wo": "Xy7!abcdefghijkl", "temporary_password_wo_version": 1}, wantErr: "Write-only"},
		{name: "two deliveries", extra: map[string]any{"pgp_key": pgp, "store_password_in_state": true}, wantErr: "More than one delivery"},
		{name: "three deliveries", writeOnly: true, extra: map[string]any{"pgp_key": pgp, "store_password_in_state": true, "temporary_password_wo": "x"}, wantErr: "keep exactly one"},
		{name: "no console needs no delivery", extra: map[string]any{"console_access": false}},
		{name: "unknown console decided later", extra: map[string]any{"console_access": unknown}},
		{name: "invalid pgp key", extra: map[string]any{"pgp_key": "bm90IGEga2V5"}, wantErr: "pgp_key cannot be used"},
		{name: "invalid email", extra: map[string]any{"store_password_in_state": true, "email": "Ada <ada@example.com>"}, wantErr: "Invalid email address"},
		{name: "invalid user name", extra: map[string]any{"store_password_in_state": true, "user_name": "ada lovelace"}, wantErr: "may contain only"},
		{name: "user name too long", extra: map[string]any{"store_password_in_state": true, "user_name": strings.Repeat("a", 65)}, wantErr: "length"},
		{name: "no groups", extra: map[string]any{"store_password_in_state": true, "groups": []string{}}, wantErr: "groups must have at least 1 element(s), got 0: add a group"},
		{name: "eleven groups", extra: map[string]any{"store_password_in_state": true, "groups": []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}}, wantErr: "groups has 11 elements, at most 10 allowed: IAM puts a user in at most 10 groups"},
		{name: "ten groups fit", extra: map[string]any{"store_password_in_state": true, "groups": []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}}},
		{name: "forty-seven tags fit", extra: map[string]any{"store_password_in_state": true, "tags": manyTags(47)}},
		{name: "forty-eight tags fit without a job title", extra: map[string]any{"store_password_in_state": true, "tags": manyTags(48)}},
		{name: "forty-eight tags and an empty job title", extra: map[string]any{"store_password_in_state": true, "job_title": "", "tags": manyTags(48)}},
		{name: "forty-eight tags and a job title", extra: map[string]any{"store_password_in_state": true, "job_title": "CTO", "tags": manyTags(48)}, wantErr: "tags has 48 elements, at most 47 allowed: IAM allows at most 50 tags per entity and 3 of them (FullName, Email and JobTitle)"},
		{name: "forty-nine tags", extra: map[string]any{"store_password_in_state": true, "tags": manyTags(49)}, wantErr: "tags has 49 elements, at most 48 allowed: IAM allows at most 50 tags per entity and 2 of them (FullName and Email)"},
		{name: "tag value of 256 characters", extra: map[string]any{"store_password_in_state": true, "tags": map[string]string{"Note": strings.Repeat("é", 256)}}},
		{name: "tag value of 257 characters", extra: map[string]any{"store_password_in_state": true, "tags": map[string]string{"Note": strings.Repeat("é", 257)}}, wantErr: "has 257 characters"},
		{name: "tag key of 128 characters", extra: map[string]any{"store_password_in_state": true, "tags": map[string]string{strings.Repeat("é", 128): "x"}}},
		{name: "tag value with a comma", extra: map[string]any{"store_password_in_state": true, "tags": map[string]string{"CostCenter": "a,b"}}, wantErr: `remove ","`},
		{name: "tag keys differing by case", extra: map[string]any{"store_password_in_state": true, "tags": map[string]string{"Team": "a", "team": "b"}}, wantErr: `"Team" and "team"`},
		{name: "full name of 256 characters", extra: map[string]any{"store_password_in_state": true, "full_name": strings.Repeat("é", 256)}},
		{name: "comma in name", extra: map[string]any{"store_password_in_state": true, "full_name": "Martin Luther King, Jr."}, wantErr: `has ",". Write it without them (apostrophes are fine`},
		{name: "quote in job title", extra: map[string]any{"store_password_in_state": true, "job_title": `"Chief" Engineer`}, wantErr: `IAM tag JobTitle`},
		{name: "short password", extra: map[string]any{"store_password_in_state": true, "password_length": 13}, wantErr: "between 14 and 128"},
		{name: "reserved tag", extra: map[string]any{"store_password_in_state": true, "tags": map[string]string{"email": "x"}}, wantErr: "Email"},
		{name: "apostrophe in name", extra: map[string]any{"store_password_in_state": true, "full_name": "Miles O'Brien"}},
		{name: "typographic apostrophe in name", extra: map[string]any{"store_password_in_state": true, "full_name": "Miles O\u2019Brien"}},
		{name: "bad status", extra: map[string]any{"store_password_in_state": true, "status": "disabled"}, wantErr: "active"},
		{name: "bad boundary", extra: map[string]any{"store_password_in_state": true, "permissions_boundary": "ReadOnlyAccess"}, wantErr: "Invalid ARN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := h.validate(base(tc.extra), tc.writeOnly)
			expectDiagnostic(t, diags, tc.wantErr)
		})
	}
	// The error names the attribute.
	diags := h.validate(base(map[string]any{"pgp_key": "garbage"}), false)
	found := false
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError && d.Attribute != nil && d.Attribute.String() == tftypes.NewAttributePath().WithAttributeName("pgp_key").String() {
			found = true
		}
	}
	if !found {
		t.Fatalf("invalid pgp_key error does not name the attribute: %v", errorsOf(diags))
	}
}

// newFakeHarness is a protocol harness whose provider sends IAM and STS to fake.
func newFakeHarness(t *testing.T, fake *iamfake.Fake) *protoHarness {
	// The account has the groups the tests' users join: the plan checks that they exist.
	fake.Result("GetAccountAuthorizationDetails", cannedGroups("Developers", "ReadOnly", "SysAdmins", "DatabaseAdmins"))
	endpoint := fake.Start(t)
	h := newProtoHarness(t)
	h.configure(map[string]any{
		"skip_credentials_validation": true,
		"endpoints":                   map[string]any{"iam": endpoint, "sts": endpoint},
	})
	return h
}

// cannedGroups is a GetAccountAuthorizationDetails result holding these groups (no users, roles or
// policies).
func cannedGroups(names ...string) string {
	var b strings.Builder
	b.WriteString("<GroupDetailList>")
	for _, n := range names {
		fmt.Fprintf(&b, "<member><GroupName>%s</GroupName><Path>/</Path><GroupId>AGPA%s</GroupId>"+
			"<Arn>arn:aws:iam::123456789012:group/%s</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate></member>", n, strings.ToUpper(n), n)
	}
	b.WriteString("</GroupDetailList><IsTruncated>false</IsTruncated>")
	return b.String()
}

const cannedUser = `<User><Path>/</Path><UserName>ada</UserName><UserId>AIDAEXAMPLE0000000001</UserId>` +
	`<Arn>arn:aws:iam::123456789012:user/ada</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate></User>`

// userCreatingIAM is a fake IAM of account 123456789012 that creates the user ada (cannedUser) and
// answers every other request with an empty result.
func userCreatingIAM() *iamfake.Fake {
	return iamfake.New(map[string]string{
		"GetCallerIdentity": iamfake.CallerIdentity("123456789012"),
		"CreateUser":        cannedUser,
	}).Otherwise(iamfake.Empty)
}

// TestOnboardedUserCreateLoginProfileRequest proves, from the request the provider sends, what moto
// cannot show: CreateLoginProfile carries PasswordResetRequired=true, and the generated password
// meets the account password policy GetAccountPasswordPolicy returned (here 32 characters and all
// four classes, above the configured password_length of 20).
func TestOnboardedUserCreateLoginProfileRequest(t *testing.T) {
	rec := iamfake.New(map[string]string{
		"GetCallerIdentity": iamfake.CallerIdentity("123456789012"),
		"CreateUser":        cannedUser,
		"GetAccountPasswordPolicy": `<PasswordPolicy><MinimumPasswordLength>32</MinimumPasswordLength><RequireSymbols>true</RequireSymbols>` +
			`<RequireNumbers>true</RequireNumbers><RequireUppercaseCharacters>true</RequireUppercaseCharacters>` +
			`<RequireLowercaseCharacters>true</RequireLowercaseCharacters><AllowUsersToChangePassword>true</AllowUsersToChangePassword>` +
			`<ExpirePasswords>false</ExpirePasswords></PasswordPolicy>`,
		"CreateLoginProfile": `<LoginProfile><UserName>ada</UserName><CreateDate>2026-01-02T03:04:05Z</CreateDate><PasswordResetRequired>true</PasswordResetRequired></LoginProfile>`,
	}).Otherwise(iamfake.Empty)
	h := newFakeHarness(t, rec)
	e, pgp, _ := testPGPKey(t)
	config := h.config(map[string]any{
		"user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com", "job_title": "Engineer",
		"groups": []string{"Developers", "ReadOnly"}, "pgp_key": pgp,
	})
	expectDiagnostic(t, h.validate(config, true), "")
	null := tftypes.NewValue(h.typ, nil)
	planned, private := h.plan(null, config)
	state, diags := h.apply(null, planned, config, private)
	expectDiagnostic(t, diags, "")

	lp := rec.FindAll("CreateLoginProfile")
	if len(lp) != 1 {
		t.Fatalf("want one CreateLoginProfile request, got %d", len(lp))
	}
	if got := lp[0].Get("PasswordResetRequired"); got != "true" {
		t.Fatalf("CreateLoginProfile PasswordResetRequired = %q, want true", got)
	}
	password := lp[0].Get("Password")
	policy := baseline.PasswordPolicy{MinimumLength: 32, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true}
	if err := policy.Check(password); err != nil {
		t.Fatalf("the generated password does not meet the account policy: %v", err)
	}
	if len(password) != 32 {
		t.Fatalf("password length %d, want the policy minimum 32 (above password_length 20)", len(password))
	}
	enc, _ := stringAttr(t, state, "encrypted_temporary_password")
	if got := decryptPGP(t, e, enc); got != password {
		t.Fatal("encrypted_temporary_password does not decrypt to the password sent to AWS")
	}
	if _, ok := stringAttr(t, state, "temporary_password"); ok {
		t.Fatal("temporary_password is set without store_password_in_state")
	}
	// The record tags went with CreateUser.
	cu := rec.FindAll("CreateUser")[0]
	tags := map[string]string{}
	for i := 1; cu.Get(fmt.Sprintf("Tags.member.%d.Key", i)) != ""; i++ {
		tags[cu.Get(fmt.Sprintf("Tags.member.%d.Key", i))] = cu.Get(fmt.Sprintf("Tags.member.%d.Value", i))
	}
	if tags["FullName"] != "Ada Lovelace" || tags["Email"] != "ada@example.com" || tags["JobTitle"] != "Engineer" {
		t.Fatalf("CreateUser tags = %v", tags)
	}
	if n := len(rec.FindAll("AddUserToGroup")); n != 2 {
		t.Fatalf("want 2 AddUserToGroup requests, got %d", n)
	}
	// Never the password in any attribute.
	_ = tftypes.Walk(state, func(p *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		var s string
		if v.Type().Is(tftypes.String) && v.IsKnown() && !v.IsNull() && v.As(&s) == nil && strings.Contains(s, password) {
			t.Errorf("the password appears in %s", p)
		}
		return true, nil
	})
}

// TestOnboardedUserForceDestroyRequests proves force_destroy removes what moto cannot hold
// (service-specific credentials) and everything else, before deleting the user.
func TestOnboardedUserForceDestroyRequests(t *testing.T) {
	rec := iamfake.New(map[string]string{
		"ListAccessKeys":          `<AccessKeyMetadata><member><UserName>ada</UserName><AccessKeyId>AKIAOUTOFBAND</AccessKeyId><Status>Active</Status></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>`,
		"ListMFADevices":          `<MFADevices><member><UserName>ada</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/ada</SerialNumber><EnableDate>2026-01-02T03:04:05Z</EnableDate></member></MFADevices><IsTruncated>false</IsTruncated>`,
		"ListSSHPublicKeys":       `<SSHPublicKeys><member><UserName>ada</UserName><SSHPublicKeyId>APKASSH</SSHPublicKeyId><Status>Active</Status><UploadDate>2026-01-02T03:04:05Z</UploadDate></member></SSHPublicKeys><IsTruncated>false</IsTruncated>`,
		"ListSigningCertificates": `<Certificates><member><UserName>ada</UserName><CertificateId>CERT1</CertificateId><CertificateBody>x</CertificateBody><Status>Active</Status></member></Certificates><IsTruncated>false</IsTruncated>`,
		"ListServiceSpecificCredentials": `<ServiceSpecificCredentials><member><UserName>ada</UserName><Status>Active</Status><ServiceUserName>ada-at-123</ServiceUserName>` +
			`<CreateDate>2026-01-02T03:04:05Z</CreateDate><ServiceSpecificCredentialId>ACCACODECOMMIT</ServiceSpecificCredentialId><ServiceName>codecommit.amazonaws.com</ServiceName></member></ServiceSpecificCredentials>`,
		"ListUserPolicies":         `<PolicyNames><member>inline1</member></PolicyNames><IsTruncated>false</IsTruncated>`,
		"ListAttachedUserPolicies": `<AttachedPolicies><member><PolicyName>ReadOnlyAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn></member></AttachedPolicies><IsTruncated>false</IsTruncated>`,
		"ListGroupsForUser":        `<Groups><member><Path>/</Path><GroupName>Developers</GroupName><GroupId>AGPA1</GroupId><Arn>arn:aws:iam::123456789012:group/Developers</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate></member></Groups><IsTruncated>false</IsTruncated>`,
	}).Otherwise(iamfake.Empty)
	h := newFakeHarness(t, rec)
	state := h.config(map[string]any{
		"id": "ada", "user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com",
		"groups": []string{"Developers"}, "store_password_in_state": true, "force_destroy": false,
	})
	diags := h.destroy(state)
	msg := errorsOf(diags)
	for _, want := range []string{"AKIAOUTOFBAND", "arn:aws:iam::123456789012:mfa/ada", "APKASSH", "CERT1", "ACCACODECOMMIT", "inline1", "ReadOnlyAccess", "force_destroy"} {
		if !strings.Contains(msg, want) {
			t.Errorf("destroy without force_destroy: error does not name %s:\n%s", want, msg)
		}
	}
	if n := len(rec.FindAll("DeleteUser")) + len(rec.FindAll("DeleteLoginProfile")); n != 0 {
		t.Fatalf("destroy without force_destroy sent %d deletes before failing", n)
	}

	state = h.config(map[string]any{
		"id": "ada", "user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com",
		"groups": []string{"Developers"}, "store_password_in_state": true, "force_destroy": true,
	})
	expectDiagnostic(t, h.destroy(state), "")
	for action, param := range map[string]string{
		"DeleteAccessKey": "AccessKeyId", "DeactivateMFADevice": "SerialNumber", "DeleteVirtualMFADevice": "SerialNumber",
		"DeleteSSHPublicKey": "SSHPublicKeyId", "DeleteSigningCertificate": "CertificateId",
		"DeleteServiceSpecificCredential": "ServiceSpecificCredentialId", "DeleteUserPolicy": "PolicyName",
		"DetachUserPolicy": "PolicyArn", "RemoveUserFromGroup": "GroupName", "DeleteLoginProfile": "UserName", "DeleteUser": "UserName",
	} {
		reqs := rec.FindAll(action)
		if len(reqs) != 1 || reqs[0].Get(param) == "" {
			t.Errorf("force destroy: want one %s with %s, got %v", action, param, reqs)
		}
	}
}

func TestUserARNAfterRename(t *testing.T) {
	if got := userARN("arn:aws:iam::123456789012:user/eng/ada", "/ops/", "ada2"); got != "arn:aws:iam::123456789012:user/ops/ada2" {
		t.Fatal(got)
	}
}

// TestOnboardedUserPermissionsBoundaryRequests covers what moto does not model: the boundary goes
// with CreateUser, is changed with PutUserPermissionsBoundary and removed with
// DeleteUserPermissionsBoundary.
func TestOnboardedUserPermissionsBoundaryRequests(t *testing.T) {
	rec := userCreatingIAM().Fail("GetAccountPasswordPolicy", 404, "NoSuchEntity", "canned")
	h := newFakeHarness(t, rec)
	cfg := func(boundary string) tftypes.Value {
		v := map[string]any{
			"user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com",
			"groups": []string{"Developers"}, "store_password_in_state": true,
		}
		if boundary != "" {
			v["permissions_boundary"] = boundary
		}
		return h.config(v)
	}
	const first, second = "arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::123456789012:policy/boundary"
	null := tftypes.NewValue(h.typ, nil)
	c1 := cfg(first)
	planned, private := h.plan(null, c1)
	state, diags := h.apply(null, planned, c1, private)
	expectDiagnostic(t, diags, "")
	if got := rec.FindAll("CreateUser")[0].Get("PermissionsBoundary"); got != first {
		t.Fatalf("CreateUser PermissionsBoundary = %q, want %q", got, first)
	}
	// The AWS default policy (NoSuchEntity) still gives a 20-character password with every class.
	pw := rec.FindAll("CreateLoginProfile")[0].Get("Password")
	if err := (baseline.PasswordPolicy{MinimumLength: 20, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true}).Check(pw); err != nil || len(pw) != 20 {
		t.Fatalf("password under the default policy: %d characters, %v", len(pw), err)
	}

	c2 := cfg(second)
	planned, private = h.plan(state, c2)
	state, diags = h.apply(state, planned, c2, private)
	expectDiagnostic(t, diags, "")
	put := rec.FindAll("PutUserPermissionsBoundary")
	if len(put) != 1 || put[0].Get("PermissionsBoundary") != second || put[0].Get("UserName") != "ada" {
		t.Fatalf("PutUserPermissionsBoundary requests: %v", put)
	}

	c3 := cfg("")
	planned, private = h.plan(state, c3)
	_, diags = h.apply(state, planned, c3, private)
	expectDiagnostic(t, diags, "")
	if del := rec.FindAll("DeleteUserPermissionsBoundary"); len(del) != 1 || del[0].Get("UserName") != "ada" {
		t.Fatalf("DeleteUserPermissionsBoundary requests: %v", del)
	}
	// Changing only the boundary sent no other write; the create's one UntagUser removed its marker.
	if un := rec.FindAll("UntagUser"); len(un) != 1 || un[0].Get("TagKeys.member.1") != baseline.CreateMarkerTag {
		t.Errorf("UntagUser requests: %v, want the create's removal of %s only", un, baseline.CreateMarkerTag)
	}
	for _, a := range []string{"UpdateUser", "TagUser", "AddUserToGroup", "RemoveUserFromGroup", "DeleteLoginProfile", "UpdateLoginProfile"} {
		if n := len(rec.FindAll(a)); a != "AddUserToGroup" && n != 0 {
			t.Errorf("%s sent %d times", a, n)
		}
	}
}

// TestOnboardedUserWriteOnlyPasswordCheckedAtPlan: a caller-supplied password weaker than the
// account policy is a plan-time error naming the attribute, never quoting the value, and nothing
// is created.
func TestOnboardedUserWriteOnlyPasswordCheckedAtPlan(t *testing.T) {
	rec := iamfake.New(map[string]string{
		"GetCallerIdentity": iamfake.CallerIdentity("123456789012"),
		"GetAccountPasswordPolicy": `<PasswordPolicy><MinimumPasswordLength>24</MinimumPasswordLength><RequireSymbols>true</RequireSymbols>` +
			`<RequireNumbers>true</RequireNumbers><RequireUppercaseCharacters>true</RequireUppercaseCharacters>` +
			`<RequireLowercaseCharacters>true</RequireLowercaseCharacters></PasswordPolicy>`,
	}).Otherwise(iamfake.Empty)
	h := newFakeHarness(t, rec)
	const weak = "Short1!weakpass"
	config := h.config(map[string]any{
		"user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com",
		"groups": []string{"Developers"}, "temporary_password_wo": weak, "temporary_password_wo_version": 1,
	})
	expectDiagnostic(t, h.validate(config, true), "")
	_, _, diags := h.planDiags(tftypes.NewValue(h.typ, nil), config)
	msg := errorsOf(diags)
	if !strings.Contains(msg, "at least 24 characters") {
		t.Fatalf("want a policy error, got: %q", msg)
	}
	if strings.Contains(msg, weak) {
		t.Fatal("the error quotes the password")
	}
	if len(rec.FindAll("CreateUser")) != 0 {
		t.Fatal("CreateUser was sent for an invalid plan")
	}
}

// TestOnboardedUserDeliveryDecidedAtPlan: a delivery of the temporary password is needed exactly when
// the apply would set one. A create with console access, console access turned on and a new
// temporary_password_wo_version fail at plan without one, before any write; an imported user whose
// login profile exists (what -generate-config-out writes: console_access = true, no delivery) plans
// and applies without one, and no password is generated, sent or stored.
func TestOnboardedUserDeliveryDecidedAtPlan(t *testing.T) {
	rec := iamfake.New(map[string]string{
		"GetCallerIdentity": iamfake.CallerIdentity("123456789012"),
		"GetUser":           cannedUser,
	}).Otherwise(iamfake.Empty)
	h := newFakeHarness(t, rec)
	generated := map[string]any{
		"user_name": "ada", "full_name": "Ada Lovelace", "email": "ada@example.com", "groups": []string{"Developers"},
		"path": "/", "console_access": true, "store_password_in_state": false, "password_length": 20, "status": "active", "force_destroy": false,
	}
	with := func(base map[string]any, extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	null := tftypes.NewValue(h.typ, nil)
	writes := func() []string {
		var w []string
		for _, a := range rec.Actions() {
			if !strings.HasPrefix(a, "Get") && !strings.HasPrefix(a, "List") {
				w = append(w, a)
			}
		}
		return w
	}

	// Create: the plan fails, naming console_access and the choices; nothing is written.
	_, _, diags := h.planDiags(null, h.config(generated))
	expectDiagnostic(t, diags, "No delivery chosen for the temporary password", "console_access")
	expectDiagnostic(t, diags, "Choose exactly one way")
	if w := writes(); len(w) != 0 {
		t.Fatalf("a refused plan sent %v", w)
	}

	// The state an import of a console user reads back (the login profile exists; secrets are not
	// importable), and the configuration generated from it.
	imported := h.config(with(generated, map[string]any{
		"id": "ada", "arn": "arn:aws:iam::123456789012:user/ada", "unique_id": "AIDAEXAMPLE0000000001",
		"created_at": "2026-01-02T03:04:05Z", "console_sign_in_url": "https://123456789012.signin.aws.amazon.com/console",
		"tags_all": map[string]string{}, "mfa_enabled": false, "mfa_devices": []string{},
		"onboarding_instructions": "imported", "onboarding_checklist": map[string]any{
			"user_created": true, "groups_assigned": true, "console_access": true, "password_reset_required": false,
			"mfa_enabled": false, "record_tagged": true,
		},
	}))
	// A tag added in the same change makes it a real update, so that the apply runs.
	config := h.config(with(generated, map[string]any{"tags": map[string]string{"Team": "platform"}}))
	expectDiagnostic(t, h.validate(h.config(generated), false), "")
	planned, private, diags := h.planDiags(imported, config)
	expectDiagnostic(t, diags, "")
	for _, a := range []string{"temporary_password", "encrypted_temporary_password", "key_fingerprint"} {
		if v := attrOf(t, planned, a); !v.IsNull() {
			t.Errorf("planned %s = %v, want null: no password is set", a, v)
		}
	}
	state, diags := h.apply(imported, planned, config, private)
	expectDiagnostic(t, diags, "")
	for _, a := range []string{"CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile", "GetAccountPasswordPolicy"} {
		if n := rec.Count(a); n != 0 {
			t.Errorf("the imported user's apply sent %s %d times: the existing password must stay untouched", a, n)
		}
	}
	if rec.Count("TagUser") != 1 {
		t.Errorf("the tag change was not applied: %v", rec.Actions())
	}
	if v := attrOf(t, state, "temporary_password"); !v.IsNull() {
		t.Error("a password landed in the state")
	}

	// A new temporary password without a delivery: refused at plan.
	for name, change := range map[string]map[string]any{
		"console access turned on": {"console_access": true},
		"a new password version":   {"temporary_password_wo_version": 2},
	} {
		t.Run(name, func(t *testing.T) {
			prior := imported
			if _, ok := change["console_access"]; ok {
				prior = h.config(with(generated, map[string]any{"id": "ada", "arn": "arn:aws:iam::123456789012:user/ada", "console_access": false}))
			}
			before := len(writes())
			_, _, diags := h.planDiags(prior, h.config(with(generated, change)))
			expectDiagnostic(t, diags, "This apply sets a new temporary password", "console_access")
			if w := writes(); len(w) != before {
				t.Errorf("a refused plan sent %v", w[before:])
			}
			// With a delivery the same change plans.
			_, _, diags = h.planDiags(prior, h.config(with(generated, with(change, map[string]any{"store_password_in_state": true}))))
			expectDiagnostic(t, diags, "")
		})
	}
}

// manyTags is a tags map value of n distinct tags.
func manyTags(n int) map[string]string {
	tags := map[string]string{}
	for i := 0; i < n; i++ {
		tags[fmt.Sprintf("Tag%02d", i)] = "x"
	}
	return tags
}
