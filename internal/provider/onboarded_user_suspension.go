package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// The suspension guarantee: a person with status = "suspended" has no console password and no
// active access key. A password or an active key that comes back out of band (the console, the CLI)
// is drift: the refresh then records status = "active" (the person has access again), so the plan
// shows status going back to "suspended", and apply removes the password and deactivates the keys
// again, exactly as the first suspension did. Checking costs one ListAccessKeys per suspended person
// and refresh; active people cost nothing more.

// readSuspension checks a suspended person's credentials (keys: their access keys) and, when access
// came back, records the status as active and says so (warning), naming what gives access.
func readSuspension(state *onboardedUserModel, hasConsole bool, keys []awsiam.AccessKey, diags *diag.Diagnostics) {
	if state.Status.ValueString() != statusSuspended {
		return
	}
	name := state.UserName.ValueString()
	var access []string
	if hasConsole {
		access = append(access, "a console password (login profile)")
	}
	for _, k := range keys {
		if k.Active {
			access = append(access, "the active access key "+k.ID)
		}
	}
	if len(access) == 0 {
		return
	}
	state.Status = types.StringValue(statusActive)
	diags.AddAttributeWarning(path.Root("status"), "Suspended user has access again",
		fmt.Sprintf("IAM user %s is suspended in the configuration but has %s, made outside Terraform. The plan shows status going back to "+
			"\"suspended\": apply removes the console password and deactivates the access keys (they are kept, inactive).", name, baseline.JoinWords(access)))
}
