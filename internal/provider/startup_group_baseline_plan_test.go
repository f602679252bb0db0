package provider

import (
	"context"
	"fmt"
	"regexp"
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

func manyExemptActions(n int) []string {
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, fmt.Sprintf("svc%03d:*", i))
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
		// A group holds its policies, the MFA and guardrail policies, and its extra ones: ten at most. The
		// Developers' grants take four managed policies (their job, listed without the actions that share
		// or open an app resource, no longer fits fewer).
		{"ten policies fit", map[string]any{"extra_policy_arns": map[string]any{"Developers": manyPolicyARNs(4)}}, ""},
		{"eleven policies", map[string]any{"extra_policy_arns": map[string]any{"Developers": manyPolicyARNs(5)}}, "Too many managed policies"},
		{"eleven without MFA fit", map[string]any{"enforce_mfa": false, "extra_policy_arns": map[string]any{"Developers": manyPolicyARNs(5)}}, ""},
		{"additional too many", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"policy_arns": manyPolicyARNs(9)}}}, "Too many managed policies"},
		{"additional eight, MFA and guardrails fit", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"policy_arns": manyPolicyARNs(8)}}}, ""},
		{"additional nine without MFA fit", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"policy_arns": manyPolicyARNs(9), "enforce_mfa": false}}}, ""},
		{"additional ten without MFA and guardrails fit", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"policy_arns": manyPolicyARNs(10), "enforce_mfa": false, "guardrails": false}}}, ""},
		{"additional ten without MFA", map[string]any{"additional_groups": map[string]any{"Ops": map[string]any{"policy_arns": manyPolicyARNs(10), "enforce_mfa": false}}}, "IAM allows 10 per group"},
		{"extra error names the fix", map[string]any{"extra_policy_arns": map[string]any{"ReadOnly": manyPolicyARNs(8)}}, "combine them into one customer managed policy"},
		// The guardrail policy holds the region restriction and must fit one managed policy, in both styles.
		{"guardrail policy too large", map[string]any{"policy_style": "aws_managed", "allowed_regions": []string{"eu-west-1"}, "region_exempt_actions": manyExemptActions(400)}, "the guardrail policy would be"},
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
		DelegateAppRoles: true, PolicyPath: "/",
	}, true, false)
	if err != nil {
		t.Fatal(err)
	}
	// Developers (four parts: Developers and Developers#2 to #4), ReadOnly, mfa, guardrails and the app boundary.
	if len(docs) != len(want) || len(docs) != 8 || want["Developers#4"] == "" {
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

// TestStartupGroupBaselinePlanKeepsDocumentsOut: a first plan carries no policy JSON (policy_documents
// is planned unknown: one line) but a known one-line summary per document; a later plan carries the
// documents known, so an unchanged document is no difference and a changed one shows only its change,
// with its summary line.
func TestStartupGroupBaselinePlanKeepsDocumentsOut(t *testing.T) {
	const typeName = "iambaseline_startup_group_baseline"
	server := newServer(t)
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := schemas.ResourceSchemas[typeName]
	typ := s.ValueType().(tftypes.Object)
	plan := func(prior tftypes.Value, attrs map[string]any) map[string]tftypes.Value {
		t.Helper()
		config := tfValue(t, typ, attrs)
		proposed := config
		if !prior.IsNull() {
			var p, c map[string]tftypes.Value
			_ = prior.As(&p)
			_ = config.As(&c)
			out := map[string]tftypes.Value{}
			for _, a := range s.Block.Attributes {
				out[a.Name] = c[a.Name]
				if a.Computed && c[a.Name].IsNull() {
					out[a.Name] = p[a.Name]
				}
			}
			proposed = tftypes.NewValue(typ, out)
		}
		priorDV, proposedDV, configDV := dynamic(t, typ, prior), dynamic(t, typ, proposed), dynamic(t, typ, config)
		resp, err := server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: &priorDV, ProposedNewState: &proposedDV, Config: &configDV,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectDiagnostic(t, resp.Diagnostics, "")
		planned, err := resp.PlannedState.Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]tftypes.Value
		if err := planned.As(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	stringValues := func(v tftypes.Value) map[string]string {
		t.Helper()
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for k, e := range m {
			var s string
			if err := e.As(&s); err != nil {
				t.Fatal(err)
			}
			out[k] = s
		}
		return out
	}
	config := map[string]any{"name_prefix": "acme-", "allowed_regions": []string{"us-east-1"}}

	created := plan(tftypes.NewValue(typ, nil), config)
	if created["policy_documents"].IsKnown() {
		t.Fatalf("a create plans policy_documents known: the first plan prints every document")
	}
	summaries := stringValues(created["policy_document_summaries"])
	if len(summaries) != 11 || summaries["guardrails"] == "" || summaries["mfa"] == "" || summaries["Developers#2"] == "" || summaries["Developers#4"] == "" ||
		summaries["SysAdmins#2"] == "" || summaries["app_boundary"] == "" {
		t.Fatalf("policy_document_summaries = %v, want the four groups, the second to fourth Developers policies, the second SysAdmins policy, mfa, guardrails and app_boundary", summaries)
	}
	for k, line := range summaries {
		if !regexp.MustCompile(`^\d+ statements?, [\d,]+ of 6,144 characters, sha256:[0-9a-f]{12}$`).MatchString(line) {
			t.Errorf("policy_document_summaries[%s] = %q", k, line)
		}
	}

	// The state after the apply holds the documents; a plan of the same configuration carries them
	// known and equal (no difference), and the summaries are theirs.
	{
		// A state that holds only some documents (a hand-made setup imported): the documents it
		// lacks are news, planned unknown; the one it holds is planned known, to show its change.
		docType := tftypes.Map{ElementType: tftypes.String}
		created["policy_documents"] = tfValue(t, docType, map[string]string{"mfa": "{}"})
		partial := plan(tftypes.NewValue(typ, created), config)
		var elems map[string]tftypes.Value
		if err := partial["policy_documents"].As(&elems); err != nil {
			t.Fatal(err)
		}
		for k, v := range elems {
			if v.IsKnown() != (k == "mfa") {
				t.Errorf("policy_documents[%s] planned known = %v, want known only for the document the state holds", k, v.IsKnown())
			}
		}
		// An update plan from a state with other documents renders the desired ones.
		held := map[string]string{}
		for k := range summaries {
			held[k] = "{}"
		}
		created["policy_documents"] = tfValue(t, docType, held)
		planned := plan(tftypes.NewValue(typ, created), config)
		if !planned["policy_documents"].IsKnown() {
			t.Fatal("an update plans policy_documents unknown: a changed document would print whole, before and after")
		}
		docs := stringValues(planned["policy_documents"])
		if len(docs) != 11 {
			t.Fatalf("planned policy_documents has %d keys, want 11 (four groups, the second to fourth Developers policies, the second SysAdmins policy, mfa, guardrails, app_boundary)", len(docs))
		}
		for k, d := range docs {
			if summaries[k] != baseline.PolicySummary(d) {
				t.Errorf("summary of %s on create %q is not that of the document applied (%q)", k, summaries[k], baseline.PolicySummary(d))
			}
		}
		again := plan(tftypes.NewValue(typ, planned), config)
		if !again["policy_documents"].Equal(planned["policy_documents"]) || !again["policy_document_summaries"].Equal(planned["policy_document_summaries"]) {
			t.Error("a plan of an unchanged baseline changes its documents or summaries")
		}
		// A changed input changes the summaries of the documents it changes, and only those.
		changed := plan(tftypes.NewValue(typ, planned), map[string]any{"name_prefix": "acme-", "allowed_regions": []string{"eu-west-1"}})
		after := stringValues(changed["policy_document_summaries"])
		// The region restriction is in the guardrails only (the app boundary binds app roles, not regions).
		if after["guardrails"] == summaries["guardrails"] {
			t.Error("a changed allowed_regions leaves the guardrails summary as it was")
		}
		for _, k := range []string{"Developers", "Developers#2", "Developers#3", "Developers#4", "SysAdmins", "SysAdmins#2", "app_boundary"} {
			if after[k] != summaries[k] {
				t.Errorf("a changed allowed_regions changes the %s summary: the region restriction belongs in the guardrails", k)
			}
		}
		if after["mfa"] != summaries["mfa"] {
			t.Error("a changed allowed_regions changes the summary of the MFA policy, whose document it does not change")
		}
	}
}

// In the aws_managed style each mapping warns, naming what AWS's policy still leaves open with the
// guardrail policy attached; the least_privilege style does not.
func TestStartupGroupBaselineAWSManagedWarnings(t *testing.T) {
	diags := validateConfig(t, resourceSchema, "iambaseline_startup_group_baseline", map[string]any{"policy_style": "aws_managed"})
	expectDiagnostic(t, diags, "")
	found := map[string]string{}
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning && d.Summary == "AWS managed policy leaves paths open" {
			for _, k := range baseline.RoleKeys() {
				if strings.Contains(d.Detail, " on group "+k+",") {
					found[k] = d.Detail
				}
			}
		}
	}
	for _, k := range baseline.RoleKeys() {
		detail, ok := found[k]
		if !ok {
			t.Errorf("no open-paths warning for %s:\n%s", k, diagText(diags))
			continue
		}
		if !strings.Contains(detail, baseline.AWSManagedPolicyARN(k, "aws")) || !strings.Contains(detail, baseline.AWSManagedOpenPaths(k)[0]) {
			t.Errorf("the %s warning does not name its policy and its first open path: %s", k, detail)
		}
	}
	if !strings.Contains(found[baseline.RoleDevelopers], "lambda:UpdateFunctionCode") || !strings.Contains(found[baseline.RoleDatabaseAdmins], "rds:DeleteDBInstance") {
		t.Errorf("the warnings do not name the paths the guardrail leaves open:\n%s", diagText(diags))
	}
	for _, d := range validateConfig(t, resourceSchema, "iambaseline_startup_group_baseline", map[string]any{}) {
		if d.Summary == "AWS managed policy leaves paths open" {
			t.Errorf("least_privilege warns: %s", d.Detail)
		}
	}
}
