package baseline

// MFADenySid names the statement of the MFA policy that denies everything not
// listed while the caller has not signed in with MFA.
const MFADenySid = "DenyAllExceptListedIfNoMFA"

// MFAOthersDevicesDenySid names the statement that keeps a caller without MFA
// from enabling or resyncing an MFA device of any user but themselves.
const MFAOthersDevicesDenySid = "DenyOthersMFADevicesIfNoMFA"

// MFALongTermKeysDenySid names the statement that leaves a request signed with a
// long-term access key nothing but sts:GetSessionToken.
const MFALongTermKeysDenySid = "DenyLongTermKeysExceptGetSessionToken"

// MFAPolicy is AWS's documented "manage your own credentials, and nothing else
// until you sign in with MFA" policy, scoped to the caller through
// ${aws:username}, in the aws partition.
//
// Without MFA a person signed in to the console may still see the account's MFA
// devices, create, enable and resync their own virtual MFA device. When
// allowFirstLoginPasswordChange is true they may also read the password policy
// and change their password, which a new person with a temporary password must
// do at first sign-in before they can set up MFA. When it is false, even that
// waits for MFA (the administrator then has to register the person's device).
//
// That self-service exemption is narrower than in AWS's documented policy: it
// holds for a console session only, never for a request signed with a
// long-term access key, which may do nothing but sts:GetSessionToken (the way
// to an MFA session). IAM puts aws:MultiFactorAuthPresent in the request
// context of every temporary credential (the console's too, as "false" without
// MFA) and leaves it out only for long-term credentials (IAM User Guide, AWS
// global condition context keys), so a Null test of the key tells the two
// apart. It matters because a user who has an MFA device cannot get a console
// session without it: a console session without MFA belongs to a user who had
// no device when they signed in, while a stolen access key works whatever
// devices its user has. With AWS's policy alone, the holder of a stolen key
// could enrol a device of their own on the user (IAM allows eight) and then
// pass every MFA check, or change the console password. What IAM cannot
// express (how many devices a user has) is left to the mfa_device_enrolled
// alert and the audit's multiple_mfa_devices check.
//
// The exemption is also held to the caller's own user by a Deny, not only by the
// Allow statements: a policy beside this one that allows iam:EnableMFADevice on
// every user (an added IAMFullAccess, an additional group) must not let anyone
// without MFA put a device of theirs on another user, who may well have one.
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
			{
				Sid:         MFAOthersDevicesDenySid,
				Effect:      EffectDeny,
				Action:      []string{"iam:EnableMFADevice", "iam:ResyncMFADevice"},
				NotResource: []string{ownUser},
				Condition: map[string]map[string][]string{
					"BoolIfExists": {"aws:MultiFactorAuthPresent": {"false"}},
				},
			},
			// AWS warns against Deny with Null "true" as a test for MFA: it is not one here.
			// It tests for long-term credentials, the only requests without the key, and
			// takes the self-service exemption above away from them. GetSessionToken stays:
			// it is how a CLI user turns a key and an MFA code into an MFA session (it needs
			// no Allow, and a session it makes without MFA cannot call IAM at all).
			{
				Sid:       MFALongTermKeysDenySid,
				Effect:    EffectDeny,
				NotAction: []string{"sts:GetSessionToken"},
				Resource:  []string{"*"},
				Condition: map[string]map[string][]string{
					"Null": {"aws:MultiFactorAuthPresent": {"true"}},
				},
			},
		},
	}
}
