package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline/lint"
)

// runWithArgument is the Run of a function of one argument: result is its value for the argument,
// or the error that says why there is none.
func runWithArgument[A, R any](ctx context.Context, req function.RunRequest, resp *function.RunResponse, result func(A) (R, *function.FuncError)) {
	var arg A
	if resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &arg)); resp.Error != nil {
		return
	}
	value, err := result(arg)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, value))
}

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

var _ function.Function = &mfaPolicyFunction{}

// NewMFAPolicyFunction returns provider::iambaseline::mfa_policy.
func NewMFAPolicyFunction() function.Function { return &mfaPolicyFunction{} }

type mfaPolicyFunction struct{}

func (f *mfaPolicyFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "mfa_policy"
}

func (f *mfaPolicyFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The baseline's MFA-enforcement policy document",
		MarkdownDescription: "Returns the JSON of the policy the baseline attaches to every group when `enforce_mfa` is on: " +
			"AWS's documented pattern that lets users manage their own password and MFA devices (scoped to " +
			"`${aws:username}`) and denies everything else until they sign in with MFA, made stricter: the self-service " +
			"without MFA is a console session's only (a long-term access key without MFA may do nothing but " +
			"`sts:GetSessionToken`), and nobody without MFA enables or resyncs another user's device. Use it to attach the same " +
			"policy with another provider. Same document as the `mfa` key of `iambaseline_policy_documents`. " +
			"No AWS call is made.",
		Parameters: []function.Parameter{
			function.BoolParameter{
				Name: "allow_first_login_password_change",
				MarkdownDescription: "When `true`, a user without MFA may still call `iam:ChangePassword` and " +
					"`iam:GetAccountPasswordPolicy` in a console session, so they can change the temporary password at first sign-in " +
					"before setting up MFA. The baseline's default is `true`.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *mfaPolicyFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	runWithArgument(ctx, req, resp, func(allow bool) (string, *function.FuncError) {
		doc, err := baseline.MFAPolicy(allow).JSON()
		if err != nil {
			return "", function.NewFuncError("rendering the MFA policy: " + err.Error())
		}
		return doc, nil
	})
}
