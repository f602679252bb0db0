package baseline

// MFADenySid names the statement of the MFA policy that denies everything not
// listed while the caller has not signed in with MFA.
const MFADenySid = "DenyAllExceptListedIfNoMFA"

// MFAPolicy is AWS's documented "manage your own credentials, and nothing else
// until you sign in with MFA" policy, scoped to the caller through
// ${aws:username}, in the aws partition.
//
// Without MFA a person may still see the account's MFA devices, create and
// enable their own virtual MFA device and get a session token. When
// allowFirstLoginPasswordChange is true they may also read the password policy
// and change their password, which a new person with a temporary password must
// do at first sign-in before they can set up MFA. When it is false, even that
// waits for MFA (the administrator then has to register the person's device).
func MFAPolicy(allowFirstLoginPasswordChange bool) PolicyDocument {
	return MFAPolicyForPartition(DefaultPartition, allowFirstLoginPasswordChange)
}

// MFAPolicyForPartition is MFAPolicy for another partition (aws-cn,
// aws-us-gov); an empty partition means "aws".
func MFAPolicyForPartition(partition string, allowFirstLoginPasswordChange bool) PolicyDocument {
	if partition == "" {
		partition = DefaultPartition
	}
	ownUser := "arn:" + partition + ":iam::*:user/${aws:username}"
	// Virtual MFA devices may be given any name in the console, so their ARN
	// cannot be tied to the user name; AWS's own version of this policy uses
	// mfa/* for the same reason. Enabling the device is tied to the user.
	anyMFADevice := "arn:" + partition + ":iam::*:mfa/*"

	exempt := []string{
		"iam:CreateVirtualMFADevice",
		"iam:EnableMFADevice",
		"iam:GetUser",
		"iam:GetMFADevice",
		"iam:ListMFADevices",
		"iam:ListVirtualMFADevices",
		"iam:ResyncMFADevice",
		"sts:GetSessionToken",
	}
	if allowFirstLoginPasswordChange {
		exempt = append(exempt, "iam:ChangePassword", "iam:GetAccountPasswordPolicy")
	}

	return PolicyDocument{
		Version: PolicyVersion,
		Statements: []Statement{
			allow("AllowViewAccountInfo", []string{
				"iam:GetAccountPasswordPolicy",
				"iam:ListVirtualMFADevices",
			}),
			allow("AllowManageOwnPasswords", []string{
				"iam:ChangePassword",
				"iam:GetUser",
			}, ownUser),
			allow("AllowManageOwnAccessKeys", []string{
				"iam:CreateAccessKey",
				"iam:DeleteAccessKey",
				"iam:ListAccessKeys",
				"iam:UpdateAccessKey",
				"iam:GetAccessKeyLastUsed",
			}, ownUser),
			allow("AllowManageOwnSigningCertificates", []string{
				"iam:DeleteSigningCertificate",
				"iam:ListSigningCertificates",
				"iam:UpdateSigningCertificate",
				"iam:UploadSigningCertificate",
			}, ownUser),
			allow("AllowManageOwnSSHPublicKeys", []string{
				"iam:DeleteSSHPublicKey",
				"iam:GetSSHPublicKey",
				"iam:ListSSHPublicKeys",
				"iam:UpdateSSHPublicKey",
				"iam:UploadSSHPublicKey",
			}, ownUser),
			allow("AllowManageOwnGitCredentials", []string{
				"iam:CreateServiceSpecificCredential",
				"iam:DeleteServiceSpecificCredential",
				"iam:ListServiceSpecificCredentials",
				"iam:ResetServiceSpecificCredential",
				"iam:UpdateServiceSpecificCredential",
			}, ownUser),
			allow("AllowManageOwnVirtualMFADevice", []string{
				"iam:CreateVirtualMFADevice",
			}, anyMFADevice),
			allow("AllowManageOwnUserMFA", []string{
				"iam:DeactivateMFADevice",
				"iam:EnableMFADevice",
				"iam:GetMFADevice",
				"iam:ListMFADevices",
				"iam:ResyncMFADevice",
			}, ownUser),
			{
				Sid:       MFADenySid,
				Effect:    EffectDeny,
				NotAction: exempt,
				Resource:  []string{"*"},
				Condition: map[string]map[string][]string{
					"BoolIfExists": {"aws:MultiFactorAuthPresent": {"false"}},
				},
			},
		},
	}
}
