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
	AccountIDs []string // 12-digit IDs of the trusted accounts
	RequireMFA bool
	ExternalID string
}

// TrustPolicyFor builds the trust policy of in for the accounts of partition (their principals are
// arn:<partition>:iam::<id>:root).
func TrustPolicyFor(partition string, in TrustInputs) PolicyDocument {
	principals := make([]string, 0, len(in.AccountIDs))
	for _, id := range in.AccountIDs {
		principals = append(principals, AccountRootARN(partition, id))
	}
	return TrustPolicy(in.Services, principals, in.RequireMFA, in.ExternalID)
}

var (
	trustAccountRoot = regexp.MustCompile(`^arn:([a-z-]+):iam::(\d{12}):root$`)
	trustAccountID   = regexp.MustCompile(`^\d{12}$`)
)

// ParseTrustPolicy recovers the arguments from a trust policy of a role in partition. ok is false
// when the document is not one TrustPolicyFor(partition, ...) builds. It goes by meaning: statement
// IDs, order, list order and spelling do not matter; a principal of another partition does.
func ParseTrustPolicy(doc, partition string) (TrustInputs, bool) {
	var in TrustInputs
	parsed, err := ParsePolicy(doc)
	if err != nil {
		return in, false
	}
	partition = partitionOrDefault(partition)
	for _, s := range parsed.Statements {
		if s.Principal == nil || s.Effect != EffectAllow {
			return in, false
		}
		in.Services = append(in.Services, s.Principal.Service...)
		for _, p := range s.Principal.AWS {
			id := p
			if m := trustAccountRoot.FindStringSubmatch(p); m != nil {
				if m[1] != partition {
					return in, false
				}
				id = m[2]
			}
			if !trustAccountID.MatchString(id) {
				return in, false
			}
			in.AccountIDs = append(in.AccountIDs, id)
		}
		if len(s.Principal.AWS) > 0 {
			for op, keys := range s.Condition {
				for key, values := range keys {
					switch {
					case op == "Bool" && key == "aws:MultiFactorAuthPresent" && len(values) == 1 && strings.EqualFold(values[0], "true"):
						in.RequireMFA = true
					case op == "StringEquals" && key == "sts:ExternalId" && len(values) == 1:
						in.ExternalID = values[0]
					default:
						return in, false
					}
				}
			}
		}
	}
	in.Services = sortedSet(in.Services)
	in.AccountIDs = sortedSet(in.AccountIDs)
	rebuilt := TrustPolicyFor(partition, in)
	if !sameMeaningIgnoringSids(rebuilt, parsed) {
		return in, false
	}
	return in, true
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
// arn:aws:iam::<id>:root; a value that is already an ARN is kept as is (use
// that for other partitions). requireMFA and externalID constrain the account
// statement only, since a service cannot present MFA or an external ID. Inputs
// are treated as sets: sorted and deduplicated so the result is stable.
func TrustPolicy(services []string, accountIDs []string, requireMFA bool, externalID string) PolicyDocument {
	doc := PolicyDocument{Version: PolicyVersion}
	if svc := sortedSet(services); len(svc) > 0 {
		doc.Statements = append(doc.Statements, Statement{
			Sid:       "TrustServices",
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
			Sid:       "TrustAccounts",
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
