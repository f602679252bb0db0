package baseline

import (
	"regexp"
	"slices"
	"strings"
)

// The trust (assume-role) policy of a service role: built from TrustInputs, and read back into them
// for import and drift.

// TrustInputs are the arguments of a service role's trust policy.
type TrustInputs struct {
	Services   []string // service principals, e.g. ec2.amazonaws.com
	AccountIDs []string // 12-digit IDs of the trusted accounts (their roots)
	// PrincipalARNs are IAM roles and users (or account roots) that may assume the role.
	PrincipalARNs []string
	RequireMFA    bool // constrains AccountIDs and PrincipalARNs
	ExternalID    string
	// ConfusedDeputyProtection adds aws:SourceAccount = SourceAccount (and aws:SourceArn, when
	// SourceARNs are set) to the services that send them (SourceContextServices).
	ConfusedDeputyProtection bool
	SourceAccount            string // the role's own account
	SourceARNs               []string
}

// Statement IDs of the trust policy. They label statements; parsing ignores them.
const (
	trustSidServices          = "TrustServices"
	trustSidProtectedServices = "TrustServicesForThisAccount"
	trustSidAccounts          = "TrustAccounts"
)

// TrustPolicyFor builds the trust policy of in for a role of partition: trusted accounts become
// arn:<partition>:iam::<id>:root; services that send source context get the confused-deputy
// condition when it is on and the account is known.
func TrustPolicyFor(partition string, in TrustInputs) PolicyDocument {
	principals := make([]string, 0, len(in.AccountIDs)+len(in.PrincipalARNs))
	for _, id := range in.AccountIDs {
		principals = append(principals, AccountRootARN(partition, id))
	}
	principals = append(principals, in.PrincipalARNs...)
	var plain, protected []string
	for _, s := range sortedSet(in.Services) {
		if in.ConfusedDeputyProtection && in.SourceAccount != "" && SendsSourceContext(s) {
			protected = append(protected, s)
		} else {
			plain = append(plain, s)
		}
	}
	doc := TrustPolicy(plain, principals, in.RequireMFA, in.ExternalID)
	if len(protected) > 0 {
		s := Statement{
			Sid:       trustSidProtectedServices,
			Effect:    EffectAllow,
			Principal: ServicePrincipal(protected...),
			Action:    []string{"sts:AssumeRole"},
			Condition: map[string]map[string][]string{"StringEquals": {"aws:SourceAccount": {in.SourceAccount}}},
		}
		if arns := sortedSet(in.SourceARNs); len(arns) > 0 {
			s.Condition["ArnLike"] = map[string][]string{"aws:SourceArn": arns}
		}
		// Services first, as TrustPolicy orders them.
		at := 0
		if len(plain) > 0 {
			at = 1
		}
		doc.Statements = slices.Insert(doc.Statements, at, s)
	}
	return doc
}

var (
	trustAccountRoot = regexp.MustCompile(`^arn:([a-z-]+):iam::(\d{12}):root$`)
	trustAccountID   = regexp.MustCompile(`^\d{12}$`)
)

// trustConditionKeys are the condition keys the trust policy uses, in IAM's spelling; keys are
// case-insensitive, and AWS's own examples write some of them differently (AWS:SourceAccount).
var trustConditionKeys = []string{"aws:MultiFactorAuthPresent", "sts:ExternalId", "aws:SourceAccount", "aws:SourceArn"}

// ParseTrustPolicy recovers the arguments from a trust policy of a role in partition. ok is false
// when the document is not one TrustPolicyFor(partition, ...) builds. It goes by meaning: statement
// IDs, order, list order and the case of condition keys do not matter; a principal of another
// partition does. When no trusted service sends source context, the document does not say whether
// confused-deputy protection is on; ConfusedDeputyProtection is then true, the default (see
// ConfusedDeputyDecided).
func ParseTrustPolicy(doc, partition string) (TrustInputs, bool) {
	var in TrustInputs
	parsed, err := ParsePolicy(doc)
	if err != nil {
		return in, false
	}
	partition = partitionOrDefault(partition)
	canonicalTrustKeys(&parsed)
	protectedSeen := false
	for _, s := range parsed.Statements {
		if s.Principal == nil || s.Effect != EffectAllow {
			return in, false
		}
		in.Services = append(in.Services, s.Principal.Service...)
		for _, p := range s.Principal.AWS {
			switch m := trustAccountRoot.FindStringSubmatch(p); {
			case m != nil:
				if m[1] != partition {
					return in, false
				}
				in.AccountIDs = append(in.AccountIDs, m[2])
			case trustAccountID.MatchString(p):
				in.AccountIDs = append(in.AccountIDs, p)
			case TrustedPrincipalProblem(p, partition) == "":
				in.PrincipalARNs = append(in.PrincipalARNs, p)
			default:
				return in, false
			}
		}
		if len(s.Condition) == 0 {
			continue
		}
		if len(s.Principal.AWS) > 0 {
			if !readAccountConditions(s.Condition, &in) {
				return in, false
			}
			continue
		}
		if len(s.Principal.Service) == 0 || !readServiceConditions(s.Condition, &in) {
			return in, false
		}
		protectedSeen = true
	}
	in.Services = sortedSet(in.Services)
	in.AccountIDs = sortedSet(in.AccountIDs)
	in.PrincipalARNs = sortedSet(in.PrincipalARNs)
	in.SourceARNs = sortedSet(in.SourceARNs)
	in.ConfusedDeputyProtection = protectedSeen || !anySendsSourceContext(in.Services)
	rebuilt := TrustPolicyFor(partition, in)
	if !sameMeaningIgnoringSids(rebuilt, parsed) {
		return in, false
	}
	return in, true
}

// readAccountConditions reads the conditions of the statement trusting accounts and principals.
func readAccountConditions(cond map[string]map[string][]string, in *TrustInputs) bool {
	for op, keys := range cond {
		for key, values := range keys {
			switch {
			case op == "Bool" && key == "aws:MultiFactorAuthPresent" && len(values) == 1 && strings.EqualFold(values[0], "true"):
				in.RequireMFA = true
			case op == "StringEquals" && key == "sts:ExternalId" && len(values) == 1:
				in.ExternalID = values[0]
			default:
				return false
			}
		}
	}
	return true
}

// readServiceConditions reads the confused-deputy conditions of a statement trusting services.
func readServiceConditions(cond map[string]map[string][]string, in *TrustInputs) bool {
	for op, keys := range cond {
		for key, values := range keys {
			switch {
			case op == "StringEquals" && key == "aws:SourceAccount" && len(values) == 1 && trustAccountID.MatchString(values[0]) &&
				(in.SourceAccount == "" || in.SourceAccount == values[0]):
				in.SourceAccount = values[0]
			case op == "ArnLike" && key == "aws:SourceArn" && len(values) > 0:
				in.SourceARNs = append(in.SourceARNs, values...)
			default:
				return false
			}
		}
	}
	return in.SourceAccount != ""
}

// canonicalTrustKeys spells the condition keys of the trust policy as IAM documents them.
func canonicalTrustKeys(doc *PolicyDocument) {
	for i, s := range doc.Statements {
		if len(s.Condition) == 0 {
			continue
		}
		cond := make(map[string]map[string][]string, len(s.Condition))
		for op, keys := range s.Condition {
			inner := make(map[string][]string, len(keys))
			for key, values := range keys {
				if j := slices.IndexFunc(trustConditionKeys, func(k string) bool { return strings.EqualFold(k, key) }); j >= 0 {
					key = trustConditionKeys[j]
				}
				inner[key] = append(inner[key], values...)
			}
			cond[op] = inner
		}
		doc.Statements[i].Condition = cond
	}
}

// sameMeaningIgnoringSids compares two documents the way PoliciesEquivalent does, with statement
// IDs left out: a Sid labels a statement, it grants nothing.
func sameMeaningIgnoringSids(a, b PolicyDocument) bool {
	strip := func(d PolicyDocument) PolicyDocument {
		d.Statements = slices.Clone(d.Statements)
		for i := range d.Statements {
			d.Statements[i].Sid = ""
		}
		return d
	}
	ca, errA := canonicalJSON(strip(a))
	cb, errB := canonicalJSON(strip(b))
	return errA == nil && errB == nil && ca == cb
}

// TrustPolicy builds the assume-role (trust) policy of a service role: one
// statement letting the given AWS services assume the role, and one letting
// the given accounts assume it. Accounts are 12-digit IDs, rendered as
// arn:aws:iam::<id>:root; a value that is already an ARN (another partition's
// root, a role, a user) is kept as is. requireMFA and externalID constrain the
// account statement only, since a service cannot present MFA or an external ID.
// Inputs are treated as sets: sorted and deduplicated so the result is stable.
// It adds no confused-deputy condition: TrustPolicyFor does.
func TrustPolicy(services []string, accountIDs []string, requireMFA bool, externalID string) PolicyDocument {
	doc := PolicyDocument{Version: PolicyVersion}
	if svc := sortedSet(services); len(svc) > 0 {
		doc.Statements = append(doc.Statements, Statement{
			Sid:       trustSidServices,
			Effect:    EffectAllow,
			Principal: ServicePrincipal(svc...),
			Action:    []string{"sts:AssumeRole"},
		})
	}
	if ids := sortedSet(accountIDs); len(ids) > 0 {
		arns := make([]string, 0, len(ids))
		for _, id := range ids {
			if !strings.HasPrefix(id, "arn:") {
				id = "arn:" + DefaultPartition + ":iam::" + id + ":root"
			}
			arns = append(arns, id)
		}
		s := Statement{
			Sid:       trustSidAccounts,
			Effect:    EffectAllow,
			Principal: AWSPrincipal(sortedSet(arns)...),
			Action:    []string{"sts:AssumeRole"},
		}
		if requireMFA || externalID != "" {
			s.Condition = map[string]map[string][]string{}
		}
		if requireMFA {
			s.Condition["Bool"] = map[string][]string{"aws:MultiFactorAuthPresent": {"true"}}
		}
		if externalID != "" {
			s.Condition["StringEquals"] = map[string][]string{"sts:ExternalId": {externalID}}
		}
		doc.Statements = append(doc.Statements, s)
	}
	return doc
}

// TrustPoliciesMeanTheSame reports whether two trust policies of a role in partition are both ones
// TrustPolicyFor builds and build from the same arguments: what they grant is then the same, however
// their statements are labelled or their condition keys spelled (AWS:SourceAccount).
func TrustPoliciesMeanTheSame(a, b, partition string) bool {
	ia, okA := ParseTrustPolicy(a, partition)
	ib, okB := ParseTrustPolicy(b, partition)
	if !okA || !okB {
		return false
	}
	da, errA := TrustPolicyFor(partition, ia).JSON()
	db, errB := TrustPolicyFor(partition, ib).JSON()
	return errA == nil && errB == nil && da == db
}

// Trust arguments that IAM accepts but that do not do what they say; the provider's plan reports them.

// PrincipalsThatNeverCarryMFA are the IAM roles among principals. With require_mfa the trust holds
// only for a request whose aws:MultiFactorAuthPresent is true, and a role session never has it: "the
// temporary credentials returned by AssumeRole do not include MFA information in the context" (IAM
// User Guide, Configuring MFA-protected API access), and AssumeRole takes an MFA code only from a user's
// own device, which a role has none of. A trusted role could therefore never assume this one.
func PrincipalsThatNeverCarryMFA(principals []string) []string {
	var roles []string
	for _, p := range sortedSet(principals) {
		if m := trustedPrincipalPattern.FindStringSubmatch(p); m != nil && strings.HasPrefix(m[3], "role/") {
			roles = append(roles, p)
		}
	}
	return roles
}

// TrustedAccountsOf are the accounts that principals and accountIDs trust as a whole: the IDs, and
// the accounts of the account roots among principals. With require_mfa only the IAM users of those
// accounts who signed in with MFA can assume the role; their role sessions (IAM Identity Center's,
// CI's, instances') never carry MFA.
func TrustedAccountsOf(accountIDs, principals []string) []string {
	out := slices.Clone(accountIDs)
	for _, p := range principals {
		if m := trustAccountRoot.FindStringSubmatch(p); m != nil {
			out = append(out, m[2])
		}
	}
	return sortedSet(out)
}

// ServicesLosingSourceAccount are the trusted services that confused-deputy protection pins to the
// role's account (aws:SourceAccount, and aws:SourceArn with source_arns): turning it off lets each of
// them assume the role on behalf of any AWS account.
func ServicesLosingSourceAccount(services []string) []string {
	var out []string
	for _, s := range sortedSet(services) {
		if SendsSourceContext(s) {
			out = append(out, s)
		}
	}
	return out
}
