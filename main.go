package main

import (
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/provider"
)

// version is set by the release build (goreleaser: -X main.version=...).
var version = "dev"

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT is not set: past it the
// garbage collector runs more often instead of letting the heap grow to twice the live data. It is
// soft: the provider never fails because of it (see BENCHMARKS.md for the measured peak RSS).
const defaultMemoryLimit = 96 << 20

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	if !debugMode {
		quietDiscardedLogs()
	}
	writeProfile := startHeapProfiles()

	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// providerserver.Serve, with the framework's server wrapped by releaseRequestContexts (contexts.go).
	err := tf6server.Serve("registry.terraform.io/iambaseline/iambaseline", func() tfprotov6.ProviderServer {
		return releaseRequestContexts(providerserver.NewProtocol6(provider.New(version)())())
	}, opts...)
	writeProfile()
	if err != nil {
		log.Fatal(err.Error())
	}
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
