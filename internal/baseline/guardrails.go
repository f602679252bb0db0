package baseline

// The guardrail policy: every Deny of the baseline, in one customer managed policy
// (<name_prefix>Guardrails, key GuardrailsDocumentKey) attached to every baseline group in both
// policy styles and to every additional group that does not opt out. The group documents then
// only grant; what no member may do whatever a group or an extra policy grants lives here once.
//
// It denies only what no baseline group's job needs, so a person in several groups keeps
// everything each group grants, and in the aws_managed style it takes from AWS's job-function
// policies exactly the audit-blinding and erasure paths below:
//
//   - the audit (protected.go): every write on any trail or event data store, and on the trail's
//     log group, bucket, alarms and topic of iambaseline_activity_alerts;
//   - detection: turning off or muting GuardDuty, AWS Config, Security Hub and IAM Access Analyzer,
//     deleting VPC flow logs, account-wide CloudWatch Logs policies (an account-wide subscription
//     filter streams the audit log group out without naming it);
//   - erasure: RDS automated backups, AWS Backup vaults, recovery points and their access and lock
//     policies, shortening a recovery point's lifecycle, DynamoDB backups and point-in-time recovery
//     switched off, deleting KMS keys (which erases everything they encrypt), bypassing S3 Object Lock governance retention;
//   - publishing: sharing or publishing RDS, EBS snapshots and AMIs, and turning off the account's
//     S3, EBS and AMI public-access blocks;
//   - the account: leaving the organization (and with it every SCP);
//   - the app-scope tag on EC2 (protected.go): set only by the creating call, never changed or removed,
//     and never set or removed on an Auto Scaling group (which propagates it to the instances it launches);
//   - with allowed_regions, every regional action outside those regions (regions.go).

// Sids of the guardrail statements beyond those of protected.go.
const (
	GuardDetectionSid = "DenyDetectionOff"
	GuardErasureSid   = "DenyBackupErasure"
	GuardPublishSid   = "DenyPublishingSnapshots"
	GuardAccountSid   = "DenyLeavingTheOrganization"
)

// GuardrailPolicy renders the guardrail policy of a baseline with these options.
func GuardrailPolicy(opts Options) (PolicyDocument, error) {
	if err := opts.Validate(); err != nil {
		return PolicyDocument{}, err
	}
	opts = opts.withDefaults()
	stmts := append(guardrailStatements(opts), appRoleGuardStatements(opts)...)
	if len(opts.AllowedRegions) > 0 {
		stmts = append(stmts, regionRestriction(opts.AllowedRegions, opts.RegionExemptActions))
	}
	doc := PolicyDocument{Version: PolicyVersion, Statements: stmts}
	if n, err := documentSize(doc); err != nil {
		return PolicyDocument{}, err
	} else if n > ManagedPolicyMaxChars {
		return PolicyDocument{}, optionError("region_exempt_actions", "the guardrail policy would be %d characters, more than IAM's managed-policy quota of %d: use fewer allowed_regions or region_exempt_actions (wildcards help)", n, ManagedPolicyMaxChars)
	}
	return doc, nil
}

// GuardedGroupPolicy is what a member of a standard group works under, MFA aside: the group's
// grants (GroupPolicy) and the guardrail policy's denies, as one document. The grant table and
// the proofs judge this, since the group's grants are only safe together with the guardrail.
func GuardedGroupPolicy(roleKey string, opts Options) (PolicyDocument, error) {
	doc, err := GroupPolicy(roleKey, opts)
	if err != nil {
		return PolicyDocument{}, err
	}
	guard, err := GuardrailPolicy(opts)
	if err != nil {
		return PolicyDocument{}, err
	}
	return MergeParts([]PolicyDocument{doc, guard}), nil
}

// detectionOffActions turn off, mute or blind the account's detection services.
var detectionOffActions = []string{
	"access-analyzer:ApplyArchiveRule",
	"access-analyzer:CreateArchiveRule",
	"access-analyzer:DeleteAnalyzer",
	"access-analyzer:UpdateArchiveRule",
	"access-analyzer:UpdateFindings",
	"config:DeleteConfigRule",
	"config:DeleteConfigurationRecorder",
	"config:DeleteDeliveryChannel",
	"config:DeleteEvaluationResults",
	"config:DeleteRetentionConfiguration",
	"config:PutConfigurationRecorder",
	"config:PutDeliveryChannel",
	"config:PutRetentionConfiguration",
	"config:StopConfigurationRecorder",
	"ec2:DeleteFlowLogs",
	"guardduty:ArchiveFindings",
	"guardduty:CreateFilter",
	"guardduty:CreateIPSet",
	"guardduty:DeleteDetector",
	"guardduty:DeleteMembers",
	"guardduty:DeletePublishingDestination",
	"guardduty:DisassociateFromAdministratorAccount",
	"guardduty:DisassociateFromMasterAccount",
	"guardduty:DisassociateMembers",
	"guardduty:StopMonitoringMembers",
	"guardduty:UpdateDetector",
	"guardduty:UpdateFilter",
	"guardduty:UpdateIPSet",
	"guardduty:UpdatePublishingDestination",
	"logs:DeleteAccountPolicy",
	"logs:PutAccountPolicy",
	"securityhub:BatchDisableStandards",
	"securityhub:BatchUpdateFindings",
	"securityhub:DisableImportFindingsForProduct",
	"securityhub:DisableSecurityHub",
	"securityhub:DisassociateFromAdministratorAccount",
	"securityhub:DisassociateFromMasterAccount",
	"securityhub:UpdateStandardsControl",
}

// erasureActions erase backups or make them erasable, or erase what keys encrypt.
var erasureActions = []string{
	"backup:DeleteBackupVault",
	"backup:DeleteBackupVaultAccessPolicy",
	"backup:DeleteBackupVaultLockConfiguration",
	"backup:DeleteRecoveryPoint",
	"backup:DisassociateRecoveryPoint",
	"backup:PutBackupVaultAccessPolicy",
	"backup:UpdateRecoveryPointLifecycle",
	"dynamodb:DeleteBackup",
	"dynamodb:UpdateContinuousBackups",
	"kms:ScheduleKeyDeletion",
	"rds:DeleteDBClusterAutomatedBackup",
	"rds:DeleteDBInstanceAutomatedBackup",
	"s3:BypassGovernanceRetention",
}

// publishActions share or publish snapshots and images, or lift the account's public-access blocks.
var publishActions = []string{
	"ec2:DisableImageBlockPublicAccess",
	"ec2:DisableSnapshotBlockPublicAccess",
	"ec2:ModifyImageAttribute",
	"ec2:ModifySnapshotAttribute",
	"rds:ModifyDBClusterSnapshotAttribute",
	"rds:ModifyDBSnapshotAttribute",
	"s3:PutAccountPublicAccessBlock",
}

// classStatements are the guardrail's denies of whole classes of actions, on every resource.
func classStatements() []Statement {
	return []Statement{
		deny(GuardDetectionSid, detectionOffActions),
		deny(GuardErasureSid, erasureActions),
		deny(GuardPublishSid, publishActions),
		deny(GuardAccountSid, []string{"organizations:LeaveOrganization"}),
	}
}

// GuardrailActions are the actions the guardrail denies on every resource (not the audit, tag and
// region statements, which depend on the resource or the request).
func GuardrailActions() []string {
	var out []string
	for _, s := range classStatements() {
		out = append(out, s.Action...)
	}
	return out
}
