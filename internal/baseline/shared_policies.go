package baseline

import "slices"

// Baseline-wide policies: the customer managed policies a startup group baseline owns as a whole,
// not one group's (the MFA policy, the guardrail policy). Each is one entry of sharedPolicies: its
// document key (in Documents, CustomerPolicyKeys, Attachments and the provider's policy_documents),
// its name suffix, its description, its document, and the groups it is attached to. Every layer
// above handles an entry as one more customer managed policy of the baseline, so adding one is
// adding an entry here (and, in the provider, its computed ARN attribute).

// Keys and name suffixes of the baseline-wide policies.
const (
	// GuardrailsDocumentKey is the key of the guardrail policy beside the role keys in Documents'
	// result (and in the provider's policy_documents attribute).
	GuardrailsDocumentKey = "guardrails"
	// GuardrailPolicySuffix names the guardrail policy: acme-Guardrails.
	GuardrailPolicySuffix = "Guardrails"
)

// SharedPolicyInputs are what the baseline-wide documents are rendered from.
type SharedPolicyInputs struct {
	Options                       Options
	EnforceMFA                    bool
	AllowFirstLoginPasswordChange bool
	// RoleKeys are the least-privilege groups rendered (the app boundary needs Developers).
	RoleKeys []string
}

// SharedPolicy is one baseline-wide customer managed policy.
type SharedPolicy struct {
	// Key is its document key; Suffix follows name_prefix in its IAM name.
	Key, Suffix string
	// Describe is its IAM description.
	Describe func(b GroupBaseline) string
	// In reports whether baseline b has it (b's CustomerPolicyKeys name it).
	In func(b GroupBaseline) bool
	// AttachedTo reports whether the group of a group key (role key or additional group name) of b
	// holds it.
	AttachedTo func(b GroupBaseline, groupKey string) bool
	// Render renders its document; ok=false when the inputs leave it out (it must agree with In).
	Render func(in SharedPolicyInputs) (doc PolicyDocument, ok bool, err error)
}

// sharedPolicies are the baseline-wide policies, in the order of CustomerPolicyKeys.
var sharedPolicies = []SharedPolicy{
	{
		Key: MFADocumentKey, Suffix: MFAPolicySuffix,
		Describe: func(b GroupBaseline) string {
			return "MFA enforcement of the " + b.Prefix + "* baseline groups: manage your own credentials, nothing else until signed in with MFA (iambaseline)"
		},
		In: func(b GroupBaseline) bool { return b.EnforceMFA },
		AttachedTo: func(b GroupBaseline, k string) bool {
			if add, ok := b.Additional[k]; ok {
				return b.EnforceMFA && add.EnforceMFA
			}
			return b.EnforceMFA
		},
		Render: func(in SharedPolicyInputs) (PolicyDocument, bool, error) {
			if !in.EnforceMFA {
				return PolicyDocument{}, false, nil
			}
			return MFAPolicyForPartition(in.Options.withDefaults().Partition, in.AllowFirstLoginPasswordChange), true, nil
		},
	},
	{
		Key: GuardrailsDocumentKey, Suffix: GuardrailPolicySuffix,
		Describe: func(b GroupBaseline) string {
			return "Guardrails of the " + b.Prefix + "* baseline groups: no audit blinding, no erasure of backups, no app-tag changes, no requests outside the allowed regions (iambaseline)"
		},
		In: func(GroupBaseline) bool { return true },
		AttachedTo: func(b GroupBaseline, k string) bool {
			if add, ok := b.Additional[k]; ok {
				return !add.OmitGuardrails
			}
			return true
		},
		Render: func(in SharedPolicyInputs) (PolicyDocument, bool, error) {
			doc, err := GuardrailPolicy(in.Options)
			return doc, err == nil, err
		},
	},
	{
		// The app permissions boundary (app_boundary.go): owned by the baseline, attached to no group.
		Key: AppBoundaryDocumentKey, Suffix: AppBoundaryPolicySuffix,
		Describe: func(b GroupBaseline) string {
			return "Permissions boundary of the app roles " + b.GroupName(RoleDevelopers) + " create: the app's ceiling and the guardrails (iambaseline)"
		},
		In:         func(b GroupBaseline) bool { return b.HasAppBoundary() },
		AttachedTo: func(GroupBaseline, string) bool { return false },
		Render: func(in SharedPolicyInputs) (PolicyDocument, bool, error) {
			if !in.Options.DelegateAppRoles || !slices.Contains(in.RoleKeys, RoleDevelopers) {
				return PolicyDocument{}, false, nil
			}
			doc, err := AppBoundaryPolicy(in.Options)
			return doc, err == nil, err
		},
	},
}

// SharedPolicies are the baseline-wide policies (a copy).
func SharedPolicies() []SharedPolicy { return slices.Clone(sharedPolicies) }

// SharedPolicyByKey finds a baseline-wide policy by its document key.
func SharedPolicyByKey(key string) (SharedPolicy, bool) {
	i := slices.IndexFunc(sharedPolicies, func(p SharedPolicy) bool { return p.Key == key })
	if i < 0 {
		return SharedPolicy{}, false
	}
	return sharedPolicies[i], true
}

// IsSharedPolicyKey reports whether key is the document key of a baseline-wide policy.
func IsSharedPolicyKey(key string) bool {
	_, ok := SharedPolicyByKey(key)
	return ok
}

// SharedPolicyName is the IAM name of a baseline-wide policy of b.
func (b GroupBaseline) SharedPolicyName(p SharedPolicy) string { return b.Prefix + p.Suffix }

// GuardrailPolicyName is the name of the guardrail policy.
func (b GroupBaseline) GuardrailPolicyName() string { return b.Prefix + GuardrailPolicySuffix }

// renderSharedDocuments adds the baseline-wide documents the inputs call for to out.
func renderSharedDocuments(out map[string]string, in SharedPolicyInputs) error {
	for _, p := range sharedPolicies {
		doc, ok, err := p.Render(in)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		js, err := doc.JSON()
		if err != nil {
			return err
		}
		out[p.Key] = js
	}
	return nil
}
