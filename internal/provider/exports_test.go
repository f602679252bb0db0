package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// Test hooks: what the tests may reach inside the provider, without package globals.

// providerObservingClient is the provider with a hook that sees the AWS client its Configure
// builds, e.g. to count the requests it sends.
func providerObservingClient(observe func(*awsiam.Client)) provider.Provider {
	return &iambaselineProvider{version: "test", observeClient: observe}
}
