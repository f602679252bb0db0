package baseline

import (
	"reflect"
	"testing"
)

// An import recovers every option from the documents alone, whatever their Sids.
func TestInferOptionsRoundTrip(t *testing.T) {
	for name, opts := range map[string]Options{
		"default":    {NamePrefix: "acme-"},
		"restricted": proofOptions,
		"custom": {
			Partition: "aws-us-gov", NamePrefix: "x-", AllowedRegions: []string{"us-gov-west-1"},
			RegionExemptActions:      []string{"sagemaker:*", "ssm:GetParameter"},
			DeveloperS3BucketARNs:    []string{"arn:aws-us-gov:s3:::x-dev-*"},
			AppScope:                 AppScope{NamePrefix: "web-", TagKey: "team", TagValue: "web", RolePath: "/web/"},
			OmitReadOnlyCostExplorer: true,
		},
	} {
		t.Run(name, func(t *testing.T) {
			docs := map[string]string{}
			for _, key := range RoleKeys() {
				doc := mustGroupPolicy(t, key, opts)
				for i := range doc.Statements {
					doc.Statements[i].Sid = "" // meaning, not names
				}
				docs[key], _ = doc.JSON()
			}
			guard, err := GuardrailPolicy(opts)
			if err != nil {
				t.Fatal(err)
			}
			for i := range guard.Statements {
				guard.Statements[i].Sid = ""
			}
			docs[GuardrailsDocumentKey], _ = guard.JSON()
			got := InferOptions(opts.Partition, opts.NamePrefix, docs)
			want := opts.withDefaults()
			got = got.withDefaults()
			want.RegionExemptActions = sortedSet(want.RegionExemptActions)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("InferOptions =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
	// The aws_managed style has only the guardrail policy: the regions and the guarded tag key come back.
	custom := Options{NamePrefix: "x-", AllowedRegions: []string{"eu-west-1"}, RegionExemptActions: []string{"sagemaker:*"}, AppScope: AppScope{TagKey: "team"}}
	guard, _ := GuardrailPolicy(custom)
	js, _ := guard.JSON()
	got := InferOptions("aws", "x-", map[string]string{GuardrailsDocumentKey: js})
	if !reflect.DeepEqual(got.AllowedRegions, custom.AllowedRegions) || !reflect.DeepEqual(got.RegionExemptActions, custom.RegionExemptActions) || got.AppScope.TagKey != "team" {
		t.Errorf("InferOptions of the guardrail policy alone = %+v", got)
	}
	if got := InferOptions("", "acme-", map[string]string{RoleReadOnly: "not json"}); got.AllowedRegions != nil || got.AppScope != (AppScope{}) {
		t.Errorf("InferOptions of an unreadable document = %+v", got)
	}
}
