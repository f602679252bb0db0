package baseline

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// The opinions of the IAM Identity Center baseline: permission-set and group names, session
// durations, the access-portal URL and the permission-set limits. The permission sets carry the very
// documents of GroupPolicy (one source of truth); the IAM MFA-deny policy is not used there because
// Identity Center enforces MFA at sign-in.

// Permission-set limits (IAM Identity Center quotas and CreatePermissionSet's input rules).
const (
	// PermissionSetNameMax is the longest permission-set name AWS accepts; the baseline also keeps its
	// group display names within it so that a group and its set share one name.
	PermissionSetNameMax = 32
	// PermissionSetInlinePolicyMax is the size limit of a permission set's inline policy (characters).
	PermissionSetInlinePolicyMax = 32768
	// PermissionSetManagedPoliciesMax is the default quota of AWS managed plus customer managed
	// policies attached to one permission set.
	PermissionSetManagedPoliciesMax = 10
	// RelayStateMax is the longest relay state AWS accepts.
	RelayStateMax = 240
	// SessionDurationMin and SessionDurationMax bound a permission set's session duration.
	SessionDurationMin = time.Hour
	SessionDurationMax = 12 * time.Hour
	// SessionDurationAuditMax is the longest session the audit accepts without a finding.
	SessionDurationAuditMax = 8 * time.Hour
)

var permissionSetNamePattern = regexp.MustCompile(`^[\w+=,.@-]+$`)

// IdentityCenterName is the permission-set and group display name of a role key.
func IdentityCenterName(namePrefix, roleKey string) string { return namePrefix + roleKey }

// ValidatePermissionSetName says why AWS would refuse name as a permission-set name.
func ValidatePermissionSetName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("the name is empty")
	case len(name) > PermissionSetNameMax:
		return fmt.Errorf("%q is %d characters, permission set names are at most %d: shorten name_prefix by %d characters",
			name, len(name), PermissionSetNameMax, len(name)-PermissionSetNameMax)
	case !permissionSetNamePattern.MatchString(name):
		return fmt.Errorf("%q may only hold letters, digits and + = , . @ _ -", name)
	}
	return nil
}

// DefaultSessionDuration is the session duration of a role key's permission set: a working day for
// Developers and ReadOnly, half of it for the administrators.
func DefaultSessionDuration(roleKey string) string {
	switch roleKey {
	case RoleSysAdmins, RoleDatabaseAdmins:
		return "PT4H"
	default:
		return "PT8H"
	}
}

var isoDurationPattern = regexp.MustCompile(`^PT(?:(\d+)H)?(?:(\d+)M)?$`)

// ParseSessionDuration reads an ISO 8601 duration of hours and minutes (PT1H, PT1H30M, PT90M) and
// checks it lies within PT1H..PT12H.
func ParseSessionDuration(s string) (time.Duration, error) {
	m := isoDurationPattern.FindStringSubmatch(s)
	if m == nil || (m[1] == "" && m[2] == "") {
		return 0, fmt.Errorf("%q is not an ISO 8601 duration such as PT8H or PT1H30M", s)
	}
	h, _ := strconv.Atoi("0" + m[1])
	mins, _ := strconv.Atoi("0" + m[2])
	d := time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute
	if d < SessionDurationMin || d > SessionDurationMax {
		return 0, fmt.Errorf("%s is outside PT1H..PT12H, the range IAM Identity Center accepts", s)
	}
	return d, nil
}

var relayStatePattern = regexp.MustCompile(`^[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+\[\] (){}]+$`)

// ValidateRelayState says why AWS would refuse s as a permission set's relay state.
func ValidateRelayState(s string) error {
	switch {
	case len(s) == 0 || len(s) > RelayStateMax:
		return fmt.Errorf("the relay state must be 1 to %d characters, got %d", RelayStateMax, len(s))
	case !relayStatePattern.MatchString(s):
		return fmt.Errorf("the relay state %q holds characters AWS refuses: give a console URL such as https://console.aws.amazon.com/ec2/", s)
	}
	return nil
}

// ValidatePermissionSetInlinePolicy checks a document fits a permission set's inline policy.
func ValidatePermissionSetInlinePolicy(doc string) error {
	if n := NonWhitespaceLen(doc); n > PermissionSetInlinePolicyMax {
		return fmt.Errorf("the policy is %d characters, a permission set's inline policy is at most %d", n, PermissionSetInlinePolicyMax)
	}
	return nil
}

// AccessPortalURL is the default access-portal URL of an identity store.
func AccessPortalURL(identityStoreID string) string {
	return "https://" + identityStoreID + ".awsapps.com/start"
}

// PermissionSetDescription is the description the baseline gives a role key's permission set.
func PermissionSetDescription(roleKey string) string {
	return "iambaseline " + roleKey + " job function (managed by Terraform)"
}

// AdditionalPermissionSetDescription is the description of the permission set of an additional
// group: an import recognises the baseline's additional sets by it.
func AdditionalPermissionSetDescription(name string) string {
	return "iambaseline additional group " + name + " (managed by Terraform)"
}

var awsManagedPolicyARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::aws:policy/[\w+=,.@/-]+$`)

// ValidatePermissionSetManagedPolicyARN says why a policy ARN cannot be attached to a permission
// set: only AWS managed policies are attached by ARN; a customer managed policy is a reference by
// name that must exist in every account the set is provisioned to.
func ValidatePermissionSetManagedPolicyARN(arn string) error {
	if awsManagedPolicyARNPattern.MatchString(arn) {
		return nil
	}
	return fmt.Errorf("%q is not an AWS managed policy ARN (arn:aws:iam::aws:policy/...): a permission set attaches AWS managed "+
		"policies by ARN only; put the statements of a customer managed policy in an inline policy instead", arn)
}

// PermissionSetInlinePolicy is the inline policy of a role key's permission set, from documents
// keyed as Documents keys them: the group's grants (its parts joined; none in the aws_managed
// style) followed by the statements of the guardrail policy, so that a permission set denies what
// the IAM groups' guardrail policy denies.
func PermissionSetInlinePolicy(docs map[string]string, roleKey string) (string, error) {
	var parts []PolicyDocument
	if _, ok := docs[roleKey]; ok {
		joined, err := JoinedDocument(docs, roleKey)
		if err != nil {
			return "", err
		}
		d, err := ParsePolicy(joined)
		if err != nil {
			return "", err
		}
		parts = append(parts, d)
	}
	if g, ok := docs[GuardrailsDocumentKey]; ok {
		d, err := ParsePolicy(g)
		if err != nil {
			return "", err
		}
		parts = append(parts, d)
	}
	if len(parts) == 0 {
		return "", nil
	}
	return MergeParts(parts).JSON()
}
