package baseline

import (
	"slices"
	"testing"
)

func TestMFAPolicyStatements(t *testing.T) {
	wantSids := []string{
		"AllowViewAccountInfo", "AllowManageOwnPasswords", "AllowManageOwnAccessKeys",
		"AllowManageOwnSigningCertificates", "AllowManageOwnSSHPublicKeys", "AllowManageOwnGitCredentials",
		"AllowManageOwnVirtualMFADevice", "AllowManageOwnUserMFA", "DenyAllExceptListedIfNoMFA",
		"DenyOthersMFADevicesIfNoMFA", "DenyLongTermKeysExceptGetSessionToken",
	}
	for _, flag := range []bool{true, false} {
		doc := MFAPolicy(flag)
		var sids []string
		for _, s := range doc.Statements {
			sids = append(sids, s.Sid)
		}
		if !slices.Equal(sids, wantSids) {
			t.Errorf("MFAPolicy(%v) statements = %v, want %v", flag, sids, wantSids)
		}
		deny := mfaStatement(t, doc, MFADenySid)
		if got := deny.Condition["BoolIfExists"]["aws:MultiFactorAuthPresent"]; !slices.Equal(got, []string{"false"}) {
			t.Errorf("deny condition = %v", deny.Condition)
		}
		exempt := slices.Contains(deny.NotAction, "iam:ChangePassword") && slices.Contains(deny.NotAction, "iam:GetAccountPasswordPolicy")
		if exempt != flag {
			t.Errorf("MFAPolicy(%v): ChangePassword exempt from the deny = %v", flag, exempt)
		}
		keys := mfaStatement(t, doc, MFALongTermKeysDenySid)
		if keys.Effect != EffectDeny || !slices.Equal(keys.NotAction, []string{"sts:GetSessionToken"}) ||
			!slices.Equal(keys.Condition["Null"]["aws:MultiFactorAuthPresent"], []string{"true"}) || len(keys.Condition) != 1 {
			t.Errorf("MFAPolicy(%v): long-term key statement = %+v", flag, keys)
		}
	}
}

func mfaStatement(t *testing.T, doc PolicyDocument, sid string) Statement {
	t.Helper()
	for _, s := range doc.Statements {
		if s.Sid == sid {
			return s
		}
	}
	t.Fatalf("no statement %s", sid)
	return Statement{}
}

func TestMFAPolicyForPartition(t *testing.T) {
	js, err := MFAPolicyForPartition("aws-cn", true).JSON()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ParsePolicy(js)
	if err != nil {
		t.Fatal(err)
	}
	if r := doc.Statements[1].Resource; !slices.Equal(r, []string{"arn:aws-cn:iam::*:user/${aws:username}"}) {
		t.Errorf("aws-cn own-user resource = %v", r)
	}
	def, _ := MFAPolicyForPartition("", false).JSON()
	want, _ := MFAPolicy(false).JSON()
	if def != want {
		t.Error("an empty partition does not mean aws")
	}
}

// The MFA policy is attached beside a group policy; evaluate them together as
// IAM does for a member of the group.
func TestMFAPolicyEnforcement(t *testing.T) {
	const (
		alice = "arn:aws:iam::123456789012:user/alice"
		bob   = "arn:aws:iam::123456789012:user/bob"
		mfa   = "arn:aws:iam::123456789012:mfa/alice-phone"
	)
	readOnly := mustGroupPolicy(t, RoleReadOnly, Options{})
	noMFA := map[string]string{"aws:MultiFactorAuthPresent": "false"}
	keyMissing := map[string]string{"aws:MultiFactorAuthPresent": ""}
	withMFA := map[string]string{"aws:MultiFactorAuthPresent": "true"}

	tests := []struct {
		name      string
		firstPass bool
		action    string
		resource  string
		ctx       map[string]string
		want      bool
	}{
		{"group rights wait for MFA", true, "s3:ListAllMyBuckets", anyResource, noMFA, false},
		{"long-term keys without MFA are denied too", true, "s3:ListAllMyBuckets", anyResource, keyMissing, false},
		{"group rights with MFA", true, "s3:ListAllMyBuckets", anyResource, withMFA, true},
		{"first login may change password", true, "iam:ChangePassword", alice, noMFA, true},
		{"first login may read password policy", true, "iam:GetAccountPasswordPolicy", anyResource, noMFA, true},
		{"strict: password change waits for MFA", false, "iam:ChangePassword", alice, noMFA, false},
		{"strict: password policy waits for MFA", false, "iam:GetAccountPasswordPolicy", anyResource, noMFA, false},
		{"strict: password change with MFA", false, "iam:ChangePassword", alice, withMFA, true},
		{"never someone else's password", true, "iam:ChangePassword", bob, withMFA, false},
		{"create MFA device without MFA", false, "iam:CreateVirtualMFADevice", mfa, noMFA, true},
		{"enable own MFA device without MFA", false, "iam:EnableMFADevice", alice, noMFA, true},
		{"not someone else's MFA device", false, "iam:EnableMFADevice", bob, withMFA, false},
		{"deactivate MFA needs MFA", true, "iam:DeactivateMFADevice", alice, noMFA, false},
		{"own access keys need MFA", true, "iam:CreateAccessKey", alice, noMFA, false},
		{"own access keys with MFA", true, "iam:CreateAccessKey", alice, withMFA, true},
		{"not someone else's access keys", true, "iam:CreateAccessKey", bob, withMFA, false},
		{"own SSH keys with MFA", true, "iam:UploadSSHPublicKey", alice, withMFA, true},
		{"own git credentials with MFA", true, "iam:CreateServiceSpecificCredential", alice, withMFA, true},
	}
	// sts:GetSessionToken needs no Allow, only the absence of a Deny: it is
	// how a CLI user without an MFA session gets one.
	for _, flag := range []bool{true, false} {
		for _, ctx := range []map[string]string{{"aws:MultiFactorAuthPresent": "false"}, {}} {
			req := evalRequest{action: "sts:GetSessionToken", resource: anyResource, context: ctx}
			for _, s := range MFAPolicy(flag).Statements {
				if s.Effect == EffectDeny && evalStatementApplies(s, req) {
					t.Errorf("MFAPolicy(%v) denies sts:GetSessionToken in context %v (%s)", flag, ctx, s.Sid)
				}
			}
			req.action = "sts:AssumeRole"
			if !evalStatementApplies(mfaStatement(t, MFAPolicy(flag), MFADenySid), req) {
				t.Errorf("MFAPolicy(%v) does not deny sts:AssumeRole in context %v", flag, ctx)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := []PolicyDocument{MFAPolicy(tt.firstPass), readOnly}
			if got := allowsWith(docs, tt.action, tt.resource, tt.ctx); got != tt.want {
				t.Errorf("%s on %s = %v, want %v", tt.action, tt.resource, got, tt.want)
			}
		})
	}
}

// Who may do what to MFA devices without MFA, by the kind of credential, evaluated by the project's
// evaluator beside a policy that allows everything: the MFA policy's denies hold whatever else a
// member is granted (AdministratorAccess added by hand, an aws_managed job function).
//
// The kinds are the request contexts IAM builds (IAM User Guide, AWS global condition context keys,
// aws:MultiFactorAuthPresent): a console session without MFA carries the key as "false"; a request
// signed with a long-term access key carries no key at all; an MFA session carries "true". A user
// who has an MFA device cannot get a console session without it, so the "console, no MFA" column
// is a user who had no device when they signed in.
func TestMFAPolicyByCredentialKind(t *testing.T) {
	const (
		alice      = "arn:aws:iam::123456789012:user/alice"
		bob        = "arn:aws:iam::123456789012:user/bob"
		alicePhone = "arn:aws:iam::123456789012:mfa/alice-phone"
		bobPhone   = "arn:aws:iam::123456789012:mfa/bob-phone"
	)
	everything := PolicyDocument{Version: PolicyVersion, Statements: []Statement{allow("Admin", []string{"*"})}}
	readOnly := mustGroupPolicy(t, RoleReadOnly, Options{})
	console := map[string]string{"aws:MultiFactorAuthPresent": "false"}
	accessKey := map[string]string{"aws:MultiFactorAuthPresent": ""}
	withMFA := map[string]string{"aws:MultiFactorAuthPresent": "true"}

	type kase struct {
		what, action, resource string
		console, accessKey     bool // allowed without MFA, in a console session / with a long-term key
	}
	cases := []kase{
		{"enrol a first device: create a virtual device", "iam:CreateVirtualMFADevice", alicePhone, true, false},
		{"enrol a first device: enable it for oneself", "iam:EnableMFADevice", alice, true, false},
		{"see one's devices while enrolling", "iam:ListMFADevices", alice, true, false},
		{"see the account's virtual devices while enrolling", "iam:ListVirtualMFADevices", anyResource, true, false},
		{"read one's user while enrolling", "iam:GetUser", alice, true, false},
		{"resync one's device", "iam:ResyncMFADevice", alice, true, false},
		{"resync another user's device", "iam:ResyncMFADevice", bob, false, false},
		{"change the temporary password at first sign-in", "iam:ChangePassword", alice, true, false},
		{"read the password policy at first sign-in", "iam:GetAccountPasswordPolicy", anyResource, true, false},
		{"deactivate one's device", "iam:DeactivateMFADevice", alice, false, false},
		{"deactivate another user's device", "iam:DeactivateMFADevice", bob, false, false},
		{"delete a virtual device", "iam:DeleteVirtualMFADevice", alicePhone, false, false},
		{"delete another user's virtual device", "iam:DeleteVirtualMFADevice", bobPhone, false, false},
		// A virtual device's name is free (the console asks for one), so creating one cannot be tied
		// to the user; a created device is no factor until EnableMFADevice assigns it.
		{"create a virtual device named for another user", "iam:CreateVirtualMFADevice", bobPhone, true, false},
		{"enable a device for another user", "iam:EnableMFADevice", bob, false, false},
		{"create an access key", "iam:CreateAccessKey", alice, false, false},
		{"create a federation token", "sts:GetFederationToken", anyResource, false, false},
		{"assume a role", "sts:AssumeRole", "arn:aws:iam::123456789012:role/admin", false, false},
		{"read anything else", "s3:ListAllMyBuckets", anyResource, false, false},
	}
	for _, firstLogin := range []bool{true, false} {
		mfa := MFAPolicy(firstLogin)
		for _, c := range cases {
			wantConsole := c.console
			if !firstLogin && (c.action == "iam:ChangePassword" || c.action == "iam:GetAccountPasswordPolicy") {
				wantConsole = false
			}
			docs := []PolicyDocument{mfa, everything}
			if got := allowsWith(docs, c.action, c.resource, console); got != wantConsole {
				t.Errorf("first-login %v, console without MFA, %s (%s on %s): allowed=%v, want %v", firstLogin, c.what, c.action, c.resource, got, wantConsole)
			}
			if got := allowsWith(docs, c.action, c.resource, accessKey); got != c.accessKey {
				t.Errorf("first-login %v, long-term access key, %s (%s on %s): allowed=%v, want %v", firstLogin, c.what, c.action, c.resource, got, c.accessKey)
			}
			if !allowsWith(docs, c.action, c.resource, withMFA) {
				t.Errorf("first-login %v, with MFA, %s (%s): denied, but the MFA policy must not deny anything to an MFA session", firstLogin, c.what, c.action)
			}
		}
		// With the group's own policy instead of everything, an MFA session manages only its own devices.
		own := []PolicyDocument{mfa, readOnly}
		for _, c := range []kase{
			{what: "deactivate one's device", action: "iam:DeactivateMFADevice", resource: alice, console: true},
			{what: "deactivate another user's device", action: "iam:DeactivateMFADevice", resource: bob},
			{what: "enable a device for another user", action: "iam:EnableMFADevice", resource: bob},
			{what: "delete another user's virtual device", action: "iam:DeleteVirtualMFADevice", resource: bobPhone},
		} {
			if got := allowsWith(own, c.action, c.resource, withMFA); got != c.console {
				t.Errorf("first-login %v, ReadOnly member with MFA, %s: allowed=%v, want %v", firstLogin, c.what, got, c.console)
			}
		}
	}
}
