package awsiam

import (
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// GroupState is what the snapshot knows about one group.
type GroupState struct {
	Name, Path, ARN    string
	AttachedPolicyARNs []string          // sorted
	InlinePolicies     map[string]string // name => URL-decoded document
	Members            []string          // sorted user names
}

// PolicyState is what the snapshot knows about one customer managed policy.
type PolicyState struct {
	Name, Path, ARN string
	Document        string // default version, URL-decoded
	VersionCount    int
}

// Group returns the group of that name, if the snapshot has it.
func (s *Snapshot) Group(name string) (*GroupState, bool) {
	g, ok := s.groups[name]
	if !ok {
		return nil, false
	}
	out := &GroupState{
		Name: aws.ToString(g.GroupName), Path: aws.ToString(g.Path), ARN: aws.ToString(g.Arn),
		InlinePolicies: map[string]string{},
	}
	for _, a := range g.AttachedManagedPolicies {
		out.AttachedPolicyARNs = append(out.AttachedPolicyARNs, aws.ToString(a.PolicyArn))
	}
	sort.Strings(out.AttachedPolicyARNs)
	for _, p := range g.GroupPolicyList {
		doc, _ := DecodePolicyDocument(aws.ToString(p.PolicyDocument))
		out.InlinePolicies[aws.ToString(p.PolicyName)] = doc
	}
	out.Members = append(out.Members, s.groupMembers[name]...)
	sort.Strings(out.Members)
	return out, true
}

// PolicyByName returns the customer managed policy of that name (names are unique in an account
// whatever the path), if the snapshot has it.
func (s *Snapshot) PolicyByName(name string) (*PolicyState, bool) {
	for arn, p := range s.policies {
		if policyDetailName(arn, p) != name {
			continue
		}
		out := &PolicyState{Name: name, Path: aws.ToString(p.Path), ARN: arn, VersionCount: len(p.PolicyVersionList)}
		for _, v := range p.PolicyVersionList {
			if v.IsDefaultVersion {
				out.Document, _ = DecodePolicyDocument(aws.ToString(v.Document))
			}
		}
		return out, true
	}
	return nil, false
}

// policyDetailName is the policy's name; some emulators leave PolicyName out of the authorization
// details, so it falls back to the last segment of the ARN.
func policyDetailName(arn string, p *types.ManagedPolicyDetail) string {
	if n := aws.ToString(p.PolicyName); n != "" {
		return n
	}
	return arn[strings.LastIndex(arn, "/")+1:]
}

// GroupNames returns the names of every group of the account, sorted.
func (s *Snapshot) GroupNames() []string {
	out := make([]string, 0, len(s.groups))
	for name := range s.groups {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
