package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// The wording of the diagnostics every resource shares. A diagnostic names the attribute, says what
// is wrong and how to fix it; the resource-specific ones are written where they are raised.

const (
	summaryInvalidImportID  = "Invalid import ID"
	summaryUnexpectedData   = "Unexpected provider data"
	summaryProviderNotReady = "Provider not configured"
	detailProviderNotReady  = "The iambaseline provider was not configured; please report this issue."
)

// requireClient guards a create, read, update or delete: they need a configured provider.
func requireClient(c *awsiam.Client, diags *diag.Diagnostics) bool {
	if c == nil {
		diags.AddError(summaryProviderNotReady, detailProviderNotReady)
		return false
	}
	return true
}

// addInvalidImportID reports an import ID that does not name the entity; detail says what the ID
// should look like.
func addInvalidImportID(diags *diag.Diagnostics, detail string) {
	diags.AddError(summaryInvalidImportID, detail)
}

// alreadyExistsDetail extends an EntityAlreadyExists error with how to take the entity over.
func alreadyExistsDetail(err error, kind, resourceType, name string) string {
	detail := err.Error()
	if awsiam.HasCode(err, "EntityAlreadyExists") {
		detail += fmt.Sprintf("\n\nA %s named %q already exists. To manage it with Terraform, import it: "+
			"terraform import %s.<name> %s. Otherwise choose another name.", kind, name, resourceType, name)
	}
	return detail
}

// modelGetter is a tfsdk.State, Plan or Config.
type modelGetter interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// configuredModel is the opening of a create, read or delete: the provider is configured and the
// model reads from the plan or state; ok is false (with the diagnostics) otherwise.
func configuredModel[M any](ctx context.Context, c *awsiam.Client, from modelGetter, diags *diag.Diagnostics) (m M, ok bool) {
	if !requireClient(c, diags) {
		return m, false
	}
	return readModel[M](ctx, from, diags)
}

// readModel is the model of the plan, state or configuration; ok is false (with the diagnostics)
// when it does not read.
func readModel[M any](ctx context.Context, from modelGetter, diags *diag.Diagnostics) (m M, ok bool) {
	diags.Append(from.Get(ctx, &m)...)
	return m, !diags.HasError()
}

// plannedModel is the opening of a ModifyPlan that works on the planned model: ok is false on
// destroy (no plan) or when the plan does not read.
func plannedModel[M any](ctx context.Context, plan tfsdk.Plan, diags *diag.Diagnostics) (m M, ok bool) {
	if plan.Raw.IsNull() {
		return m, false
	}
	return readModel[M](ctx, plan, diags)
}

// configuredSpec is the opening of a create, read, update or delete that works from a spec: the
// provider is configured, the model reads from the plan or state, and specOf turns it into the
// request (resolving what it needs from AWS); ok is false (with the diagnostics) otherwise.
func configuredSpec[M, S any](ctx context.Context, c *awsiam.Client, from modelGetter, diags *diag.Diagnostics,
	specOf func(context.Context, *M, *diag.Diagnostics) (S, bool)) (m M, spec S, ok bool) {
	if m, ok = configuredModel[M](ctx, c, from, diags); !ok {
		return m, spec, false
	}
	spec, ok = specOf(ctx, &m, diags)
	return m, spec, ok
}

// withModel is the frame of a resource verb that works on the model of the plan or state: body
// runs once the provider is configured and the model reads (configuredModel), and the AWS calls
// are logged under op (logCalls) when the verb ends, whatever happened.
func withModel[M any](ctx context.Context, c *awsiam.Client, op string, from modelGetter, diags *diag.Diagnostics, body func(m M)) {
	defer logCalls(ctx, c, op)
	if m, ok := configuredModel[M](ctx, c, from, diags); ok {
		body(m)
	}
}

// withSpec is withModel for a verb that works from a spec: body also gets the request specOf
// makes of the model (configuredSpec).
func withSpec[M, S any](ctx context.Context, c *awsiam.Client, op string, from modelGetter, diags *diag.Diagnostics,
	specOf func(context.Context, *M, *diag.Diagnostics) (S, bool), body func(m M, spec S)) {
	defer logCalls(ctx, c, op)
	if m, spec, ok := configuredSpec(ctx, c, from, diags, specOf); ok {
		body(m, spec)
	}
}
