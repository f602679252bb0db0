package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

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
