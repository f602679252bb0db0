package awsiam

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// AccountIDOfUsers is the account ID in the ARNs of the account's users, or "" when it has none.
func (a *AccountAudit) AccountIDOfUsers() string {
	for _, u := range a.Snapshot.users {
		if parts := strings.Split(aws.ToString(u.Arn), ":"); len(parts) > 4 {
			return parts[4]
		}
	}
	return ""
}

// Facts turns what was read into the facts baseline.Audit judges. Users come from the
// snapshot (always current); their credentials from the credential report row of the same name.
func (a *AccountAudit) Facts(accountID, partition string) baseline.AuditFacts {
	f := baseline.AuditFacts{Now: a.ReadAt, AccountID: accountID, Partition: partition}
	f.Root = baseline.RootFacts{
		MFAEnabled:        a.Summary["AccountMFAEnabled"] > 0,
		AccessKeysPresent: a.Summary["AccountAccessKeysPresent"] > 0,
		VirtualMFA:        a.RootVirtualMFA,
	}
	rows := map[string]CredentialRow{}
	for _, r := range a.Credentials {
		if r.User == RootAccountReportUserName {
			f.Root.MFAEnabled = f.Root.MFAEnabled || r.MFAActive
			for _, k := range r.AccessKeys {
				f.Root.AccessKeysPresent = f.Root.AccessKeysPresent || k.Active
			}
			continue
		}
		rows[r.User] = r
	}
	if p := a.PasswordPolicy; p != nil {
		f.PasswordPolicy = &baseline.PasswordPolicyFacts{
			MinimumLength:   p.MinimumPasswordLength,
			ReusePrevention: p.PasswordReusePrevention,
		}
	}
	s := a.Snapshot
	for _, name := range slices.Sorted(maps.Keys(s.users)) {
		u := s.users[name]
		perms := principalFacts(name, u.Arn, u.AttachedManagedPolicies, u.UserPolicyList)
		uf := baseline.UserFacts{
			Name: name, ARN: perms.ARN, CreatedAt: aws.ToTime(u.CreateDate),
			Groups:             append([]string(nil), u.GroupList...),
			AttachedPolicyARNs: perms.AttachedPolicyARNs,
			InlinePolicies:     perms.InlinePolicies,
			MFAActive:          len(s.virtualMFA[name]) > 0,
			MFADevices:         slices.Clone(s.virtualMFA[name]),
		}
		if r, ok := rows[name]; ok {
			uf.PasswordEnabled = r.PasswordEnabled
			uf.PasswordCreatedAt = r.PasswordLastChanged
			uf.PasswordLastUsed = r.PasswordLastUsed
			uf.MFAActive = uf.MFAActive || r.MFAActive
			uf.MFADevices = append(uf.MFADevices, r.MFADevices...)
			for _, k := range r.AccessKeys {
				uf.AccessKeys = append(uf.AccessKeys, baseline.AccessKeyFacts{ID: k.ID, Active: k.Active, CreatedAt: k.LastRotated, LastUsed: k.LastUsed})
			}
		}
		if t, ok := s.passwordLastUsed[name]; ok && (uf.PasswordLastUsed == nil || t.After(*uf.PasswordLastUsed)) {
			uf.PasswordLastUsed = &t
		}
		f.Users = append(f.Users, uf)
	}
	for _, name := range slices.Sorted(maps.Keys(s.groups)) {
		g := s.groups[name]
		f.Groups = append(f.Groups, principalFacts(name, g.Arn, g.AttachedManagedPolicies, g.GroupPolicyList))
	}
	for _, name := range slices.Sorted(maps.Keys(s.roles)) {
		r := s.roles[name]
		f.Roles = append(f.Roles, principalFacts(name, r.Arn, r.AttachedManagedPolicies, r.RolePolicyList))
	}
	for _, arn := range slices.Sorted(maps.Keys(s.policies)) {
		p := s.policies[arn]
		mp := baseline.ManagedPolicyFacts{Name: aws.ToString(p.PolicyName), ARN: arn}
		for _, v := range p.PolicyVersionList {
			if v.IsDefaultVersion || aws.ToString(v.VersionId) == aws.ToString(p.DefaultVersionId) {
				mp.DefaultDocument = aws.ToString(v.Document)
				break
			}
		}
		f.Policies = append(f.Policies, mp)
	}
	return f
}

// principalFacts is the permissions part of a user, group or role of the snapshot.
func principalFacts(name string, arn *string, attached []types.AttachedPolicy, inline []types.PolicyDetail) baseline.PrincipalFacts {
	pf := baseline.PrincipalFacts{Name: name, ARN: aws.ToString(arn), InlinePolicies: map[string]string{}}
	for _, p := range attached {
		pf.AttachedPolicyARNs = append(pf.AttachedPolicyARNs, aws.ToString(p.PolicyArn))
	}
	for _, p := range inline {
		pf.InlinePolicies[aws.ToString(p.PolicyName)] = aws.ToString(p.PolicyDocument)
	}
	return pf
}
