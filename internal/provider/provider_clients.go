package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsactivity"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awssso"
)

// fullResource is a resource that is configured, imported, planned and validated: what most of the
// provider's resources are.
type fullResource interface {
	resource.ResourceWithConfigure
	resource.ResourceWithImportState
	resource.ResourceWithModifyPlan
	resource.ResourceWithValidateConfig
}

// providerClients are the clients of the provider data, embedded by a resource (resourceClients)
// or a data source (dataSourceClients) whose Configure takes them. They are nil while Terraform
// validates.
type providerClients struct {
	client   *awsiam.Client
	activity *awsactivity.Client
	sso      *awssso.Client
	plans    *planRegistry
}

func (c *providerClients) take(d *providerData) {
	c.client, c.activity, c.sso, c.plans = d.iam, d.activity, d.sso, d.plans
}

// resourceClients gives a resource the provider's clients.
type resourceClients struct{ providerClients }

func (c *resourceClients) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	c.take(configured(req.ProviderData, &resp.Diagnostics))
}

// dataSourceClients gives a data source the provider's clients.
type dataSourceClients struct{ providerClients }

func (c *dataSourceClients) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	c.take(configured(req.ProviderData, &resp.Diagnostics))
}
