package main

import (
	"flag"
	"log"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/server"
)

// version is set by the release build (goreleaser: -X main.version=...).
var version = "dev"

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if err := server.Serve(version, debugMode); err != nil {
		log.Fatal(err.Error())
	}
}
