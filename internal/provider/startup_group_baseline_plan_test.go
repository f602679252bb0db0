package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

func manyPolicyARNs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "arn:aws:iam::123456789012:policy/extra" + strings.Repeat("x", i+1)
	}
	return out
}

func TestStartupGroupBaselineValidateConfig(t *testing.T) {
	ec2 := "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"
	cases := []struct {
		name  string
		attrs map[string]any
		want  string // "" = valid
	}{
		{"defaults", map[string]any{}, ""},
		{"full", map[string]any{
			"name_prefix": "acme-", "path": "/people/", "groups": []string{"Developers", "ReadOnly"},
			"allowed_regions": []string{"eu-west-1", "us-east-1"}, "developer_s3_bucket_arns": []string{"arn:aws:s3:::acme-dev-*"},
			"extra_policy_arns": map[string]any{"Developers": []string{ec2}},
			"additional_groups": map[string]any{"Finance": map[string]any{"policy_arns": []string{ec2},
				"inline_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:GetCostAndUsage","Resource":"*"}]}`}},
			"tags": map[string]any{"Team": "platform"},
		}, ""},
		{"unknown role key", map[string]any{"groups": []string{"Admins"}}, "Admins"},
		{"bad policy style", map[string]any{"policy_style": "custom"}, "least_privilege"},
		{"bad prefix", map[string]any{"name_prefix": "acme corp"}, "letters, digits"},
		{"prefix too long", map[string]any{"name_prefix": strings.Repeat("a", 109)}, "name_prefix"},
		{"bad path", map[string]any{"path": "people"}, "must be \"/\""},
		{"bad region", map[string]any{"allowed_regions": []string{"moon-1"}}, "region name"},
		{"object instead of bucket", map[string]any{"developer_s3_bucket_arns": []string{"arn:aws:s3:::acme/data"}}, "bucket ARN"},
		{"bucket without arn", map[string]any{"developer_s3_bucket_arns": []string{"s3://acme"}}, "arn:aws:s3:::"},
		{"extra for unselected group", map[string]any{"groups": []string{"ReadOnly"}, "extra_policy_arns": map[string]any{"Developers": []string{ec2}}}, "add it to groups"},
		{"extra key not a role key", map[string]any{"extra_policy_arns": map[string]any{"Admins": []string{ec2}}}, "Admins"},
		{"extra not a policy ARN", map[string]any{"extra_policy_arns": map[string]any{"Developers": []string{"arn:aws:iam::aws:role/x"}}}, "managed policy ARN"},
		{"ten policies fit", map[string]any{"extra_policy_arns": map[string]any{"Developers": manyPolicyARNs(8)}}, ""},
		{"eleven policies", map[string]any{"extra_policy_arns": map[string]any{"Developers": manyPolicyARNs(9)}}, "Too many managed policies"},
		{"eleven without MFA fit", map[string]any{"enforce_mfa": false, "extra_policy_arns": map[string]any{"Developers": manyPolicyARNs(9)}}, ""},
		{"additional too many", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"policy_arns": manyPolicyARNs(10)}}}, "Too many managed policies"},
		{"additional nine and MFA fit", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"policy_arns": manyPolicyARNs(9)}}}, ""},
		{"additional ten without MFA fit", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"policy_arns": manyPolicyARNs(10), "enforce_mfa": false}}}, ""},
		{"additional eleven without MFA", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"policy_arns": manyPolicyARNs(11), "enforce_mfa": false}}}, "IAM allows 10 per group"},
		{"extra error names the fix", map[string]any{"extra_policy_arns": map[string]any{"ReadOnly": manyPolicyARNs(9)}}, "combine them into one customer managed policy"},
		{"inline too large", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"inline_policy": bigGroupInline()}}}, "over the AWS quota of 5120"},
		{"too many tags", map[string]any{"tags": fiftyOneTags()}, "tags has 51 elements, at most 50 allowed"},
		{"additional clashes", map[string]any{"additional_groups": map[string]any{"developers": map[string]any{}}}, "role key of a standard group"},
		{"additional bad name", map[string]any{"additional_groups": map[string]any{"Ops Team": map[string]any{}}}, "Invalid additional group name"},
		{"inline not json", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"inline_policy": "{not json"}}}, "invalid JSON"},
		{"inline admin star", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{
			"inline_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}}}, "admin-star"},
		{"reserved tag", map[string]any{"tags": map[string]any{"aws:x": "y"}}, "aws:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectDiagnostic(t, validateConfig(t, resourceSchema, "iambaseline_startup_group_baseline", tc.attrs), tc.want)
		})
	}
}

// The data source renders without any AWS call: the provider is not even configured here.
func TestPolicyDocumentsDataSourceRead_noAWS(t *testing.T) {
	server := newServer(t)
	attrs := map[string]any{
		"groups": []string{"Developers", "ReadOnly"}, "allowed_regions": []string{"us-east-1", "eu-west-1"},
		"developer_s3_bucket_arns": []string{"arn:aws:s3:::acme-dev-*"}, "allow_first_login_password_change": false,
	}
	resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: "iambaseline_policy_documents",
		Config:   configValue(t, server, dataSourceSchema, "iambaseline_policy_documents", attrs),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("diagnostics:\n%s", diagText(resp.Diagnostics))
	}
	schemas, _ := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	state, err := resp.State.Unmarshal(schemas.DataSourceSchemas["iambaseline_policy_documents"].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]tftypes.Value
	if err := state.As(&obj); err != nil {
		t.Fatal(err)
	}
	var docs map[string]tftypes.Value
	if err := obj["documents"].As(&docs); err != nil {
		t.Fatal(err)
	}
	want, err := baseline.Documents([]string{"Developers", "ReadOnly"}, baseline.Options{
		AllowedRegions: []string{"us-east-1", "eu-west-1"}, DeveloperS3BucketARNs: []string{"arn:aws:s3:::acme-dev-*"},
	}, true, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(want) || len(docs) != 3 {
		t.Fatalf("documents has %d keys, want %d (%v)", len(docs), len(want), docs)
	}
	for k, w := range want {
		var got string
		if err := docs[k].As(&got); err != nil {
			t.Fatal(err)
		}
		if got != w {
			t.Errorf("documents[%s] differs from baseline.Documents:\n%s\nwant\n%s", k, got, w)
		}
	}
}

func TestPolicyDocumentsDataSourceValidateConfig(t *testing.T) {
	cases := []struct {
		name  string
		attrs map[string]any
		want  string
	}{
		{"defaults", map[string]any{}, ""},
		{"unknown role key", map[string]any{"groups": []string{"Admins"}}, "Admins"},
		{"bad region", map[string]any{"allowed_regions": []string{"EU"}}, "region name"},
		{"bad bucket", map[string]any{"developer_s3_bucket_arns": []string{"arn:aws:s3:::a/b"}}, "bucket ARN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectDiagnostic(t, validateConfig(t, dataSourceSchema, "iambaseline_policy_documents", tc.attrs), tc.want)
		})
	}
}

// bigGroupInline is a valid group inline policy above the 5,120-character quota.
func bigGroupInline() string {
	var res []string
	for i := 0; i < 200; i++ {
		res = append(res, fmt.Sprintf(`"arn:aws:s3:::some-long-bucket-name-%04d/*"`, i))
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` + strings.Join(res, ",") + `]}]}`
}

func fiftyOneTags() map[string]any {
	tags := map[string]any{}
	for i := 0; i < 51; i++ {
		tags[fmt.Sprintf("Tag%02d", i)] = "x"
	}
	return tags
}
