package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// userStepSummaries are the summaries of the diagnostics of awsiam's onboarding steps.
var userStepSummaries = map[awsiam.UserStep]string{
	awsiam.StepCreateUser:        "Cannot create the onboarded user",
	awsiam.StepAddToGroups:       "Cannot add the user to its groups",
	awsiam.StepPasswordPolicy:    "Cannot read the account password policy",
	awsiam.StepGeneratePassword:  "Cannot generate the temporary password",
	awsiam.StepSetPassword:       "Cannot give the user console access",
	awsiam.StepRemoveConsole:     "Cannot remove console access",
	awsiam.StepDeactivateKeys:    "Cannot deactivate the user's access keys",
	awsiam.StepAccountID:         "Cannot read the account ID",
	awsiam.StepReadMFA:           "Cannot read the user's MFA devices",
	awsiam.StepReadUser:          "Cannot read the onboarded user",
	awsiam.StepReadConsole:       "Cannot read the user's console access",
	awsiam.StepReadAccessKeys:    "Cannot read the suspended user's access keys",
	awsiam.StepRename:            "Cannot rename or move the user",
	awsiam.StepReadTags:          "Cannot read the user's tags",
	awsiam.StepUpdateTags:        "Cannot update the user's tags",
	awsiam.StepPermissionsBound:  "Cannot update the permissions boundary",
	awsiam.StepUpdateGroups:      "Cannot update the user's groups",
	awsiam.StepListAttachments:   "Cannot destroy the onboarded user",
	awsiam.StepRemoveAttachments: "Cannot remove the user's credentials (force_destroy)",
	awsiam.StepListGroups:        "Cannot read the user's groups",
	awsiam.StepRemoveFromGroups:  "Cannot remove the user from its groups",
	awsiam.StepDeleteUser:        "Cannot delete the user",
}

// userStepHints are what a step's error adds about how to go on.
var userStepHints = map[awsiam.UserStep]string{
	awsiam.StepAddToGroups: "\n\nThe IAM user exists with its create marker; applying again adopts it and finishes the onboarding.",
}

// addUserStepError reports the error of an onboarding step, with the summary of its step (overrides
// first). A failed password delivery has reported itself.
func addUserStepError(diags *diag.Diagnostics, err error, overrides map[awsiam.UserStep]string) {
	step, cause := awsiam.UserStepOf(err)
	if step == awsiam.StepDeliverPassword {
		return
	}
	summary, ok := overrides[step]
	if !ok {
		summary, ok = userStepSummaries[step]
	}
	if !ok {
		summary = "Cannot apply the onboarded user"
	}
	diags.AddError(summary, cause.Error()+userStepHints[step])
}
