package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
)

func TestAddPolicyLintDiagnostics(t *testing.T) {
	attr := path.Root("additional_groups").AtMapKey("ops").AtName("inline_policy")
	cases := []struct {
		name         string
		doc          string
		opts         lint.Options
		wantErrors   bool
		wantWarnings bool
		wantText     string
	}{
		{"clean", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`,
			lint.Options{Kind: lint.KindGroupInlinePolicy}, false, false, ""},
		{"not json", `{"Version":`, lint.Options{Kind: lint.KindGroupInlinePolicy}, true, false, "json"},
		{"star on star", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			lint.Options{Kind: lint.KindGroupInlinePolicy}, true, false, "admin-star"},
		{"star on star for an admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			lint.Options{Kind: lint.KindGroupInlinePolicy, AdminAllowed: true}, false, false, ""},
		{"not action warns", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]}`,
			lint.Options{Kind: lint.KindManagedPolicy}, false, true, "not-action"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addPolicyLintDiagnostics(&diags, attr, tc.doc, tc.opts)
			if got := diags.HasError(); got != tc.wantErrors {
				t.Fatalf("HasError = %v, diags = %v", got, diags)
			}
			if got := diags.WarningsCount() > 0; got != tc.wantWarnings {
				t.Fatalf("warnings = %v, diags = %v", got, diags)
			}
			for _, d := range diags {
				withPath, ok := d.(diag.DiagnosticWithPath)
				if !ok || !withPath.Path().Equal(attr) {
					t.Fatalf("diagnostic %v does not name the attribute", d)
				}
				if tc.wantText != "" && !strings.Contains(d.Summary(), tc.wantText) {
					t.Fatalf("summary %q lacks %q", d.Summary(), tc.wantText)
				}
			}
		})
	}
}
