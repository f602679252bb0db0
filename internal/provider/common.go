package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
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

// partitionOf is the AWS partition of the client's region, or "aws" before the provider is
// configured (validation, and data sources that render without AWS).
func partitionOf(c *awsiam.Client) string {
	if c != nil && c.Partition != "" {
		return c.Partition
	}
	return baseline.DefaultPartition
}
