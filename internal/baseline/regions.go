package baseline

import (
	"regexp"
	"slices"
)

// RegionExemptActions are the actions the region restriction (Options.AllowedRegions) never
// denies. They follow AWS's documented example of a region-deny policy (AWS Organizations User
// Guide, "Deny access to AWS based on the requested AWS Region"; the IAM User Guide's
// identity-policy version lists only its core): global services and those whose single endpoint
// lives in us-east-1 or us-west-2, plus the global reads the console makes whatever region it
// shows (ec2:DescribeRegions, s3:GetBucketLocation and the account-level S3 calls), the billing
// and account namespaces, and IAM Identity Center. Add your own with
// Options.RegionExemptActions (region_exempt_actions).
func RegionExemptActions() []string {
	return slices.Clone(regionExemptActions)
}

var regionExemptActions = []string{
	"a4b:*",
	"account:*",
	"acm:*",
	"aws-marketplace-management:*",
	"aws-marketplace:*",
	"aws-portal:*",
	"billing:*",
	"budgets:*",
	"ce:*",
	"chime:*",
	"cloudfront:*",
	"config:*",
	"cur:*",
	"directconnect:*",
	"ec2:DescribeRegions",
	"ec2:DescribeTransitGateways",
	"ec2:DescribeVpnGateways",
	"fms:*",
	"freetier:*",
	"globalaccelerator:*",
	"health:*",
	"iam:*",
	"importexport:*",
	"invoicing:*",
	"kms:*",
	"mobileanalytics:*",
	"networkmanager:*",
	"organizations:*",
	"payments:*",
	"pricing:*",
	"route53-recovery-cluster:*",
	"route53-recovery-control-config:*",
	"route53-recovery-readiness:*",
	"route53:*",
	"route53domains:*",
	"s3:GetAccountPublic*",
	"s3:GetBucketLocation",
	"s3:ListAllMyBuckets",
	"s3:ListMultiRegionAccessPoints",
	"s3:PutAccountPublic*",
	"shield:*",
	"sso:*",
	"sts:*",
	"support:*",
	"tax:*",
	"trustedadvisor:*",
	"waf-regional:*",
	"waf:*",
	"wafv2:*",
	"wellarchitected:*",
}

// RegionRestrictionSid names the statement that denies regional actions outside
// Options.AllowedRegions.
const RegionRestrictionSid = "DenyOutsideAllowedRegions"

var exemptActionPattern = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*?]+$`)

func validateRegionExemptions(actions []string) error {
	for _, a := range actions {
		if !exemptActionPattern.MatchString(a) {
			return optionError("region_exempt_actions", "region_exempt_actions: %q is not an action such as \"ce:*\" or \"ec2:DescribeRegions\" (service prefix in lowercase, wildcards allowed)", a)
		}
	}
	return nil
}

func regionRestriction(regions, extraExempt []string) Statement {
	return Statement{
		Sid:       RegionRestrictionSid,
		Effect:    EffectDeny,
		NotAction: sortedSet(append(slices.Clone(regionExemptActions), extraExempt...)),
		Resource:  []string{"*"},
		Condition: map[string]map[string][]string{
			"StringNotEquals": {"aws:RequestedRegion": sortedSet(regions)},
		},
	}
}
