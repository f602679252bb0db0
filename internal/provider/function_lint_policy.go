package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
)

var _ function.Function = &lintPolicyFunction{}

// NewLintPolicyFunction returns provider::iambaseline::lint_policy.
func NewLintPolicyFunction() function.Function { return &lintPolicyFunction{} }

type lintPolicyFunction struct{}

// lintFindingType is the element type of lint_policy's result.
var lintFindingType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"severity": types.StringType,
	"message":  types.StringType,
}}

func (f *lintPolicyFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "lint_policy"
}

func (f *lintPolicyFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Lint an IAM policy document the way the provider does at plan time",
		MarkdownDescription: "Checks an IAM policy document as a customer managed policy, with the same linter the " +
			"provider runs before any API call: JSON and IAM grammar, the 6,144-character quota (whitespace " +
			"excluded), Allow of `*` on `*`, risky wildcards (`NotAction`, `NotResource`, `service:*`, " +
			"`iam:PassRole` on `*`) and known privilege-escalation combinations. Returns one object per finding, " +
			"errors first: `severity` is `error` (the provider would refuse the document) or `warning` (advice), " +
			"`message` names the statement, says what is wrong and how to fix it. An empty list means the " +
			"document is clean. The function never fails on a bad document; it reports it. No AWS call is made.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "document",
				MarkdownDescription: "The policy document, as JSON (e.g. from `jsonencode` or `data.aws_iam_policy_document`).",
			},
		},
		Return: function.ListReturn{ElementType: lintFindingType},
	}
}

func (f *lintPolicyFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	runWithArgument(ctx, req, resp, func(document string) (types.List, *function.FuncError) {
		return lintPolicyValue(document), nil
	})
}

// lintPolicyValue is lint_policy's result for a document.
func lintPolicyValue(document string) types.List {
	findings := lint.Policy(document, lint.Options{Kind: lint.KindManagedPolicy})
	elems := make([]attr.Value, 0, len(findings))
	for _, f := range findings {
		elems = append(elems, types.ObjectValueMust(lintFindingType.AttrTypes, map[string]attr.Value{
			"severity": types.StringValue(string(f.Severity)),
			"message":  types.StringValue(f.Message),
		}))
	}
	return types.ListValueMust(lintFindingType, elems)
}
