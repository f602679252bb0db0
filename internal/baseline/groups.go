package baseline

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// The role keys of the four standard groups. The IAM group name is the
// baseline's name_prefix followed by the key.
const (
	RoleDevelopers     = "Developers"
	RoleSysAdmins      = "SysAdmins"
	RoleDatabaseAdmins = "DatabaseAdmins"
	RoleReadOnly       = "ReadOnly"
)

// MFADocumentKey is the key of the MFA policy beside the role keys in
// Documents' result (and in the provider's policy_documents attribute).
const MFADocumentKey = "mfa"

// DefaultPartition is the AWS partition used when Options.Partition is empty.
const DefaultPartition = "aws"

// DeveloperPassRolePath is the default IAM path of the roles Developers (and
// SysAdmins) may pass to services such as EC2, Lambda or CodeBuild. Create
// application roles under this path (e.g. iambaseline_service_role with
// path = "/app/") and developers can use them without being able to hand a
// service any other role, such as an admin role.
const DeveloperPassRolePath = "/app/"

// Roles the DatabaseAdmins may pass: the enhanced-monitoring role RDS uses
// and the default role of AWS Backup.
const (
	rdsMonitoringRoleName = "rds-monitoring-role"
	backupDefaultRoleName = "service-role/AWSBackupDefaultServiceRole"
)

// RoleKeys returns the four role keys in their canonical order.
func RoleKeys() []string {
	return []string{RoleDevelopers, RoleSysAdmins, RoleDatabaseAdmins, RoleReadOnly}
}

// ValidRoleKey reports whether key is one of the four role keys (exact case).
func ValidRoleKey(key string) bool {
	return slices.Contains(RoleKeys(), key)
}

// Options are the inputs of the least-privilege group policies.
type Options struct {
	// Partition of every ARN rendered; empty means "aws".
	Partition string
	// AllowedRegions, when non-empty, adds to every group policy a Deny of all
	// regional actions requested outside these regions.
	AllowedRegions []string
	// DeveloperS3BucketARNs are the buckets Developers may manage, as bucket
	// ARNs (wildcards allowed, e.g. arn:aws:s3:::acme-dev-*). Their objects
	// are covered too. None means Developers get no S3 write at all.
	DeveloperS3BucketARNs []string
	// NamePrefix is the baseline's name_prefix; empty fields of AppScope are derived from it.
	NamePrefix string
	// AppScope is what Developers own; empty fields take DefaultAppScope(NamePrefix).
	AppScope AppScope
	// RegionExemptActions are exempted from the region restriction in addition to
	// RegionExemptActions().
	RegionExemptActions []string
	// OmitReadOnlyCostExplorer leaves Cost Explorer's reads (ReadOnlyCostExplorerActions) out of the
	// ReadOnly policy. The zero value keeps them: the readonly_cost_explorer argument is on by default.
	OmitReadOnlyCostExplorer bool
	// DelegateAppRoles lets Developers create and change roles under AppScope.RolePath, only with
	// the app permissions boundary (groups_developers_roles.go, app_boundary.go), and makes
	// Documents render that boundary under AppBoundaryDocumentKey. Only the startup group baseline,
	// which creates the boundary policy, sets it.
	DelegateAppRoles bool
	// PolicyPath is the IAM path of the baseline's policies, where the app boundary is; empty is "/".
	PolicyPath string
}

var (
	regionPattern   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	iamPathPattern  = regexp.MustCompile(`^/([\x21-\x7E]+/)?$`)
	partitionFormat = regexp.MustCompile(`^aws(-[a-z]+)*$`)
)

func (o Options) withDefaults() Options {
	if o.Partition == "" {
		o.Partition = DefaultPartition
	}
	o.AppScope = o.AppScope.WithDefaults(o.NamePrefix)
	return o
}

// ResolvedAppScope is the app scope the policies use: AppScope with its defaults filled in.
func (o Options) ResolvedAppScope() AppScope {
	return o.withDefaults().AppScope
}

// Validate reports the first problem with the options, phrased for the
// Terraform attribute it comes from.
func (o Options) Validate() error {
	o = o.withDefaults()
	if !partitionFormat.MatchString(o.Partition) {
		return fmt.Errorf("partition %q is not an AWS partition such as aws, aws-cn or aws-us-gov", o.Partition)
	}
	for _, r := range o.AllowedRegions {
		if !regionPattern.MatchString(r) {
			return optionError("allowed_regions", "allowed_regions: %q is not an AWS region name such as us-east-1", r)
		}
	}
	prefix := "arn:" + o.Partition + ":s3:::"
	for _, arn := range o.DeveloperS3BucketARNs {
		name, ok := strings.CutPrefix(arn, prefix)
		switch {
		case !ok || name == "":
			return optionError("developer_s3_bucket_arns", "developer_s3_bucket_arns: %q is not a bucket ARN; write it as %s<bucket-name>", arn, prefix)
		case strings.Contains(name, "/"):
			return optionError("developer_s3_bucket_arns", "developer_s3_bucket_arns: %q names objects, not a bucket; give the bucket ARN and its objects are included", arn)
		}
	}
	if err := validateRegionExemptions(o.RegionExemptActions); err != nil {
		return err
	}
	if o.PolicyPath != "" && !iamPathPattern.MatchString(o.PolicyPath) {
		return optionError("path", "path %q must start and end with a slash, e.g. \"/\" or \"/teams/\"", o.PolicyPath)
	}
	return o.AppScope.Validate()
}

// NonWhitespaceLen counts the characters of s that are not whitespace, which
// is how IAM measures a policy against its size quota.
func NonWhitespaceLen(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// GroupPolicy renders the least-privilege policy of a standard group. What each group may do is
// the startup's own description of the job, read with one rule above all: no member, even with
// MFA, can gain more than the group grants (by IAM writes, by changing what already runs as a
// more powerful role, by copying other systems' data or reading their secrets, by erasing
// backups, or by blinding the audit). See groups_developers.go, groups_sysadmins.go,
// groups_databaseadmins.go and groups_readonly.go for each job; the EC2 rules of the app scope
// are in groups_ec2.go.
//
// A group document only grants. Every group, ReadOnly included, also holds the guardrail policy
// (GuardrailPolicy, guardrails.go), which carries every Deny: no trail may be stopped, changed or
// deleted, the trail's log group, bucket, alarms and topic cannot be changed, detection cannot be
// turned off, backups cannot be erased, snapshots cannot be published, the app-scope tag cannot be
// added to an existing EC2 resource or removed, and with AllowedRegions set regional actions outside
// those regions are denied. The group's grants are only safe evaluated together with it. The
// result is what the group grants as one document; GroupPolicyParts splits it over the managed
// policies it needs.
func GroupPolicy(roleKey string, opts Options) (PolicyDocument, error) {
	parts, err := GroupPolicyParts(roleKey, opts)
	if err != nil {
		return PolicyDocument{}, err
	}
	return MergeParts(parts), nil
}

// GroupPolicyParts renders the policy of a standard group (GroupPolicy) split, when it does not
// fit one, over at most MaxPolicyPartsPerGroup managed policies (policy_parts.go).
func GroupPolicyParts(roleKey string, opts Options) ([]PolicyDocument, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	var stmts []Statement
	switch roleKey {
	case RoleDevelopers:
		stmts = developerStatements(opts)
	case RoleSysAdmins:
		stmts = sysAdminStatements(opts)
	case RoleDatabaseAdmins:
		stmts = databaseAdminStatements(opts)
	case RoleReadOnly:
		stmts = readOnlyStatements(opts)
	default:
		return nil, fmt.Errorf("unknown group %q: expected one of %s", roleKey, strings.Join(RoleKeys(), ", "))
	}
	parts, err := SplitStatements(stmts, ManagedPolicyMaxChars)
	if err != nil || len(parts) > MaxPolicyPartsPerGroup {
		n, _ := documentSize(PolicyDocument{Version: PolicyVersion, Statements: stmts})
		return nil, optionError("developer_s3_bucket_arns", "the %s policy would be %d characters, more than %d managed policies hold at IAM's managed-policy quota of %d characters each: use fewer developer_s3_bucket_arns (wildcards help)", roleKey, n, MaxPolicyPartsPerGroup, ManagedPolicyMaxChars)
	}
	return parts, nil
}

// Documents renders the policies of the given role keys as JSON, keyed by role key (a policy split
// over several managed policies adds PolicyPartKey keys), plus the baseline-wide policies
// (shared_policies.go): the MFA policy under MFADocumentKey when enforceMFA is set, and the
// guardrail policy under GuardrailsDocumentKey always, and the app permissions boundary under
// AppBoundaryDocumentKey when opts.DelegateAppRoles is set and Developers are among roleKeys. It is
// what the policy_documents attribute and the policy_documents data source show.
func Documents(roleKeys []string, opts Options, enforceMFA, allowFirstLoginPasswordChange bool) (map[string]string, error) {
	out := make(map[string]string, len(roleKeys)+1)
	for _, key := range roleKeys {
		parts, err := GroupPolicyParts(key, opts)
		if err != nil {
			return nil, err
		}
		for i, doc := range parts {
			if out[PolicyPartKey(key, i+1)], err = doc.JSON(); err != nil {
				return nil, err
			}
		}
	}
	in := SharedPolicyInputs{Options: opts, EnforceMFA: enforceMFA, AllowFirstLoginPasswordChange: allowFirstLoginPasswordChange, RoleKeys: roleKeys}
	if err := renderSharedDocuments(out, in); err != nil {
		return nil, err
	}
	return out, nil
}

func allow(sid string, actions []string, resources ...string) Statement {
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	return Statement{Sid: sid, Effect: EffectAllow, Action: actions, Resource: resources}
}

func passRoleARN(partition, path string) string {
	return "arn:" + partition + ":iam::*:role" + path + "*"
}

// OptionError is a problem with one option, named by the Terraform attribute it comes from
// (allowed_regions, developer_s3_bucket_arns, region_exempt_actions, app_scope.<field>), so that
// the diagnostic can point at it. A policy over the size quota names region_exempt_actions, the
// first of the lists that make it grow.
type OptionError struct {
	Attribute string
	msg       string
}

func (e *OptionError) Error() string { return e.msg }

func optionError(attribute, format string, args ...any) error {
	return &OptionError{Attribute: attribute, msg: fmt.Sprintf(format, args...)}
}
