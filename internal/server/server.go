// Package server assembles the provider's protocol 6 server: what main.go serves and what the
// acceptance tests run, so that tests exercise the stack production serves.
package server

import (
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/provider"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/iambaseline/iambaseline"

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT is not set: past it the
// garbage collector runs more often instead of letting the heap grow to twice the live data. It is
// soft: the provider never fails because of it (see BENCHMARKS.md for the measured peak RSS).
const defaultMemoryLimit = 96 << 20

// exitParentGone is the provider's exit status when it stops because Terraform died.
const exitParentGone = 3

// Factory builds the server of the provider at version: the framework's protocol 6 server, wrapped
// by releaseRequestContexts (contexts.go). The acceptance tests' provider factories use it too.
func Factory(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		s, err := providerserver.NewProtocol6WithError(provider.New(version)())()
		if err != nil {
			return nil, err
		}
		return releaseRequestContexts(s), nil
	}
}

// Serve runs the provider as a Terraform plugin until Terraform stops it. debugMode serves it for
// debuggers like delve (and keeps its logs).
func Serve(version string, debugMode bool) error {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	if !debugMode {
		quietDiscardedLogs()
	}
	writeProfile := startHeapProfiles()
	defer writeProfile()
	defer provider.LogExit()
	if !debugMode {
		// Terraform died without stopping the provider: stop what runs and exit (parent.go).
		defer watchParent(parentPollInterval, func() {
			provider.LogExit()
			writeProfile()
			os.Exit(exitParentGone)
		})()
	}

	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	factory := Factory(version)
	var factoryErr error
	err := tf6server.Serve(Address, func() tfprotov6.ProviderServer {
		s, err := factory()
		if err != nil {
			factoryErr = err
		}
		return s
	}, opts...)
	if err == nil {
		err = factoryErr
	}
	return err
}

// quietDiscardedLogs turns the SDK's and the provider's own log output off when Terraform discards it
// anyway: Terraform forwards a provider's log lines only when TF_LOG or TF_LOG_PROVIDER is set, but
// terraform-plugin-go logs at TRACE by default and encodes every line as JSON for Terraform to parse
// and drop (14% of the provider's allocations in a 1,000-user plan). A level the user set explicitly
// (TF_LOG_SDK*, TF_LOG_PROVIDER_IAMBASELINE) is kept.
func quietDiscardedLogs() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_IAMBASELINE"} {
		if _, set := os.LookupEnv(v); !set {
			_ = os.Setenv(v, "off")
		}
	}
}
