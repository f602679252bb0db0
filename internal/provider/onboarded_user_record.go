package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// readRecord sets full_name, email and job_title from the user's record tags. Where a tag holds
// exactly what the configuration's value is kept as (an apostrophe kept as U+02BC, an empty
// job_title kept as no tag), the configuration's spelling stays, so that it shows no difference.
func readRecord(state *onboardedUserModel, tags map[string]string) {
	fullName := tags[baseline.TagFullName]
	if state.FullName.IsNull() || state.FullName.IsUnknown() || !baseline.SameRecordName(state.FullName.ValueString(), fullName) {
		state.FullName = optionalString(fullName)
	}
	state.Email = optionalString(tags[baseline.TagEmail])
	jobTitle, tagged := tags[baseline.TagJobTitle]
	switch {
	case !tagged && !state.JobTitle.IsNull() && !state.JobTitle.IsUnknown() && state.JobTitle.ValueString() == "":
		// job_title = "" means no title: no tag.
	case !tagged:
		state.JobTitle = types.StringNull()
	default:
		state.JobTitle = types.StringValue(jobTitle)
	}
}

// plannedKeyFingerprint is key_fingerprint in a plan: when a new password is to be encrypted
// (planned unknown) with a key known now, the fingerprint of that key, which the plan shows in place
// of the armored key.
func plannedKeyFingerprint(pgpKey, planned types.String) types.String {
	if !planned.IsUnknown() || pgpKey.IsNull() || pgpKey.IsUnknown() {
		return planned
	}
	key, err := parsePGPKey(pgpKey.ValueString())
	if err != nil {
		return planned
	}
	return types.StringValue(pgpFingerprint(key))
}
