package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// clientFrom turns the provider data handed to Configure into the AWS client. Data is nil while
// Terraform validates; then nil is returned without a diagnostic.
func clientFrom(data any, diags *diag.Diagnostics) *awsiam.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*awsiam.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *awsiam.Client, got %T; please report this issue to the provider developers", data))
		return nil
	}
	return c
}
