package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsactivity"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awssso"
)

// providerData is what Configure builds once and hands every resource and data source: the AWS
// clients of each service, and what this configured provider learns while Terraform plans a run.
type providerData struct {
	iam      *awsiam.Client
	activity *awsactivity.Client
	sso      *awssso.Client
	plans    *planRegistry
}

func newProviderData(c *awsiam.Client) *providerData {
	return &providerData{iam: c, activity: awsactivity.New(c), sso: awssso.New(c), plans: newPlanRegistry()}
}

// configured turns the provider data handed to a Configure into providerData. Data is nil while
// Terraform validates: then every field is nil, without a diagnostic.
func configured(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return &providerData{}
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError(summaryUnexpectedData, fmt.Sprintf("expected *providerData, got %T; please report this issue to the provider developers", data))
		return &providerData{}
	}
	return d
}
