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
		deny := doc.Statements[len(doc.Statements)-1]
		if got := deny.Condition["BoolIfExists"]["aws:MultiFactorAuthPresent"]; !slices.Equal(got, []string{"false"}) {
			t.Errorf("deny condition = %v", deny.Condition)
		}
		exempt := slices.Contains(deny.NotAction, "iam:ChangePassword") && slices.Contains(deny.NotAction, "iam:GetAccountPasswordPolicy")
		if exempt != flag {
			t.Errorf("MFAPolicy(%v): ChangePassword exempt from the deny = %v", flag, exempt)
		}
	}
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
		deny := MFAPolicy(flag).Statements[len(MFAPolicy(flag).Statements)-1]
		req := evalRequest{action: "sts:GetSessionToken", resource: anyResource, context: map[string]string{"aws:MultiFactorAuthPresent": "false"}}
		if evalStatementApplies(deny, req) {
			t.Errorf("MFAPolicy(%v) denies sts:GetSessionToken without MFA", flag)
		}
		req.action = "sts:AssumeRole"
		if !evalStatementApplies(deny, req) {
			t.Errorf("MFAPolicy(%v) does not deny sts:AssumeRole without MFA", flag)
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
