package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
)

func runFunction(t *testing.T, f function.Function, result attr.Value, args ...attr.Value) (attr.Value, *function.FuncError) {
	t.Helper()
	ctx := context.Background()
	var def function.DefinitionResponse
	f.Definition(ctx, function.DefinitionRequest{}, &def)
	if def.Diagnostics.HasError() {
		t.Fatalf("definition: %v", def.Diagnostics)
	}
	resp := function.RunResponse{Result: function.NewResultData(result)}
	f.Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData(args)}, &resp)
	return resp.Result.Value(), resp.Error
}

func TestMFAPolicyFunction_run(t *testing.T) {
	docs := map[bool]string{}
	for _, allow := range []bool{true, false} {
		got, err := runFunction(t, NewMFAPolicyFunction(), types.StringUnknown(), types.BoolValue(allow))
		if err != nil {
			t.Fatalf("allow=%v: %v", allow, err)
		}
		want, jerr := baseline.MFAPolicy(allow).JSON()
		if jerr != nil {
			t.Fatal(jerr)
		}
		if got.(types.String).ValueString() != want {
			t.Fatalf("allow=%v: got %s\nwant %s", allow, got, want)
		}
		docs[allow] = want
	}
	if docs[true] == docs[false] {
		t.Fatal("allow_first_login_password_change changes nothing")
	}
}

func TestLintPolicyFunction_run(t *testing.T) {
	tests := []struct {
		name, doc    string
		wantSeverity string // of the first finding; "" means no finding
		wantText     string
	}{
		{"clean", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`, "", ""},
		{"star on star", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, "error", "*"},
		{"not json", `{"Version":`, "error", ""},
		{"not action", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]}`, "warning", "NotAction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runFunction(t, NewLintPolicyFunction(), types.ListUnknown(lintFindingType), types.StringValue(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			list := got.(types.List)
			findings := lint.Policy(tt.doc, lint.Options{Kind: lint.KindManagedPolicy})
			if len(list.Elements()) != len(findings) {
				t.Fatalf("%d elements, linter says %d findings", len(list.Elements()), len(findings))
			}
			if tt.wantSeverity == "" {
				if len(findings) != 0 {
					t.Fatalf("want no finding, got %v", list)
				}
				return
			}
			if len(findings) == 0 {
				t.Fatal("want a finding, got none")
			}
			first := list.Elements()[0].(types.Object).Attributes()
			if sev := first["severity"].(types.String).ValueString(); sev != tt.wantSeverity {
				t.Fatalf("severity %q, want %q", sev, tt.wantSeverity)
			}
			if msg := first["message"].(types.String).ValueString(); msg != findings[0].Message || !strings.Contains(msg, tt.wantText) {
				t.Fatalf("message %q (linter: %q), want it to contain %q", msg, findings[0].Message, tt.wantText)
			}
		})
	}
}
