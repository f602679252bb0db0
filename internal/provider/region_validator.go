package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// regionValidator refuses what cannot be an AWS region name and warns about a well-formed name this
// version does not know (a typo, or a region newer than the provider).
type regionValidator struct{}

func (regionValidator) Description(context.Context) string {
	return "must be an AWS region name such as us-east-1"
}

func (v regionValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regionValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	problem, unknown := baseline.CheckRegion(req.ConfigValue.ValueString())
	switch {
	case problem != "":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid AWS region", problem+" Set region to a region name, or remove it to use AWS_REGION.")
	case unknown != "":
		resp.Diagnostics.AddAttributeWarning(req.Path, "Unknown AWS region", unknown)
	}
}
