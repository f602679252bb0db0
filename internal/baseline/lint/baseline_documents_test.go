package lint

import (
	"strings"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

func TestUnknownActions(t *testing.T) {
	managed := Options{Kind: KindManagedPolicy}
	for _, tt := range []struct {
		name, doc string
		want      []want
	}{
		{"typo in an action", lintDoc(lintAllow(`"s3:GetObjekt"`, `"*"`)), []want{w("unknown-action", `"s3:GetObjekt" is not a s3 action`)}},
		{"typo in a deny", lintDoc(`{"Effect": "Deny", "Action": "cloudtrail:StopLoging", "Resource": "*"}`), []want{w("unknown-action", "StopLoging")}},
		{"unknown service", lintDoc(lintAllow(`"s4:GetObject"`, `"*"`)), []want{w("unknown-action", `prefix "s4"`)}},
		{"wildcard matching nothing", lintDoc(lintAllow(`"s3:Fetch*"`, `"*"`)), []want{w("unknown-action", "matches no s3 action")}},
		{"actions compare case-insensitively", lintDoc(lintAllow(`"S3:getobject"`, `"*"`)), nil},
		{"wildcard matching something", lintDoc(lintAllow(`"s3:Get*"`, `"*"`)), nil},
		{"typo in a deny's NotAction only exempts less", lintDoc(`{"Effect": "Deny", "NotAction": "iam:Nope", "Resource": "*"}`), nil},
	} {
		t.Run(tt.name, func(t *testing.T) { lintAssert(t, Policy(tt.doc, managed), tt.want) })
	}
	if baseline.ActionListDate == "" || !strings.Contains(baseline.ActionListSource, "Service Authorization Reference") {
		t.Error("the action list must say where and when it comes from")
	}
}

// The linter passes the baseline's own documents with no error and no unknown action, in every
// configuration the tests know; its warnings (the app scope's compute and PassRole) are listed.
func TestBaselineDocumentsLintClean(t *testing.T) {
	for name, opts := range map[string]baseline.Options{
		"default":    {},
		"acme":       {NamePrefix: "acme-", AllowedRegions: []string{"us-east-1", "eu-west-1"}, DeveloperS3BucketARNs: []string{"arn:aws:s3:::acme-dev-*"}},
		"gov":        {Partition: "aws-us-gov", AllowedRegions: []string{"us-gov-west-1"}, RegionExemptActions: []string{"ce:*"}},
		"custom tag": {AppScope: baseline.AppScope{NamePrefix: "web-", TagKey: "team", TagValue: "web", RolePath: "/web/"}},
		"delegated":  {NamePrefix: "acme-", DelegateAppRoles: true, PolicyPath: "/baseline/"},
	} {
		docs, err := baseline.Documents(baseline.RoleKeys(), opts, true, true)
		if err != nil {
			t.Fatal(err)
		}
		for key, doc := range docs {
			for _, f := range Policy(doc, Options{Kind: KindManagedPolicy}) {
				if f.Severity == SeverityError || f.Code == CodeUnknownAction {
					t.Errorf("%s %s: %s", name, key, f)
				} else if name == "acme" {
					t.Logf("%s: %s", key, f)
				}
			}
		}
	}
}

// The trust policies the service role builds lint with no error and no warning: confused-deputy
// conditions, trusted principals next to accounts, in every partition.
func TestTrustDocumentsLintClean(t *testing.T) {
	for _, partition := range []string{"aws", "aws-cn", "aws-us-gov"} {
		for name, in := range map[string]baseline.TrustInputs{
			"services": {Services: []string{"ec2.amazonaws.com", "config.amazonaws.com", "states.amazonaws.com", "lambda.amazonaws.com"},
				ConfusedDeputyProtection: true, SourceAccount: "123456789012",
				SourceARNs: []string{"arn:" + partition + ":states:*:123456789012:stateMachine:*", "arn:" + partition + ":config:*:123456789012:*"}},
			"principals": {AccountIDs: []string{"111122223333"}, PrincipalARNs: []string{"arn:" + partition + ":iam::444455556666:role/ci/deployer", "arn:" + partition + ":iam::444455556666:user/auditor"},
				RequireMFA: true, ExternalID: "acme-ext"},
		} {
			doc, err := baseline.TrustPolicyFor(partition, in).JSON()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range Policy(doc, Options{Kind: KindTrustPolicy}) {
				t.Errorf("%s %s: %s", partition, name, f)
			}
		}
	}
}
