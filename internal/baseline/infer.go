package baseline

import (
	"maps"
	"slices"
	"strings"
)

// InferOptions recovers, for an import, the options the baseline's group documents were rendered
// from. It reads the documents' meaning, not their Sids: the region restriction is the Deny (in the
// guardrail policy, key GuardrailsDocumentKey, or in a group document an older release rendered) of
// every action but some on "*" outside a set of aws:RequestedRegion values; the developer
// buckets are the S3 bucket ARNs Developers may write objects to; the app scope is the prefix of
// the Lambda functions Developers may change, the tag an EC2 resource must carry for them to
// change it, and the path of the roles they may pass; Cost Explorer reads are on when ReadOnly may
// read costs. Documents that cannot be parsed are skipped;
// what cannot be recovered is left empty, so defaults apply and the next plan shows any
// difference. docs is keyed by role key (and PolicyPartKey for further parts).
func InferOptions(partition, namePrefix string, docs map[string]string) Options {
	if partition == "" {
		partition = DefaultPartition
	}
	o := Options{Partition: partition, NamePrefix: namePrefix}
	// A group's policy split over several managed policies is read as one (policy_parts.go).
	parsed := map[string]PolicyDocument{}
	for _, key := range slices.Sorted(maps.Keys(docs)) {
		role, _ := ParsePolicyPartKey(key)
		if !ValidRoleKey(role) {
			continue
		}
		if d, err := ParsePolicy(docs[key]); err == nil {
			parsed[role] = MergeParts([]PolicyDocument{parsed[role], d})
		}
	}
	guardrails, guardErr := ParsePolicy(docs[GuardrailsDocumentKey])
	if guardErr == nil {
		if regions, exempt, ok := inferRegionRestriction(guardrails); ok {
			o.AllowedRegions, o.RegionExemptActions = regions, exempt
		}
	}
	for _, key := range RoleKeys() {
		d, ok := parsed[key]
		if !ok {
			continue
		}
		if regions, exempt, ok := inferRegionRestriction(d); ok && o.AllowedRegions == nil {
			o.AllowedRegions, o.RegionExemptActions = regions, exempt
		}
		if o.AppScope.RolePath == "" {
			o.AppScope.RolePath = inferPassRolePath(d, partition)
		}
		if o.AppScope.TagKey == "" {
			o.AppScope.TagKey, o.AppScope.TagValue = inferAppTag(d)
		}
	}
	if o.AppScope.TagKey == "" && guardErr == nil {
		// The aws_managed style has no group document: the guardrail still names the tag key.
		o.AppScope.TagKey = inferGuardedTagKey(guardrails)
	}
	if d, ok := parsed[RoleReadOnly]; ok {
		o.OmitReadOnlyCostExplorer = !slices.ContainsFunc(d.Statements, func(s Statement) bool { return grants(s, "ce:GetCostAndUsage") })
	}
	if d, ok := parsed[RoleDevelopers]; ok {
		o.DeveloperS3BucketARNs = inferDeveloperBuckets(d, partition)
		o.AppScope.NamePrefix = inferAppNamePrefix(d, partition)
	}
	return o
}

func grants(s Statement, action string) bool {
	if s.Effect != EffectAllow || len(s.NotAction) > 0 {
		return false
	}
	for _, a := range s.Action {
		if GlobMatch(strings.ToLower(a), strings.ToLower(action)) {
			return true
		}
	}
	return false
}

func inferRegionRestriction(d PolicyDocument) (regions, extraExempt []string, ok bool) {
	for _, s := range d.Statements {
		if s.Effect != EffectDeny || len(s.NotAction) == 0 || !slices.Equal(s.Resource, []string{"*"}) {
			continue
		}
		values := s.Condition["StringNotEquals"]["aws:RequestedRegion"]
		if len(values) == 0 {
			continue
		}
		for _, a := range s.NotAction {
			if !slices.Contains(regionExemptActions, a) {
				extraExempt = append(extraExempt, a)
			}
		}
		return sortedSet(values), sortedSet(extraExempt), true
	}
	return nil, nil, false
}

// inferGuardedTagKey is the tag key the guardrail keeps from being changed on EC2 resources.
func inferGuardedTagKey(d PolicyDocument) string {
	for _, s := range d.Statements {
		if s.Effect != EffectDeny {
			continue
		}
		if keys := s.Condition["ForAnyValue:StringEquals"]["aws:TagKeys"]; len(keys) == 1 {
			return keys[0]
		}
	}
	return ""
}

// grantedUnder is, in document order, the rest after prefix of every resource that starts with it in
// a statement that grants action.
func grantedUnder(d PolicyDocument, action, prefix string) []string {
	var rests []string
	for _, s := range d.Statements {
		if !grants(s, action) {
			continue
		}
		for _, r := range s.Resource {
			if rest, ok := strings.CutPrefix(r, prefix); ok {
				rests = append(rests, rest)
			}
		}
	}
	return rests
}

func inferPassRolePath(d PolicyDocument, partition string) string {
	for _, path := range grantedUnder(d, "iam:PassRole", "arn:"+partition+":iam::*:role") {
		if strings.HasSuffix(path, "/*") && strings.HasPrefix(path, "/") {
			return strings.TrimSuffix(path, "*")
		}
	}
	return ""
}

func inferAppTag(d PolicyDocument) (key, value string) {
	for _, s := range d.Statements {
		if s.Effect != EffectAllow {
			continue
		}
		for k, v := range s.Condition["StringEquals"] {
			if tag, ok := strings.CutPrefix(k, "aws:ResourceTag/"); ok && len(v) == 1 {
				return tag, v[0]
			}
		}
	}
	return "", ""
}

func inferDeveloperBuckets(d PolicyDocument, partition string) []string {
	prefix := "arn:" + partition + ":s3:::"
	var buckets []string
	for _, name := range grantedUnder(d, "s3:PutObject", prefix) {
		if name != "" && !strings.Contains(name, "/") {
			buckets = append(buckets, prefix+name)
		}
	}
	return buckets
}

func inferAppNamePrefix(d PolicyDocument, partition string) string {
	for _, name := range grantedUnder(d, "lambda:UpdateFunctionCode", "arn:"+partition+":lambda:*:*:function:") {
		if strings.HasSuffix(name, "*") && !strings.ContainsAny(strings.TrimSuffix(name, "*"), "*?") {
			return strings.TrimSuffix(name, "*")
		}
	}
	return ""
}

// GlobMatch matches IAM wildcards: * is any run of characters, ? exactly one.
func GlobMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// InferDelegatesAppRoles reads from a baseline's documents (keyed as Documents keys them) whether its
// Developers delegate app roles under the app boundary (delegate_app_roles): false only when a
// Developers document exists without the delegation.
func InferDelegatesAppRoles(docs map[string]string) bool {
	found := false
	for key, js := range docs {
		if role, _ := ParsePolicyPartKey(key); role != RoleDevelopers {
			continue
		}
		found = true
		if d, err := ParsePolicy(js); err == nil && slices.ContainsFunc(d.Statements, func(s Statement) bool { return s.Sid == AppRolesWithBoundarySid }) {
			return true
		}
	}
	return !found
}
